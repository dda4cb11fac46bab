"""The input: documents and their metadata, read-only, with clear errors.

``read_metadata`` reads and checks the metadata table; ``load_document`` and
``iter_documents`` load texts (decoded and checked by :mod:`analysis.corpus.decode`).
"""

from __future__ import annotations

from analysis.corpus.decode import check_text, decode_bytes, refuse_unusable
from analysis.corpus.documents import Document, iter_documents, load_document, load_file
from analysis.corpus.metadata import METADATA_COLUMNS, doc_slug, read_metadata
from analysis.corpus.visual import to_reading_order

__all__ = [
    "METADATA_COLUMNS",
    "Document",
    "check_text",
    "decode_bytes",
    "doc_slug",
    "iter_documents",
    "load_document",
    "load_file",
    "read_metadata",
    "refuse_unusable",
    "to_reading_order",
]
