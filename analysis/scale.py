"""Process a whole corpus: one document, a selection or all, on one core, many, or Dask.

The per-document work is the ordinary pipeline (load → text stage → frame matching
with voice); what this module adds is how documents are *fed* to it and how the
results are *reduced*:

* **Streaming.** The metadata table is read row by row and documents are handed
  out in small chunks; a worker loads, analyses and matches one document, turns
  its token and hit tables into a few counts (a :class:`DocumentSummary`) and drops
  them. Only those summaries travel back, and the reducer folds them into compact
  arrays and per-group counters at once. Memory therefore stays flat as the
  corpus grows, apart from about a hundred bytes per document (its row in
  ``documents`` and its frame counts) and the vocabulary of each group.
* **Same answer everywhere.** ``workers=1`` (in process), ``workers>1``
  (:class:`concurrent.futures.ProcessPoolExecutor`), ``scheduler="local"`` (a
  :class:`dask.distributed.LocalCluster`) and ``scheduler="tcp://host:port"`` (a
  real Dask scheduler) all run :func:`summarise_document` on the same jobs and the
  reducer sorts its output, so the tables are identical whatever the backend or
  the order in which documents finish. Counts are integers: no floating-point sum
  depends on the order.
* **Workers read the files themselves.** Jobs carry file paths, never texts, so a
  Dask cluster needs the corpus (and the lexicon) at the same path on every
  machine (a shared file system).

The reduced tables feed the group comparisons below (frame rates per group,
keyness between two groups, dispersion of frames across documents), which reuse
the formulas of :mod:`analysis.measures` so that a small corpus gives exactly the
same numbers through either route.
"""

from __future__ import annotations

import csv
import hashlib
import os
import sys
import warnings
from array import array
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import filterfalse
from pathlib import Path

import numpy as np
import pandas as pd
from tqdm.auto import tqdm

from analysis import measures
from analysis.columns import take
from analysis.corpus import METADATA_COLUMNS, load_file
from analysis.errors import AnalysisError, ConfigError, CorpusError, TextWarning
from analysis.lexicon import Lexicon, load_frame_lexicon
from analysis.paths import METADATA_FILE

__all__ = [
    "DocumentJob",
    "DocumentSummary",
    "CorpusSummary",
    "iter_jobs",
    "summarise_chunk",
    "summarise_document",
    "process_corpus",
    "group_frame_rates",
    "group_keyness",
    "frame_dispersion",
    "default_workers",
]

#: Per-document integer columns of :attr:`CorpusSummary.documents`.
COUNT_COLUMNS = (
    "n_chars",
    "n_tokens",
    "n_words",
    "n_sentences",
    "n_quotes",
    "n_repairs",
    "n_hits",
    "n_text_warnings",
)
#: Metadata columns copied into :attr:`CorpusSummary.documents` (besides ``doc_id``).
KEPT_METADATA = ("outlet", "date")
WORD_KIND = measures.WORD_KIND


# --------------------------------------------------------------------------- #
# jobs and per-document summaries
# --------------------------------------------------------------------------- #


@dataclass(frozen=True)
class DocumentJob:
    """What a worker needs to process one document (small and picklable).

    ``seq`` is the row's position in the metadata table (the output order),
    ``path`` an absolute file path, ``sha256`` the expected digest ("" = do not
    check) and ``group`` the document's value of the term-count grouping column.
    """

    seq: int
    doc_id: str
    path: str
    sha256: str
    language: str
    group: str
    where: str  # "metadata.csv, line N" for error messages


@dataclass
class DocumentSummary:
    """The counts one document contributes; its token and hit tables are gone.

    ``hits`` maps ``(frame, term, entry_id, voice)`` to a number of hits;
    ``first_warning`` holds the first repair warning raised on loading, if any.
    """

    seq: int
    doc_id: str
    group: str
    counts: tuple[int, ...]  # in the order of COUNT_COLUMNS
    hits: dict[tuple[str, str, str, str], int]
    first_warning: list[str] = field(default_factory=list)  # at most one message


@dataclass(frozen=True)
class _Options:
    """Settings shipped to every worker with each chunk of jobs."""

    lexicon: str | Lexicon | None  # directory of the frame lexicon, or a loaded one
    term_form: str | None  # token column counted for keyness ("bare"), or None
    verify: bool


@lru_cache(maxsize=4)
def _lexicon_from(directory: str | None) -> Lexicon:
    """Load (once per process) the frame lexicon from ``directory`` (None = default)."""
    return load_frame_lexicon(directory)


def _read(job: DocumentJob, verify: bool) -> tuple[str, list[str]]:
    """A document's text (via :func:`analysis.corpus.load_file`) and its warnings.

    The warnings are collected rather than shown: on a large corpus one warning
    per file would flood the output (and Python's registry of shown warnings
    would grow with the corpus); :func:`process_corpus` counts them per document
    and shows one summary. Raises :class:`CorpusError` (naming the metadata line)
    if the file is missing or, with ``verify``, its sha256 differs from the table.
    """
    path = Path(job.path)
    try:
        data = path.read_bytes()  # once, for the checksum and the text
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
        raise CorpusError(f"file {job.path!r} for {job.doc_id!r} not found", job.where) from None
    except OSError as exc:
        raise CorpusError(
            f"file {job.path!r} for {job.doc_id!r} cannot be read ({exc.strerror})", job.where
        ) from None
    if verify and job.sha256:
        digest = hashlib.sha256(data).hexdigest()
        if digest != job.sha256.lower():
            raise CorpusError(
                f"sha256 of {path.name!r} is {digest}, the table says {job.sha256} "
                "(the file changed since it was registered)",
                job.where,
            )
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", TextWarning)
        # decoding, refusals and repair warnings, by the metadata row's language
        text = load_file(path, job.doc_id, job.language, data).text
    notes = []
    for item in caught:
        if issubclass(item.category, TextWarning):
            notes.append(str(item.message))
        else:  # not ours to swallow
            warnings.warn_explicit(item.message, item.category, item.filename, item.lineno)
    return text, notes


