"""Web chat for qa: `python ui.py [--index DIR] [--host H] [--port P]` (same as `qa serve`).

`create_app(index_dir)` returns the Gradio Blocks; the logic lives in qa.web (app, render, documents, state).
"""

from __future__ import annotations

import argparse
import sys

from qa.errors import QAError
from qa.web.app import create_app, launch_app

__all__ = ["create_app", "launch_app", "main"]


def main(argv: list[str] | None = None) -> int:
    from qa.cli.serve import EPILOG, add_arguments, run

    parser = argparse.ArgumentParser(
        prog="ui.py",
        description="Serve the qa web chat.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    try:
        add_arguments(parser)  # reads QA_* defaults: a bad value is one line, exit 2
    except QAError as err:
        print(f"ui.py: error: {err}", file=sys.stderr)
        return err.exit_code
    args = parser.parse_args(argv)
    try:
        return run(args)
    except QAError as err:
        print(f"ui.py: {err}", file=sys.stderr)
        return err.exit_code
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
