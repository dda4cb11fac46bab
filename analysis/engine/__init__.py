"""How the text rules of :mod:`analysis.text` run over many documents, fast.

``analyse_texts`` and ``analyse_text`` give the tidy tables of
:mod:`analysis.engine.tables`; ``iter_batches`` gives the per-batch arrays that
the corpus-scale path counts from. A :class:`Vocabulary` holds the word types
seen so far; pass one to share it between calls, or let each call make its own.
"""

from __future__ import annotations

from analysis.exports import lazy_exports

_EXPORTS = {
    "Batch": "analysis.engine.batch",
    "analyse_batch": "analysis.engine.batch",
    "TextTables": "analysis.engine.tables",
    "Vocabulary": "analysis.engine.vocabulary",
    "analyse_corpus": "analysis.engine.run",
    "analyse_document": "analysis.engine.run",
    "analyse_text": "analysis.engine.run",
    "analyse_texts": "analysis.engine.run",
    "iter_batches": "analysis.engine.run",
}
__all__ = sorted(_EXPORTS)
__getattr__ = lazy_exports(__name__, _EXPORTS)
