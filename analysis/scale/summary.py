"""The reduced result of a corpus run, written to Parquet as the chunks arrive.

A :class:`Reducer` takes the workers' chunks in any order. Per-document rows go
straight to Parquet files in the output folder (``parts/``), so the process
running the corpus holds no per-document table; what stays in memory grows with
the vocabulary, not the corpus: hits per lexicon entry and group, and word
tokens per (group, word form) as integer arrays. At the end the tables are
sorted into metadata order and written as ``documents.parquet``,
``frame_counts.parquet``, ``term_hits.parquet`` and ``term_counts.parquet``,
which :meth:`CorpusSummary.read` reads back: the same whatever the backend or
the order in which documents finished.
"""

from __future__ import annotations

import json
import shutil
from collections import Counter
from dataclasses import dataclass, field
from itertools import repeat
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from analysis.scale.jobs import KEPT_METADATA
from analysis.scale.worker import COUNT_COLUMNS, ChunkResult

TABLES = ("documents", "frame_counts", "term_hits", "term_counts")
DOCUMENT_SCHEMA = pa.schema(
    [("doc_id", pa.string()), *((c, pa.string()) for c in KEPT_METADATA),
     *((c, pa.int64()) for c in COUNT_COLUMNS)]
)  # fmt: skip
FRAME_SCHEMA = pa.schema(
    [("doc_id", pa.string()), ("frame", pa.string()), ("voice", pa.string()), ("n", pa.int64())]
)


@dataclass
class CorpusSummary:
    """Tidy tables reduced from every processed document, kept as Parquet in ``folder``.

    ``documents``: one row per document in metadata order: ``doc_id``, ``outlet``,
    ``date`` and the counts ``n_chars`` (characters of the text), ``n_tokens``,
    ``n_words`` (tokens of kind ``word``, the denominator of every rate),
    ``n_sentences``, ``n_quotes``, ``n_repairs`` (not vetoed), ``n_hits``,
    ``n_text_warnings`` (repairs made on loading). ``frame_counts``: ``doc_id,
    frame, voice, n`` (n > 0). ``term_hits``: ``<group_by>, frame, term, entry_id,
    voice, n``. ``term_counts``: ``<group_by>, term, n``: word tokens per word
    form (the ``term_form`` column of the word types, ``bare`` by default).

    Each table is read from its Parquet file the first time it is used, so a run
    over a large corpus never holds all four at once.
    """

    folder: Path
    group_by: str
    term_form: str | None
    backend: str = ""
    _tables: dict[str, pd.DataFrame] = field(default_factory=dict, repr=False, compare=False)

    @property
    def documents(self) -> pd.DataFrame:
        """One row per document (class docstring)."""
        return self.table("documents")

    @property
    def frame_counts(self) -> pd.DataFrame:
        """Hits per document, frame and voice."""
        return self.table("frame_counts")

    @property
    def term_hits(self) -> pd.DataFrame:
        """Hits per group and lexicon entry."""
        return self.table("term_hits")

    @property
    def term_counts(self) -> pd.DataFrame:
        """Word tokens per group and word form."""
        return self.table("term_counts")

    def table(self, name: str) -> pd.DataFrame:
        """One of ``TABLES``, read from the folder once."""
        if name not in self._tables:
            self._tables[name] = pq.read_table(self.folder / f"{name}.parquet").to_pandas()
        return self._tables[name]

    def equals(self, other: CorpusSummary) -> bool:
        """True if every table is identical (values and dtypes) to ``other``'s."""
        return all(getattr(self, t).equals(getattr(other, t)) for t in TABLES) and (
            self.group_by,
            self.term_form,
        ) == (other.group_by, other.term_form)

    @classmethod
    def read(cls, folder: str | Path) -> CorpusSummary:
        """The summary a run wrote to ``folder``."""
        folder = Path(folder)
        about = json.loads((folder / "summary.json").read_text(encoding="utf-8"))
        return cls(folder=folder, **about)


