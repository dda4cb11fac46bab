"""Measured error: the analysis against hand annotation, and a scholar's own validation.

:mod:`~analysis.evaluation.gold` reads the evaluation corpus (ANT articles and
their annotation); :mod:`~analysis.evaluation.metrics` compares the analysis
with it; :mod:`~analysis.evaluation.agreement` measures how far two annotators
agree; :mod:`~analysis.evaluation.coding` samples a scholar's own results for
manual coding and reads the coders' decisions back;
:mod:`~analysis.evaluation.stats` holds the statistics they share.
"""

from __future__ import annotations

from analysis.exports import lazy_exports

_EXPORTS = {
    "Article": "analysis.evaluation.gold",
    "CorpusMissing": "analysis.evaluation.gold",
    "articles": "analysis.evaluation.gold",
    "second_annotation": "analysis.evaluation.gold",
    "errors": "analysis.evaluation.metrics",
    "evaluate": "analysis.evaluation.metrics",
    "scores": "analysis.evaluation.metrics",
    "agreement": "analysis.evaluation.agreement",
    "coding_sheet": "analysis.evaluation.coding",
    "coding_summary": "analysis.evaluation.coding",
    "read_coding": "analysis.evaluation.coding",
    "Validation": "analysis.evaluation.report",
    "validation": "analysis.evaluation.report",
    "nominal_alpha": "analysis.evaluation.stats",
    "wilson": "analysis.evaluation.stats",
}
__all__ = sorted(_EXPORTS)
__getattr__ = lazy_exports(__name__, _EXPORTS)