@dataclass
class TermCounts:
    """Word tokens per (group, word form) of one chunk, as parallel arrays.

    ``forms`` holds each distinct word form of the chunk once (whatever the number
    of groups it occurs in) and ``groups`` each distinct group value; row ``i``
    says that ``n[i]`` word tokens of group ``groups[group[i]]`` have the form
    ``forms[form[i]]``. Rows are sorted by group. Unlike one dict of form → count
    per group, a form that occurs in several groups is sent once, codes and counts
    travel in one or two bytes each (a chunk of the benchmark corpus pickles to
    ~196 KB instead of ~213 KB), and the reducer folds the rows with numpy.
    """

    forms: list[str]
    groups: list[str]
    group: np.ndarray  # index into groups (any unsigned integer dtype)
    form: np.ndarray  # index into forms
    n: np.ndarray  # word tokens, > 0


@dataclass
class ChunkResult:
    """What a worker sends back for a chunk of documents.

    ``documents``: one :class:`DocumentSummary` per job, in job order.
    ``terms``: word tokens per group and word form, summed over the chunk (None
    when no word form was counted: ``term_form=None`` or no words).
    """

    documents: list[DocumentSummary]
    terms: TermCounts | None


def _term_counts_of(
    values: np.ndarray, word_groups: np.ndarray, groups: list[str]
) -> TermCounts | None:
    """Count word forms per group (empty and missing forms are not counted).

    ``values[i]`` is a word's form and ``word_groups[i]`` its group, an index into
    ``groups``.

    One :func:`pandas.factorize` (a hash table in C) and one :func:`numpy.unique`
    over (group, form) codes: no Python work per token.
    """
    keep = values != ""
    codes, uniques = pd.factorize(values[keep])
    return _term_counts_from_codes(codes, uniques, word_groups[keep], groups)


def _term_counts_of_types(
    type_values: np.ndarray, type_ids: np.ndarray, word_groups: np.ndarray, groups: list[str]
) -> TermCounts | None:
    """:func:`_term_counts_of` for words given as type ids: ``type_values[type_ids[i]]``.

    The text stage keeps one value per word type, so the forms are factorized
    once per distinct type of the chunk (about a quarter of its words) and the
    words counted by integer codes: no string is hashed per word.
    """
    present = np.zeros(len(type_values), dtype=bool)
    present[type_ids] = True
    distinct = np.flatnonzero(present)
    local = np.zeros(len(type_values), dtype=np.int64)
    local[distinct] = np.arange(len(distinct), dtype=np.int64)
    forms = take(type_values, distinct)
    type_codes = np.full(len(distinct), -1, dtype=np.int64)
    filled = forms != ""
    type_codes[filled], uniques = pd.factorize(forms[filled])
    return _term_counts_from_codes(type_codes[local[type_ids]], uniques, word_groups, groups)


