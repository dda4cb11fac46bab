"""The tidy tables of the text stage (columns: ``docs/design.md``), built from batches.

``tokens`` has one row per token with its ``type_id`` and, for reading, the
type's columns (``surface``, ``kind``, ``normalized``, ``bare``, ``bares``,
``proclitics``, ``enclitic``) as pandas categoricals: each distinct value is
stored once, and the table reads like plain strings. ``types`` is the
vocabulary's table (one row per ``type_id``), for joins and for anything a
scholar wants to know about a written form.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis.engine.batch import Batch
from analysis.engine.vocabulary import Vocabulary
from analysis.text.wordtype import CONTENT

TOKEN_COLUMNS = [
    "doc_id",
    "sentence",
    "index",
    "start",
    "end",
    "type_id",
    "surface",
    "kind",
    "normalized",
    "bare",
    "bares",
    "proclitics",
    "enclitic",
    "in_quote",
    "quote_id",
    "repaired",
]
SENTENCE_COLUMNS = ["doc_id", "sentence", "start", "end", "text", "n_words"]
QUOTE_COLUMNS = [
    "doc_id",
    "quote_id",
    "start",
    "end",
    "text",
    "kind",
    "verb",
    "speaker",
    "sentence",
]
REPAIR_COLUMNS = ["doc_id", "start", "end", "original", "replacement", "rule", "vetoed"]
TYPE_TEXT_COLUMNS = ("surface", "kind", "normalized", "bare", "proclitics", "enclitic")


@dataclass
class TextTables:
    """The text stage's output: tokens, sentences, quotes, repairs, and the word types.

    ``vocabulary`` is the one the token ``type_id`` values refer to; ``types`` is
    its table.
    """

    tokens: pd.DataFrame
    sentences: pd.DataFrame
    quotes: pd.DataFrame
    repairs: pd.DataFrame
    vocabulary: Vocabulary

    @property
    def types(self) -> pd.DataFrame:
        """One row per word type (index ``type_id``): surface, normalized, kind, clitics."""
        return self.vocabulary.table()


def text_tables(batches: list[Batch], vocabulary: Vocabulary) -> TextTables:
    """The tables of several batches analysed with one vocabulary, in batch order."""
    parts = [_token_arrays(b) for b in batches]
    offset = 0
    for b, part in zip(batches, parts, strict=True):
        part["doc"] = part["doc"] + offset  # documents numbered across batches
        offset += len(b.doc_ids)
    arrays = {k: np.concatenate([p[k] for p in parts]) for k in parts[0]} if parts else {}
    doc_ids = [d for b in batches for d in b.doc_ids]
    tokens = _tokens(arrays, doc_ids, vocabulary)
    return TextTables(
        tokens=tokens,
        sentences=_sentences(batches, vocabulary, doc_ids),
        quotes=_rows(batches, "quotes", QUOTE_COLUMNS),
        repairs=_rows(batches, "repairs", REPAIR_COLUMNS),
        vocabulary=vocabulary,
    )


def _token_arrays(b: Batch) -> dict[str, np.ndarray]:
    first = np.searchsorted(b.doc, np.arange(len(b.doc_ids)))
    return {
        "doc": b.doc,
        "sentence": b.sentence,
        "index": np.arange(len(b), dtype=np.int64) - first[b.doc] if len(b) else b.doc,
        "start": b.start,
        "end": b.end,
        "type_id": b.type_id,
        "in_quote": b.in_quote,
        "quote_id": b.quote_id,
        "repaired": b.repaired,
    }


def _tokens(arrays: dict, doc_ids: list[str], vocabulary: Vocabulary) -> pd.DataFrame:
    if not arrays:
        arrays = {
            k: np.zeros(0, dtype=np.int64)
            for k in ("doc", "sentence", "index", "start", "end", "type_id", "quote_id")
        }
        arrays.update(in_quote=np.zeros(0, dtype=bool), repaired=np.zeros(0, dtype=bool))
    type_id = arrays["type_id"]
    columns = {
        "doc_id": pd.Categorical.from_codes(arrays["doc"], categories=_unique(doc_ids))
        if doc_ids
        else pd.Categorical([]),
        "sentence": arrays["sentence"],
        "index": arrays["index"],
        "start": arrays["start"],
        "end": arrays["end"],
        "type_id": type_id,
    }
    columns.update(_type_categoricals(vocabulary, type_id))
    columns["bares"] = vocabulary.column("bares")[type_id]
    columns["in_quote"] = arrays["in_quote"]
    quote_id = arrays["quote_id"]
    columns["quote_id"] = pd.arrays.IntegerArray(quote_id, quote_id < 0)
    columns["repaired"] = arrays["repaired"]
    return pd.DataFrame(columns, columns=TOKEN_COLUMNS)


def _unique(doc_ids: list[str]) -> list[str]:
    if len(set(doc_ids)) != len(doc_ids):
        raise ValueError("a document id occurs twice in one analysis")
    return doc_ids


def _type_categoricals(vocabulary: Vocabulary, type_id: np.ndarray) -> dict[str, pd.Categorical]:
    """The per-type string columns spread to tokens, as categoricals (each value stored once).

    All share one set of categories, so that they compare with each other as
    strings do (``tokens["surface"] != tokens["normalized"]``).
    """
    values = [vocabulary.column(name) for name in TYPE_TEXT_COLUMNS]
    codes, categories = pd.factorize(np.concatenate(values))
    size = len(vocabulary)
    return {
        name: pd.Categorical.from_codes(codes[k * size : (k + 1) * size][type_id], categories)
        for k, name in enumerate(TYPE_TEXT_COLUMNS)
    }


def _sentences(batches: list[Batch], vocabulary: Vocabulary, doc_ids: list[str]) -> pd.DataFrame:
    frames = []
    content = (vocabulary.flags() & CONTENT) != 0
    for b in batches:
        if len(b) == 0:
            continue
        change = np.flatnonzero((np.diff(b.sentence) != 0) | (np.diff(b.doc) != 0)) + 1
        firsts = np.concatenate(([0], change))
        lasts = np.concatenate((change - 1, [len(b) - 1]))
        sentence_of = np.repeat(np.arange(len(firsts)), np.diff(np.append(firsts, len(b))))
        docs = b.doc[firsts]
        starts, ends = b.start[firsts], b.end[lasts]
        frames.append(
            pd.DataFrame(
                {
                    "doc_id": [b.doc_ids[d] for d in docs.tolist()],
                    "sentence": b.sentence[firsts],
                    "start": starts,
                    "end": ends,
                    "text": [
                        b.texts[d][s:e]
                        for d, s, e in zip(
                            docs.tolist(), starts.tolist(), ends.tolist(), strict=True
                        )
                    ],
                    "n_words": np.bincount(
                        sentence_of, weights=content[b.type_id], minlength=len(firsts)
                    ).astype(np.int64),
                }
            )
        )
    if not frames:
        return _empty(SENTENCE_COLUMNS, ints=("sentence", "start", "end", "n_words"))
    return pd.concat(frames, ignore_index=True)[SENTENCE_COLUMNS]


def _rows(batches: list[Batch], name: str, columns: list[str]) -> pd.DataFrame:
    rows = []
    for b in batches:
        for row in getattr(b, name):
            rows.append({**row, "doc_id": b.doc_ids[row["doc"]]})
    if not rows:
        return _empty(columns, ints=("quote_id", "start", "end", "sentence"), bools=("vetoed",))
    table = pd.DataFrame(rows)[columns]
    for column in ("quote_id", "start", "end", "sentence"):
        if column in table:
            table[column] = table[column].astype(np.int64)
    return table


def _empty(columns: list[str], ints=(), bools=()) -> pd.DataFrame:
    data = {}
    for c in columns:
        if c in ints:
            data[c] = np.zeros(0, dtype=np.int64)
        elif c in bools:
            data[c] = np.zeros(0, dtype=bool)
        else:
            data[c] = pd.Series([], dtype=str)
    return pd.DataFrame(data, columns=columns)
