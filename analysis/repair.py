"""Splitting run-together words (lost spaces from scraping), with an audit table.

Scraping often drops the space between words: ``الأممالمتحدة``,
``الولاياتالمتحدةالأمريكية``. A word token is split when

* it has at least 6 letters and is *unknown*: neither the form itself nor any
  clitic analysis of it (:mod:`analysis.clitics`) is attested in the frequency
  list (wordfreq's Arabic list, offline; see :mod:`analysis.clitics` for why);
* it can be cut into 2–4 parts that are all common words: Zipf frequency ≥ 3.0
  (about once per million words) for parts of 3+ letters, ≥ 5.0 for 2-letter
  parts (في, من, عن …); the cut with the fewest parts wins, ties going to the
  most frequent parts;
* no cut falls inside one written character that normalization expands into
  several (the presentation-form ligature ﻻ is لا): there the word is left
  whole, since two pieces would share that character (checked per occurrence
  by the text stage, :func:`analysis.pipeline._repair`, which sees the
  original text).

Every split is listed in the repairs table (document, original offsets, original
text, replacement with parts joined by a space, rule, vetoed). A scholar vetoes a
repair by adding a row to ``config/repair_vetoes.csv`` (``doc_id`` empty for all
documents, ``original`` as written in the text, ``reason``); vetoed repairs stay
in the table with ``vetoed=True`` and the token is left whole.

Speed (the check runs once per long word type): a word attested as a whole is
answered with one look-up; the others are searched with a per-process table of
the words that can be parts and of their prefixes (built once from the frequency
list), trying two-part splits first; only a word that splits has its clitic
readings checked. ``benchmarks/bench_type_analysis.py`` compares the results
with the previous implementation on the whole wordfreq list.
"""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from analysis.clitics import (
    _frequencies,
    analyse_clitics,
    has_attested_reading,
    whole_is_attested,
)
from analysis.errors import ConfigError
from analysis.normalize import normalize_word
from analysis.paths import CONFIG_DIR

VETO_FILE = CONFIG_DIR / "repair_vetoes.csv"
RULE = "split-run-together (wordfreq)"
MIN_LENGTH = 6
MAX_PARTS = 4
MIN_ZIPF = 3.0
MIN_ZIPF_SHORT = 5.0
# No part is shorter (the part table holds nothing shorter, not even prefixes).
MIN_PART_LENGTH = 2


@dataclass(frozen=True)
class Veto:
    """One row of the veto file."""

    doc_id: str
    original: str
    reason: str