def _term_counts_from_codes(
    codes: np.ndarray, uniques, word_groups: np.ndarray, groups: list[str]
) -> TermCounts | None:
    """The (group, form) counts of words with form codes ``codes`` into ``uniques``."""
    counted = codes >= 0  # -1: a missing or empty form
    codes, word_groups = codes[counted], word_groups[counted]
    if not len(codes):
        return None
    width = np.int64(len(uniques))
    keys, n = np.unique(word_groups.astype(np.int64) * width + codes, return_counts=True)
    return TermCounts(
        forms=list(uniques),
        groups=groups,
        group=_smallest(keys // width),
        form=_smallest(keys % width),
        n=_smallest(n),
    )


def _smallest(values: np.ndarray) -> np.ndarray:
    """Non-negative integers in the smallest unsigned dtype that holds them.

    A chunk's counts and codes are mostly below 256 or 65,536: one or two bytes
    per row to pickle instead of eight.
    """
    return values.astype(np.min_scalar_type(int(values.max())) if len(values) else np.uint8)


def summarise_chunk(jobs: list[DocumentJob], options: _Options) -> ChunkResult:
    """Load, analyse and frame-match a chunk of documents; keep only their counts.

    The text stage runs once over the whole chunk and hands its arrays
    (:func:`analysis.pipeline.analyse_arrays`) straight to the frame matcher
    (:func:`analysis.frames.match_arrays`): the tidy token tables are never built.
    Only counts leave the worker, which holds one chunk at a time. Runs with the
    cyclic garbage collector paused, as the text stage does (see
    ``pipeline._without_cyclic_gc``).
    """
    # Imported here so that importing this module stays cheap (Dask workers import
    # the text stage on first use).
    from analysis.pipeline import _without_cyclic_gc

    return _without_cyclic_gc(_summarise_chunk)(jobs, options)


def _summarise_chunk(jobs: list[DocumentJob], options: _Options) -> ChunkResult:
    from analysis.frames import match_arrays
    from analysis.pipeline import analyse_arrays

    lexicon = options.lexicon
    if lexicon is None or isinstance(lexicon, str):
        lexicon = _lexicon_from(lexicon)
    read = [_read(job, options.verify) for job in jobs]
    texts = [text for text, _ in read]
    position = {job.doc_id: i for i, job in enumerate(jobs)}
    n = len(jobs)
    counts = np.zeros((n, len(COUNT_COLUMNS)), dtype=np.int64)
    counts[:, 0] = [len(t) for t in texts]
    hits_per_doc: list[Counter] = [Counter() for _ in jobs]
    group_names = list(dict.fromkeys(job.group for job in jobs))
    group_code = {g: i for i, g in enumerate(group_names)}
    doc_group = np.array([group_code[job.group] for job in jobs], dtype=np.int32)
    type_parts: list[np.ndarray] = []
    group_parts: list[np.ndarray] = []
    arrays = analyse_arrays([(job.doc_id, text) for job, text in zip(jobs, texts, strict=True)])
    doc = arrays.doc  # token -> position of its job (the batch keeps the jobs' order)
    words = arrays.kind == WORD_KIND
    counts[:, 1] = arrays.last - arrays.first
    counts[:, 2] = np.bincount(doc[words], minlength=n)
    has_tokens = arrays.last > arrays.first
    counts[has_tokens, 3] = arrays.sentence[arrays.last[has_tokens] - 1] + 1
    counts[:, 4] = np.bincount(doc[arrays.quotes.open_token], minlength=n)
    repair_doc = np.asarray(arrays.repairs["doc"], dtype=np.int64)
    made = ~np.asarray(arrays.repairs["vetoed"], dtype=bool)
    counts[:, 5] = np.bincount(repair_doc[made], minlength=n)
    hits = match_arrays(arrays, lexicon).hits
    # Plain lists: iterating a pandas string column reads it element by element.
    for key, k in Counter(
        zip(
            hits["doc_id"].map(position).tolist(),
            hits["frame"].astype(str).tolist(),
            hits["term"].astype(str).tolist(),
            hits["entry_id"].astype(str).tolist(),
            hits["voice"].astype(str).tolist(),
            strict=True,
        )
    ).items():
        hits_per_doc[key[0]][key[1:]] += k
    counts[:, 6] = np.bincount(hits["doc_id"].map(position).to_numpy(dtype=np.int64), minlength=n)
    if options.term_form is not None:
        type_parts.append(arrays.sid[words])  # word types; their forms: values[term_form]
        group_parts.append(doc_group[doc[words]])
    counts[:, 7] = [len(notes) for _, notes in read]
    documents = [
        DocumentSummary(
            job.seq, job.doc_id, job.group, tuple(int(v) for v in row), dict(h), notes[:1]
        )
        for job, row, h, (_, notes) in zip(jobs, counts, hits_per_doc, read, strict=True)
    ]
    terms = None
    if type_parts:
        terms = _term_counts_of_types(
            arrays.values[options.term_form],
            np.concatenate(type_parts),
            np.concatenate(group_parts),
            group_names,
        )
    return ChunkResult(documents, terms)


def _summarise_partition(jobs: list[DocumentJob], options: _Options) -> list[ChunkResult]:
    """Dask partition function: a bag partition must be a sequence, so wrap the result."""
    return [summarise_chunk(list(jobs), options)]


def summarise_document(job: DocumentJob, options: _Options) -> ChunkResult:
    """:func:`summarise_chunk` for a single document."""
    return summarise_chunk([job], options)


# --------------------------------------------------------------------------- #
# reading the metadata table as a stream of jobs
# --------------------------------------------------------------------------- #


def _wanted_ids(selection: Iterable[str] | pd.DataFrame | None) -> set[str] | None:
    if selection is None:
        return None
    if isinstance(selection, pd.DataFrame):
        if "doc_id" not in selection.columns:
            raise AnalysisError("a selection table needs a doc_id column")
        return {str(d) for d in selection["doc_id"]}
    if isinstance(selection, str):
        return {selection}
    return {str(d) for d in selection}


def iter_jobs(
    selection: Iterable[str] | pd.DataFrame | None = None,
    metadata: str | Path = METADATA_FILE,
    group_by: str = "outlet",
) -> Iterator[DocumentJob]:
    """Yield one :class:`DocumentJob` per selected row of the metadata table.

    The table is read row by row (never held whole), so a metadata table of
    millions of rows costs no memory. Rows come in table order whatever the order
    of ``selection`` (``None`` = all rows, an iterable of ``doc_id`` values, or a
    subset of :func:`analysis.corpus.read_metadata`'s table). Column set, empty
    and duplicate ``doc_id`` values and doc_ids named by the selection but absent
    from the table raise :class:`CorpusError` with the file and line; dates and
    the rest of a row are checked by :func:`analysis.corpus.read_metadata`.
    """
    path = Path(metadata)
    # Absolute, so that workers elsewhere (Dask) find the files; joined as strings,
    # not Path.resolve() per row (about 40 µs each: a system call per path part).
    folder = os.path.abspath(path.parent)
    wanted = _wanted_ids(selection)
    found: set[str] = set()
    seen: set[str] = set()
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
        seq = 0
        for record in reader:
            doc_id = (record.get("doc_id") or "").strip()
            if None in record or any(v is None for v in record.values()):
                raise CorpusError("wrong number of fields", path, line)
            if not doc_id:
                raise CorpusError("empty doc_id", path, line)
            if doc_id in seen:
                raise CorpusError(f"duplicate doc_id {doc_id!r}", path, line)
            seen.add(doc_id)
            if wanted is None or doc_id in wanted:
                found.add(doc_id)
                file = (record.get("file") or "").strip()
                if not file:
                    raise CorpusError(f"empty file name for {doc_id!r}", path, line)
                yield DocumentJob(
                    seq=seq,
                    doc_id=doc_id,
                    path=os.path.normpath(os.path.join(folder, file)),
                    sha256=(record.get("sha256") or "").strip(),
                    language=(record.get("language") or "").strip() or "ar",
                    group=doc_id if group_by == "doc_id" else (record[group_by] or "").strip(),
                    where=f"{path}, line {line}",
                )
            seq += 1
            line = reader.line_num + 1
    if wanted is not None and wanted - found:
        unknown = sorted(wanted - found)
        raise CorpusError(f"selection names unknown doc_id(s) {unknown[:5]}", path)


def _kept_metadata(
    metadata: str | Path, seqs: np.ndarray, doc_ids: np.ndarray, columns: Sequence[str]
) -> list[np.ndarray]:
    """The ``columns`` of the metadata rows ``seqs`` (sorted), a second streaming pass.

    ``seqs`` are row positions as :func:`iter_jobs` counted them and ``doc_ids``
    the ids those rows had; a row whose id differs means the table was edited
    during the run (:class:`CorpusError`). Returns one object array per column,
    in the order of ``seqs``. Each distinct value is one string object (an outlet
    or a date recurs on thousands of rows), so a column costs 8 bytes per row
    rather than a string per row.
    """
    n = len(seqs)
    codes = np.zeros((len(columns), n), dtype=np.int32)
    values: list[dict[str, int]] = [{} for _ in columns]
    j = 0
    with open(metadata, encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        for seq, record in enumerate(reader):
            if j == n:
                break
            if seq != seqs[j]:
                continue
            doc_id = (record.get("doc_id") or "").strip()
            if doc_id != doc_ids[j]:
                raise CorpusError(
                    f"doc_id {doc_id!r} where {doc_ids[j]!r} was read: the metadata table "
                    "changed while the corpus was processed",
                    metadata,
                    reader.line_num,
                )
            for k, column in enumerate(columns):
                value = (record.get(column) or "").strip()
                codes[k, j] = values[k].setdefault(value, len(values[k]))
            j += 1
    if j < n:
        raise CorpusError(
            f"{n - j} processed document(s) missing, first {doc_ids[j]!r}: the metadata "
            "table changed while the corpus was processed",
            metadata,
        )
    return [np.array(list(v), dtype=object)[codes[k]] for k, v in enumerate(values)]


# --------------------------------------------------------------------------- #
# the reduced result
# --------------------------------------------------------------------------- #


@dataclass
class CorpusSummary:
    """Tidy tables reduced from every processed document.

    ``documents``: one row per processed document, in metadata order: ``doc_id``,
    ``outlet``, ``date`` and the counts ``n_chars`` (characters of the original
    text), ``n_tokens``, ``n_words`` (tokens of kind ``word``, the denominator of
    every rate), ``n_sentences``, ``n_quotes``, ``n_repairs`` (not vetoed),
    ``n_hits``, ``n_text_warnings`` (repairs made on loading: invisible
    characters, tatweel runs, …; one summary warning is shown per run).

    ``frame_counts``: ``doc_id, frame, voice, n``: hits per document, frame and
    voice (rows with n > 0 only).

    ``term_hits``: ``<group_by>, frame, term, entry_id, voice, n``: hits per
    lexicon entry, summed within each group of ``group_by``.

    ``term_counts``: ``<group_by>, term, n``: word tokens per word form (the
    ``term_form`` column of the tokens, ``bare`` by default) within each group;
    the input of :func:`group_keyness`. Empty when ``term_form`` was None.
    """

    documents: pd.DataFrame
    frame_counts: pd.DataFrame
    term_hits: pd.DataFrame
    term_counts: pd.DataFrame
    group_by: str
    term_form: str | None
    backend: str = ""

    def equals(self, other: CorpusSummary) -> bool:
        """True if every table is identical (values and dtypes) to ``other``'s."""
        return all(
            getattr(self, name).equals(getattr(other, name))
            for name in ("documents", "frame_counts", "term_hits", "term_counts")
        ) and (self.group_by, self.term_form) == (other.group_by, other.term_form)


#: A group's counts merge their buffered additions once these are at least this
#: many rows (and at least half as many as the counts already hold).
_MERGE_ROWS = 1 << 16
#: The reducer gives the C heap's free pages back every this many chunks.
_TRIM_EVERY = 16


def _numpy(values: array) -> np.ndarray:
    """A read-only numpy view of an :class:`array.array` (empty arrays included)."""
    dtype = {"q": np.int64, "i": np.int32}[values.typecode]
    return np.frombuffer(values, dtype=dtype) if len(values) else np.zeros(0, dtype=dtype)


def _count_arrays() -> list[array]:
    """One growable column per entry of COUNT_COLUMNS.

    ``n_chars`` is 64-bit. The other counts (tokens, words, sentences, …, hits)
    never exceed a document's number of characters, and a document of 2³¹
    characters (4–8 GB of text) cannot go through the text stage, so 32 bits hold
    them: 4 bytes less per document and column.
    """
    return [array("q" if column == "n_chars" else "i") for column in COUNT_COLUMNS]


def _str_column(values: np.ndarray) -> pd.api.extensions.ExtensionArray | np.ndarray:
    """An object array of ``str`` as pandas' ``str`` column, without a copy.

    Letting pandas infer the dtype of an object array gives the same column but
    holds ~20 bytes per row of temporaries (measured: 120 MB to build a 3-million
    row table of two text columns). Empty arrays stay ``object``, as pandas infers
    them. Callers pass only ``str`` values.
    """
    if not len(values):
        return values
    return pd.array(values, dtype="str", copy=False)


@lru_cache(maxsize=1)
def _malloc_trim() -> Callable[[int], int] | None:
    """The C library's ``malloc_trim`` if it is glibc (None on other C libraries)."""
    try:
        import ctypes

        return ctypes.CDLL("libc.so.6").malloc_trim
    except (OSError, AttributeError):
        return None


def _release_free_heap() -> None:
    """Give the C heap's free pages back to the operating system (glibc only).

    numpy arrays of a few megabytes come from the C heap once glibc has raised its
    mmap threshold, and the reducer frees and allocates such arrays over and over
    (merges, chunk results); glibc keeps freed pages unless asked. In
    ``benchmarks/bench_reducer.py`` at 1 GB of text the peak was ~10 MB lower with
    these calls. Dask's documentation gives the same remedy for its workers
    ("memory not released back to the OS"). A no-op where glibc is not the C
    library.
    """
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


class _SparseCounts:
    """Counts per vocabulary id for one group: sorted ``ids`` (int32), ``n`` (int64).

    Twelve bytes per (group, word form) pair, and a group holds only the forms it
    has, so many small groups (``group_by="doc_id"`` or a date) cost no more than
    a few large ones. Additions are buffered and merged in batches at least half
    as large as the counts (sort the batch, sum repeated ids, add to the ids
    already there, insert the new ones), which keeps the copying per addition
    bounded and the memory held by the buffer below half the counts'.
    """

    __slots__ = ("ids", "n", "_ids", "_n", "_pending")

    def __init__(self) -> None:
        self.ids = np.zeros(0, dtype=np.int32)
        self.n = np.zeros(0, dtype=np.int64)
        self._ids: list[np.ndarray] = []
        self._n: list[np.ndarray] = []
        self._pending = 0

    def add(self, ids: np.ndarray, n: np.ndarray) -> None:
        """Add ``n[i]`` to the count of ``ids[i]`` (ids unique within one call)."""
        self._ids.append(ids)
        self._n.append(n)
        self._pending += len(ids)
        if self._pending >= max(_MERGE_ROWS, len(self.ids) // 2):
            self.merge()

    def merge(self) -> None:
        """Fold the buffered additions into ``ids``/``n``."""
        if not self._pending:
            return
        ids = np.concatenate(self._ids)
        n = np.concatenate(self._n)
        self._ids, self._n, self._pending = [], [], 0
        order = np.argsort(ids, kind="stable")
        ids, n = ids[order], n[order]
        starts = np.flatnonzero(np.r_[True, ids[1:] != ids[:-1]])
        ids, n = ids[starts], np.add.reduceat(n, starts)
        at = np.searchsorted(self.ids, ids)
        found = at < len(self.ids)
        found[found] = self.ids[at[found]] == ids[found]
        self.n[at[found]] += n[found]
        new = ~found
        if new.any():
            self.ids = np.insert(self.ids, at[new], ids[new])
            self.n = np.insert(self.n, at[new], n[new])


@dataclass
class _Reducer:
    """Fold summaries into compact arrays as they arrive (in any order).

    Memory is what the output needs and little more: per document its id, eight
    counts and its (frame, voice) rows as integers; per distinct word form its
    string once (one vocabulary shared by all groups: form → id) and per (group,
    form) pair twelve bytes (:class:`_SparseCounts`); lexicon-entry hits per group
    in a Counter (bounded by lexicon size × groups × 2 voices).
    """

    group_by: str
    seqs: array = field(default_factory=lambda: array("q"))
    doc_ids: list[str] = field(default_factory=list)
    counts: list[array] = field(default_factory=_count_arrays)
    frame_doc: array = field(default_factory=lambda: array("i"))  # position in doc_ids
    frame_code: array = field(default_factory=lambda: array("i"))  # index into frame_keys
    frame_n: array = field(default_factory=lambda: array("i"))  # hits: < 2**31 per document
    frame_keys: dict[tuple[str, str], int] = field(default_factory=dict)
    term_hits: Counter = field(default_factory=Counter)
    vocabulary: dict[str, int] = field(default_factory=dict)  # word form -> id
    terms: dict[str, _SparseCounts] = field(default_factory=dict)  # per group
    warned: int = 0
    first_warning: str = ""
    first_seq: int = -1
    chunks: int = 0

    def add(self, summary: DocumentSummary) -> None:
        """Fold one document's counts in; its summary can then be dropped."""
        position = len(self.doc_ids)
        if summary.first_warning:
            self.warned += 1
            if not self.first_warning or summary.seq < self.first_seq:
                self.first_warning, self.first_seq = summary.first_warning[0], summary.seq
        self.seqs.append(summary.seq)
        self.doc_ids.append(summary.doc_id)
        for column, value in zip(self.counts, summary.counts, strict=True):
            column.append(value)
        per_frame: Counter = Counter()
        for (frame, term, entry_id, voice), n in summary.hits.items():
            per_frame[(frame, voice)] += n
            self.term_hits[(summary.group, frame, term, entry_id, voice)] += n
        for key, n in per_frame.items():
            code = self.frame_keys.setdefault(key, len(self.frame_keys))
            self.frame_doc.append(position)
            self.frame_code.append(code)
            self.frame_n.append(n)

    def add_chunk(self, chunk: ChunkResult) -> None:
        """Fold a worker's chunk in (documents and the chunk's word-form counts).

        The chunk's forms are looked up in (or added to) the vocabulary once each,
        per chunk and not per group; its rows then go to the groups' counts as
        numpy arrays.
        """
        for summary in chunk.documents:
            self.add(summary)
        self.chunks += 1
        if self.chunks % _TRIM_EVERY == 0:
            _release_free_heap()
        t = chunk.terms
        if t is None or not len(t.n):
            return
        vocabulary = self.vocabulary
        # C-level loops (filterfalse, update, map) rather than a Python loop per form
        new = list(filterfalse(vocabulary.__contains__, t.forms))
        vocabulary.update(zip(new, range(len(vocabulary), len(vocabulary) + len(new)), strict=True))
        ids = np.fromiter(map(vocabulary.__getitem__, t.forms), dtype=np.int64, count=len(t.forms))
        if len(vocabulary) > np.iinfo(np.int32).max:
            raise AnalysisError(f"more than {np.iinfo(np.int32).max} distinct word forms")
        order = np.argsort(t.group, kind="stable")
        group = t.group[order]
        row_ids = ids[t.form[order]].astype(np.int32)
        n = np.asarray(t.n, dtype=np.int64)[order]
        bounds = np.flatnonzero(np.r_[True, group[1:] != group[:-1], True])
        for start, stop in zip(bounds[:-1].tolist(), bounds[1:].tolist(), strict=True):
            name = t.groups[int(group[start])]
            counts = self.terms.get(name)
            if counts is None:
                counts = self.terms[name] = _SparseCounts()
            counts.add(row_ids[start:stop], n[start:stop])

    def _term_counts(self) -> pd.DataFrame:
        """``<group_by>, term, n`` sorted by group and term; empties the vocabulary.

        The table is the largest output, so it is built first and the reducer's
        own structures are freed as it grows: the vocabulary dict (and its int
        ids) once the forms are in an array, each group's counts once its rows
        are copied out. Rows are ordered by integer codes (the rank of each form
        among the sorted forms), never by sorting a text column, and the text
        columns are object arrays of the same string objects, one per form.
        """
        g = self.group_by
        if not self.terms:
            return pd.DataFrame([], columns=[g, "term", "n"]).sort_values([g, "term"])
        forms = np.fromiter(self.vocabulary, dtype=object, count=len(self.vocabulary))
        self.vocabulary = {}
        all_str = all(type(form) is str for form in forms)
        rank = np.empty(len(forms), dtype=np.int32)
        rank[np.argsort(forms)] = np.arange(len(forms), dtype=np.int32)
        names = sorted(self.terms)
        for counts in self.terms.values():
            counts.merge()
        _release_free_heap()  # the vocabulary dict and the merges' garbage
        lengths = [len(self.terms[name].ids) for name in names]
        ids = np.empty(sum(lengths), dtype=np.int32)
        n = np.empty(len(ids), dtype=np.int64)
        start = 0
        for name, length in zip(names, lengths, strict=True):
            counts = self.terms.pop(name)
            order = np.argsort(rank[counts.ids])
            ids[start : start + length] = counts.ids[order]
            n[start : start + length] = counts.n[order]
            start += length
            del counts, order
        del rank
        _release_free_heap()  # the groups' counts, before the text columns are made
        term = forms[ids]
        del ids, forms
        group = np.repeat(np.array(names, dtype=object), lengths)
        return pd.DataFrame(
            {
                g: _str_column(group),
                "term": _str_column(term) if all_str else term.tolist(),
                "n": n,
            },
            copy=False,
        )

    def result(self, metadata: str | Path, term_form: str | None, backend: str) -> CorpusSummary:
        """Build the sorted tidy tables (identical whatever the arrival order).

        Every order is computed on integer codes (a document's metadata row, the
        rank of a (frame, voice) key or of a word form) rather than by sorting text
        columns, which in pandas builds several temporaries per row.
        """
        g = self.group_by
        term_counts = self._term_counts()
        _release_free_heap()

        # documents, in metadata order; the reducer's arrays are emptied as their
        # columns are made (result() is called once)
        n_docs = len(self.doc_ids)
        seqs = _numpy(self.seqs)
        order = np.argsort(seqs, kind="stable")  # arrival positions in metadata order
        sorted_seqs = seqs[order]
        del seqs
        self.seqs = array("q")
        by_position = np.array(self.doc_ids, dtype=object)
        self.doc_ids = []
        doc_ids = by_position[order]
        documents = pd.DataFrame({"doc_id": _str_column(doc_ids)}, copy=False)
        kept = _kept_metadata(metadata, sorted_seqs, doc_ids, KEPT_METADATA)
        del sorted_seqs, doc_ids
        for column, values in zip(KEPT_METADATA, kept, strict=True):
            # no documents: pandas makes an empty list float64, as it always did here
            documents[column] = _str_column(values) if len(values) else []
        del kept
        for i, column in enumerate(COUNT_COLUMNS):
            documents[column] = _numpy(self.counts[i])[order].astype(np.int64)
            self.counts[i] = array(self.counts[i].typecode)

        # frame_counts: rows ordered by (document rank, rank of (frame, voice))
        rank_of_position = np.empty(n_docs, dtype=np.int32)
        rank_of_position[order] = np.arange(n_docs, dtype=np.int32)
        del order
        keys = list(self.frame_keys)
        key_rank = np.empty(len(keys), dtype=np.int32)
        key_rank[sorted(range(len(keys)), key=keys.__getitem__)] = np.arange(len(keys))
        frame_doc = _numpy(self.frame_doc)
        codes = _numpy(self.frame_code)
        rows = np.lexsort((key_rank[codes], rank_of_position[frame_doc]))
        del rank_of_position
        doc_column = _str_column(by_position[frame_doc[rows]])
        del frame_doc, by_position
        self.frame_doc = array("i")
        codes = codes[rows]
        self.frame_code = array("i")
        n = _numpy(self.frame_n)[rows].astype(np.int64)
        self.frame_n = array("i")
        del rows
        frame_counts = pd.DataFrame(
            {
                "doc_id": doc_column,
                "frame": _str_column(np.array([k[0] for k in keys], dtype=object)[codes]),
                "voice": _str_column(np.array([k[1] for k in keys], dtype=object)[codes]),
                "n": n,
            },
            copy=False,
        )
        del doc_column, codes, n
        term_hits = pd.DataFrame(
            [(*k, n) for k, n in self.term_hits.items()],
            columns=[g, "frame", "term", "entry_id", "voice", "n"],
        )
        term_hits = term_hits.sort_values([g, "frame", "term", "entry_id", "voice"])
        for table in (frame_counts, term_hits, term_counts):
            table["n"] = table["n"].astype("int64")
        return CorpusSummary(
            documents=documents,
            frame_counts=frame_counts,
            term_hits=term_hits.reset_index(drop=True),
            term_counts=term_counts.reset_index(drop=True),
            group_by=g,
            term_form=term_form,
            backend=backend,
        )


# --------------------------------------------------------------------------- #
# backends
# --------------------------------------------------------------------------- #


def _chunks(jobs: Iterable[DocumentJob], size: int) -> Iterator[list[DocumentJob]]:
    chunk: list[DocumentJob] = []
    for job in jobs:
        chunk.append(job)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _run_serial(chunks: Iterator[list[DocumentJob]], options: _Options) -> Iterator[ChunkResult]:
    for chunk in chunks:
        yield summarise_chunk(chunk, options)


def _run_pool(
    chunks: Iterator[list[DocumentJob]], options: _Options, workers: int
) -> Iterator[ChunkResult]:
    """At most ``2 × workers`` chunks in flight, so memory does not grow with the corpus."""
    with ProcessPoolExecutor(max_workers=workers) as pool:
        pending: set[Future] = set()
        for chunk in chunks:
            pending.add(pool.submit(summarise_chunk, chunk, options))
            if len(pending) >= 2 * workers:
                done, pending = wait(pending, return_when=FIRST_COMPLETED)
                for future in done:
                    yield future.result()
        for future in pending:
            yield future.result()


def _run_dask(
    chunks: Iterator[list[DocumentJob]], options: _Options, scheduler: str, window: int
) -> Iterator[ChunkResult]:
    """Run chunks on Dask: a LocalCluster (``"local"``) or a scheduler address.

    Jobs go in windows of ``window`` chunks; each window is a ``dask.bag`` over
    the jobs (file paths, not texts: workers read the files), with one partition
    per chunk, and its partitions are reduced as they complete.
    """
    import dask.bag as db
    from distributed import Client, LocalCluster, as_completed

    cluster = None
    if scheduler == "local":
        cluster = LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
            host="127.0.0.1",
        )
        client = Client(cluster, set_as_default=False)
    else:
        client = Client(scheduler, set_as_default=False)
    try:
        while True:
            window_chunks = [c for _, c in zip(range(window), chunks, strict=False)]
            if not window_chunks:
                break
            jobs = [job for chunk in window_chunks for job in chunk]
            bag = db.from_sequence(jobs, partition_size=len(window_chunks[0]))
            parts = bag.map_partitions(_summarise_partition, options).to_delayed()
            futures = client.compute(parts)
            for future in as_completed(futures, loop=client.loop):
                yield from future.result()
                future.release()
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def _count_selected(selection: Iterable[str] | pd.DataFrame | None, metadata: Path) -> int:
    wanted = _wanted_ids(selection)
    if wanted is not None:
        return len(wanted)
    with open(metadata, encoding="utf-8-sig", newline="") as handle:
        return sum(1 for _ in csv.DictReader(handle))


def process_corpus(
    selection: Iterable[str] | pd.DataFrame | None = None,
    *,
    metadata: str | Path | None = None,
    lexicon: str | Path | Lexicon | None = None,
    workers: int = 1,
    scheduler: str | None = None,
    group_by: str = "outlet",
    term_form: str | None = "bare",
    verify: bool = True,
    chunksize: int = 50,
    progress: bool | None = None,
) -> CorpusSummary:
    """Analyse the selected documents and reduce them to a :class:`CorpusSummary`.

    ``selection``: ``None`` (every document of the metadata table), an iterable of
    ``doc_id`` values, or a subset of :func:`analysis.corpus.read_metadata`'s
    table. ``metadata``: the metadata table (default ``corpus/metadata.csv``;
    files are relative to its folder). ``lexicon``: a frame lexicon directory or a
    loaded :class:`~analysis.lexicon.Lexicon` (default ``lexicons/``).

    Backends, all giving identical tables: ``workers=1`` in this process;
    ``workers=N`` a pool of N processes; ``scheduler="local"`` a Dask
    ``LocalCluster`` on this machine (2 single-threaded worker processes, no
    dashboard, loopback only; closed afterwards); ``scheduler="tcp://host:8786"``
    an existing Dask scheduler, whose workers must see the corpus and lexicon at
    the same paths.

    ``group_by`` is the metadata column within which lexicon-entry hits and word
    forms are summed (``"outlet"``; ``"doc_id"`` keeps them per document, at a cost
    in memory that grows with the corpus). ``term_form`` is the token column
    counted for keyness (``None`` to skip). ``verify`` checks each file's sha256
    against the table. ``chunksize`` documents go to a worker at a time.
    ``progress``: a tqdm bar over documents; ``None`` shows it only when stderr is
    a terminal, so notebook and HTML output stay clean and deterministic.
    """
    metadata_path = Path(METADATA_FILE if metadata is None else metadata)
    if workers < 1:
        raise ConfigError(f"workers must be at least 1, got {workers}")
    if chunksize < 1:
        raise ConfigError(f"chunksize must be at least 1, got {chunksize}")
    if isinstance(lexicon, Path):
        lexicon = str(lexicon)
    if isinstance(lexicon, str):
        _lexicon_from(lexicon)  # fail early (and here) on a malformed lexicon
    options = _Options(lexicon=lexicon, term_form=term_form, verify=verify)
    jobs = iter_jobs(selection, metadata_path, group_by)
    chunks = _chunks(jobs, chunksize)
    if scheduler is not None:
        backend = f"dask:{scheduler}"
        results = _run_dask(chunks, options, scheduler, window=64)
    elif workers > 1:
        backend = f"processes:{workers}"
        results = _run_pool(chunks, options, workers)
    else:
        backend = "serial"
        results = _run_serial(chunks, options)
    show = sys.stderr.isatty() if progress is None else progress
    reducer = _Reducer(group_by)
    total = _count_selected(selection, metadata_path) if show else None
    with tqdm(total=total, disable=not show, unit="doc", desc="documents") as bar:
        for chunk in results:
            reducer.add_chunk(chunk)
            bar.update(len(chunk.documents))
    if reducer.warned:
        warnings.warn(
            f"{reducer.warned} of {len(reducer.doc_ids)} documents were repaired on loading "
            f"(see the n_text_warnings column), first: {reducer.first_warning}",
            TextWarning,
            stacklevel=2,
        )
    return reducer.result(metadata_path, term_form, backend)


def default_workers() -> int:
    """Number of usable cores (the default for ``workers=`` in notebooks)."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


# --------------------------------------------------------------------------- #
# group comparisons on the reduced tables
# --------------------------------------------------------------------------- #


def _documents_with(
    summary: CorpusSummary, by: str, documents: pd.DataFrame | None
) -> pd.DataFrame:
    """``doc_id, n_words, group`` for every processed document."""
    docs = summary.documents[["doc_id", "n_words"]]
    source = summary.documents if documents is None else documents
    if by not in source.columns or "doc_id" not in source.columns:
        raise AnalysisError(
            f"no column {by!r} to group by (columns: {list(source.columns)}); pass a "
            "documents table with doc_id and that column, e.g. from "
            "measures.date_range_groups"
        )
    labels = pd.DataFrame({"doc_id": source["doc_id"], "group": source[by]})
    labels = labels.drop_duplicates("doc_id")
    out = docs.merge(labels, on="doc_id", how="left", validate="one_to_one")
    out["group"] = out["group"].fillna("").astype(str)
    return out


def group_frame_rates(
    summary: CorpusSummary, by: str = "outlet", documents: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Frame rates per 1000 words for groups of documents, from a corpus summary.

    Same columns and meaning as :func:`analysis.measures.frame_rates_by_group`
    (``frame, group, n, tokens, rate_per_1000, n_documents,
    n_documents_with_hits``; frames absent from a group appear with n = 0), but
    computed from per-document counts, so it works on any corpus size. Groups are
    the values of column ``by`` of ``summary.documents``, or of ``documents`` (a
    table with ``doc_id`` and ``by``, e.g. a country per outlet or a period from
    :func:`analysis.measures.date_range_groups`); documents it does not label form
    the group ``""``.
    """
    docs = _documents_with(summary, by, documents)
    groups = (
        docs.groupby("group", sort=True)
        .agg(n_documents=("doc_id", "size"), tokens=("n_words", "sum"))
        .reset_index()
    )
    per_doc = summary.frame_counts.groupby(["doc_id", "frame"], sort=True)["n"].sum().reset_index()
    per_doc = per_doc.merge(docs[["doc_id", "group"]], on="doc_id", how="inner")
    counts = (
        per_doc.groupby(["frame", "group"], sort=True)
        .agg(n=("n", "sum"), n_documents_with_hits=("doc_id", "nunique"))
        .reset_index()
    )
    return measures.group_rates_table(counts, groups)


def _side(values: str | Sequence[str]) -> list[str]:
    return [values] if isinstance(values, str) else [str(v) for v in values]


def group_keyness(
    summary: CorpusSummary,
    a: str | Sequence[str],
    b: str | Sequence[str],
    min_freq: int = 1,
    zero_adjust: float = 0.5,
) -> pd.DataFrame:
    """Keyness of word forms between two groups (or sets of groups) of documents.

    ``a`` and ``b`` are values of the summary's ``group_by`` column (e.g. outlets),
    or lists of them. Word-form frequencies come from ``summary.term_counts`` and
    the result has the columns of :func:`analysis.measures.keyness`: ``term, a, b,
    n, size_a, size_b, expected_a, expected_b, G2, p_value, log_ratio, key_in``,
    with G² of Rayson & Garside (2000) / Dunning (1993) and Hardie's (2014) log
    ratio (a zero frequency replaced by ``zero_adjust``), sorted by G2
    descending. The sizes are the groups' word-token totals.
    """
    if summary.term_form is None:
        raise AnalysisError("this corpus summary has no term counts (term_form=None)")
    tc = summary.term_counts
    g = summary.group_by
    side_a, side_b = _side(a), _side(b)
    known = set(tc[g])
    for side in (side_a, side_b):
        for value in side:
            if value not in known:
                raise AnalysisError(
                    f"group {value!r} has no words in the summary (groups of {g!r}: "
                    f"{sorted(known)[:10]})"
                )
    if set(side_a) & set(side_b):
        raise AnalysisError(f"groups {sorted(set(side_a) & set(side_b))} are on both sides")
    fa = tc[tc[g].isin(side_a)].groupby("term")["n"].sum()
    fb = tc[tc[g].isin(side_b)].groupby("term")["n"].sum()
    return measures.keyness_table(fa, fb, min_freq=min_freq, zero_adjust=zero_adjust)


def frame_dispersion(
    summary: CorpusSummary, by: str | None = None, documents: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Gries' DP of each frame across documents (within each group if ``by``).

    Parts are documents, part sizes their word counts (documents without words are
    left out), frequencies the frame's hits per document; see
    :func:`analysis.measures.dp` (DP = ½ Σ |v_i − s_i|, Gries 2008; DPnorm,
    Lijffijt & Gries 2012). Columns: [``group``,] ``frame, n, n_parts, range, dp,
    dp_norm`` where ``range`` is the number of documents with at least one hit.
    """
    docs = _documents_with(summary, by or "doc_id", documents if by else None)
    docs = docs[docs["n_words"] > 0]
    per_doc = summary.frame_counts.groupby(["doc_id", "frame"], sort=True)["n"].sum()
    rows = []
    grouped: Iterable[tuple[object, pd.DataFrame]] = (
        docs.groupby("group", sort=True) if by else [(None, docs)]
    )
    frames = sorted(summary.frame_counts["frame"].unique())
    for label, part in grouped:
        sizes = part["n_words"].to_numpy()
        ids = part["doc_id"].to_numpy()
        for frame in frames:
            series = per_doc.xs(frame, level="frame") if frame in per_doc.index.levels[1] else None
            freqs = (
                np.zeros(len(ids))
                if series is None
                else series.reindex(ids, fill_value=0).to_numpy()
            )
            value, norm = measures.dp(freqs, sizes)
            row = {
                "frame": frame,
                "n": int(freqs.sum()),
                "n_parts": len(ids),
                "range": int((freqs > 0).sum()),
                "dp": value,
                "dp_norm": norm,
            }
            rows.append(row if by is None else {"group": label, **row})
    columns = (["group"] if by else []) + ["frame", "n", "n_parts", "range", "dp", "dp_norm"]
    return pd.DataFrame(rows, columns=columns)
