"""Loading documents: one by id or path, or a selection streamed one at a time.

Each file is read once: its checksum (when its metadata row has one) is verified
and its text decoded from the same bytes (:mod:`analysis.corpus.files`,
:mod:`analysis.corpus.decode`), whichever way it is loaded: by ``doc_id``, by a
selection, or by the path of a file the metadata table registers.
"""

from __future__ import annotations

import os
import warnings
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from analysis.corpus.decode import decode_bytes, refuse_unusable
from analysis.corpus.files import FileProblem, read_file
from analysis.corpus.metadata import metadata_rows, read_checked
from analysis.corpus.visual import to_reading_order
from analysis.errors import CorpusError, TextWarning
from analysis.paths import METADATA_FILE
from analysis.text.normalize import describe_repairs

if TYPE_CHECKING:
    import pandas as pd


@dataclass
class Document:
    """One loaded article.

    ``text`` is the file decoded to ``str`` with a leading BOM removed and nothing
    else changed, except that text in visual order (copied from a PDF) is put in
    reading order, with a warning (:mod:`analysis.corpus.visual`): every offset in
    every table points into ``text``.
    """

    doc_id: str
    path: Path
    text: str
    encoding: str
    warnings: list[str] = field(default_factory=list)


def load_file(
    path: Path, doc_id: str, language: str = "ar", data: bytes | None = None, warn: bool = True
) -> Document:
    """A document from its file: decoded, checked, put in reading order, repairs warned about.

    ``data``: the file's bytes when the caller has read (and verified) them
    already; each file is read once, for its checksum and its text.
    ``language`` is the metadata row's: only ``"ar"`` documents must be mostly
    Arabic letters (:func:`~analysis.corpus.decode.refuse_unusable`). With ``warn``
    false the repairs are only listed in :attr:`Document.warnings` (a corpus run
    summarises them).
    """
    if data is None:
        try:
            data = read_file(path)
        except FileProblem as problem:
            reason = "file not found" if problem.reason == "not found" else problem.reason
            raise CorpusError(reason, path) from None
    text, encoding, notes = decode_bytes(data, path)
    refuse_unusable(text, path, language, encoding)
    text, reordered = to_reading_order(text, path)
    notes += reordered + describe_repairs(text)
    for note in notes if warn else ():
        warnings.warn(f"{path}: {note}", TextWarning, stacklevel=3)
    return Document(doc_id=doc_id, path=path, text=text, encoding=encoding, warnings=notes)


def _registered_row(path: Path, metadata: Path) -> tuple[int, dict[str, str]] | None:
    """The metadata row that registers the file ``path``, if it lies in the table's folder."""
    if not metadata.is_file() or not path.exists():
        return None
    if not path.resolve().is_relative_to(metadata.parent.resolve()):
        return None
    for line, row in metadata_rows(metadata):
        candidate = metadata.parent / row["file"]
        if candidate.exists() and os.path.samefile(candidate, path):
            return line, row
    return None


def _load_path(path: Path, metadata: Path) -> Document:
    """A document by file path, verified against its metadata row if it has one."""
    registered = _registered_row(path, metadata)
    if registered is None:
        return load_file(path, path.stem)
    line, row = registered
    file, data = read_checked(row, metadata.parent, (metadata, line))
    return load_file(path, row["doc_id"], row["language"] or "ar", data)


def load_document(doc_id_or_path: str | Path, metadata: str | Path = METADATA_FILE) -> Document:
    """Load one document by its ``doc_id`` in the metadata table, or by file path.

    A ``Path``, or a string naming something that exists and is not a folder
    (a file, or a pipe or device, which is refused as such), is read directly.
    If the metadata table, in the same folder, registers that file, the file is
    checked against the row's sha256 and takes the row's ``doc_id``; otherwise its
    ``doc_id`` is the file name without extension. Anything else is looked up as
    a ``doc_id`` in ``metadata`` and the file's sha256 is checked.
    """
    metadata = Path(metadata)
    candidate = Path(doc_id_or_path)
    if isinstance(doc_id_or_path, Path) or (candidate.exists() and not candidate.is_dir()):
        return _load_path(candidate, metadata)
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
    with a ``doc_id`` column (such as a subset of :func:`read_metadata`'s). A
    selection that names a document more than once is refused: counting it once
    or twice would both be a silent choice.
    """
    if selection is None:
        return None
    if isinstance(selection, str):
        return [selection]
    if hasattr(selection, "columns"):
        if "doc_id" not in selection.columns:
            raise CorpusError("a selection table needs a doc_id column")
        ids = [str(d) for d in selection["doc_id"]]
    else:
        ids = [str(d) for d in selection]
    repeated = sorted(d for d, n in Counter(ids).items() if n > 1)
    if repeated:
        raise CorpusError(f"the selection names {repeated} more than once; name each document once")
    return ids
