"""The vocabulary of a run: every distinct written token and chunk, analysed once.

Two tables, both filled as new text arrives:

* **types**: one row per distinct written token (``WordType``, the answer of
  :func:`analysis.text.wordtype.analyse_type`), numbered from 0 in the order
  first seen; tokens carry that number (``type_id``), as in quanteda's tokens
  and types or spaCy's vocabulary;
* **chunks**: one entry per distinct whitespace-delimited piece of text
  (``الشعب،``, ``''لا``) with the tokens it splits into: their type ids, their
  offsets inside the chunk, and whether each touches the token before it.

A :class:`Vocabulary` is passed explicitly to the text stage; nothing is kept
between calls otherwise. Its size grows with the corpus; the corpus-scale path
starts a fresh one when it gets large (:meth:`Vocabulary.is_full`).
"""

from __future__ import annotations

import re
from itertools import repeat
from typing import TYPE_CHECKING

import numpy as np

from analysis.text.data import LanguageData, default_data
from analysis.text.normalize import NORMALIZATION_TABLE, normalize
from analysis.text.tokens import tokenize
from analysis.text.wordtype import WordType, analyse_type

if TYPE_CHECKING:
    import pandas as pd

_ONE_WORD = re.compile(r"\w+").fullmatch
_UNKNOWN = -(1 << 62)  # not (yet) a type: a chunk entry, or new
TYPE_COLUMNS = (
    "surface",
    "normalized",
    "kind",
    "bare",
    "bares",
    "proclitics",
    "enclitic",
    "flags",
    "verb",
    "pieces",
)


class Vocabulary:
    """Word types and chunks seen so far, with the text rules' answers for each.

    A chunk that is exactly one written token (most are: ``الشعب``) is found
    through its type; only the others (``الشعب،``, ``''لا``) are stored as
    chunks. One dict answers both: a written token's type id (0 and up), or a
    chunk's ``-1 - chunk id`` (a chunk of several tokens is never one token).
    ``max_types`` bounds the vocabulary (None: no bound); past it, :meth:`compact`
    keeps the most used types.
    """

    KEEP_SHARE = 0.7  # share of max_types kept by compact()

    def __init__(self, data: LanguageData | None = None, max_types: int | None = None) -> None:
        self.data = default_data() if data is None else data
        self.max_types = max_types
        self._reset([])

    def _reset(self, types: list[WordType]) -> None:
        self.types = types
        self._ids = {t.surface: k for k, t in enumerate(types)}  # and chunks: -1 - chunk id
        self._flags = _Columns("flags", dtype=np.int64)
        for t in types:
            self._flags.add(t.flags)
        self.uses = np.zeros(len(types), dtype=np.int64)  # tokens seen per type
        self.chunk_uses = np.zeros(0, dtype=np.int64)  # occurrences seen per chunk
        self._columns: dict[str, np.ndarray] = {}  # see column()
        self._chunk_strings: list[str] = []  # by chunk id
        # Chunk c's tokens are entries first[c] .. first[c] + count[c] - 1 of the token columns.
        self._chunks = _Columns("first", "count")
        self._tokens = _Columns("type", "start", "end", "touches")

    def __len__(self) -> int:
        return len(self.types)

    def is_full(self) -> bool:
        """Whether the vocabulary holds more types, or chunks, than ``max_types``."""
        size = max(len(self.types), len(self._chunk_strings))
        return self.max_types is not None and size > self.max_types

    def compact(self) -> None:
        """Keep the ``KEEP_SHARE * max_types`` most used types, and as many chunks made of them.

        The kept types are numbered again from 0; the others are forgotten.
        Arrays of type ids handed out before refer to the old numbering.
        """
        keep = int(self.KEEP_SHARE * (self.max_types or len(self.types)))
        kept = _most_used(self.uses[: len(self.types)], keep)
        new_id = np.full(len(self.types), -1, dtype=np.int64)
        new_id[kept] = np.arange(len(kept))
        table = self.chunk_tokens()
        chunks = self._chunk_strings
        token_types = new_id[table["type"]]
        entry_of_token = np.repeat(np.arange(len(table["count"])), table["count"])
        complete = np.bincount(entry_of_token[token_types < 0], minlength=len(chunks)) == 0
        uses = np.where(complete, _padded(self.chunk_uses, len(chunks)), -1)
        complete[:] = False
        complete[_most_used(uses, min(keep, int((uses >= 0).sum())))] = True
        self._reset([self.types[k] for k in kept.tolist()])
        kept_tokens = complete[entry_of_token]
        for entry in np.flatnonzero(complete).tolist():
            self._ids[chunks[entry]] = -1 - len(self._chunk_strings)
            self._chunk_strings.append(chunks[entry])
        count = table["count"][complete]
        self._chunks.extend(np.cumsum(count) - count, count)
        self._tokens.extend(
            token_types[kept_tokens],
            table["start"][kept_tokens],
            table["end"][kept_tokens],
            table["touches"][kept_tokens],
        )

    def type_id(self, surface: str) -> int:
        """The id of a written token, analysing it if it is new."""
        found = self._ids.get(surface)
        if found is None:
            found = self._ids[surface] = len(self.types)
            word_type = analyse_type(surface, self.data)
            self.types.append(word_type)
            self._flags.add(word_type.flags)
        return found

    def lookup(self, chunks: list[str]) -> np.ndarray:
        """For each chunk: its type id when it is one written token, else ``-1 - chunk id``."""
        found = np.fromiter(
            map(self._ids.get, chunks, repeat(_UNKNOWN)), dtype=np.int64, count=len(chunks)
        )
        for k in np.flatnonzero(found == _UNKNOWN).tolist():
            found[k] = self._add(chunks[k])
        return found

    def _add(self, chunk: str) -> int:
        """Tokenize a new chunk: its type id if it is one token as written, else a new entry."""
        found = self._ids.get(chunk)
        if found is not None:
            return found  # new earlier in the same batch
        if chunk.translate(NORMALIZATION_TABLE) == chunk and _ONE_WORD(chunk):
            return self.type_id(chunk)  # already normalized, all word characters
        text = normalize(chunk)
        spans = tokenize(text.text)
        tokens = []
        previous_end = -1
        for start, end in spans:
            original_start, original_end = text.span(start, end)
            surface = chunk[original_start:original_end]
            tokens.append(
                (self.type_id(surface), original_start, original_end, start == previous_end)
            )
            previous_end = end
        if len(tokens) == 1 and tokens[0][1:3] == (0, len(chunk)):
            return tokens[0][0]  # one token, written as the chunk is
        found = self._ids[chunk] = -1 - len(self._chunk_strings)
        self._chunk_strings.append(chunk)
        self._chunks.add(len(self._tokens), len(tokens))
        for row in tokens:
            self._tokens.add(*map(int, row))
        return found

    def count_uses(self, type_ids: np.ndarray, chunk_ids: np.ndarray) -> None:
        """Add a batch's tokens and chunks to the use counts (what :meth:`compact` keeps)."""
        self.uses = _padded(self.uses, len(self.types))
        self.uses += np.bincount(type_ids, minlength=len(self.types))
        self.chunk_uses = _padded(self.chunk_uses, len(self._chunk_strings))
        self.chunk_uses += np.bincount(chunk_ids, minlength=len(self._chunk_strings))

    def chunk_tokens(self) -> dict[str, np.ndarray]:
        """The chunk tables as arrays.

        ``first`` and ``count`` per chunk id; ``type``, ``start``, ``end`` and
        ``touches`` per chunk token.
        """
        return {**self._chunks.arrays(), **self._tokens.arrays()}

    def flags(self) -> np.ndarray:
        """The flags of every type, by type id."""
        return self._flags.arrays()["flags"]

    def column(self, name: str) -> np.ndarray:
        """One attribute of every type, by type id (an object array).

        Kept from call to call and extended with the types added since, so
        asking for it once per batch costs only the new types.
        """
        column = self._columns.get(name, np.empty(0, dtype=object))
        if len(column) < len(self.types):
            more = np.empty(len(self.types) - len(column), dtype=object)
            more[:] = [getattr(t, name) for t in self.types[len(column) :]]
            column = self._columns[name] = np.concatenate((column, more))
        return column[: len(self.types)]

    def table(self) -> pd.DataFrame:
        """The types table: one row per type id, the columns of ``TYPE_COLUMNS``."""
        import pandas as pd

        table = pd.DataFrame({name: self.column(name) for name in TYPE_COLUMNS})
        table["flags"] = table["flags"].astype(np.int64)
        table.index.name = "type_id"
        return table


