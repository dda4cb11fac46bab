"""Shared helper package for framing/discourse analysis of Arabic news text.

Stages, one module each, every stage handing the next a tidy pandas DataFrame:

``corpus`` (load + metadata) → ``normalize`` / ``repair`` / ``tokens`` /
``sentences`` / ``quotes`` / ``clitics`` (text) → ``lexicon`` / ``frames``
(frame matching) → ``measures`` (counts, rates, KWIC, collocations, dispersion,
keyness) → ``plotting`` (Arabic-safe charts) → ``report`` (notebook execution and
HTML export).
"""

from analysis.errors import AnalysisError, CorpusError, LexiconError, TextWarning

__all__ = ["AnalysisError", "CorpusError", "LexiconError", "TextWarning"]
__version__ = "0.1.0"