class Reducer:
    """Fold chunk results into the summary's tables (see the module docstring)."""

    def __init__(self, folder: Path, group_by: str) -> None:
        self.folder = Path(folder)
        self.group_by = group_by
        shutil.rmtree(self.folder / "parts", ignore_errors=True)
        (self.folder / "parts").mkdir(parents=True, exist_ok=True)
        self.writers: dict[str, pq.ParquetWriter] = {}
        self.term_hits: Counter = Counter()
        self.terms = _Totals()
        self.warned = 0
        self.first_warning: tuple[int, str] | None = None
        self.n_documents = 0

    def add(self, chunk: ChunkResult) -> None:
        """Fold one chunk in; it can be dropped afterwards."""
        self.n_documents += len(chunk.documents)
        rows = []
        for seq, doc_id, _group, kept, *counts, note in chunk.documents:
            rows.append((seq, doc_id, *kept, *counts))
            if note:
                self.warned += 1
                if self.first_warning is None or seq < self.first_warning[0]:
                    self.first_warning = (seq, note)
        self._append("documents", rows, ["seq", "doc_id", *KEPT_METADATA, *COUNT_COLUMNS])
        self._append("frame_counts", chunk.frame_counts, ["seq", "doc_id", "frame", "voice", "n"])
        for *key, n in chunk.term_hits:
            self.term_hits[tuple(key)] += n
        if chunk.term_counts:
            self.terms.add(chunk.term_counts)

    def result(self, term_form: str | None, backend: str) -> CorpusSummary:
        """Write the sorted tables to the folder, one at a time, and return the summary.

        Each table is written as soon as it is made and the structures it came
        from are freed; the summary reads them back when they are used.
        """
        for writer in self.writers.values():
            writer.close()
        g = self.group_by
        self._write_part("documents", ["seq"], DOCUMENT_SCHEMA)
        self._write_part("frame_counts", ["seq", "frame", "voice"], FRAME_SCHEMA)
        term_hits = pd.DataFrame(
            [(*k, n) for k, n in self.term_hits.items()],
            columns=[g, "frame", "term", "entry_id", "voice", "n"],
        ).sort_values([g, "frame", "term", "entry_id", "voice"], ignore_index=True)
        _typed(term_hits).to_parquet(self.folder / "term_hits.parquet", index=False)
        self.term_hits = Counter()
        pq.write_table(self.terms.table(g), self.folder / "term_counts.parquet")
        self.terms = _Totals()
        about = {"group_by": g, "term_form": term_form, "backend": backend}
        (self.folder / "summary.json").write_text(json.dumps(about), encoding="utf-8")
        shutil.rmtree(self.folder / "parts", ignore_errors=True)
        return CorpusSummary(folder=self.folder, **about)

    def _append(self, name: str, rows: list[tuple], columns: list[str]) -> None:
        """Write rows to the table's part file (opened on the first rows)."""
        if not rows:
            return
        batch = pa.Table.from_arrays([pa.array(c) for c in zip(*rows, strict=True)], names=columns)
        writer = self.writers.get(name)
        if writer is None:
            writer = self.writers[name] = pq.ParquetWriter(
                self.folder / "parts" / f"{name}.parquet", batch.schema
            )
        writer.write_table(batch.cast(writer.schema))

    def _write_part(self, name: str, keys: list[str], schema: pa.Schema) -> None:
        """Write a table from its part file in metadata order, one chunk at a time.

        Each chunk of documents was written as one row group, its rows in
        metadata order (``seq``) and covering a run of consecutive ``seq``; the
        row groups are taken in the order of their first ``seq`` and sorted by
        ``keys`` each, so the whole table is never in memory.
        """
        path = self.folder / "parts" / f"{name}.parquet"
        target = self.folder / f"{name}.parquet"
        if not path.exists():
            pq.write_table(schema.empty_table(), target)
            return
        part = pq.ParquetFile(path)
        firsts = [part.read_row_group(k, columns=["seq"])["seq"][0].as_py()
                  for k in range(part.num_row_groups)]  # fmt: skip
        with pq.ParquetWriter(target, schema) as writer:
            for k in sorted(range(part.num_row_groups), key=firsts.__getitem__):
                group = part.read_row_group(k).sort_by([(key, "ascending") for key in keys])
                writer.write_table(group.drop_columns(["seq"]).cast(schema))


