"""One pass over a text: normalization, tokenization and word types, with offsets.

:func:`scan` is what the text stage runs on each batch of documents. It gives
exactly what :func:`analysis.normalize.normalize` followed by
:func:`analysis.tokens.tokenize` gives (the normalized text, the map back to the
original, every token's span in both texts), plus the *types*: every token is an
integer code into a list of distinct normalized strings, and into a list of
distinct written (surface) strings. Later steps then work once per type
(clitics, repairs, lexicon keys) and spread the result to tokens with one numpy
``take``, instead of handling a Python string per token.

Two implementations give identical results (``tests/test_scan.py`` checks this
differentially on random strings and on the corpus):

* the compiled ``analysis._scan`` extension (C, built by ``pip install``), one
  loop over the characters with a hash table of types; and
* :func:`scan_reference`, the same result from the pure-Python modules, used when
  the extension is not built (a :class:`~analysis.errors.TextWarning`-free
  fallback: slower, never different).

:class:`TypeIndex` maps such types to int64 ids (the text stage's
vocabulary), with a compiled hash table when the extension is built.

:data:`COMPILED` says which one :func:`scan` uses (``make setup`` builds the
extension with the machine's C compiler; ``tests/test_scan.py`` fails if it is
missing in the project environment).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis.normalize import NormalizedText, normalize
from analysis.tokens import tokenize


@dataclass
class Scan:
    """Normalized text, token spans and token types of one text.

    ``codes[i]`` indexes ``uniques`` (normalized token strings, in order of first
    occurrence): ``uniques[codes[i]] == ntext[nstart[i]:nend[i]]``.
    ``scodes[i]`` indexes ``suniques`` (written strings, in order of first
    occurrence): ``suniques[scodes[i]] == original[start[i]:end[i]]``.
    ``index`` is :attr:`NormalizedText.index` (``None`` when normalization kept
    every offset).
    """

    original: str
    ntext: str
    index: np.ndarray | None
    nstart: np.ndarray
    nend: np.ndarray
    start: np.ndarray
    end: np.ndarray
    codes: np.ndarray
    uniques: list[str]
    scodes: np.ndarray
    suniques: list[str]

    def __len__(self) -> int:
        return len(self.codes)

    @property
    def norm(self) -> NormalizedText:
        """The :class:`NormalizedText` view (for span mapping of sub-token pieces)."""
        return NormalizedText(self.ntext, self.original, self.index)


def _factorize(values: list[str]) -> tuple[np.ndarray, list[str]]:
    if not values:
        return np.zeros(0, dtype=np.int64), []
    codes, uniques = pd.factorize(np.asarray(values, dtype=object), use_na_sentinel=False)
    return codes.astype(np.int64), list(uniques)


def scan_reference(text: str, engine: str = "fast") -> Scan:
    """:func:`scan` from the pure-Python modules (normalize, tokenize, factorize).

    ``engine`` is :func:`analysis.tokens.tokenize`'s (``"pyarabic"`` runs
    pyarabic's own tokenizer; the tokens are the same).
    """
    norm = normalize(text)
    spans = tokenize(norm, engine)
    start = norm.start_offsets(spans.nstart)
    end = norm.end_offsets(spans.nend)
    codes, uniques = _factorize(spans.normalized)
    surfaces = [text[s:e] for s, e in zip(start.tolist(), end.tolist(), strict=True)]
    scodes, suniques = _factorize(surfaces)
    return Scan(
        text,
        norm.text,
        norm.index,
        spans.nstart.astype(np.int64),
        spans.nend.astype(np.int64),
        np.asarray(start, dtype=np.int64),
        np.asarray(end, dtype=np.int64),
        codes,
        uniques,
        scodes,
        suniques,
    )


# --- The compiled scanner ----------------------------------------------------
# ``analysis._scan`` is an optional C extension (setup.py, built by ``make setup``
# / ``pip install``). When it is missing (no compiler at install time), ``scan``
# silently falls back to ``scan_reference``: same results, slower. ``COMPILED``
# says which one is in use (tests/test_scan.py fails in the project venv if the
# extension is not built).
try:
    from analysis import _scan
except ImportError:  # pragma: no cover - depends on the installation
    _scan = None

COMPILED: bool = _scan is not None

# Table entry for a replacement string (deleted or several characters):
# _REPLACE | len << 16 | offset into the replacement code points.
_REPLACE = 0x80000000


def _compiled_tables() -> tuple[bytes, bytes, bytes]:
    """``analysis.normalize``'s tables in the extension's format (built once).

    The C code holds no Arabic knowledge: every BMP code point gets one uint32
    entry (the code point it becomes, or a replacement string), characters from
    U+10000 up are kept as they are, and trailing marks are one flag byte each.
    """
    from analysis.normalize import _TABLE, _TRAILING

    assert all(code < 0x10000 for code in _TABLE), "the C table covers the BMP only"
    assert all(ord(ch) < 0x10000 for ch in _TRAILING), "trailing marks must be in the BMP"
    table = np.arange(0x10000, dtype=np.uint32)
    replacements: list[int] = []
    for code, value in _TABLE.items():
        if len(value) == 1:
            table[code] = ord(value)
        else:
            assert len(value) < 0x8000 and len(replacements) + len(value) < 0x10000
            table[code] = _REPLACE | (len(value) << 16) | len(replacements)
            replacements.extend(map(ord, value))
    trailing = np.zeros(0x10000, dtype=np.uint8)
    trailing[[ord(ch) for ch in _TRAILING]] = 1
    return table.tobytes(), np.asarray(replacements, dtype=np.uint32).tobytes(), trailing.tobytes()


if _scan is not None:
    _scan.configure(*_compiled_tables())


def _scan_compiled(text: str) -> Scan:
    """:func:`scan` by the C extension (one pass over the characters)."""
    ntext, index, nstart, nend, start, end, codes, uniques, scodes, suniques = _scan.scan(text)

    def array(buffer: object) -> np.ndarray:
        return np.frombuffer(buffer, dtype=np.int64)  # type: ignore[call-overload]

    return Scan(
        text,
        ntext,
        None if index is None else array(index),
        array(nstart),
        array(nend),
        array(start),
        array(end),
        array(codes),
        uniques,
        array(scodes),
        suniques,
    )


def scan(text: str) -> Scan:
    """Normalize and tokenize ``text`` in one pass (compiled when available).

    The result is identical to :func:`scan_reference`'s; :data:`COMPILED` says
    whether the C extension ``analysis._scan`` does the work.
    """
    if _scan is None:
        return scan_reference(text)
    return _scan_compiled(text)


def lookup(mapping: dict[str, int], keys: list[str]) -> np.ndarray:
    """``mapping.get(key, -1)`` for every key, as an int64 array.

    The text stage looks up each batch's word types in its process-wide
    vocabulary with this; compiled, it avoids a Python call per type.
    """
    if _scan is None or type(mapping) is not dict or type(keys) is not list:
        return np.fromiter((mapping.get(k, -1) for k in keys), dtype=np.int64, count=len(keys))
    return np.frombuffer(_scan.lookup(mapping, keys), dtype=np.int64)


def _int64_ids(ids: object, func: str) -> np.ndarray:
    """``ids`` as a contiguous 1-d int64 array (integers only; no lossy cast)."""
    array = np.asarray(ids)
    if array.size == 0:
        array = array.astype(np.int64)
    if array.ndim != 1 or array.dtype.kind not in "iu":
        raise TypeError(f"TypeIndex.{func}(): ids must be a 1-d array of integers")
    return np.ascontiguousarray(array.astype(np.int64, casting="safe"))


def _check_keys(keys: list[str], func: str) -> None:
    for i, key in enumerate(keys):
        if type(key) is not str:
            raise TypeError(f"Index.{func}(): key {i} is a {type(key).__name__}, not a str")


class TypeIndex:
    """A map from distinct strings (word types) to int64 ids, for batch look-ups.

    The text stage's vocabulary looks up every batch's distinct written types
    here. Compiled (``analysis._scan.Index``), it is a hash table owned by C
    that hashes a fresh str's code points itself instead of computing its
    siphash, and prefetches the table for several keys at once. Measured
    (benchmarks/bench_type_index.py, 50 MB synthetic corpus, 100k types held,
    1.09M look-ups of fresh str objects): ~55 ns per key against ~360 ns for
    the dict through :func:`lookup`. Otherwise, or with ``compiled=False``, a
    plain dict does the same: that is the reference the tests compare against.

    Contract (both implementations, checked by tests/test_type_index.py):

    * keys are exact ``str`` objects (anything else, str subclasses included:
      TypeError), held by reference, never copied; ids are int64 >= 0;
    * :meth:`lookup` gives -1 for an absent key;
    * :meth:`add` inserts new keys only: a key already present, or twice in
      ``keys``, a negative id or a length mismatch is a ValueError, and then
      nothing is added;
    * :meth:`keep` keeps only the keys whose id is listed (distinct, each held
      by some key: else ValueError and nothing changes), renumbered 0, 1, 2, …
      in the order given (keys sharing an id, which the vocabulary never
      makes, share the new id);
    * :meth:`keys` / :meth:`items` list the keys by id, keys with equal ids in
      insertion order.

    Thread safety: each compiled method runs with the GIL held and never
    releases it (nor calls back into Python code), so it is atomic; callers that
    combine several calls (look up, then add what is missing) still need their
    own lock, as the pipeline's vocabulary has.
    """

    def __init__(self, compiled: bool | None = None, *, hash_mask: int | None = None) -> None:
        """``compiled``: None for the C index when built; ``hash_mask``: tests only.

        ``hash_mask`` is ANDed into every hash of the C index (0: every key
        collides), so tests can drive the comparison and probing code.
        """
        if compiled is None:
            compiled = COMPILED
        if compiled and _scan is None:
            raise RuntimeError("analysis._scan is not built: no TypeIndex(compiled=True)")
        self.compiled = compiled
        self._index = None
        self._dict: dict[str, int] = {}
        if compiled:
            mask = (1 << 64) - 1 if hash_mask is None else hash_mask
            self._index = _scan.Index(hash_mask=mask)

    def __len__(self) -> int:
        return len(self._index) if self._index is not None else len(self._dict)

    def lookup(self, keys: list[str]) -> np.ndarray:
        """Id of every key (int64 array, -1 where absent)."""
        if type(keys) is not list:
            keys = list(keys)
        if self._index is not None:
            return np.frombuffer(self._index.lookup(keys), dtype=np.int64)
        _check_keys(keys, "lookup")
        return lookup(self._dict, keys)

    def add(self, keys: list[str], ids: np.ndarray) -> None:
        """Insert the new ``keys`` with ``ids`` (same length; ids >= 0)."""
        if type(keys) is not list:
            keys = list(keys)
        ids = _int64_ids(ids, "add")
        if self._index is not None:
            self._index.add(keys, ids)
            return
        if len(ids) != len(keys):
            raise ValueError(f"Index.add(): {len(keys)} keys but {len(ids)} ids")
        values = ids.tolist()
        for i, key in enumerate(keys):
            if type(key) is not str:
                raise TypeError(f"Index.add(): key {i} is a {type(key).__name__}, not a str")
            if values[i] < 0:
                raise ValueError(f"Index.add(): id {values[i]} (key {i}) is negative")
        new: dict[str, int] = {}
        for i, (key, value) in enumerate(zip(keys, values, strict=True)):
            if key in self._dict or key in new:
                raise ValueError(f"Index.add(): key {i} ({key!r}) is already present")
            new[key] = value
        self._dict.update(new)

    def keep(self, ids: np.ndarray) -> None:
        """Keep only the keys whose id is in ``ids``; key with ``ids[k]`` gets id ``k``."""
        ids = _int64_ids(ids, "keep")
        if self._index is not None:
            self._index.keep(ids)
            return
        position: dict[int, int] = {}
        for k, value in enumerate(ids.tolist()):
            if value in position:
                raise ValueError(f"Index.keep(): id {value} is given twice")
            position[value] = k
        held = set(self._dict.values())
        for value in position:
            if value not in held:
                raise ValueError(f"Index.keep(): id {value} is not in the index")
        self._dict = {key: position[v] for key, v in self._dict.items() if v in position}

    def clear(self) -> None:
        """Remove every key (releasing the references to them)."""
        if self._index is not None:
            self._index.clear()
        else:
            self._dict = {}

    def items(self) -> list[tuple[str, int]]:
        """``(key, id)`` pairs by id (equal ids: insertion order)."""
        if self._index is not None:
            keys, ids = self._index.items()
            return list(zip(keys, np.frombuffer(ids, dtype=np.int64).tolist(), strict=True))
        return sorted(self._dict.items(), key=lambda item: item[1])

    def keys(self) -> list[str]:
        """The keys by id (for the vocabulary: ``keys()[i]`` is the key of id ``i``)."""
        if self._index is not None:
            return self._index.items()[0]
        return [key for key, _ in self.items()]