def read_vetoes(path: str | Path = VETO_FILE) -> list[Veto]:
    """Read the veto file (missing file = no vetoes); bad rows raise ConfigError."""
    path = Path(path)
    if not path.exists():
        return []
    vetoes = []
    with open(path, encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        if not reader.fieldnames or "original" not in reader.fieldnames:
            raise ConfigError("needs the columns doc_id, original, reason", path, 1)
        line = 2
        for row in reader:
            original = normalize_word(row.get("original") or "")
            if not original:
                raise ConfigError("empty 'original'", path, line)
            vetoes.append(
                Veto((row.get("doc_id") or "").strip(), original, (row.get("reason") or "").strip())
            )
            line = reader.line_num + 1
    return vetoes


def is_vetoed(vetoes: list[Veto], doc_id: str, original_normalized: str) -> bool:
    """Whether a repair of ``original_normalized`` in ``doc_id`` is vetoed."""
    return any(v.original == original_normalized and v.doc_id in ("", doc_id) for v in vetoes)


def is_known_word(word_normalized: str) -> bool:
    """Whether a normalized word or one of its clitic analyses is attested."""
    return has_attested_reading(word_normalized)


@lru_cache(maxsize=1)
def _part_table() -> tuple[dict[str, float | None], int]:
    """Every word that can be a part, with its Zipf score, and the prefixes of those.

    Returns ``(table, longest)``: ``table`` maps each form that can be a part
    (Zipf ≥ ``MIN_ZIPF`` with 3+ letters, ≥ ``MIN_ZIPF_SHORT`` with 2) to its
    Zipf score (the same float as :func:`analysis.clitics.zipf`) and every other
    prefix of 2+ letters of such a form to None; ``longest`` is
    :func:`longest_part`. With the prefixes, :func:`find_split` stops extending a
    part as soon as no common word starts with it, instead of trying every length
    up to ``longest``. Derived from the frequency list once per process (~55k
    parts, ~90k entries).
    """
    # zipf() inlined (the same float expression; every stored frequency is > 0).
    # Only ~1 form in 10 is common enough, so numpy first drops the forms whose
    # frequency is clearly below 10 ** (MIN_ZIPF - 9), with a margin far wider
    # than any rounding of log10; the exact test below decides for the rest.
    log10 = math.log10
    freqs = _frequencies()
    values = np.fromiter(freqs.values(), dtype=np.float64, count=len(freqs))
    candidates = np.flatnonzero(values >= 10.0 ** (MIN_ZIPF - 9) * (1 - 1e-9))
    words = list(freqs)
    table: dict[str, float | None] = {}
    longest = 0
    for k, freq in zip(candidates.tolist(), values[candidates].tolist(), strict=True):
        word = words[k]
        score = log10(freq) + 9
        if score < MIN_ZIPF:
            continue
        size = len(word)
        longest = max(longest, size)
        if size >= 3 or size == 2 and score >= MIN_ZIPF_SHORT:
            table[word] = score
    for word in list(table):
        for end in range(MIN_PART_LENGTH, len(word)):
            table.setdefault(word[:end], None)
    return table, longest


@lru_cache(maxsize=1)
def longest_part() -> int:
    """Letters in the longest word that can be a part (Zipf ≥ ``MIN_ZIPF``).

    No longer substring can score, so :func:`find_split` never tries one, and a
    token longer than ``MAX_PARTS`` such words cannot be split at all. Without
    this bound the search is quadratic in the token's length: a scraped line that
    lost all its spaces (10 MB, one token) would never finish.
    """
    return _part_table()[1]


_ABSENT = object()
_NO_SPLIT = MAX_PARTS + 1  # more parts than allowed: "no split found yet"


def find_split(word_normalized: str) -> tuple[int, ...] | None:
    """Cut points (offsets inside the word) splitting a run-together word, or None.

    Words too short, too long or attested (with or without clitics) are never
    split; the others are searched by :func:`_search_split`.
    """
    n = len(word_normalized)
    if n < MIN_LENGTH or n > MAX_PARTS * _part_table()[1]:
        return None
    # Attested as a whole (most long words): one look-up. Otherwise the split is
    # searched first and the clitic readings checked only for a word that has
    # one: the answer is the same, and most unknown words have no split.
    if whole_is_attested(word_normalized):
        return None
    cuts = _search_split(word_normalized)
    if cuts is None or any(a.score > 0 for a in analyse_clitics(word_normalized)):
        return None  # no split, or a clitic reading is attested (is_known_word)
    return cuts


# Bounded so that memory stays flat as a corpus's types accumulate (~0.15 kB each).
# Only unknown long words get here (~15 % of a corpus's types), so the cheap
# answers for the others cost no cache traffic.
@lru_cache(maxsize=50_000)
def _search_split(word: str) -> tuple[int, ...] | None:
    """The best split of ``word`` into 2–``MAX_PARTS`` common words, or None.

    The best split has the fewest parts, then the largest sum of the parts' Zipf
    scores; among equal ones the first found is kept, trying parts by increasing
    end and, for one end, by increasing start (dynamic programming over the cut
    positions, :func:`_best_split`). Most run-together words are two words, so
    the two-part splits are tried first: if there is one, the dynamic
    programming would find the same (no split has fewer parts).
    """
    n = len(word)
    table, longest = _part_table()
    get = table.get
    # Parts that start the word, in increasing order of length.
    firsts = []
    for end in range(MIN_PART_LENGTH, min(n, longest) + 1):
        score = get(word[:end], _ABSENT)
        if score is None:
            continue  # a prefix of a common word, not one itself
        if score is _ABSENT:
            break  # no common word starts with word[:end]
        if end == n:
            return None  # the word itself is one part: never split
        firsts.append((end, score))
    best_total = 0.0
    best_cut = 0
    for cut, first in firsts:
        if n - cut < MIN_PART_LENGTH or n - cut > longest:
            continue
        second = get(word[cut:], _ABSENT)
        if second is None or second is _ABSENT:
            continue
        total = (0.0 - first) - second  # as _best_split sums it
        if not best_cut or total < best_total:
            best_total, best_cut = total, cut
    if best_cut:
        return (best_cut,)
    if not firsts:
        return None  # no part starts the word
    return _best_split(word, get, longest)


def _best_split(word: str, get, longest: int) -> tuple[int, ...] | None:
    """Dynamic programming for :func:`_search_split` (any number of parts)."""
    n = len(word)
    # For word[:i]: parts[i] (_NO_SPLIT if none), -sum of their scores, and the
    # start of the last part (the cuts are read back from these at the end).
    parts = [_NO_SPLIT] * (n + 1)
    neg_sum = [0.0] * (n + 1)
    last_start = [0] * (n + 1)
    parts[0] = 0
    # Extending from each start in increasing order tries the parts that end at
    # a given position in increasing order of their start, like the end-by-end
    # formulation, and parts[start] is final before it is extended.
    for start in range(n - MIN_PART_LENGTH + 1):
        count = parts[start]
        if count >= MAX_PARTS:
            continue  # no split of word[:start], or already MAX_PARTS parts
        count += 1
        base = neg_sum[start]
        for end in range(start + MIN_PART_LENGTH, min(n, start + longest) + 1):
            score = get(word[start:end], _ABSENT)
            if score is None:
                continue  # a prefix of a common word, not one itself
            if score is _ABSENT:
                break  # no common word starts with word[start:end]
            total = base - score
            old = parts[end]
            if count < old or count == old and total < neg_sum[end]:
                parts[end] = count
                neg_sum[end] = total
                last_start[end] = start
    if parts[n] > MAX_PARTS or parts[n] < 2:
        return None
    cuts = []
    position = last_start[n]
    while position:
        cuts.append(position)
        position = last_start[position]
    return tuple(reversed(cuts))
