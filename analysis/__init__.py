"""Framing and discourse analysis of Arabic news text: the package behind the notebooks.

The stages, each a sub-package:

``corpus`` (files, metadata, importers) → ``text`` (the rules: normalize,
tokenize, clitics, repair, sentences, quotes) → ``engine`` (the rules run fast
over batches: vocabulary of word types, tables) → ``lexicon`` (frame and actor
lexicons, matching, coverage) → ``measures`` (counts, rates, KWIC, collocations,
dispersion, keyness) → ``charts`` → ``report`` (notebooks executed and exported
as HTML). ``scale`` runs the same stages over large corpora in parallel;
``evaluation`` measures the analysis against hand annotation; ``study`` is the
notebooks' façade.

In a Jupyter kernel, importing the package makes the project's own errors (bad
corpus file, lexicon mistake, wrong parameter) show as one short message naming
the file, line and problem (:func:`analysis.errors.show_short_errors`).
"""

from analysis.errors import (
    AnalysisError,
    CorpusError,
    LexiconError,
    TextWarning,
    show_short_errors,
)

__all__ = ["AnalysisError", "CorpusError", "LexiconError", "TextWarning"]
__version__ = "0.1.0"

show_short_errors()
