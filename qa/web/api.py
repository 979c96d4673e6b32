"""The JSON API beside the chat: `POST /api/ask` answers as `qa ask --json` prints, behind the chat's login.

Body: {"question": str, "docs"?: [names], "k"?: int, "history"?: [earlier questions, oldest first]}; a history
item may also be an object with a "question" (what the API returned for that turn, as is). Answers:
200 with the answer's JSON; 400 {"error"} for a bad request; 401 {"error"} without the login when the server
has one (HTTP Basic credentials, or the chat's login cookie); 503 {"error"} when no index is loaded.
Document names are matched against the index as it is now, so a document uploaded a minute ago can be named.
"""

from __future__ import annotations

import base64
import hmac
import logging
from collections.abc import Sequence
from typing import Any

from fastapi import Request  # resolved by FastAPI from this module's names (imported only when a server starts)
from fastapi.responses import JSONResponse

from qa.errors import IndexProblem, InputError, QAError
from qa.web.state import AssistantHolder

log = logging.getLogger(__name__)

ROUTE = "/api/ask"
MAX_HISTORY = 20  # earlier questions read (a follow-up looks back a few turns at most)


def parse_request(body: Any) -> tuple[str, list[str] | None, int | None, list[str]]:
    """(question, docs, k, history) from a request body; InputError naming what is wrong."""
    if not isinstance(body, dict):
        raise InputError('the body must be a JSON object such as {"question": "提案立案了多少件？"}')
    unknown = sorted(set(body) - {"question", "docs", "k", "history"})
    if unknown:
        raise InputError(f"unknown field(s) {', '.join(map(repr, unknown))}: use question, docs, k, history")
    question = body.get("question")
    if not isinstance(question, str):
        raise InputError('"question" is required and must be text')
    docs = body.get("docs")
    if docs is not None and (not isinstance(docs, list) or not all(isinstance(d, str) and d.strip() for d in docs)):
        raise InputError('"docs" must be a list of document names (file names or parts of titles)')
    k = body.get("k")
    if k is not None and (isinstance(k, bool) or not isinstance(k, int) or k < 1):
        raise InputError('"k" must be a whole number of at least 1')
    return question, docs or None, k, _history(body.get("history"))


def _history(value: Any) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise InputError('"history" must be a list of the earlier questions, oldest first')
    out: list[str] = []
    for item in value[-MAX_HISTORY:]:
        q = item.get("question") if isinstance(item, dict) else item
        if not isinstance(q, str):
            raise InputError('each "history" item must be a question (text) or an object with a "question"')
        if q.strip():
            out.append(q)
    return out


def answer_json(holder: AssistantHolder, body: Any) -> tuple[int, dict[str, Any]]:
    """The status code and JSON of one API request."""
    try:
        question, docs, k, history = parse_request(body)
        holder.check_for_update()
        assistant = holder.get()
        return 200, assistant.ask(question, k=k, docs=docs, history=history).to_dict()
    except IndexProblem as exc:
        return 503, {"error": str(exc)}
    except InputError as exc:
        return 400, {"error": str(exc)}
    except QAError as exc:
        return 500, {"error": str(exc)}


def authorised(headers: Any, cookies: Any, auth: tuple[str, str] | None, app: Any) -> bool:
    """True without a login, or with the login's HTTP Basic credentials, or with the chat's login cookie."""
    if auth is None:
        return True
    header = headers.get("authorization", "")
    if header.lower().startswith("basic "):
        try:
            user, _, password = base64.b64decode(header[6:].strip()).decode("utf-8").partition(":")
        except (ValueError, UnicodeDecodeError):
            return False
        return hmac.compare_digest(user, auth[0]) and hmac.compare_digest(password, auth[1])
    cookie_id = getattr(app, "cookie_id", None)
    tokens = getattr(app, "tokens", None) or {}
    for name in (f"access-token-{cookie_id}", f"access-token-unsecure-{cookie_id}"):
        token = cookies.get(name)
        if cookie_id and token and tokens.get(token):
            return True
    return False


def add_api(app: Any, holder: AssistantHolder, auth: tuple[str, str] | None) -> None:
    """Add `POST /api/ask` to the running Gradio (FastAPI) app, ahead of Gradio's own routes."""
    import asyncio

    async def ask(request: Request) -> JSONResponse:
        if not authorised(request.headers, request.cookies, auth, app):
            return JSONResponse(
                {"error": "login required: send the server's QA_AUTH user and password (HTTP Basic)"},
                status_code=401,
                headers={"WWW-Authenticate": 'Basic realm="qa"'},
            )
        try:
            body = await request.json()
        except ValueError:
            return JSONResponse({"error": "the body is not valid JSON"}, status_code=400)
        status, data = await asyncio.to_thread(answer_json, holder, body)
        return JSONResponse(data, status_code=status)

    app.add_api_route(ROUTE, ask, methods=["POST"], include_in_schema=False)
    routes: Sequence[Any] = app.router.routes
    ours = routes[-1]
    app.router.routes.remove(ours)
    app.router.routes.insert(0, ours)
