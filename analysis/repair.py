"""Splitting run-together words (lost spaces from scraping), with an audit table.

Scraping often drops the space between words: ``الأممالمتحدة``,
``الولاياتالمتحدةالأمريكية``. A word token is split when

* it has at least 6 letters and is *unknown*: neither the form itself nor any
  clitic analysis of it (:mod:`analysis.clitics`) is attested in the frequency
  list (wordfreq's Arabic list, offline; see :mod:`analysis.clitics` for why);
* it can be cut into 2–4 parts that are all common words: Zipf frequency ≥ 3.0
  (about once per million words) for parts of 3+ letters, ≥ 5.0 for 2-letter
  parts (في, من, عن …); the cut with the fewest parts wins, ties going to the
  most frequent parts.

Every split is listed in the repairs table (document, original offsets, original
text, replacement with parts joined by a space, rule, vetoed). A scholar vetoes a
repair by adding a row to ``config/repair_vetoes.csv`` (``doc_id`` empty for all
documents, ``original`` as written in the text, ``reason``); vetoed repairs stay
in the table with ``vetoed=True`` and the token is left whole.
"""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from analysis.clitics import _frequencies, analyse_clitics, zipf
from analysis.errors import ConfigError
from analysis.normalize import normalize_word
from analysis.paths import CONFIG_DIR

VETO_FILE = CONFIG_DIR / "repair_vetoes.csv"
RULE = "split-run-together (wordfreq)"
MIN_LENGTH = 6
MAX_PARTS = 4
MIN_ZIPF = 3.0
MIN_ZIPF_SHORT = 5.0


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


def _part_cost(part: str) -> float | None:
    score = zipf(part)
    if len(part) >= 3 and score >= MIN_ZIPF or len(part) == 2 and score >= MIN_ZIPF_SHORT:
        return score
    return None


def is_known_word(word_normalized: str) -> bool:
    """Whether a normalized word or one of its clitic analyses is attested."""
    return any(a.score > 0 for a in analyse_clitics(word_normalized))


@lru_cache(maxsize=1)
def longest_part() -> int:
    """Letters in the longest word that can be a part (Zipf ≥ ``MIN_ZIPF``).

    No longer substring can score, so :func:`find_split` never tries one, and a
    token longer than ``MAX_PARTS`` such words cannot be split at all. Without
    this bound the search is quadratic in the token's length: a scraped line that
    lost all its spaces (10 MB, one token) would never finish.
    """
    # zipf() inlined (the same float expression; every stored frequency is > 0):
    # this runs over all ~560k forms once per process.
    log10 = math.log10
    return max(
        (len(w) for w, freq in _frequencies().items() if log10(freq) + 9 >= MIN_ZIPF), default=0
    )


# Bounded so that memory stays flat as a corpus's types accumulate (~0.15 kB each).
@lru_cache(maxsize=50_000)
def find_split(word_normalized: str) -> tuple[int, ...] | None:
    """Cut points (offsets inside the word) splitting a run-together word, or None."""
    word = word_normalized
    n = len(word)
    longest = longest_part()
    if n < MIN_LENGTH or n > MAX_PARTS * longest or is_known_word(word):
        return None
    # best[i] = (parts, -sum of zipf, cuts) for word[:i]
    best: list[tuple[int, float, tuple[int, ...]] | None] = [None] * (n + 1)
    best[0] = (0, 0.0, ())
    for end in range(2, n + 1):
        for start in range(max(0, end - longest), end - 1):
            prev = best[start]
            if prev is None or prev[0] >= MAX_PARTS:
                continue
            score = _part_cost(word[start:end])
            if score is None:
                continue
            cand = (prev[0] + 1, prev[1] - score, prev[2] + ((start,) if start else ()))
            if best[end] is None or cand[:2] < best[end][:2]:  # type: ignore[index]
                best[end] = cand
    final = best[n]
    if final is None or final[0] < 2:
        return None
    return final[2]
