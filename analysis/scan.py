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