def _most_used(uses: np.ndarray, keep: int) -> np.ndarray:
    """Positions of the ``keep`` largest counts (ties: the lower position), in order."""
    return np.sort(np.argsort(-uses, kind="stable")[:keep])


def _padded(counts: np.ndarray, size: int) -> np.ndarray:
    """``counts`` with zeros added up to ``size`` entries."""
    if len(counts) >= size:
        return counts
    return np.concatenate((counts, np.zeros(size - len(counts), dtype=np.int64)))


class _Columns:
    """Integer columns that grow by rows, readable as numpy arrays at any time.

    The columns are int32 unless ``dtype`` says otherwise.

    Rows are gathered in Python lists and moved into numpy arrays (grown by
    doubling) when read, so reading costs only the rows added since.
    """

    def __init__(self, *names: str, dtype=np.int32) -> None:
        self.names = names
        self.dtype = dtype
        self.pending: list[tuple[int, ...]] = []
        self.size = 0
        self.data = {name: np.zeros(1024, dtype=dtype) for name in names}

    def __len__(self) -> int:
        return self.size + len(self.pending)

    def add(self, *row: int) -> None:
        self.pending.append(row)

    def extend(self, *columns: np.ndarray) -> None:
        """Add many rows at once, given column by column."""
        self.pending.extend(zip(*(c.tolist() for c in columns), strict=True))

    def arrays(self) -> dict[str, np.ndarray]:
        if self.pending:
            new = np.array(self.pending, dtype=self.dtype).reshape(len(self.pending), -1)
            end = self.size + len(new)
            for k, name in enumerate(self.names):
                column = self.data[name]
                if end > len(column):
                    grown = np.zeros(max(2 * len(column), end), dtype=self.dtype)
                    grown[: self.size] = column[: self.size]
                    self.data[name] = column = grown
                column[self.size : end] = new[:, k]
            self.size, self.pending = end, []
        return {name: column[: self.size] for name, column in self.data.items()}
