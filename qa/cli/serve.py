"""`qa serve`: open the web chat (Gradio is imported only when the command runs)."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

from qa.cli.main import add_index_argument
from qa.errors import IndexProblem, InputError

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 7860

EPILOG = """\
examples:
  qa serve                                  chat with ./index on http://127.0.0.1:7860
  qa serve --index /tmp/idx --port 8080
  QA_AUTH=alice:s3cret qa serve --host 0.0.0.0   share on your network, behind a login

Uploaded documents are kept in DIR/documents unless --docs says otherwise (up to 20 MB each).
Removing a document deletes only a copy uploaded through the page; a file you put on disk is kept.
A `qa build` into the same index while the server runs is picked up within seconds, no restart needed.
The server never opens a public share link.
"""


def env_port() -> int:
    """The port from $QA_PORT (default 7860). Read while the parser is built, so a bad value is an InputError
    (one line, exit 2) for every command, like the other QA_* settings, not a ValueError traceback."""
    from qa.errors import InputError

    raw = os.environ.get("QA_PORT")
    if raw is None:
        return DEFAULT_PORT
    try:
        port = int(raw.strip())
    except ValueError:
        port = 0
    if not 0 < port < 65536:
        raise InputError(f"QA_PORT={raw!r} is not a valid value: it must be a whole number from 1 to 65535")
    return port


def add_arguments(p: argparse.ArgumentParser) -> None:
    """The serve options (shared with `python ui.py`)."""
    add_index_argument(p)
    p.add_argument(
        "--docs",
        type=Path,
        default=None,
        metavar="DIR",
        help="where uploaded documents are stored (default: DIR/documents)",
    )
    p.add_argument(
        "--host",
        default=resolve_host(os.environ.get("QA_HOST")),
        help="address to bind (default: %(default)s; 0.0.0.0 exposes the UI to your network)",
    )
    p.add_argument("--port", type=int, default=env_port(), help="port (default: %(default)s, or $QA_PORT)")


def register(subparsers: Any) -> None:
    """Add the `serve` subcommand."""
    p = subparsers.add_parser(
        "serve",
        help="open the web chat",
        epilog=EPILOG,
        description="Serve the chat UI with cited answers and a Documents tab. Set QA_AUTH=user:password "
        "to require a login.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    add_arguments(p)
    p.set_defaults(func=run)


def resolve_host(value: str | None) -> str:
    """The address to bind: `value`, or the default (loopback) when it is unset or blank, as the server itself
    reads a blank name (so QA_HOST="" never claims the UI is reachable from other machines)."""
    return (value or "").strip() or DEFAULT_HOST


def public_warning(host: str, auth: tuple[str, str] | None) -> str | None:
    """A warning to print when `host` is reachable from other machines, else None."""
    from qa.web.state import is_loopback

    if is_loopback(host):
        return None
    msg = f"qa: warning: binding {host} makes the UI reachable from other machines"
    if auth is None:
        msg += "; anyone who can reach it can read and change the index (set QA_AUTH=user:password)"
    return msg


def _index_is_empty(index_dir: Path) -> bool:
    """No build at all yet (a fresh folder, or only the uploads folder)."""
    from qa.index import store

    return store.current_build(index_dir) is None


def run(args: argparse.Namespace) -> int:
    """Load the index once, then serve until interrupted."""
    from qa.web.state import holder_for, parse_auth

    auth = parse_auth(os.environ.get("QA_AUTH"))
    if not 0 < args.port < 65536:
        raise InputError(f"--port must be between 1 and 65535, not {args.port}")
    holder = holder_for(args.index)
    try:
        print(f"qa: loading index {args.index} …", file=sys.stderr)
        holder.get()
    except IndexProblem as exc:
        if not _index_is_empty(args.index):
            raise
        print(f"qa: warning: {exc}; starting anyway, upload documents in the Documents tab", file=sys.stderr)
    args.host = resolve_host(args.host)
    warning = public_warning(args.host, auth)
    if warning:
        print(warning, file=sys.stderr)
    from qa.web.app import create_app, launch_app

    demo = create_app(args.index, args.docs, holder=holder)
    launch_app(demo, host=args.host, port=args.port, auth=auth)
    return 0
