"""How far two annotators agree: the ceiling against which the analysis is judged.

Twelve evaluation articles (six dev, six test) were annotated a second time, by
a reader who had not seen the first annotation (``evaluation/second/``). This
module compares the two annotations:

``frames (words)``
    every whitespace word is a unit, coded with the frame of the annotated
    occurrence that covers it, or ``none``; Krippendorff's alpha (nominal);
``frame occurrences``
    occurrences matched one to one (overlap, same frame), as F1;
``quotes``
    quotations matched by exact span, as F1; ``quote kind`` is alpha over the
    matched quotations, ``speaker`` the share of matched speech quotations with
    the same speaker;
``sentences``
    sentence ends matched by offset, as F1.
"""

from __future__ import annotations

import re

import pandas as pd

from analysis.evaluation.gold import Article, second_annotation
from analysis.evaluation.stats import nominal_alpha
from analysis.text.normalize import normalize_word

_WORD = re.compile(r"\S+")


def agreement(articles: list[Article]) -> pd.DataFrame:
    """Agreement between the first and the second annotation, over the articles that have both."""
    pairs = [(a, second_annotation(a.docno)) for a in articles]
    pairs = [(a, s) for a, s in pairs if s is not None]
    words: list[list[str]] = [[], []]
    kinds: list[list[str]] = [[], []]
    occurrences, quotes, ends = [0, 0, 0], [0, 0, 0], [0, 0, 0]
    same_speaker = speech = 0
    for article, second in pairs:
        first = article.gold
        for k, annotation in enumerate((first, second)):
            words[k] += _word_codes(article.text, annotation["frames"])
        _add(occurrences, _matched_occurrences(first["frames"], second["frames"]),
             len(first["frames"]), len(second["frames"]))  # fmt: skip
        spans = {(q["start"], q["end"]): q for q in second["quotes"]}
        matched = [(q, spans[(q["start"], q["end"])]) for q in first["quotes"]
                   if (q["start"], q["end"]) in spans]  # fmt: skip
        _add(quotes, len(matched), len(first["quotes"]), len(second["quotes"]))
        for one, two in matched:
            kinds[0].append(one["kind"])
            kinds[1].append(two["kind"])
            if one["kind"] == two["kind"] == "speech":
                speech += 1
                same_speaker += _same_name(one["speaker"], two["speaker"])
        first_ends, second_ends = set(first["sentence_ends"]), set(second["sentence_ends"])
        _add(ends, len(first_ends & second_ends), len(first_ends), len(second_ends))
    rows = [
        _row("frames (words)", len(words[0]), alpha=nominal_alpha(words)),
        _row("frame occurrences", occurrences[1], f1=_f1(occurrences)),
        _row("quotes", quotes[1], f1=_f1(quotes)),
        _row("quote kind", len(kinds[0]), alpha=nominal_alpha(kinds)),
        _row("speaker", speech, agreement=same_speaker / speech if speech else float("nan")),
        _row("sentences", ends[1], f1=_f1(ends)),
    ]
    return pd.DataFrame(rows).assign(articles=len(pairs))


def _word_codes(text: str, frames: list[dict]) -> list[str]:
    codes = []
    for word in _WORD.finditer(text):
        span = {"start": word.start(), "end": word.end()}
        covering = [f["frame"] for f in frames if _overlap(f, span)]
        codes.append(covering[0] if covering else "none")
    return codes


def _matched_occurrences(first: list[dict], second: list[dict]) -> int:
    taken: set[int] = set()
    for one in sorted(first, key=lambda f: f["start"]):
        for k, two in enumerate(second):
            if k not in taken and two["frame"] == one["frame"] and _overlap(one, two):
                taken.add(k)
                break
    return len(taken)


def _overlap(one: dict, two: dict) -> bool:
    return one["start"] < two["end"] and two["start"] < one["end"]


def _same_name(one: str, two: str) -> bool:
    return [normalize_word(w) for w in one.split()] == [normalize_word(w) for w in two.split()]


def _add(counts: list[int], both: int, first: int, second: int) -> None:
    counts[0] += both
    counts[1] += first
    counts[2] += second


def _f1(counts: list[int]) -> float:
    both, first, second = counts
    return 2 * both / (first + second) if first + second else float("nan")


def _row(component: str, units: int, **measure: float) -> dict:
    return {"component": component, "units": units, "alpha": float("nan"), "f1": float("nan"),
            "agreement": float("nan"), **measure}  # fmt: skip
