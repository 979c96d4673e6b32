"""A conversation over the bundled report: follow-ups are answered as the questions they mean, through the library,
`qa ask --session` and the JSON API (`POST /api/ask`, with and without the login)."""

from __future__ import annotations

import base64
import json
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from conftest import run_cli, served

from qa.assistant import Assistant
from qa.evaluation.metrics import answer_correct

DIALOGUE = (
    ("全年开展了多少次专题学习？", [["32次", "32"]]),
    ("那交流研讨呢？", [["8次", "8"]]),  # the subject left out
    ("它们分别是多少次？", [["32次", "32"], ["8次", "8"]]),  # a plural pronoun: both earlier topics
)


def right(answer: str, parts: list[list[str]]) -> bool:
    return all(answer_correct(answer, p) for p in parts)


def test_a_three_turn_dialogue_is_answered_right(report_index: Path) -> None:
    assistant = Assistant.load(report_index)
    history: list[str] = []
    for question, expected in DIALOGUE:
        ans = assistant.ask(question, history=history)
        assert right(ans.answer, expected), (question, ans.answer, ans.read_as)
        assert bool(ans.read_as) == bool(history)  # a follow-up says how it was read; the first question does not
        history.append(question)
    alone = assistant.ask(DIALOGUE[2][0])  # without the conversation, "they" is nothing to count
    assert not right(alone.answer, DIALOGUE[2][1])


def test_a_session_file_carries_the_conversation(report_index: Path, tmp_path: Path, capsys) -> None:
    session = tmp_path / "chat.json"
    answers = []
    for question, _expected in DIALOGUE:
        rc, out, err = run_cli(
            capsys, "ask", question, "--index", str(report_index), "--session", str(session), "--json"
        )
        assert rc == 0, err
        answers.append(json.loads(out))
    assert [right(a["answer"], e) for a, (_q, e) in zip(answers, DIALOGUE, strict=True)] == [True, True, True]
    assert answers[1]["read_as"] and answers[0]["read_as"] is None
    assert json.loads(session.read_text(encoding="utf-8"))["questions"] == [q for q, _e in DIALOGUE]
    session.write_text("not json", encoding="utf-8")
    rc, _out, err = run_cli(capsys, "ask", "那交流研讨呢？", "--index", str(report_index), "--session", str(session))
    assert rc == 2 and "session file" in err and session.read_text(encoding="utf-8") == "not json"


def post(base: str, body: object, user: str | None = None) -> tuple[int, dict]:
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    req = urllib.request.Request(f"{base}/api/ask", data=data, headers={"Content-Type": "application/json"})
    if user:
        req.add_header("Authorization", "Basic " + base64.b64encode(user.encode()).decode())
    try:
        with urllib.request.urlopen(req, timeout=60) as r:
            return r.status, json.loads(r.read())
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read())


@pytest.mark.slow
def test_the_api_answers_a_dialogue_behind_the_login(report_index: Path) -> None:
    with served(report_index, auth=("alice", "s3cret")) as base:
        assert post(base, {"question": DIALOGUE[0][0]})[0] == 401
        assert post(base, {"question": DIALOGUE[0][0]}, "alice:wrong")[0] == 401
        history: list[object] = []
        for question, expected in DIALOGUE:
            status, ans = post(base, {"question": question, "history": history, "k": 5}, "alice:s3cret")
            assert status == 200 and right(ans["answer"], expected), (question, ans)
            assert set(ans) >= {"answer", "abstained", "citations", "confidence", "uncertain", "read_as"}
            history.append(ans)  # what the API returned, as is, is a valid history item
        status, ans = post(base, {"question": "提案立案了多少件？", "docs": ["xixia"]}, "alice:s3cret")
        assert status == 200 and "41" in ans["answer"]
        assert post(base, {"question": "提案立案了多少件？", "docs": ["nope.txt"]}, "alice:s3cret")[0] == 400
        assert post(base, {"question": ""}, "alice:s3cret")[0] == 400
        assert post(base, {"question": "x", "colour": "red"}, "alice:s3cret")[0] == 400
        assert post(base, b"{not json", "alice:s3cret")[0] == 400


@pytest.mark.slow
def test_the_api_is_open_without_a_login(report_index: Path) -> None:
    with served(report_index) as base:
        status, ans = post(base, {"question": "How many proposals were filed?"})
        assert status == 200 and "41" in ans["answer"] and ans["lang"] == "en"
