"""What a worker does with a chunk of documents: load, analyse, match, and keep only counts.

The text stage runs once over the whole chunk (:func:`analysis.engine.batch.analyse_batch`)
and the frame matcher reads its arrays directly: the tidy token tables are never
built, and only counts leave the worker, as plain lists. A worker imports
neither pandas nor pyarrow (they would add ~80 MB to every worker process).

A :class:`Worker` keeps its vocabulary and compiled lexicon from chunk to chunk,
so each word type is analysed once per process; past its bound the vocabulary
keeps its most used types (:meth:`~analysis.engine.vocabulary.Vocabulary.compact`),
so memory stays flat however large the corpus.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import numpy as np

from analysis.engine.batch import Batch, analyse_batch
from analysis.engine.vocabulary import Vocabulary
from analysis.lexicon.matching import Matcher, Tokens
from analysis.scale.jobs import DocumentJob, read_job
from analysis.text.wordtype import ARABIC_WORD

#: Per-document integer columns of the summary's documents table.
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
MAX_TYPES = 60_000


@dataclass(frozen=True)
class Options:
    """Settings shipped to every worker with each chunk of jobs."""

    matcher: Matcher  # the frame lexicon, compiled (no pandas inside)
    term_form: str | None  # word-type attribute counted for keyness ("bare"), or None
    verify: bool


@dataclass
class ChunkResult:
    """What a worker sends back for a chunk: rows of counts, keyed by strings.

    ``documents``: ``(seq, doc_id, group, kept metadata, counts of COUNT_COLUMNS,
    first warning)`` per job; ``frame_counts``: ``(seq, doc_id, frame, voice, n)``;
    ``term_hits``: ``(group, frame, term, entry_id, voice, n)``; ``term_counts``:
    three columns (groups, word forms, counts), one entry per group and word
    type (a form may recur: the reducer sums), or None.
    """

    documents: list[tuple]
    frame_counts: list[tuple]
    term_hits: list[tuple]
    term_counts: tuple[list, list, list] | None


@dataclass
class Worker:
    """One process's vocabulary and compiled lexicon, kept between chunks."""

    matcher: Matcher
    max_types: int = MAX_TYPES
    vocabulary: Vocabulary = field(init=False)

    def __post_init__(self) -> None:
        self.vocabulary = Vocabulary(max_types=self.max_types)

    def summarise(self, jobs: list[DocumentJob], options: Options) -> ChunkResult:
        """Load, analyse and match ``jobs``; return their counts."""
        read = [read_job(job, options.verify) for job in jobs]
        items = [(job.doc_id, text) for job, (text, _) in zip(jobs, read, strict=True)]
        batch = analyse_batch(items, self.vocabulary)
        hits, _ = self.matcher.find(tokens_of(batch), self.vocabulary.types, quotes_of(batch))
        result = ChunkResult(
            documents=_documents(jobs, read, batch, hits),
            frame_counts=_frame_counts(jobs, hits),
            term_hits=_term_hits(jobs, hits),
            term_counts=_term_counts(jobs, batch, options.term_form),
        )
        if self.vocabulary.is_full():
            self.vocabulary.compact()  # the bound on memory: the most used types stay
        return result


def tokens_of(batch: Batch) -> Tokens:
    """The matcher's view of a batch's token arrays."""
    first = np.searchsorted(batch.doc, np.arange(len(batch.doc_ids)))
    doc_ids = np.array(batch.doc_ids, dtype=object)
    return Tokens(
        doc_id=doc_ids[batch.doc],
        sentence=batch.sentence,
        index=np.arange(len(batch)) - first[batch.doc],
        start=batch.start,
        end=batch.end,
        type_id=batch.type_id,
        quote_id=batch.quote_id,
        in_quote=batch.in_quote,
        repaired=batch.repaired,
    )


def quotes_of(batch: Batch) -> dict[tuple[str, int], tuple[str, str]]:
    """The kind and speaker of each quote of a batch (what voices need)."""
    return {
        (batch.doc_ids[q["doc"]], q["quote_id"]): (q["kind"], q["speaker"]) for q in batch.quotes
    }


def _documents(jobs, read, batch: Batch, hits: list[dict]) -> list[tuple]:
    n = len(jobs)
    words = (batch.vocabulary.flags()[batch.type_id] & ARABIC_WORD) != 0
    tokens = np.bincount(batch.doc, minlength=n)
    last = np.cumsum(tokens)
    sentences = np.where(tokens > 0, batch.sentence[np.maximum(last - 1, 0)] + 1, 0)
    position = {job.doc_id: k for k, job in enumerate(jobs)}
    made = [r["doc"] for r in batch.repairs if not r["vetoed"]]
    counts = zip(
        [len(text) for text, _ in read],
        tokens.tolist(),
        np.bincount(batch.doc[words], minlength=n).tolist(),
        sentences.tolist(),
        np.bincount([q["doc"] for q in batch.quotes], minlength=n).tolist(),
        np.bincount(made, minlength=n).tolist(),
        np.bincount([position[h["doc_id"]] for h in hits], minlength=n).tolist(),
        [len(notes) for _, notes in read],
        strict=True,
    )
    return [
        (job.seq, job.doc_id, job.group, job.kept, *row, notes[0] if notes else "")
        for job, row, (_, notes) in zip(jobs, counts, read, strict=True)
    ]


def _frame_counts(jobs, hits: list[dict]) -> list[tuple]:
    seq = {job.doc_id: job.seq for job in jobs}
    counts = Counter((h["doc_id"], h["frame"], h["voice"]) for h in hits)
    return [(seq[d], d, f, v, n) for (d, f, v), n in counts.items()]


def _term_hits(jobs, hits: list[dict]) -> list[tuple]:
    group = {job.doc_id: job.group for job in jobs}
    counts = Counter(
        (group[h["doc_id"]], h["frame"], h["term"], h["entry_id"], h["voice"]) for h in hits
    )
    return [(*key, n) for key, n in counts.items()]


def _term_counts(jobs, batch: Batch, term_form: str | None) -> tuple[list, list, list] | None:
    """Word tokens per (group, word type), with the type's form, as three columns.

    Counted by type ids; types whose form is empty are left out.
    """
    if term_form is None:
        return None
    words = np.flatnonzero(batch.vocabulary.flags()[batch.type_id] & ARABIC_WORD)
    groups, group_of_doc = np.unique([job.group for job in jobs], return_inverse=True)
    width = len(batch.vocabulary)
    keys, n = np.unique(
        group_of_doc[batch.doc[words]] * width + batch.type_id[words], return_counts=True
    )
    forms = batch.vocabulary.column(term_form)[keys % width]
    named = groups.astype(object)[keys // width]
    kept = np.array([bool(f) for f in forms.tolist()], dtype=bool)
    return named[kept].tolist(), forms[kept].tolist(), n[kept].tolist()


_PROCESS_WORKERS: dict[str, Worker] = {}


def summarise_chunk(jobs: list[DocumentJob], options: Options) -> ChunkResult:
    """:meth:`Worker.summarise` with this process's worker (pool and Dask workers).

    A worker process keeps one :class:`Worker` per lexicon (by its checksum)
    between the chunks it is given, so that it analyses each word type once.
    """
    key = options.matcher.checksum
    worker = _PROCESS_WORKERS.get(key)
    if worker is None:
        _PROCESS_WORKERS.clear()
        worker = _PROCESS_WORKERS[key] = Worker(options.matcher)
    return worker.summarise(jobs, options)
