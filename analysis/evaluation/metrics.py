"""How often the analysis is right on the evaluation corpus, component by component.

Each component compares what the analysis found with the hand annotation
(:mod:`analysis.evaluation.gold`, ``docs/annotation.md``):

``sentences``
    sentence ends (character offsets; the end of the text is left out);
``quotes``
    quotations, matched by their exact inner span; ``quote kind`` is the share of
    matched quotations whose kind (speech or term) is right, and ``speaker`` the
    share of matched speech quotations whose speaker is the one annotated
    (exact match after normalization; "" when the text names none);
``repairs``
    run-together words the analysis split, right when the annotation has the same
    word cut into the same parts; also counted per 10,000 words;
``frames``
    frame hits, matched one to one with annotated frame occurrences that overlap
    them and have the same frame (also per frame: ``frames/colonialism`` …);
    ``voice`` is the share of matched hits whose voice (narration or quoted) is
    the annotated one.

``quote kind``, ``speaker`` and ``voice`` are accuracies (right among matched);
the others have precision and recall. All come with Wilson 95 % intervals
(:func:`analysis.evaluation.stats.wilson`).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import pandas as pd

from analysis.engine import analyse_texts
from analysis.evaluation.gold import Article
from analysis.evaluation.stats import wilson
from analysis.lexicon import Matcher, Tokens, load_frame_lexicon
from analysis.text.normalize import normalize_word

CONTEXT = 25  # characters shown on each side of an error
SPAN_SHOWN = 30  # a longer span is shown cut in the middle
# Shown contexts are this short so that no committed report holds 60 consecutive
# characters of an ANT article (its licence: the texts are not copied here).
ACCURACIES = ("quote kind", "speaker", "voice")


@dataclass
class Tally:
    """Counts of one component (true positives, false positives, false negatives)."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, other: Tally) -> None:
        """Add another tally's counts to this one."""
        self.tp, self.fp, self.fn = self.tp + other.tp, self.fp + other.fp, self.fn + other.fn


@dataclass
class ArticleResult:
    """One article's tallies per component, and its errors."""

    article: Article
    tallies: dict[str, Tally] = field(default_factory=lambda: defaultdict(Tally))
    errors: list[dict] = field(default_factory=list)


def evaluate(articles: list[Article], lexicon_dir=None) -> list[ArticleResult]:
    """Run the analysis on ``articles`` and compare it with their annotation."""
    text = analyse_texts([(a.docno, a.text) for a in articles])
    matcher = Matcher(load_frame_lexicon(lexicon_dir))
    hits = matcher.match(Tokens.of(text.tokens), text.vocabulary.types, text.quotes).hits
    results = []
    for article in articles:
        docno = article.docno
        result = ArticleResult(article)
        _sentences(result, text.sentences[text.sentences["doc_id"] == docno])
        _quotes(result, text.quotes[text.quotes["doc_id"] == docno])
        _repairs(result, text.repairs[text.repairs["doc_id"] == docno])
        _frames(result, hits[hits["doc_id"] == docno])
        results.append(result)
    return results


def scores(results: list[ArticleResult], by: str | None = None) -> pd.DataFrame:
    """Precision, recall and F1 per component (and per value of ``by``: outlet, topic…)."""
    groups: dict[tuple, dict[str, Tally]] = defaultdict(lambda: defaultdict(Tally))
    words: dict[tuple, int] = defaultdict(int)
    for r in results:
        key = (getattr(r.article, by),) if by else ()
        words[key] += r.article.words
        for component, tally in r.tallies.items():
            groups[key][component].add(tally)
    rows = []
    for key, tallies in sorted(groups.items()):
        for component, t in sorted(tallies.items()):
            per_words = 1e4 * t.fp / words[key] if words[key] else 0.0
            group = dict(zip([by] if by else [], key, strict=True))
            rows.append({**group, "component": component, **_rates(t, component),
                         "per_10000_words": per_words})  # fmt: skip
    return pd.DataFrame(rows)


def errors(results: list[ArticleResult]) -> pd.DataFrame:
    """Every disagreement with the annotation, with its context (for reading, not for tests)."""
    rows = [{"docno": r.article.docno, "outlet": r.article.outlet, **e} for r in results
            for e in r.errors]  # fmt: skip
    columns = ["docno", "outlet", "component", "error", "start", "end", "system", "gold", "context"]
    return pd.DataFrame(rows, columns=columns)


def _rates(t: Tally, component: str) -> dict[str, float]:
    if component in ACCURACIES:
        low, high = wilson(t.tp, t.tp + t.fn)
        accuracy = t.tp / (t.tp + t.fn) if t.tp + t.fn else float("nan")
        return {"tp": t.tp, "fp": t.fp, "fn": t.fn, "accuracy": accuracy, "accuracy_low": low,
                "accuracy_high": high}  # fmt: skip
    precision = t.tp / (t.tp + t.fp) if t.tp + t.fp else float("nan")
    recall = t.tp / (t.tp + t.fn) if t.tp + t.fn else float("nan")
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    p_low, p_high = wilson(t.tp, t.tp + t.fp)
    r_low, r_high = wilson(t.tp, t.tp + t.fn)
    return {"tp": t.tp, "fp": t.fp, "fn": t.fn, "precision": precision, "precision_low": p_low,
            "precision_high": p_high, "recall": recall, "recall_low": r_low,
            "recall_high": r_high, "f1": f1}  # fmt: skip


