"""Loading documents: one by id or path, or a selection streamed one at a time.

Each file is read once: its checksum is verified and its text decoded from the
same bytes (:mod:`analysis.corpus.decode`).
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from analysis.corpus.decode import check_text, decode_bytes
from analysis.corpus.metadata import metadata_rows, read_checked
from analysis.errors import CorpusError, TextWarning
from analysis.paths import METADATA_FILE

if TYPE_CHECKING:
    import pandas as pd


@dataclass
class Document:
    """One loaded article.

    ``text`` is the file decoded to ``str`` with a leading BOM removed and nothing
    else changed: every offset in every table points into it.
    """

    doc_id: str
    path: Path
    text: str
    encoding: str
    warnings: list[str] = field(default_factory=list)


def load_file(
    path: Path, doc_id: str, language: str = "ar", data: bytes | None = None, warn: bool = True
) -> Document:
    """A document from its file: decoded, checked, repairs warned about.

    ``data``: the file's bytes when the caller has read them already (the
    corpus-scale path reads each file once, for its checksum and its text).
    ``language`` is the metadata row's: only ``"ar"`` documents must be mostly
    Arabic letters (:func:`check_text`). With ``warn`` false the repairs are only
    listed in :attr:`Document.warnings` (a corpus run summarises them).
    """
    if data is None:
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            raise CorpusError("file not found", path) from None
        except OSError as exc:
            raise CorpusError(f"cannot be read ({exc.strerror})", path) from None
    text, encoding, notes = decode_bytes(data, path)
    notes += check_text(text, path, language)
    for note in notes if warn else ():
        warnings.warn(f"{path}: {note}", TextWarning, stacklevel=3)
    return Document(doc_id=doc_id, path=path, text=text, encoding=encoding, warnings=notes)


def load_document(doc_id_or_path: str | Path, metadata: str | Path = METADATA_FILE) -> Document:
    """Load one document by its ``doc_id`` in the metadata table, or by file path.

    A ``Path``, or a string naming an existing file, is read directly (its
    ``doc_id`` is the file name without extension); anything else is looked up
    in ``metadata`` and the file's sha256 is checked.
    """
    candidate = Path(doc_id_or_path)
    if isinstance(doc_id_or_path, Path) or candidate.is_file():
        return load_file(candidate, candidate.stem)
    metadata = Path(metadata)
    for line, row in metadata_rows(metadata):
        if row["doc_id"] == str(doc_id_or_path):
            file, data = read_checked(row, metadata.parent, (metadata, line))
            return load_file(file, row["doc_id"], row["language"] or "ar", data)
    raise CorpusError(
        f"no document {str(doc_id_or_path)!r}: not a file and not a doc_id in the table",
        metadata,
    )


def iter_documents(
    selection: Iterable[str] | pd.DataFrame | None = None,
    metadata: str | Path = METADATA_FILE,
) -> Iterator[Document]:
    """Yield documents one at a time (streaming: only one text is in memory).

    ``selection`` is ``None`` (every row of the metadata table, in table order), an
    iterable of ``doc_id`` values, or a subset of :func:`read_metadata`'s frame.
    """
    metadata = Path(metadata)
    rows = metadata_rows(metadata)
    wanted = selected_ids(selection)
    if wanted is None:
        wanted = [row["doc_id"] for _, row in rows]
    by_id = {row["doc_id"]: (line, row) for line, row in rows}
    for doc_id in wanted:
        if doc_id not in by_id:
            raise CorpusError(f"selection names unknown doc_id {doc_id!r}", metadata)
        line, row = by_id[doc_id]
        file, data = read_checked(row, metadata.parent, (metadata, line))
        yield load_file(file, doc_id, row["language"] or "ar", data)


def selected_ids(selection: Iterable[str] | pd.DataFrame | None) -> list[str] | None:
    """The ``doc_id`` values a selection names (None: every document).

    A selection is None, an iterable of ids, one id as a string, or a table
    with a ``doc_id`` column (such as a subset of :func:`read_metadata`'s).
    """
    if selection is None:
        return None
    if isinstance(selection, str):
        return [selection]
    if hasattr(selection, "columns"):
        if "doc_id" not in selection.columns:
            raise CorpusError("a selection table needs a doc_id column")
        return [str(d) for d in selection["doc_id"]]
    return [str(d) for d in selection]
