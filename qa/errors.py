"""Errors a user can act on. The CLI maps each to an exit code and a one-line message."""

from __future__ import annotations


class QAError(Exception):
    """Base class: `str(err)` is a one-line message meant for the user."""

    exit_code = 1


class InputError(QAError):
    """Bad usage or bad input (an empty question, an unreadable file). Exit code 2."""

    exit_code = 2


class IndexProblem(QAError):
    """The index folder is missing, stale, mismatched or corrupt. Exit code 3."""

    exit_code = 3


class WriteFailed(QAError):
    """The index could not be written (a full disk, no permission); the previous index is unchanged. Exit code 4."""

    exit_code = 4
