"""The project's own exceptions and warnings.

Every problem with user input (corpus files, metadata, lexicons, notebook
parameters) is reported through one of these classes, with a message that names
the file (and line, where there is one) and says what is wrong. Callers can catch
:class:`AnalysisError` to handle all of them; nothing else should escape from the
public API on bad input.
"""

from __future__ import annotations

from pathlib import Path


class AnalysisError(Exception):
    """Base class for every documented error raised on bad input."""

    def __init__(self, message: str, path: str | Path | None = None, line: int | None = None):
        self.path = None if path is None else str(path)
        self.line = line
        where = ""
        if self.path is not None:
            where = self.path if line is None else f"{self.path}, line {line}"
            where += ": "
        super().__init__(where + message)


class CorpusError(AnalysisError):
    """A corpus file or the metadata table cannot be used as it is."""


class LexiconError(AnalysisError):
    """A lexicon or word-list file is malformed."""


class ConfigError(AnalysisError):
    """A configuration file or notebook parameter is invalid."""


class TextWarning(UserWarning):
    """A documented repair was applied to input text (encoding, controls, …)."""


_LAST: list[BaseException] = []


def show_short_errors() -> None:
    """In a Jupyter kernel, show the project's errors as one line instead of a traceback.

    A lexicon mistake then reads ``LexiconError: lexicons/frame_terms.csv, line 12:
    …`` with a hint to :func:`full_traceback`, not 40 lines of library frames. Does
    nothing outside IPython (and never imports it).
    """
    import sys

    ipython = sys.modules.get("IPython")
    shell = ipython.get_ipython() if ipython is not None else None
    if shell is not None:
        shell.set_custom_exc((AnalysisError,), _short_error)


def full_traceback() -> None:
    """Print the full traceback of the last project error shown short in this kernel."""
    import traceback

    if _LAST:
        traceback.print_exception(_LAST[-1])
    else:
        print("no project error has been shown in this kernel")


def _short_error(shell, etype, value, tb, tb_offset=None) -> None:  # noqa: ANN001
    """IPython's custom exception handler: show two lines instead of the traceback.

    IPython ignores the handler's return value for errors raised while a cell
    runs, so the lines are sent to the front end here, as IPython sends its own.
    """
    _LAST[:] = [value]
    lines = [
        f"{etype.__name__}: {value}",
        "(the full traceback: from analysis.errors import full_traceback; full_traceback())",
    ]
    shell._showtraceback(etype, value, lines)
