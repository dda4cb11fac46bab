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
