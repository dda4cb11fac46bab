"""The text stage in one call: normalize, tokenize, repair, quotes, sentences, clitics.

``analyse_text`` returns the four tidy tables of docs/design.md (tokens,
sentences, quotes, repairs); ``analyse_document`` loads a document first;
``analyse_corpus`` streams documents one at a time and concatenates the tables.
Every ``start``/``end`` is an offset into the original text (BOM removed).
"""

from __future__ import annotations

import gc
import threading
import warnings
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from functools import partial, wraps
from pathlib import Path

import numpy as np
import pandas as pd

from analysis import quotes as quotes_mod
from analysis import wordtypes
from analysis.clitics import analyse_clitics
from analysis.columns import char_positions, paint, substrings, take
from analysis.corpus import iter_documents, load_document
from analysis.errors import TextWarning
from analysis.normalize import TRAILING_CHARS, describe_repairs
from analysis.paths import METADATA_FILE
from analysis.quotes import verb_forms
from analysis.repair import RULE, find_split, is_vetoed, read_vetoes
from analysis.scan import Scan, TypeIndex, scan, scan_reference
from analysis.sentences import CLOSERS, TERMINATORS, WORD_KINDS, sentence_ids_batch
from analysis.tokens import token_kinds

TOKEN_COLUMNS = [
    "doc_id",
    "sentence",
    "index",
    "start",
    "end",
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


@dataclass
class TextTables:
    """The text stage's output tables (columns: docs/design.md)."""

    tokens: pd.DataFrame
    sentences: pd.DataFrame
    quotes: pd.DataFrame
    repairs: pd.DataFrame


_VETO_CACHE: dict[tuple[str, float], list] = {}


def _vetoes() -> list:
    """The veto file's rows, re-read only when the file changes."""
    from analysis.repair import VETO_FILE

    try:
        key = (str(VETO_FILE), VETO_FILE.stat().st_mtime)
    except FileNotFoundError:
        return []
    if key not in _VETO_CACHE:
        _VETO_CACHE.clear()
        _VETO_CACHE[key] = read_vetoes(VETO_FILE)
    return _VETO_CACHE[key]


SEPARATOR = "\n\n"  # between documents of a batch: a paragraph break

# Bit flags of a normalized token type (see _surface_attributes).
(_WORD, _NUMBER, _TERM, _CLOSER, _QUOTE, _VERB, _DOT, _SPLITTABLE, _NAME, _ARTICLE, _LINK) = (
    1 << k for k in range(11)
)
_APOSTROPHES, _DOUBLE_QUOTE = 1 << 11, 1 << 12  # the two symmetric quotation marks
_COMMA = 1 << 13  # ، or , (a speech verb after a quote: quotes.annotate_batch)
COMMAS = frozenset("،,")


def _other_type_flags(token: str, kind: str) -> int:
    """Flags of a normalized token type that is not a word (``kind`` != "word").

    Word types get theirs in :func:`_surface_attributes`, all at once.
    """
    flags = 0
    if kind in WORD_KINDS:
        flags |= _WORD
    if kind == "number":
        flags |= _NUMBER
    if kind == "punct" and token[0] in TERMINATORS:
        flags |= _TERM
    if token[0] in CLOSERS:
        flags |= _CLOSER
    if kind == "quote":
        flags |= _QUOTE
        key = int(quotes_mod.symmetric_key([token])[0])
        flags |= _APOSTROPHES if key == 0 else _DOUBLE_QUOTE if key == 1 else 0
    if token == ".":
        flags |= _DOT
    if token in COMMAS:
        flags |= _COMMA
    return flags


def _most_used(uses: np.ndarray, k: int) -> np.ndarray:
    """Positions of the ``k`` largest ``uses`` (ties: the lower position), in no set order.

    The same set as ``np.argsort(-uses, kind="stable")[:k]``, found in linear
    time: the positions above the k-th largest count, then the lowest positions
    that have it (a stable sort of every type cost ~10 ms per shrink).
    """
    m = len(uses)
    if k <= 0:
        return np.zeros(0, dtype=np.int64)
    if k >= m:
        return np.arange(m, dtype=np.int64)
    kth = np.partition(uses, m - k)[m - k]
    above = np.flatnonzero(uses > kth)
    return np.concatenate((above, np.flatnonzero(uses == kth)[: k - len(above)]))


class _Vocabulary:
    """Distinct strings this process has seen, with per-type attributes as arrays.

    A batch's own types (from :func:`analysis.scan.scan`) are mapped to ids here
    by a :class:`~analysis.scan.TypeIndex` (a C hash table, ~70 ns per fresh key
    against ~340 ns for a dict); attributes are computed only for types never
    seen before (:func:`_surface_attributes`) and reach the tokens with
    :func:`analysis.columns.take`. So the cost per type is paid once per
    process, not once per batch (a batch
    of 200 articles has a third as many types as tokens). Bounded: once it holds
    more than ``max_size`` types, it keeps those of the batch just analysed and
    the most used others, up to 70 % of the bound (:meth:`shrink`): common words
    stay analysed, rare ones are forgotten, so memory stays flat however large
    the corpus. (Keeping only the batch's types, as before, re-analysed 185,549
    types for the 132,814 of the 50 MB benchmark corpus; this keeps it to about
    142k in a simulation on the same batches.) Results never depend on what it
    holds.
    """

    KEEP_MOST_USED = 0.7  # share of max_size kept by use when shrinking

    def __init__(self, names: dict[str, type], max_size: int) -> None:
        self.names = names  # attribute name -> numpy dtype
        self.max_size = max_size
        self.clear()

    def clear(self) -> None:
        """Forget every type (``values`` arrays hold ``len(self)`` types, then spare room)."""
        self.index = TypeIndex()  # written type -> id (C hash table when built)
        self.values: dict[str, np.ndarray] = {
            name: np.empty(0, dtype=dtype) for name, dtype in self.names.items()
        }
        self.uses = np.zeros(0, dtype=np.int64)  # tokens seen per type (for shrink)

    def __len__(self) -> int:
        return len(self.index)

    def keep_only(self, ids: np.ndarray) -> None:
        """Forget every type but ``ids`` (distinct ids), which become 0, 1, 2 and so on.

        New arrays are made, so arrays handed out earlier stay valid for the ids
        they were given with.
        """
        uses = np.zeros(len(self), dtype=np.int64)
        counted = min(len(uses), len(self.uses))
        uses[:counted] = self.uses[:counted]
        self.index.keep(ids)
        self.values = {name: column[ids] for name, column in self.values.items()}
        self.uses = uses[ids]

    def note_uses(self, token_ids: np.ndarray) -> None:
        """Count the tokens of each type (``token_ids``: the ids of a batch's tokens)."""
        counts = np.bincount(token_ids, minlength=len(self))
        if len(self.uses) < len(counts):
            grown = np.zeros(max(2 * len(self.uses), len(counts)), dtype=np.int64)
            grown[: len(self.uses)] = self.uses
            self.uses = grown
        self.uses[: len(counts)] += counts

    def shrink(self, batch_ids: np.ndarray) -> None:
        """Keep the types ``batch_ids`` and the most used others (in their old order).

        The most used are the ``KEEP_MOST_USED * max_size`` types with the most
        tokens counted by :meth:`note_uses` (ties: the lower id).
        """
        m = len(self)
        k = min(m, int(self.KEEP_MOST_USED * self.max_size))
        uses = np.zeros(m, dtype=np.int64)
        counted = min(m, len(self.uses))
        uses[:counted] = self.uses[:counted]
        top = _most_used(uses, k)
        keep = np.zeros(m, dtype=bool)  # a mask, not np.union1d's sort
        keep[top] = True
        keep[batch_ids] = True
        self.keep_only(np.flatnonzero(keep))

    def ids(self, uniques: list[str], compute, present: np.ndarray | None = None) -> np.ndarray:
        """Ids of the distinct strings ``uniques`` (-1 where ``present`` is False).

        ``compute(positions)`` gets the positions in ``uniques`` of new types and
        returns a dict ``name -> list`` of their attributes. Types not
        ``present`` (no token has them) are neither looked at nor stored.
        """
        ids = self.index.lookup(uniques)
        missing = ids < 0
        if present is not None:
            missing &= present
        new = np.flatnonzero(missing)
        if len(new):
            base = len(self.index)
            new_ids = np.arange(base, base + len(new), dtype=np.int64)
            strings = [uniques[k] for k in new.tolist()]
            self.index.add(strings, new_ids)
            ids[new] = new_ids
            computed = compute(new)
            end = base + len(new)
            for name, dtype in self.names.items():
                column = self.values[name]
                if end > len(column):  # grow by doubling: no copy of every type per batch
                    grown = np.empty(max(2 * len(column), end, 1024), dtype=dtype)
                    grown[:base] = column[:base]
                    self.values[name] = column = grown
                column[base:end] = computed[name]
        return ids


# Per written type (the clitic analysis looks at the written hamza): its
# normalized form, kind and flags, and the clitic columns. Measured: ~470 bytes per
# type (92k types: 43 MB), so the 100k bound keeps it under ~50 MB.
_VOCABULARY_LOCK = threading.Lock()
_SURFACES = _Vocabulary(
    {
        "normalized": object,
        "kind": object,
        "flags": np.uint16,  # 14 bits used; small, so per-token tests move less memory
        "cuts": object,
        "verb": object,
        "bare": object,
        "bares": object,
        "proclitics": object,
        "enclitic": object,
    },
    100_000,
)


def _surface_attributes(
    surfaces: list[str], normalized: list[str], repaired: list[bool]
) -> dict[str, list]:
    """Attributes of new written types, given each one's normalized form.

    ``repaired`` marks types first met as a piece of a split word: such a piece
    keeps the kind ``word`` of the word it came from (its clitic columns are a
    word's; its flags are its own type's). Word types, nearly all of them, are
    analysed together (clitics and run-together test in one call each); the
    others one by one with :func:`_other_type_flags`.
    """
    m = len(surfaces)
    kinds = token_kinds(normalized)
    # Per-type lists turned into numpy arrays once: the flags are then set with
    # whole-array operations, not a Python loop over ~100k types.
    flags = np.zeros(m, dtype=np.int64)
    cuts = np.full(m, None, dtype=object)
    verbs = np.full(m, None, dtype=object)
    is_word = np.array([k == "word" for k in kinds], dtype=bool)
    words = np.flatnonzero(is_word)
    for k in np.flatnonzero(~is_word).tolist():
        flags[k] = _other_type_flags(normalized[k], kinds[k])
    if len(words):
        word_forms = [normalized[k] for k in words.tolist()]
        links, stops = quotes_mod.NAME_LINKS, quotes_mod.speaker_stopwords()
        split_of = wordtypes.splittable(word_forms)
        split_words = words[split_of]
        cuts[split_words] = _obj(
            wordtypes.split_points([normalized[k] for k in split_words.tolist()])
        )
        verb_of = verb_forms(word_forms)
        is_verb = np.array([v is not None for v in verb_of], dtype=bool)
        f = np.where(split_of, _SPLITTABLE | _WORD, _WORD)
        f |= np.where([w.startswith("ال") for w in word_forms], _ARTICLE, 0)
        f |= np.where([w in links for w in word_forms], _LINK, 0)
        f |= np.where(is_verb, _VERB, 0)
        # not a verb and not a stopword: may be part of a speaker's name
        # (quotes.speaker_lengths)
        f |= np.where(
            ~is_verb & np.array([w not in stops for w in word_forms], dtype=bool), _NAME, 0
        )
        flags[words] = f
        # the verb as written, without a conjunction و/ف
        written = []
        for k, norm, verb in zip(
            words[is_verb].tolist(),
            np.asarray(word_forms, dtype=object)[is_verb].tolist(),
            np.asarray(verb_of, dtype=object)[is_verb].tolist(),
            strict=True,
        ):
            surface = surfaces[k]
            conj = verb != norm and surface[:1] in ("و", "ف")
            written.append(surface[1:] if conj else surface)
        verbs[words[is_verb]] = _obj(written)
    # Clitic columns: a word's (or a piece's) from its written form, else the
    # normalized form as it is.
    bare = _obj(normalized)
    bares = _obj([(n,) for n in normalized])
    proclitics = np.full(m, "", dtype=object)
    enclitic = np.full(m, "", dtype=object)
    analysed = np.flatnonzero(is_word | np.asarray(repaired, dtype=bool))
    if len(analysed):
        b, bs, p, e = wordtypes.word_rows([surfaces[k] for k in analysed.tolist()])
        bare[analysed], bares[analysed] = _obj(b), _obj(bs)
        proclitics[analysed], enclitic[analysed] = _obj(p), _obj(e)
    return {
        "normalized": normalized,
        "kind": kinds,
        "flags": flags,
        "cuts": cuts,
        "verb": verbs,
        "bare": bare,
        "bares": bares,
        "proclitics": proclitics,
        "enclitic": enclitic,
    }


class _Column:
    """Read-only sequence ``values[codes[i]]`` without a Python object per token.

    The quote helpers index tokens one at a time around the few quotation marks;
    this view lets them do so on a document's slice of the batch arrays.
    """

    __slots__ = ("_values", "_codes")

    def __init__(self, values: list[str], codes: np.ndarray) -> None:
        self._values = values
        self._codes = codes

    def __len__(self) -> int:
        return len(self._codes)

    def __getitem__(self, i):
        if isinstance(i, slice):
            return [self._values[c] for c in self._codes[i].tolist()]
        return self._values[self._codes[i]]


def _repair(
    sc: Scan,
    splittable: np.ndarray,
    doc_ids: list[str],
    doc_starts: np.ndarray,
    vetoes,
    cuts_of: Callable[[int], tuple[int, ...]] | None = None,
) -> tuple[Scan, np.ndarray, dict[str, list]]:
    """Split run-together word tokens; returns the new tokens, ``repaired`` and the audit.

    The new tokens are ``sc`` with its token arrays rebuilt (the pieces of a split
    word appended to its type lists); ``repaired`` marks the pieces.

    ``sc.original`` may hold several documents starting at ``doc_starts``; the
    audit columns are ``doc`` (document number), ``start``, ``end`` (offsets into
    ``sc.original``), ``original``, ``replacement``, ``vetoed``. Cut points are
    found once per splittable *type*; the pieces of every occurrence are then
    placed with array arithmetic, and the token arrays rebuilt with one
    ``np.repeat``. ``cuts_of(i)`` gives the cut points of token ``i``'s word
    (default: :func:`~analysis.repair.find_split` of its normalized form).
    """
    n = len(sc)
    audit: dict[str, list] = {k: [] for k in ("doc", "start", "end", "original", "replacement")}
    audit["vetoed"] = []
    unchanged = (sc, np.zeros(n, dtype=bool), audit)
    if n == 0 or not splittable.any():
        return unchanged
    occ = np.flatnonzero(splittable)  # tokens of splittable types
    occ_codes = sc.codes[occ]
    # Per splittable type: piece bounds relative to the token start, flattened.
    m = len(sc.uniques)
    n_parts = np.zeros(m, dtype=np.int64)
    type_offset = np.zeros(m, dtype=np.int64)
    rel_start: list[int] = []
    rel_end: list[int] = []
    types, first_occ = np.unique(occ_codes, return_index=True)
    for k, i in zip(types.tolist(), occ[first_occ].tolist(), strict=True):
        word = sc.uniques[k]
        cuts = (cuts_of(i) if cuts_of is not None else find_split(word)) or ()
        type_offset[k] = len(rel_start)
        n_parts[k] = len(cuts) + 1
        rel_start.extend((0, *cuts))
        rel_end.extend((*cuts, len(word)))
    parts = n_parts[occ_codes]
    occ_start, occ_end = sc.start[occ], sc.end[occ]
    doc = np.searchsorted(doc_starts, occ_start, side="right") - 1
    if vetoes:
        vetoed = np.array(
            [
                is_vetoed(vetoes, doc_ids[d], sc.uniques[c])
                for d, c in zip(doc.tolist(), occ_codes.tolist(), strict=True)
            ],
            dtype=bool,
        )
    else:
        vetoed = np.zeros(len(occ), dtype=bool)
    # Every piece of every occurrence, in text order.
    piece_occ = np.repeat(np.arange(len(occ), dtype=np.int64), parts)
    piece_no = np.arange(len(piece_occ), dtype=np.int64) - np.repeat(
        np.cumsum(parts) - parts, parts
    )
    flat = type_offset[occ_codes][piece_occ] + piece_no
    token_nstart = sc.nstart[occ][piece_occ]
    piece_nstart = token_nstart + np.asarray(rel_start, dtype=np.int64)[flat]
    piece_nend = token_nstart + np.asarray(rel_end, dtype=np.int64)[flat]
    piece_start, piece_end = _original_span(sc, piece_nstart, piece_nend)
    # A cut inside one original character that normalization expands (the
    # ligature ﻻ becomes لا) would give two pieces the same character, and the
    # piece a written form whose normalization is not its own: such a word is
    # left whole (checked per occurrence: the expansion is in the original).
    later = np.flatnonzero(piece_no > 0)
    inside = later[piece_start[later] < piece_end[later - 1]]
    if len(inside):
        keep_whole = splittable.copy()
        keep_whole[occ[piece_occ[inside]]] = False
        return _repair(sc, keep_whole, doc_ids, doc_starts, vetoes, cuts_of)
    original = sc.original
    piece_surface = [
        original[a:b] for a, b in zip(piece_start.tolist(), piece_end.tolist(), strict=True)
    ]
    bounds = np.cumsum(parts).tolist()
    audit["doc"] = doc.tolist()
    audit["start"] = occ_start.tolist()
    audit["end"] = occ_end.tolist()
    audit["original"] = [sc.suniques[c] for c in sc.scodes[occ].tolist()]
    audit["replacement"] = [
        " ".join(piece_surface[a:b]) for a, b in zip([0, *bounds[:-1]], bounds, strict=True)
    ]
    audit["vetoed"] = vetoed.tolist()
    if vetoed.all():
        return unchanged
    # Rebuild the arrays: a split token of k parts takes k rows.
    keep = ~vetoed[piece_occ]  # pieces of repairs that are made
    reps = np.ones(n, dtype=np.int64)
    reps[occ[~vetoed]] = parts[~vetoed]
    first_row = np.concatenate(([0], np.cumsum(reps)[:-1]))
    rows = first_row[occ][piece_occ][keep] + piece_no[keep]
    nstart, nend = np.repeat(sc.nstart, reps), np.repeat(sc.nend, reps)
    start, end = np.repeat(sc.start, reps), np.repeat(sc.end, reps)
    codes, scodes = np.repeat(sc.codes, reps), np.repeat(sc.scodes, reps)
    repaired = np.zeros(len(nstart), dtype=bool)
    nstart[rows], nend[rows] = piece_nstart[keep], piece_nend[keep]
    start[rows], end[rows] = piece_start[keep], piece_end[keep]
    repaired[rows] = True
    uniques, suniques = list(sc.uniques), list(sc.suniques)
    codes[rows] = _intern(
        uniques,
        [
            sc.ntext[a:b]
            for a, b in zip(piece_nstart[keep].tolist(), piece_nend[keep].tolist(), strict=True)
        ],
    )
    scodes[rows] = _intern(
        suniques, [p for p, k in zip(piece_surface, keep.tolist(), strict=True) if k]
    )
    rebuilt = replace(
        sc,
        nstart=nstart,
        nend=nend,
        start=start,
        end=end,
        codes=codes,
        uniques=uniques,
        scodes=scodes,
        suniques=suniques,
    )
    return rebuilt, repaired, audit


def _original_span(sc: Scan, nstart: np.ndarray, nend: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Original offsets of a few normalized spans (:meth:`NormalizedText.span`'s rule).

    The end moves past diacritics and tatweel that follow the span's last letter;
    here by looking at the characters themselves, which for a few pieces of split
    words is cheaper than :meth:`NormalizedText.end_offsets`'s pass over the
    whole batch.
    """
    if sc.index is None:
        return nstart.copy(), nend.copy()
    start = sc.index[nstart]
    end = sc.index[nend - 1] + 1
    original, size = sc.original, len(sc.original)
    out = end.tolist()
    for k, p in enumerate(out):
        while p < size and original[p] in TRAILING_CHARS:
            p += 1
        out[k] = p
    return start, np.asarray(out, dtype=np.int64)


def _intern(uniques: list[str], values: list[str]) -> np.ndarray:
    """Codes for ``values``, appended to ``uniques`` (in place) once per distinct value.

    A value may already be in ``uniques``: codes then need not be unique per
    string, which nothing downstream relies on (the vocabulary maps strings).
    """
    code_of: dict[str, int] = dict.fromkeys(values)  # distinct values, first seen first
    base = len(uniques)
    for k, value in enumerate(code_of):
        code_of[value] = base + k
    uniques.extend(code_of)
    return np.fromiter(map(code_of.__getitem__, values), dtype=np.int64, count=len(values))


def _scan(text: str, engine: str) -> Scan:
    if engine == "fast":
        return scan(text)
    if engine == "pyarabic":
        return scan_reference(text, "pyarabic")
    raise ValueError(f"unknown tokenizer engine {engine!r}: use 'fast' or 'pyarabic'")


def _quote_membership(
    opens: np.ndarray, closes: np.ndarray, doc: np.ndarray, n: int
) -> tuple[np.ndarray, np.ndarray]:
    """``quote_id`` (innermost quote, document-local number; -1 outside) and ``in_quote``.

    Quotes that do not nest are marked with cumulative sums; a document whose
    quotes nest is handled quote by quote (innermost wins; a mark is inside a
    quote only when its quote is nested in another).
    """
    quote_id = np.full(n, -1, dtype=np.int64)
    in_quote = np.zeros(n, dtype=bool)
    m = len(opens)
    if m == 0:
        return quote_id, in_quote
    quote_doc = doc[opens]
    rank = np.arange(m, dtype=np.int64) - np.searchsorted(quote_doc, quote_doc)
    nested_doc = np.zeros(int(doc[-1]) + 1, dtype=bool)
    overlap = (closes[:-1] > opens[1:]) & (quote_doc[:-1] == quote_doc[1:])
    nested_doc[quote_doc[:-1][overlap]] = True
    flat = ~nested_doc[quote_doc]
    if flat.any():
        o, c, r = opens[flat], closes[flat], rank[flat]
        # Flat quotes share no token, so each index below occurs once per line.
        delta = np.zeros(n + 1, dtype=np.int64)
        delta[o] += r + 1
        delta[c + 1] -= r + 1
        inside = np.cumsum(delta[:n])
        quote_id = np.where(inside > 0, inside - 1, quote_id)
        depth = np.zeros(n + 1, dtype=np.int64)
        depth[o + 1] += 1
        depth[c] -= 1
        in_quote |= np.cumsum(depth[:n]) > 0
    nested = np.flatnonzero(~flat)
    if len(nested):
        o, c, r = opens[nested], closes[nested], rank[nested]
        # Longest first, so that the innermost quote's number is written last.
        order = np.lexsort((-(c - o), quote_doc[nested]))
        paint(quote_id, o[order], c[order] + 1, r[order])
        # Inside some quote: between its marks (a depth count, as above).
        depth = np.bincount(o + 1, minlength=n + 1) - np.bincount(c, minlength=n + 1)
        in_quote |= np.cumsum(depth[:n]) > 0
        # A mark is inside a quote only when another quote contains it: quotes
        # opened before it, minus those closed before it or by it.
        marks = np.concatenate((o, c))
        containing = (
            np.searchsorted(np.sort(o), marks)
            - np.searchsorted(np.sort(c), marks)
            - np.concatenate((np.zeros(len(o), dtype=np.int64), np.ones(len(c), dtype=np.int64)))
        )
        in_quote[marks] = containing > 0
    return quote_id, in_quote


def _first_of_type(codes: np.ndarray, m: int) -> np.ndarray:
    """Index of the first token of each of the ``m`` types (codes in first-seen order)."""
    first = np.full(m, -1, dtype=np.int64)  # -1: no token left (a split word)
    # Writing in reverse order: for a repeated index the last write (the first
    # occurrence) is the one that stays.
    first[codes[::-1]] = np.arange(len(codes) - 1, -1, -1, dtype=np.int64)
    return first


@dataclass
class TextArrays:
    """The text stage's result for a batch of documents, as arrays (no tables yet).

    Token ``i`` belongs to document ``doc[i]`` (``first[k]:last[k]`` are document
    ``k``'s tokens); ``sid[i]`` is its written type in the process-wide
    vocabulary (:data:`_SURFACES`: normalized form, kind, flags, clitic columns
    per type). :func:`analysis.scale.summarise_chunk` counts from these arrays
    directly; :func:`_tables` turns them into the tidy tables.
    """

    doc_ids: list[str]
    doc_starts: np.ndarray
    original: str
    tokens: Scan  # after repairs
    repaired: np.ndarray  # the token is a piece of a split run-together word
    values: dict[str, np.ndarray]  # the vocabulary's attribute arrays, as of this batch
    sid: np.ndarray
    flags: np.ndarray
    kind: np.ndarray
    doc: np.ndarray
    first: np.ndarray
    last: np.ndarray
    sentence: np.ndarray  # document-local
    global_sentence: np.ndarray
    quotes: quotes_mod.QuoteArrays
    quote_id: np.ndarray
    in_quote: np.ndarray
    repairs: dict[str, list]

    def __len__(self) -> int:
        return len(self.sid)

    def attribute(self, name: str) -> np.ndarray:
        """A per-type attribute (``normalized``, ``bare``, …) spread to every token."""
        return take(self.values[name], self.sid)


def prepare() -> None:
    """Build this process's tables for the text stage now, not during the first batch.

    The word-frequency list (read from ``build/cache/`` or built from
    wordfreq), the run-together split table, the clitic grammar, the compiled
    word-type code's configuration and the speech-verb and stop-word lists:
    about 0.6 s once per process, the same whatever the corpus size. Calling
    it is optional (each table is also built on first use) and changes no
    result; benchmarks call it so that their timings measure the text itself,
    and report its time separately.
    """
    wordtypes.prepare()  # word list, split table, clitic plans, extension
    quotes_mod.speech_verbs()
    quotes_mod.speaker_stopwords()
    _vetoes()


def _analyse_batch(items: list[tuple[str, str]], engine: str) -> TextTables:
    """The text stage on several documents at once (tables)."""
    return _tables(analyse_arrays(items, engine))


def _without_cyclic_gc(function):
    """Run ``function`` with CPython's cyclic garbage collector paused (then restored).

    A batch allocates a few hundred thousand objects (per-type strings, tuples,
    lists) and makes no reference cycles, yet each allocation burst triggers
    collections that walk the long-lived tables (the word list, the type
    vocabulary): about 7 % of the text stage's time at 50 MB. Reference
    counting still frees everything as usual. Only a collector that was on is
    turned back on, so nested or concurrent calls never leave it off.
    """

    @wraps(function)
    def paused(*args, **kwargs):
        was_enabled = gc.isenabled()
        gc.disable()
        try:
            return function(*args, **kwargs)
        finally:
            if was_enabled:
                gc.enable()

    return paused


@_without_cyclic_gc
def analyse_arrays(items: list[tuple[str, str]], engine: str = "fast") -> TextArrays:
    """The text stage on several documents at once, as arrays.

    The texts are joined with a paragraph break and scanned (normalized,
    tokenized, typed) in one pass; everything after works once per word type and
    spreads the result to tokens with numpy, except around the (rare) quotation
    marks and run-together words. Sentences never cross a document boundary;
    quotes are paired within their document; offsets are made relative to each
    document.
    """
    doc_ids = [d for d, _ in items]
    texts = [t for _, t in items]
    lengths = np.array([len(t) for t in texts], dtype=np.int64)
    doc_starts = np.concatenate(([0], np.cumsum(lengths + len(SEPARATOR))[:-1])).astype(np.int64)
    big = SEPARATOR.join(texts)
    sc = _scan(big, engine)
    first_token = _first_of_type(sc.scodes, len(sc.suniques))

    def attributes(tokens: Scan, repaired: np.ndarray, offset: int, positions: np.ndarray) -> dict:
        positions = positions + offset
        firsts = first_token[positions]
        return _surface_attributes(
            [tokens.suniques[k] for k in positions.tolist()],
            [tokens.uniques[c] for c in tokens.codes[firsts].tolist()],
            repaired[firsts].tolist(),
        )

    no_repairs = np.zeros(len(sc), dtype=bool)
    # One batch at a time uses the vocabulary (threads of one Dask worker share it);
    # the batch keeps the attribute arrays it was given, which a later clear() or
    # growth replaces but never changes.
    with _VOCABULARY_LOCK:
        sids = _SURFACES.ids(sc.suniques, partial(attributes, sc, no_repairs, 0))
        splittable = ((_SURFACES.values["flags"][sids] & _SPLITTABLE) != 0)[sc.scodes]
        type_cuts = _SURFACES.values["cuts"]
        tok, repaired, repair_rows = _repair(
            sc,
            splittable,
            doc_ids,
            doc_starts,
            _vetoes(),
            lambda i: type_cuts[sids[sc.scodes[i]]],
        )
        if len(tok.suniques) > len(sc.suniques):  # pieces of split words: new written types
            first_token = _first_of_type(tok.scodes, len(tok.suniques))
            m0 = len(sc.suniques)
            more = _SURFACES.ids(
                tok.suniques[m0:],
                partial(attributes, tok, repaired, m0),
                first_token[m0:] >= 0,
            )
            sids = np.concatenate((sids, more))
        values = dict(_SURFACES.values)
        token_ids = sids[tok.scodes]
        _SURFACES.note_uses(token_ids)
        if len(_SURFACES) > _SURFACES.max_size:
            _SURFACES.shrink(np.unique(token_ids))
    codes = tok.codes
    n = len(codes)
    sid = sids[tok.scodes]
    flags = values["flags"][sid]
    is_word = (flags & _WORD) != 0
    kind = take(values["kind"], sid)
    if repaired.any():
        kind[repaired] = "word"  # pieces of a split word keep the word's kind

    # Documents: first token of each, and the document of each token.
    first = np.searchsorted(tok.start, doc_starts)
    last = np.searchsorted(tok.start, doc_starts + lengths)
    doc = np.repeat(np.arange(len(items), dtype=np.int64), last - first)

    # Quotation marks, paired within each document.
    attaches = (flags & _CLOSER) != 0
    marks = np.flatnonzero(flags & _QUOTE)
    mark_flags = flags[marks]
    newlines = char_positions(sc.ntext, "\n")  # line breaks end sentences and quote runs
    opens, closes = quotes_mod.pair_batch(
        marks,
        take(tok.uniques, codes[marks]).tolist(),
        sc.ntext,
        tok.nstart,
        doc,
        np.where(mark_flags & _APOSTROPHES, 0, np.where(mark_flags & _DOUBLE_QUOTE, 1, -1)),
        newlines,
    )
    attaches[closes] = True

    global_sent = sentence_ids_batch(
        sc.ntext,
        tok.nstart,
        tok.nend,
        doc,
        first,
        last,
        np.flatnonzero(flags & _TERM),
        (flags & _DOT) != 0,
        (flags & _NUMBER) != 0,
        attaches,
        is_word,
        newlines,
    )
    # Document-local sentence numbers (each document's first sentence is 0).
    sent = global_sent - global_sent[first[doc]] if n else global_sent

    verbs = np.flatnonzero(flags & _VERB)
    name_word = (flags & _NAME) != 0
    stops = quotes_mod.speaker_stopwords()
    pieces = np.flatnonzero(repaired)  # a piece of a split word is a word
    if len(pieces):
        piece_codes, which = np.unique(codes[pieces], return_inverse=True)
        piece_forms = [tok.uniques[c] for c in piece_codes.tolist()]
        piece_name = [
            f not in stops and v is None
            for f, v in zip(piece_forms, verb_forms(piece_forms), strict=True)
        ]
        name_word[pieces] = np.array(piece_name, dtype=bool)[which]
    surface = _Column(tok.suniques, tok.scodes)

    written_verbs = values["verb"]

    def written_verb(indices: np.ndarray) -> np.ndarray:
        """The verbs of tokens ``indices`` as written, without a conjunction و/ف."""
        return written_verbs[sid[indices]]

    quotes = quotes_mod.annotate_batch(
        opens,
        closes,
        global_sent,
        doc,
        first,
        last,
        is_word,
        verbs,
        quotes_mod.speaker_lengths(
            verbs,
            last[doc[verbs]],
            name_word,
            (flags & _ARTICLE) != 0,
            (flags & _LINK) != 0,
        ),
        surface,
        written_verb,
        (flags & _COMMA) != 0,
    )
    quote_id, in_quote = _quote_membership(opens, closes, doc, n)
    return TextArrays(
        doc_ids,
        doc_starts,
        big,
        tok,
        repaired,
        values,
        sid,
        flags,
        kind,
        doc,
        first,
        last,
        sent,
        global_sent,
        quotes,
        quote_id,
        in_quote,
        repair_rows,
    )


@_without_cyclic_gc
def _tables(b: TextArrays) -> TextTables:
    """The four tidy tables of a batch (columns: docs/design.md)."""
    doc_starts, big, tok = b.doc_starts, b.original, b.tokens
    doc_ids = _doc_id_values(b.doc_ids)
    doc, first, sent, global_sent = b.doc, b.first, b.sentence, b.global_sentence
    n = len(b)
    opens, closes = b.quotes.open_token, b.quotes.close_token
    quote_doc = doc[opens]
    quote_rank = np.arange(len(opens), dtype=np.int64) - np.searchsorted(quote_doc, quote_doc)
    q_start, q_end = tok.end[opens], tok.start[closes]
    quote_base = doc_starts[quote_doc]
    quote_columns = {
        "doc_id": doc_ids[quote_doc],
        "quote_id": quote_rank,
        "start": q_start - quote_base,
        "end": q_end - quote_base,
        "text": substrings(big, q_start, q_end),
        "kind": b.quotes.kind,
        "verb": b.quotes.verb,
        "speaker": b.quotes.speaker,
        "sentence": sent[opens],
    }
    is_word = (b.flags & _WORD) != 0

    # Sentences: where the (batch-wide, non-decreasing) sentence number changes.
    sentence_rows: dict[str, list] = {c: [] for c in SENTENCE_COLUMNS}
    if n:
        boundaries = np.flatnonzero(np.diff(global_sent)) + 1
        firsts = np.concatenate(([0], boundaries))
        lasts = np.concatenate((boundaries - 1, [n - 1]))
        s_doc = doc[firsts]
        s_start, s_end = tok.start[firsts], tok.end[lasts]
        base = doc_starts[s_doc]
        word_counts = np.bincount(global_sent[is_word], minlength=len(firsts))
        sentence_rows = {
            "doc_id": doc_ids[s_doc],
            "sentence": sent[firsts],
            "start": s_start - base,
            "end": s_end - base,
            "text": substrings(big, s_start, s_end),
            "n_words": word_counts[: len(firsts)],
        }

    index = np.arange(n, dtype=np.int64) - first[doc] if n else np.zeros(0, dtype=np.int64)
    values = b.values
    tokens = pd.DataFrame(
        {
            "doc_id": _strings(doc_ids, doc),
            "sentence": sent.astype(np.int64),
            "index": index,
            "start": tok.start - doc_starts[doc] if n else np.zeros(0, dtype=np.int64),
            "end": tok.end - doc_starts[doc] if n else np.zeros(0, dtype=np.int64),
            "surface": _strings(tok.suniques, tok.scodes),
            "kind": _strings(b.kind, None),
            "normalized": _strings(values["normalized"], b.sid),
            "bare": _strings(values["bare"], b.sid),
            "bares": take(values["bares"], b.sid),
            "proclitics": _strings(values["proclitics"], b.sid),
            "enclitic": _strings(values["enclitic"], b.sid),
            "in_quote": b.in_quote,
            "quote_id": pd.arrays.IntegerArray(b.quote_id, b.quote_id < 0),
            "repaired": b.repaired,
        },
        columns=TOKEN_COLUMNS,
        copy=False,
    )
    repair_rows = b.repairs
    audit_doc = np.asarray(repair_rows["doc"], dtype=np.int64)
    repairs = {
        "doc_id": doc_ids[audit_doc],
        "start": np.asarray(repair_rows["start"], dtype=np.int64) - doc_starts[audit_doc],
        "end": np.asarray(repair_rows["end"], dtype=np.int64) - doc_starts[audit_doc],
        "original": repair_rows["original"],
        "replacement": repair_rows["replacement"],
        "rule": [RULE] * len(audit_doc),
        "vetoed": repair_rows["vetoed"],
    }
    return TextTables(
        tokens,
        _columns(sentence_rows, SENTENCE_COLUMNS),
        _columns(quote_columns, QUOTE_COLUMNS),
        _columns(repairs, REPAIR_COLUMNS),
    )


def _clitic_row(surface: str, kind: str, normalized: str) -> tuple:
    """``(bare, bares, proclitics, enclitic)`` of one written token type."""
    if kind == "word":
        found = analyse_clitics(surface)
        return (
            found[0].bare,
            tuple(dict.fromkeys(a.bare for a in found)),
            found[0].proclitic_string,
            found[0].enclitic,
        )
    return (normalized, (normalized,), "", "")


# The dtype ``Series.astype(str)`` gives (object on pandas 2, "str" on pandas 3).
_STR_DTYPE = pd.Series(["a"], dtype=object).astype(str).dtype
_STR_EMPTY = pd.Series([], dtype=object).astype(str).array
# Whether _strings may wrap an object array of str as that dtype's array directly.
_WRAP_STR = (
    isinstance(_STR_DTYPE, pd.StringDtype)
    and _STR_DTYPE.storage == "python"
    and hasattr(_STR_EMPTY, "_from_backing_data")
)


def _strings(
    values: list[str] | np.ndarray, codes: np.ndarray | None
) -> pd.api.extensions.ExtensionArray:
    """``values[codes]`` (``values`` itself when ``codes`` is None) as a string column.

    The same column as ``pd.Series(values[codes]).astype(str)``, but every value
    here is already a ``str`` (a type's string, made by this module), so on
    pandas 3 the taken object array is wrapped as a ``str`` array directly, as
    pandas' own ``StringArray.take`` does, instead of checking every token's
    string again (that check cost about as much as the bare regex per token).
    """
    if codes is not None:
        taken = take(values, codes)
    else:
        taken = _obj(values) if isinstance(values, list) else values
    if _WRAP_STR:
        return _STR_EMPTY._from_backing_data(taken)
    return pd.Series(taken, dtype=object, copy=False).astype(str).array


def _obj(values) -> np.ndarray:
    out = np.empty(len(values), dtype=object)
    out[:] = values
    return out


# String columns get pandas' default string dtype (object on pandas 2, "str" on
# pandas 3) whether the table is empty or not, so tables always concatenate cleanly
# (through _strings).
_INT_COLUMNS = {"sentence", "start", "end", "n_words", "quote_id"}
_BOOL_COLUMNS = {"vetoed"}


def _columns(data: dict[str, list | np.ndarray], columns: list[str]) -> pd.DataFrame:
    """A table from column arrays: int64 and bool columns by name, the rest strings.

    Every string here is one this module made (a slice of the text, a type's
    string, a verb or speaker, a rule) except the document ids, which
    :func:`_doc_id_values` converts once per batch; so :func:`_strings` need not
    check them again. Empty tables get the same dtypes.
    """
    out: dict[str, np.ndarray | pd.api.extensions.ExtensionArray] = {}
    for column in columns:
        values = data[column]
        if column in _INT_COLUMNS:
            out[column] = np.asarray(values, dtype=np.int64)
        elif column in _BOOL_COLUMNS:
            out[column] = np.asarray(values, dtype=bool)
        else:
            out[column] = _strings(values if len(values) else [], None)
    return pd.DataFrame(out, columns=columns, copy=False)


def _doc_id_values(doc_ids: list) -> np.ndarray:
    """The batch's document ids as strings (``Series.astype(str)``'s conversion).

    Ids that are all ``str`` already (the usual case) are taken as they are,
    without pandas' conversion (~0.6 ms per batch).
    """
    if all(type(d) is str for d in doc_ids):
        return _obj(doc_ids)
    return np.asarray(pd.Series(_obj(doc_ids), dtype=object).astype(str), dtype=object)


def analyse_text(
    text: str, doc_id: str = "doc", *, engine: str = "fast", warn: bool = True
) -> TextTables:
    """Run the whole text stage on one text (the original, BOM already removed).

    ``engine`` chooses the tokenizer (``"fast"`` or ``"pyarabic"``: same tokens).
    With ``warn``, invisible or unusual characters that normalization repairs are
    reported as :class:`~analysis.errors.TextWarning` naming ``doc_id``.
    """
    if warn:
        for message in describe_repairs(text):
            warnings.warn(f"{doc_id}: {message}", TextWarning, stacklevel=2)
    return _analyse_batch([(doc_id, text)], engine)


def analyse_texts(
    texts: Iterable[tuple[str, str]], *, engine: str = "fast", batch: int = 200
) -> Iterator[TextTables]:
    """Analyse ``(doc_id, text)`` pairs, yielding tables for batches of documents.

    Building pandas tables has a fixed cost per call, so large corpora are
    processed in batches of ``batch`` documents: memory stays bounded by one
    batch and the per-table overhead is paid once per batch.
    """
    pending: list[tuple[str, str]] = []
    for doc_id, text in texts:
        pending.append((doc_id, text))
        if len(pending) >= batch:
            yield _analyse_batch(pending, engine)
            pending = []
    if pending:
        yield _analyse_batch(pending, engine)


def analyse_document(doc_id_or_path: str | Path, *, engine: str = "fast") -> TextTables:
    """Load a document (by ``doc_id`` or path) and run :func:`analyse_text` on it.

    Loading already warns about repairs (naming the file), so the text stage does
    not warn a second time.
    """
    document = load_document(doc_id_or_path)
    return analyse_text(document.text, document.doc_id, engine=engine, warn=False)


def analyse_corpus(
    selection: Iterable[str] | pd.DataFrame | None = None,
    *,
    engine: str = "fast",
    metadata: str | Path = METADATA_FILE,
) -> TextTables:
    """Analyse documents one at a time (streaming) and concatenate their tables.

    ``metadata`` is the metadata table to read the selection from (default:
    ``corpus/metadata.csv``), so notebooks can run on another corpus folder.
    """
    pairs = ((d.doc_id, d.text) for d in iter_documents(selection, metadata))
    parts = list(analyse_texts(pairs, engine=engine))
    if not parts:
        return _analyse_batch([], engine)
    if len(parts) == 1:
        return parts[0]
    return TextTables(
        *(
            pd.concat([getattr(p, name) for p in parts], ignore_index=True)
            for name in ("tokens", "sentences", "quotes", "repairs")
        )
    )
