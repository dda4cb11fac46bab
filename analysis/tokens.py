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
_SPLIT_RE = re.compile(r"(\w+|'+|[^\w\s']+)")
_PUNCT_RUN_RE = re.compile(r"([^\w\s'])\1*")
_APOSTROPHES_RE = re.compile(r"'+")
_ARABIC_RE = re.compile("[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufefe]")
_KIND_CACHE: dict[str, str] = {}


@dataclass
class TokenSpans:
    """Tokens as parallel arrays (normalized and original offsets, strings, kinds)."""

    nstart: np.ndarray
    nend: np.ndarray
    normalized: list[str]
    kind: list[str]

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
        if len(_KIND_CACHE) < 1_000_000:
            _KIND_CACHE[token] = kind
    return kind


def _split_punct(text: str, start: int, starts: list[int], tokens: list[str]) -> None:
    for m in _PUNCT_RUN_RE.finditer(text):
        starts.append(start + m.start())
        tokens.append(m.group())


def _spans_fast(text: str) -> tuple[np.ndarray, list[str]]:
    parts = _SPLIT_RE.split(text)
    lengths = np.fromiter(map(len, parts), dtype=np.int64, count=len(parts))
    offsets = np.concatenate(([0], np.cumsum(lengths)[:-1]))
    tokens = parts[1::2]
    starts = offsets[1::2]
    # A punctuation run may mix characters ("،''" is split by the regex, but "؟!"
    # or "».") : split those few into runs of one repeated character.
    mixed = [
        i
        for i, t in enumerate(tokens)
        if len(t) > 1 and not (t[0].isalnum() or t[0] in "_'") and t != t[0] * len(t)
    ]
    if not mixed:
        return starts, tokens
    new_starts: list[int] = []
    new_tokens: list[str] = []
    previous = 0
    for i in mixed:
        new_starts.extend(starts[previous:i].tolist())
        new_tokens.extend(tokens[previous:i])
        _split_punct(tokens[i], int(starts[i]), new_starts, new_tokens)
        previous = i + 1
    new_starts.extend(starts[previous:].tolist())
    new_tokens.extend(tokens[previous:])
    return np.array(new_starts, dtype=np.int64), new_tokens


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


def split_original(text: str) -> list[str]:
    """The fast engine's token strings for ``text`` itself (no normalization)."""
    return _spans_fast(text)[1]


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
    return TokenSpans(starts, starts + lengths, tokens, kind_u[codes].tolist())
