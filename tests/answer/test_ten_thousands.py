"""A count asked in ten thousands ("多少万个", "多少万件") is measured in its measure word, as the text writes it
(734.2万个): the figure answers, not the whole sentence around it."""

from __future__ import annotations

import pytest
from conftest import assistant_over


def test_a_count_asked_in_ten_thousands_is_the_figure(tmp_path_factory: pytest.TempPathFactory) -> None:
    text = "青山市工业普查公报\n\n年末全市共有工业企业和工业生产单位73.4万个，比上年末增长0.9倍。\n"
    a = assistant_over(tmp_path_factory, {"qingshan_census.txt": text})
    assert a.ask("青山市年末工业企业和工业生产单位有多少万个？").span == "73.4万个"
