"""The corpus as a stream of small jobs: one per selected row of the metadata table.

A job carries a file path, never a text, so workers (a process pool, or Dask
workers on other machines that see the same file system) read the files
themselves. The table is read row by row, so a table of millions of rows costs
no memory.
"""

from __future__ import annotations

import csv
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from analysis.corpus.documents import load_file, selected_ids
from analysis.corpus.metadata import METADATA_COLUMNS, read_checked
from analysis.errors import ConfigError, CorpusError
from analysis.paths import METADATA_FILE

if TYPE_CHECKING:
    import pandas as pd

#: Metadata columns kept in the summary's documents table (besides ``doc_id``).
KEPT_METADATA = ("outlet", "date")


@dataclass(frozen=True)
class DocumentJob:
    """What a worker needs to process one document (small and picklable).

    ``seq`` is the row's position in the metadata table (the output order);
    ``group`` is the document's value of the column term counts are summed by.
    """

    seq: int
    doc_id: str
    path: str
    sha256: str
    language: str
    group: str
    kept: tuple[str, ...]  # the KEPT_METADATA values of the row
    where: tuple[str, int]  # metadata table and line, for error messages


def iter_jobs(
    selection: Iterable[str] | pd.DataFrame | None = None,
    metadata: str | Path = METADATA_FILE,
    group_by: str = "outlet",
) -> Iterator[DocumentJob]:
    """One :class:`DocumentJob` per selected row, in table order.

    ``selection``: None (every row), ``doc_id`` values, or a table with a
    ``doc_id`` column. Problems in the table raise :class:`CorpusError` with the
    file and line; a selection naming unknown ids is refused.
    """
    path = Path(metadata)
    folder = os.path.abspath(path.parent)
    wanted = _wanted_ids(selection)
    found: set[str] = set()
    seen: set[str] = set()
    for seq, (line, record) in enumerate(_records(path, group_by)):
        doc_id = record["doc_id"]
        if not doc_id:
            raise CorpusError("empty doc_id", path, line)
        if doc_id in seen:
            raise CorpusError(f"duplicate doc_id {doc_id!r}", path, line)
        seen.add(doc_id)
        if wanted is not None and doc_id not in wanted:
            continue
        found.add(doc_id)
        if not record["file"]:
            raise CorpusError(f"empty file name for {doc_id!r}", path, line)
        yield DocumentJob(
            seq=seq,
            doc_id=doc_id,
            path=os.path.normpath(os.path.join(folder, record["file"])),
            sha256=record["sha256"],
            language=record["language"] or "ar",
            group=doc_id if group_by == "doc_id" else record[group_by],
            kept=tuple(record[c] for c in KEPT_METADATA),
            where=(str(path), line),
        )
    if wanted is not None and wanted - found:
        raise CorpusError(f"selection names unknown doc_id(s) {sorted(wanted - found)[:5]}", path)


def count_selected(selection: Iterable[str] | pd.DataFrame | None, metadata: Path) -> int:
    """How many documents a selection names (for a progress bar)."""
    wanted = _wanted_ids(selection)
    if wanted is not None:
        return len(wanted)
    return sum(1 for _ in _records(Path(metadata), "doc_id"))


def read_job(job: DocumentJob, verify: bool) -> tuple[str, list[str]]:
    """A document's text and its loading warnings.

    The file is read once: checksum and text come from the same bytes. Warnings
    are collected rather than shown: a corpus would flood the output.
    """
    row = {"doc_id": job.doc_id, "file": job.path, "sha256": job.sha256 if verify else ""}
    file, data = read_checked(row, Path("/"), (Path(job.where[0]), job.where[1]))
    document = load_file(file, job.doc_id, job.language, data, warn=False)
    return document.text, [f"{file}: {note}" for note in document.warnings]


def _records(path: Path, group_by: str) -> Iterator[tuple[int, dict[str, str]]]:
    """``(line, stripped row)`` of every row of the metadata table, streamed."""
    try:
        handle = open(path, encoding="utf-8-sig", newline="")
    except FileNotFoundError:
        raise CorpusError("metadata table not found", path) from None
    with handle:
        reader = csv.DictReader(handle)
        names = reader.fieldnames or []
        missing = [c for c in METADATA_COLUMNS if c not in names]
        if missing:
            raise CorpusError(f"missing column(s) {missing}", path, 1)
        if group_by != "doc_id" and group_by not in names:
            raise ConfigError(
                f"group_by column {group_by!r} is not in the metadata table (columns: {names})",
                path,
                1,
            )
        line = 2
        for record in reader:
            if None in record or any(v is None for v in record.values()):
                raise CorpusError("wrong number of fields", path, line)
            yield line, {k: (v or "").strip() for k, v in record.items()}
            line = reader.line_num + 1


def _wanted_ids(selection: Iterable[str] | pd.DataFrame | None) -> set[str] | None:
    ids = selected_ids(selection)
    return None if ids is None else set(ids)
