"""Running the text stage: over pairs of ids and texts, one text, a document, a corpus."""

from __future__ import annotations

import warnings
from collections.abc import Iterable, Iterator
from pathlib import Path

import pandas as pd

from analysis.corpus import iter_documents, load_document
from analysis.engine.batch import Batch, analyse_batch
from analysis.engine.tables import TextTables, text_tables
from analysis.engine.vocabulary import Vocabulary
from analysis.errors import TextWarning
from analysis.paths import METADATA_FILE
from analysis.text.normalize import describe_repairs

BATCH_SIZE = 200


def iter_batches(
    items: Iterable[tuple[str, str]], vocabulary: Vocabulary, batch_size: int = BATCH_SIZE
) -> Iterator[Batch]:
    """The text stage on ``(doc_id, text)`` pairs, ``batch_size`` documents at a time."""
    pending: list[tuple[str, str]] = []
    for item in items:
        pending.append(item)
        if len(pending) >= batch_size:
            yield analyse_batch(pending, vocabulary)
            pending = []
    if pending:
        yield analyse_batch(pending, vocabulary)


def analyse_texts(
    items: Iterable[tuple[str, str]],
    vocabulary: Vocabulary | None = None,
    batch_size: int = BATCH_SIZE,
) -> TextTables:
    """The text stage's tables for ``(doc_id, text)`` pairs (texts as read, BOM removed)."""
    vocabulary = Vocabulary() if vocabulary is None else vocabulary
    return text_tables(list(iter_batches(items, vocabulary, batch_size)), vocabulary)


def analyse_text(
    text: str, doc_id: str = "doc", vocabulary: Vocabulary | None = None, warn: bool = True
) -> TextTables:
    """The text stage on one text.

    With ``warn``, invisible or unusual characters that normalization repairs are
    reported as :class:`~analysis.errors.TextWarning` naming ``doc_id``.
    """
    if warn:
        for message in describe_repairs(text):
            warnings.warn(f"{doc_id}: {message}", TextWarning, stacklevel=2)
    return analyse_texts([(doc_id, text)], vocabulary)


def analyse_document(
    doc_id_or_path: str | Path, vocabulary: Vocabulary | None = None
) -> TextTables:
    """Load a document (by ``doc_id`` or path) and run the text stage on it.

    Loading already warns about repairs, naming the file.
    """
    document = load_document(doc_id_or_path)
    return analyse_text(document.text, document.doc_id, vocabulary, warn=False)


def analyse_corpus(
    selection: Iterable[str] | pd.DataFrame | None = None,
    metadata: str | Path = METADATA_FILE,
    vocabulary: Vocabulary | None = None,
) -> TextTables:
    """The text stage on the documents of a metadata table (all, or a selection), streamed."""
    documents = iter_documents(selection, metadata)
    return analyse_texts(((d.doc_id, d.text) for d in documents), vocabulary)
