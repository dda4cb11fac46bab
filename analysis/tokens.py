"""Tokenization of normalized text with offsets into the original text.

Tokens are found on the *normalized* text (so diacritics, tatweel and zero-width
characters never split a word: ``خلّفت`` stays whole) and their spans are mapped
back to the original with :class:`analysis.normalize.NormalizedText`.

Two engines give the same tokens (``tests/test_text_properties.py`` checks this
differentially on random strings and on the seed article):

``"pyarabic"``
    ``pyarabic.araby.tokenize_with_location`` (the project card names pyarabic)
    finds runs of word characters and apostrophes; here the apostrophe runs are
    split off (pyarabic glues ``''`` quote marks to words) and the punctuation
    between words, which pyarabic drops, is kept as tokens.
``"fast"`` (default)
    One ``re.split`` and array arithmetic for the offsets, without a Python object
    per match; several times faster on large corpora.

Token kinds: ``word`` (contains an Arabic letter), ``number`` (digits only),
``latin`` (other word characters), ``quote`` (``''``, ``"``, « », “ ” and the
like), ``punct`` (a run of one repeated punctuation character, e.g. ``...``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarabic.araby as araby

from analysis.normalize import NormalizedText

QUOTE_CHARS = '"«»“”„‟‹›'
_SPLIT_RE = re.compile(r"(\w+|'+|([^\w\s'])\2*)")
_PUNCT_RUN_RE = re.compile(r"([^\w\s'])\1*")
_APOSTROPHES_RE = re.compile(r"'+")
_ARABIC_RE = re.compile("[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufefe]")
# Kind per token type. Bounded so that memory stays flat however many types a
# corpus has: when full it is emptied and refills with the types in use (the
# kinds are cheap to recompute; 100k short strings are ~15 MB).
_KIND_CACHE: dict[str, str] = {}
_KIND_CACHE_MAX = 100_000


@dataclass
class TokenSpans:
    """Tokens as parallel arrays (normalized and original offsets, strings, kinds)."""

    nstart: np.ndarray
    nend: np.ndarray
    normalized: list[str]
    kind: list[str]
    # Token types: ``normalized[i] == uniques[codes[i]]`` (None when not computed).
    codes: np.ndarray | None = None
    uniques: list[str] | None = None

    def __len__(self) -> int:
        return len(self.normalized)


def token_kind(token: str) -> str:
    """Kind of a (normalized) token string; cached per token type."""
    kind = _KIND_CACHE.get(token)
    if kind is None:
        first = token[0]
        if first == "'":
            kind = "quote" if len(token) >= 2 else "punct"
        elif first in QUOTE_CHARS:
            kind = "quote"
        elif not (first.isalnum() or first == "_"):
            kind = "punct"
        elif _ARABIC_RE.search(token):
            kind = "word"
        elif token.isdigit():
            kind = "number"
        else:
            kind = "latin"
        if len(_KIND_CACHE) >= _KIND_CACHE_MAX:
            _KIND_CACHE.clear()
        _KIND_CACHE[token] = kind
    return kind


# First characters that make token_kind answer "word" whatever follows: a word
# character (str.isalnum or "_") that is not a quote mark and is itself Arabic
# (so _ARABIC_RE finds it). Derived from token_kind's own rules, not a second copy.
_WORD_FIRST = frozenset(
    c
    for c in map(chr, range(0x600, 0xFF00))  # every _ARABIC_RE range
    if c != "'" and c not in QUOTE_CHARS and (c.isalnum() or c == "_") and _ARABIC_RE.match(c)
)


def token_kinds(tokens: list[str]) -> list[str]:
    """:func:`token_kind` of each (normalized, non-empty) token.

    The common case, a token starting with an Arabic letter, is answered
    without a call (the text stage asks this of every new word type).
    """
    first = _WORD_FIRST
    return ["word" if t[0] in first else token_kind(t) for t in tokens]


def _split_punct(text: str, start: int, starts: list[int], tokens: list[str]) -> None:
    for m in _PUNCT_RUN_RE.finditer(text):
        starts.append(start + m.start())
        tokens.append(m.group())


def _spans_fast(text: str) -> tuple[np.ndarray, list[str]]:
    # re.split with two groups returns [gap, token, inner, gap, token, inner, …, gap];
    # the inner group (the repeated punctuation character) is ignored.
    parts = _SPLIT_RE.split(text)
    gaps = parts[0::3]
    tokens = parts[1::3]
    gap_lengths = np.fromiter(map(len, gaps), dtype=np.int64, count=len(gaps))
    token_lengths = np.fromiter(map(len, tokens), dtype=np.int64, count=len(tokens))
    # start of token k = sum of gaps 0..k + sum of tokens 0..k-1
    starts = np.cumsum(gap_lengths[:-1]) + np.concatenate(([0], np.cumsum(token_lengths)[:-1]))
    return starts.astype(np.int64), tokens


def _spans_pyarabic(text: str) -> tuple[np.ndarray, list[str]]:
    starts: list[int] = []
    tokens: list[str] = []
    position = 0
    for item in araby.tokenize_with_location(text):
        s, e = item["start"], item["end"]
        gap = text[position:s]
        if gap.strip():
            _split_punct(gap, position, starts, tokens)
        word = item["token"]
        inner = 0
        for m in _APOSTROPHES_RE.finditer(word):
            if m.start() > inner:
                starts.append(s + inner)
                tokens.append(word[inner : m.start()])
            starts.append(s + m.start())
            tokens.append(m.group())
            inner = m.end()
        if inner < len(word):
            starts.append(s + inner)
            tokens.append(word[inner:])
        position = e
    gap = text[position:]
    if gap.strip():
        _split_punct(gap, position, starts, tokens)
    return np.array(starts, dtype=np.int64), tokens


def tokenize(norm: NormalizedText, engine: str = "fast") -> TokenSpans:
    """Tokenize normalized text; spans are offsets into ``norm.text``.

    ``engine`` is ``"fast"`` or ``"pyarabic"`` (identical output, see module
    docstring). Map spans to the original with ``norm.start_offsets`` /
    ``norm.end_offsets``.
    """
    if engine == "fast":
        starts, tokens = _spans_fast(norm.text)
    elif engine == "pyarabic":
        starts, tokens = _spans_pyarabic(norm.text)
    else:
        raise ValueError(f"unknown tokenizer engine {engine!r}: use 'fast' or 'pyarabic'")
    lengths = np.fromiter(map(len, tokens), dtype=np.int64, count=len(tokens))
    if not tokens:
        return TokenSpans(starts, starts + lengths, tokens, [])
    # Kinds once per token type (types are far fewer than tokens).
    codes, uniques = pd.factorize(np.asarray(tokens, dtype=object), use_na_sentinel=False)
    kind_u = np.array([token_kind(u) for u in uniques], dtype=object)
    return TokenSpans(
        starts, starts + lengths, tokens, kind_u[codes].tolist(), codes, list(uniques)
    )
