"""Splitting run-together words (spaces lost in scraping).

Scraping often drops the space between words: ``الأممالمتحدة``,
``الولاياتالمتحدةالأمريكية``. A word is split when

* it has at least 6 letters and is *unknown*: neither the form itself nor any
  clitic analysis of it (:mod:`analysis.text.clitics`) is attested in the
  frequency list (:mod:`analysis.text.wordlist`);
* it can be cut into 2–4 parts that are all common words: Zipf ≥ 3.0 (about once
  per million words) for parts of 3+ letters, ≥ 5.0 for 2-letter parts (في, من,
  عن …); the cut with the fewest parts wins, ties going to the most frequent
  parts.

The text stage also leaves a word whole when a cut would fall inside one written
character that normalization expands (the ligature ﻻ is لا), lists every split
in its repairs table, and honours the vetoes of ``config/repair_vetoes.csv``.
"""

from __future__ import annotations

import math
from functools import lru_cache

from analysis.text.clitics import has_attested_reading
from analysis.text.data import LanguageData, default_data
from analysis.text.normalize import normalize

RULE = "split-run-together (wordfreq)"
MIN_LENGTH = 6
MAX_PARTS = 4
MIN_ZIPF = 3.0
MIN_ZIPF_SHORT = 5.0
MIN_PART_LENGTH = 2


def find_split(word: str, data: LanguageData | None = None) -> tuple[int, ...] | None:
    """Cut points (offsets inside the normalized ``word``) that split it, or None."""
    data = data or default_data()
    parts, longest = part_table(data)
    if not MIN_LENGTH <= len(word) <= MAX_PARTS * longest or word in data.frequencies:
        return None
    cuts = _best_cuts(word, parts, longest)
    if cuts is None or has_attested_reading(word, data):
        return None
    return cuts


def split_surface(surface: str, normalized: str, data: LanguageData) -> tuple[tuple[int, int], ...]:
    """Spans in the written ``surface`` of the parts of a run-together word, or ().

    ``normalized`` is the surface normalized. The cuts of :func:`find_split` are
    mapped back to the written form; a word is left whole when a cut would fall
    inside one written character that normalization expands (ﻻ is لا), since two
    parts would then share that character.
    """
    cuts = find_split(normalized, data)
    if not cuts:
        return ()
    mapped = normalize(surface)
    bounds = (0, *cuts, len(normalized))
    spans = tuple(mapped.span(a, b) for a, b in zip(bounds, bounds[1:], strict=False))
    if any(later[0] < earlier[1] for earlier, later in zip(spans, spans[1:], strict=False)):
        return ()
    return spans


def _best_cuts(word: str, parts: dict[str, float | None], longest: int) -> tuple[int, ...] | None:
    """The split of ``word`` into 2–``MAX_PARTS`` common words with the fewest parts.

    Among splits with as few parts, the largest sum of Zipf scores wins, and
    among equal ones the first found (parts tried by increasing start, then end).
    ``best[i]`` is ``(parts, -sum of scores, start of last part)`` of the best
    split of ``word[:i]``; a part is extended only while some common word starts
    with it (``parts`` maps those prefixes to None).
    """
    n = len(word)
    best: list[tuple[int, float, int] | None] = [None] * (n + 1)
    best[0] = (0, 0.0, 0)
    for start in range(n - MIN_PART_LENGTH + 1):
        if best[start] is None or best[start][0] >= MAX_PARTS:
            continue
        count, total, _ = best[start]
        for end in range(start + MIN_PART_LENGTH, min(n, start + longest) + 1):
            piece = word[start:end]
            if piece not in parts:
                break  # no common word starts with this piece
            score = parts[piece]
            if score is None:
                continue  # a prefix of a common word, not one itself
            candidate = (count + 1, total - score, start)
            if best[end] is None or candidate[:2] < best[end][:2]:
                best[end] = candidate
    if best[n] is None or best[n][0] < 2:
        return None
    cuts = []
    position = best[n][2]
    while position:
        cuts.append(position)
        position = best[position][2]
    return tuple(reversed(cuts))


@lru_cache(maxsize=4)
def part_table(data: LanguageData) -> tuple[dict[str, float | None], int]:
    """Words that can be a part (with their Zipf score) and their prefixes (None).

    Also the length of the longest word with Zipf ≥ ``MIN_ZIPF``: no longer piece
    can score, so no search tries one (a line that lost all its spaces would
    otherwise take quadratic time). Built once per word list (~55k parts).
    """
    parts: dict[str, float | None] = {}
    longest = 0
    for word, freq in data.frequencies.items():
        score = math.log10(freq) + 9
        if score < MIN_ZIPF:
            continue
        longest = max(longest, len(word))
        if len(word) >= 3 or score >= MIN_ZIPF_SHORT and len(word) == 2:
            parts[word] = score
    for word in list(parts):
        for end in range(MIN_PART_LENGTH, len(word)):
            parts.setdefault(word[:end], None)
    return parts, longest
