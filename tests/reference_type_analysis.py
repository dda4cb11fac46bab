"""Reference copy of the per-type analyses as they were before the speed-up.

``analyse_clitics`` (with ``_candidates`` and ``zipf``) is copied unchanged from
``analysis/clitics.py`` and ``find_split`` (with ``_part_cost``, ``is_known_word``
and ``longest_part``) from ``analysis/repair.py`` at commit 833d15a (29 November
2026), so that ``tests/test_type_analysis_fast.py`` and
``benchmarks/bench_type_analysis.py`` can check that the faster versions give
identical results. Only the data sources (the frequency table, the exceptions
list, the ``Analysis`` class, the normalization functions and the constants) are
imported from the package: they are what both versions read, not what is tested.
Do not edit the functions below; they are the specification.
"""

from __future__ import annotations

import math
from functools import lru_cache

from analysis.clitics import (
    CONJUNCTIONS,
    ENCLITICS,
    IMPERFECT_PREFIXES,
    MARGIN,
    PREPOSITIONS,
    SHORT_STEM_RISKY,
    Analysis,
    _frequencies,
    exceptions,
)
from analysis.normalize import normalize_word, normalize_word_keep_hamza
from analysis.repair import MAX_PARTS, MIN_LENGTH, MIN_ZIPF, MIN_ZIPF_SHORT


def zipf(word_normalized: str) -> float:
    """Zipf frequency (log10 per billion words) of a normalized word; 0 if unknown."""
    freq = _frequencies().get(word_normalized)
    return math.log10(freq) + 9 if freq else 0.0


def _candidates(light: str):
    """Yield ``(proclitics, stem, enclitic, has_article)`` segmentations of ``light``."""
    for conj in CONJUNCTIONS:
        if not light.startswith(conj):
            continue
        rest1 = light[len(conj) :]
        for prep in PREPOSITIONS:
            if not rest1.startswith(prep):
                continue
            rest2 = rest1[len(prep) :]
            articles = [""]
            if prep == "ل":
                if rest2.startswith("ل"):
                    articles.append("ل")  # ل + ال is written لل
            elif prep != "س" and rest2.startswith("ال"):
                articles.append("ال")
            for article in articles:
                stem_all = rest2[len(article) :]
                procs = tuple(p for p in (conj, prep, "ال" if article else "") if p)
                if prep == "س" and stem_all[:1] not in tuple(IMPERFECT_PREFIXES):
                    continue
                yield procs, stem_all, "", bool(article)
                if article:
                    continue
                for enc in ENCLITICS:
                    if stem_all.endswith(enc) and len(stem_all) > len(enc):
                        yield procs, stem_all[: -len(enc)], enc, False


@lru_cache(maxsize=20_000)
def analyse_clitics(word: str) -> tuple[Analysis, ...]:
    """All accepted analyses of one word, preferred first; the last is unsegmented.

    ``word`` may be a surface form or a normalized one; the hamza on an initial
    alef, when written, is used as evidence (إلغاء has no article).
    """
    light = normalize_word_keep_hamza(word)
    whole = normalize_word(light)
    whole_score = zipf(whole)
    exc = exceptions()
    if whole in exc or not whole:
        return (Analysis((), whole, "", whole_score),)
    found: dict[tuple[tuple[str, ...], str, str], Analysis] = {}
    for procs, stem, enc, article in _candidates(light):
        if not procs and not enc:
            continue
        bare_start = normalize_word(stem[:2])
        if enc and (bare_start == "ال" or enc in SHORT_STEM_RISKY and len(stem) < 3):
            continue  # a definite noun takes no possessive; short stems are risky
        if len(procs) > 1 and procs[0] in ("و", "ف") and normalize_word(light[1:]) in exc:
            continue  # وكان is و + كان, never و + ك + ان
        if procs and procs[0] in ("و", "ف") and enc and normalize_word(light[1:]) in exc:
            continue
        forms = [normalize_word(stem)]
        if enc and stem.endswith("ت"):
            forms.insert(0, forms[0][:-1] + "ة")
        best = None
        for form in forms:
            if len(form) < 2:
                continue
            score = zipf(form)
            if article:
                ok = score >= 1.5 if len(form) > 2 else score >= 3.0 and zipf("ال" + form) >= 2.5
                ok = ok or (whole_score == 0 and len(form) > 2)
            else:
                ok = score > 0 and score >= whole_score + MARGIN
            if ok and (best is None or score > best.score):
                best = Analysis(procs, form, enc, score)
        if best is not None:
            found[(best.proclitics, best.bare, best.enclitic)] = best
    # Fullest segmentation first (والشعب → و+ال+شعب, not و+الشعب), then frequency.
    ranked = sorted(
        found.values(),
        key=lambda a: (-(len(a.proclitics) + bool(a.enclitic)), -a.score, -len(a.bare)),
    )
    return (*ranked, Analysis((), whole, "", whole_score))


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