def _error(result: ArticleResult, component: str, error: str, start: int, end: int,
           system: str = "", gold: str = "") -> None:  # fmt: skip
    text = result.article.text
    span = text[start:end]
    if len(span) > SPAN_SHOWN:
        span = span[: SPAN_SHOWN - 10] + "…" + span[-8:]
    context = (text[max(0, start - CONTEXT):start] + "⟦" + span + "⟧"
               + text[end:end + CONTEXT]).replace("\n", " ⏎ ")  # fmt: skip
    result.errors.append({"component": component, "error": error, "start": start, "end": end,
                          "system": system, "gold": gold, "context": context})  # fmt: skip


def _sentences(result: ArticleResult, sentences: pd.DataFrame) -> None:
    text_end = len(result.article.text.rstrip())
    system = {int(e) for e in sentences["end"]} - {text_end}
    gold = set(result.article.gold["sentence_ends"]) - {text_end}
    tally = result.tallies["sentences"]
    tally.tp, tally.fp, tally.fn = len(system & gold), len(system - gold), len(gold - system)
    for end in sorted(system - gold):
        _error(result, "sentences", "end that is none", end, end)
    for end in sorted(gold - system):
        _error(result, "sentences", "end missed", end, end)


def _quotes(result: ArticleResult, quotes: pd.DataFrame) -> None:
    gold = {(q["start"], q["end"]): q for q in result.article.gold["quotes"]}
    system = {(int(r.start), int(r.end)): r for r in quotes.itertuples(index=False)}
    spans, kinds, speakers = (result.tallies[c] for c in ("quotes", "quote kind", "speaker"))
    for span, row in system.items():
        if span not in gold:
            spans.fp += 1
            _error(result, "quotes", "not a quotation", *span, row.kind)
            continue
        spans.tp += 1
        expected = gold[span]
        if row.kind == expected["kind"]:
            kinds.tp += 1
        else:
            kinds.fn += 1
            _error(result, "quote kind", "wrong kind", *span, row.kind, expected["kind"])
        if expected["kind"] == "speech":
            if _same_name(row.speaker, expected["speaker"]):
                speakers.tp += 1
            else:
                speakers.fn += 1
                _error(result, "speaker", "wrong speaker", *span, row.speaker, expected["speaker"])
    for span in gold.keys() - system.keys():
        spans.fn += 1
        _error(result, "quotes", "quotation missed", *span, "", gold[span]["kind"])


def _same_name(system: str, gold: str) -> bool:
    return [normalize_word(w) for w in str(system).split()] == [
        normalize_word(w) for w in str(gold).split()
    ]


def _repairs(result: ArticleResult, repairs: pd.DataFrame) -> None:
    gold = {
        (g["start"], g["end"]): " ".join(g["parts"]) for g in result.article.gold["run_together"]
    }
    tally = result.tallies["repairs"]
    made = repairs[~repairs["vetoed"].astype(bool)]
    for row in made.itertuples(index=False):
        span = (int(row.start), int(row.end))
        if gold.get(span) == row.replacement:
            tally.tp += 1
        else:
            tally.fp += 1
            _error(result, "repairs", "wrong split", *span, row.replacement, gold.get(span, ""))
    found = {(int(s), int(e)) for s, e in zip(made["start"], made["end"], strict=True)}
    for span, parts in gold.items():
        if span not in found:
            tally.fn += 1
            _error(result, "repairs", "run-together word left whole", *span, "", parts)


def _frames(result: ArticleResult, hits: pd.DataFrame) -> None:
    """Match hits to annotated occurrences one to one (overlap, same frame), in text order."""
    gold = sorted(result.article.gold["frames"], key=lambda g: (g["start"], g["end"]))
    lookalikes = result.article.gold["lookalikes"]
    taken: set[int] = set()
    frames, voices = result.tallies["frames"], result.tallies["voice"]
    for hit in hits.sort_values("start").itertuples(index=False):
        match = next((k for k, g in enumerate(gold) if k not in taken
                      and g["frame"] == hit.frame and _overlap(g, hit)), None)  # fmt: skip
        own = result.tallies[f"frames/{hit.frame}"]
        if match is None:
            frames.fp += 1
            own.fp += 1
            alike = any(_overlap(g, hit) for g in lookalikes)
            other = next((g["frame"] for g in gold if _overlap(g, hit)), "")
            error = "look-alike" if alike else "other frame" if other else "no frame"
            _error(result, "frames", error, hit.start, hit.end, hit.frame, other)
            continue
        taken.add(match)
        frames.tp += 1
        own.tp += 1
        if hit.voice == gold[match]["voice"]:
            voices.tp += 1
        else:
            voices.fn += 1
            _error(result, "voice", "wrong voice", hit.start, hit.end, hit.voice,
                   gold[match]["voice"])  # fmt: skip
    for k, g in enumerate(gold):
        if k not in taken:
            frames.fn += 1
            result.tallies[f"frames/{g['frame']}"].fn += 1
            _error(result, "frames", "occurrence missed", g["start"], g["end"], "", g["frame"])


def _overlap(gold: dict, hit) -> bool:
    return gold["start"] < hit.end and hit.start < gold["end"]