class _Totals:
    """Word tokens per (group, word form), as integer codes: 16 bytes per distinct pair.

    Forms and groups get integer codes on arrival (a dictionary look-up per row,
    run in C by ``map``); new rows wait in a buffer and are merged once they are
    as many as the totals (or 64k rows), so merging costs a constant amount per
    row on average and memory grows with the distinct pairs, not the corpus.
    """

    def __init__(self) -> None:
        self.forms: dict[str, int] = {}
        self.groups: dict[str, int] = {}
        self.keys = np.zeros(0, dtype=np.int64)  # group code * 2**32 + form code, distinct
        self.n = np.zeros(0, dtype=np.int64)
        self.pending: list[tuple[np.ndarray, np.ndarray]] = []
        self.pending_rows = 0

    def add(self, columns: tuple[list, list, list]) -> None:
        """Add the rows of three columns: groups, word forms, counts (a pair may recur)."""
        groups, forms, n = columns
        keys = (_codes(self.groups, groups) << 32) + _codes(self.forms, forms)
        self.pending.append((keys, np.asarray(n, dtype=np.int64)))
        self.pending_rows += len(forms)
        if self.pending_rows >= max(1 << 16, len(self.keys)):
            self._merge()

    def _merge(self) -> None:
        keys = np.concatenate([self.keys, *(k for k, _ in self.pending)])
        n = np.concatenate([self.n, *(c for _, c in self.pending)])
        self.keys, inverse = np.unique(keys, return_inverse=True)
        self.n = np.bincount(inverse, weights=n, minlength=len(self.keys)).astype(np.int64)
        self.pending, self.pending_rows = [], 0

    def table(self, group_by: str) -> pa.Table:
        """The totals as ``<group_by>, term, n``, sorted by group and form.

        Sorted by the ranks of the codes, never by comparing strings, and built
        as Arrow dictionary arrays decoded in C: at 1 GB these are two million
        rows, which never become Python objects.
        """
        self._merge()
        groups, group_rank = _ranked(self.groups)
        forms, form_rank = _ranked(self.forms)
        self.forms, self.groups = {}, {}
        group_codes, form_codes = self.keys >> 32, self.keys & 0xFFFFFFFF
        order = np.lexsort((form_rank[form_codes], group_rank[group_codes]))
        columns = {
            group_by: _decoded(group_codes[order], groups),
            "term": _decoded(form_codes[order], forms),
            "n": pa.array(self.n[order], type=pa.int64()),
        }
        self.keys, self.n = np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
        return pa.table(columns)


def _decoded(codes: np.ndarray, values: np.ndarray) -> pa.Array:
    """The strings ``values[codes]`` as an Arrow string array."""
    dictionary = pa.array(values, type=pa.string())
    return pa.DictionaryArray.from_arrays(pa.array(codes, type=pa.int32()), dictionary).cast(
        pa.string()
    )


def _ranked(codes: dict[str, int]) -> tuple[np.ndarray, np.ndarray]:
    """The values by code, and the rank of each code in the sorted values."""
    values = np.array(list(codes), dtype=object)
    rank = np.empty(len(values), dtype=np.int64)
    rank[np.argsort(values, kind="stable")] = np.arange(len(values))
    return values, rank


def _codes(known: dict[str, int], values: list[str]) -> np.ndarray:
    """The integer code of each value, new values numbered as they come."""
    codes = np.fromiter(map(known.get, values, repeat(-1)), dtype=np.int64, count=len(values))
    for k in np.flatnonzero(codes < 0).tolist():
        codes[k] = known.setdefault(values[k], len(known))
    return codes


def _typed(table: pd.DataFrame) -> pd.DataFrame:
    """Counts as int64 and text as pandas' string dtype, whatever the rows (none included)."""
    out = table.copy()
    for column in out.columns:
        if column == "n" or column in COUNT_COLUMNS:
            out[column] = out[column].astype("int64")
        else:
            out[column] = out[column].astype(str)
    return out.reset_index(drop=True)
