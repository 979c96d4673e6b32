"""Fitting the confidence model: logistic weights, the utility threshold, cross-validated L2, the stored model."""

from __future__ import annotations

import numpy as np
import pytest

from qa.answer.calibration import FEATURES, Calibration, load_calibration
from qa.evaluation.calibrate import L2_GRID, Row, auc, best_threshold, calibrate, cross_validated_l2, fit_logistic


def rows(n: int = 400, seed: int = 0) -> list[Row]:
    """Answers whose chance of being right rises with their hand-set score."""
    rng = np.random.default_rng(seed)
    out = []
    for i in range(n):
        h = float(rng.uniform())
        x = [0.0] * len(FEATURES)
        x[0] = h
        out.append(Row("a" if i % 2 else "b", x, bool(rng.uniform() < h), True))
    return out


def test_logistic_regression_learns_the_direction_of_a_signal() -> None:
    x = np.linspace(0, 1, 200)[:, None]
    y = (x[:, 0] > 0.5).astype(float)
    w, b = fit_logistic(x, y, l2=0.1)
    assert w[0] > 5 and abs(-b / w[0] - 0.5) < 0.05  # the boundary sits at 0.5


def test_auc_counts_pairs_in_order() -> None:
    assert auc(np.array([0.9, 0.8, 0.1]), np.array([True, True, False])) == 1.0
    assert auc(np.array([0.1, 0.9]), np.array([True, False])) == 0.0
    assert auc(np.array([0.5]), np.array([True])) is None


def test_the_threshold_maximises_right_minus_wrong() -> None:
    probs = np.array([0.9, 0.8, 0.3, 0.2])
    right = np.array([True, True, False, True])
    answerable = np.ones(4, dtype=bool)
    t, u = best_threshold(probs, right, answerable, np.ones(4), wrong_cost=1.0)
    assert t == 0.8 and u == 2.0  # answering the 0.3 one costs 1, the 0.2 one earns it back: a tie stays higher
    t, _u = best_threshold(probs, right, answerable, np.ones(4), wrong_cost=0.5)
    assert t == 0.2  # a cheap mistake is worth the last right answer


def test_cross_validation_picks_from_the_grid_and_calibrate_records_the_fit() -> None:
    data = rows()
    x = np.array([r.x for r in data])
    y = np.array([r.right for r in data])
    assert cross_validated_l2(x, y, np.ones(len(data))) in L2_GRID
    model = calibrate(data, names=["heuristic"], cut_at_heuristic=0.3)
    assert model.features == ("heuristic",) and model.weights[0] > 0
    assert model.threshold == pytest.approx(model.probability({"heuristic": 0.3}))
    assert set(model.fit["sources"]) == {"a", "b"}
    with pytest.raises(ValueError):
        calibrate(data, cut_at_heuristic=0.3)  # needs a model of the heuristic alone


def test_the_stored_model_round_trips(tmp_path) -> None:  # noqa: ANN001
    model = Calibration((2.0,), -1.0, 0.4, {"rows": 3}, ("heuristic",))
    path = model.save(tmp_path / "c.json")
    loaded = load_calibration(path)
    assert loaded == model
    assert load_calibration(tmp_path / "missing.json") is None


def test_an_english_offset_counts_an_english_answer_as_that_much_stronger() -> None:
    model = calibrate(rows(), names=["heuristic"], cut_at_heuristic=0.3, english_offset=0.1)
    assert model.features == ("heuristic", "english") and model.fit["english_offset"] == 0.1
    english = model.probability({"heuristic": 0.22, "english": 1.0})
    assert english == pytest.approx(model.probability({"heuristic": 0.32, "english": 0.0}))
    assert english >= model.threshold > model.probability({"heuristic": 0.22, "english": 0.0})
    with pytest.raises(ValueError):
        calibrate(rows(), names=["coverage"], english_offset=0.1)  # an offset on the hand-set score needs it
    with pytest.raises(ValueError):
        calibrate(rows(), english_offset=0.1)  # ... alone: beside a fitted english weight it would mean nothing


def test_the_cli_refuses_an_offset_or_a_cut_beside_other_inputs_before_it_asks_anything(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Options that need the hand-set score alone are refused at once, not after minutes of asking questions."""
    import qa.evaluation.calibrate as cal

    monkeypatch.setattr(cal, "gather", lambda *a, **k: pytest.fail("asked questions before checking the options"))
    for option in (["--english-offset", "0.1"], ["--cut-at-heuristic", "0.27"]):
        with pytest.raises(SystemExit) as exc:
            cal.main([*option, "--features", "heuristic,english"])
        assert exc.value.code == 2 and "needs --features heuristic" in capsys.readouterr().err


def test_the_shipped_model_cuts_english_answers_lower_than_chinese_ones() -> None:
    model = load_calibration()
    assert model is not None and "english" in model.features
    zh = [h / 100 for h in range(100) if model.probability({"heuristic": h / 100}) >= model.threshold][0]
    en = [h / 100 for h in range(100) if model.probability({"heuristic": h / 100, "english": 1.0}) >= model.threshold]
    assert en[0] < zh
