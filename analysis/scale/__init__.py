"""A whole corpus: one document, a selection or all, on one core, many, or Dask.

``process_corpus`` streams the metadata table as jobs (:mod:`~analysis.scale.jobs`),
runs the text stage and the matcher on chunks of documents in workers that keep
only counts (:mod:`~analysis.scale.worker`), and folds those into Parquet tables
(:mod:`~analysis.scale.summary`). ``group_frame_rates``, ``group_keyness`` and
``frame_dispersion`` compare groups of documents (:mod:`~analysis.scale.compare`).
"""

from __future__ import annotations

from analysis.exports import lazy_exports

_EXPORTS = {
    "frame_dispersion": "analysis.scale.compare",
    "group_frame_rates": "analysis.scale.compare",
    "group_keyness": "analysis.scale.compare",
    "DocumentJob": "analysis.scale.jobs",
    "iter_jobs": "analysis.scale.jobs",
    "default_workers": "analysis.scale.run",
    "process_corpus": "analysis.scale.run",
    "CorpusSummary": "analysis.scale.summary",
    "ChunkResult": "analysis.scale.worker",
    "Worker": "analysis.scale.worker",
    "summarise_chunk": "analysis.scale.worker",
}
__all__ = sorted(_EXPORTS)
__getattr__ = lazy_exports(__name__, _EXPORTS)
