"""The comparative study of outlets on a large corpus: one call for notebook 06.

:func:`compare_outlets` runs the corpus-scale path (:mod:`analysis.scale`) over
the five-outlet part of the ANT corpus (or any corpus folder), selects the
articles about a topic by a keyword query (:mod:`analysis.scale.topics`), and
returns every table the notebook shows: the corpus by outlet and category, frame
rates per outlet for the whole corpus and for the topic with 95 % intervals
(:mod:`analysis.scale.outlets`), rates per month, narration against quoted
speech, keyness of each outlet against the others, dispersion of frames across
documents, a sampled concordance per outlet, and the measured error of the
analysis per outlet (:mod:`analysis.evaluation`).
"""

from __future__ import annotations

import os
import shutil
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.corpus.ant import CorpusMissing, multisource_corpus
from analysis.engine import analyse_texts
from analysis.errors import TextWarning
from analysis.lexicon import Matcher, Tokens, load_frame_lexicon
from analysis.measures import kwic
from analysis.paths import BUILD_DIR
from analysis.scale import process_corpus
from analysis.scale.compare import frame_dispersion, group_keyness
from analysis.scale.outlets import document_frames, rates_with_intervals, voice_shares
from analysis.scale.summary import TABLES, CorpusSummary
from analysis.scale.topics import select_topic, topic_mentions

#: The months the ANT multisource corpus covers (its README); other dates are outlets' errors.
MONTHS = ("2018-02", "2018-10")
POLITICAL = ("internationalNews", "middleEast")
KEY_TERMS = 12
CONCORDANCE_DOCUMENTS = 4
CONCORDANCE_WINDOW = 4
LINE_CHARACTERS = 55
SEED = 2018


@dataclass
class Comparison:
    """Every table of the comparative study (empty tables when the corpus is missing)."""

    available: bool
    note: str = ""
    topic: str = ""
    source: dict = field(default_factory=dict)
    corpus: pd.DataFrame = field(default_factory=pd.DataFrame)
    selection: pd.DataFrame = field(default_factory=pd.DataFrame)
    rates: pd.DataFrame = field(default_factory=pd.DataFrame)
    monthly: pd.DataFrame = field(default_factory=pd.DataFrame)
    voice: pd.DataFrame = field(default_factory=pd.DataFrame)
    keyness: pd.DataFrame = field(default_factory=pd.DataFrame)
    dispersion: pd.DataFrame = field(default_factory=pd.DataFrame)
    concordance: pd.DataFrame = field(default_factory=pd.DataFrame)
    outside_months: int = 0
    repaired: int = 0
    summary: CorpusSummary | None = None


def compare_outlets(
    topic: str = "palestine",
    metadata: str | Path | None = None,
    workers: int = 2,
    scheduler: str | None = None,
    output_dir: str | Path | None = None,
) -> Comparison:
    """The study on ``metadata`` (default: ANT's five outlets, imported once under ``build/``).

    The corpus run's Parquet tables go to ``output_dir`` (default: a folder of
    this process under ``build/comparison/``, removed once they are read).
    """
    source: dict = {}
    if metadata is None:
        try:
            source = multisource_corpus()
        except CorpusMissing as missing:
            return Comparison(available=False, note=str(missing), topic=topic)
        metadata = source["metadata"]
    documents = _documents(Path(metadata))
    folder = Path(output_dir) if output_dir else BUILD_DIR / "comparison" / f"run-{os.getpid()}"
    with warnings.catch_warnings():
        # documents repaired on loading are counted in the summary (n_text_warnings)
        # and reported by the study; one warning for the whole corpus says no more
        warnings.simplefilter("ignore", TextWarning)
        summary = process_corpus(metadata=metadata, workers=workers, scheduler=scheduler,
                                 output_dir=folder, progress=False)  # fmt: skip
    if output_dir is None:
        for name in TABLES:
            summary.table(name)  # read before the folder goes
        shutil.rmtree(folder, ignore_errors=True)
    docs = summary.documents.merge(documents[["doc_id", "category", "month", "political"]],
                                   on="doc_id", how="left")  # fmt: skip
    chosen = set(select_topic(topic_mentions(metadata), topic)["doc_id"])
    docs["scope_topic"] = docs["doc_id"].isin(chosen)
    table = document_frames(docs, summary.frame_counts)
    return Comparison(
        available=True,
        topic=topic,
        source=source,
        corpus=_corpus_table(docs),
        selection=_selection_table(docs),
        rates=_scoped_rates(table),
        monthly=_monthly(table),
        voice=_scoped_voice(summary.frame_counts, docs),
        keyness=_keyness(summary),
        dispersion=_dispersion(summary, docs),
        concordance=_concordance(metadata, docs[docs["scope_topic"]]),
        outside_months=int((~docs["month"].between(*MONTHS)).sum()),
        repaired=int((docs["n_text_warnings"] > 0).sum()),
        summary=summary,
    )


def _documents(metadata: Path) -> pd.DataFrame:
    """``doc_id, category, month, political`` of every row (process_corpus checked the table)."""
    table = pd.read_csv(metadata, dtype=str, keep_default_na=False)
    if "category" not in table:
        table["category"] = ""
    precise = table["date_precision"].isin(["day", "month"])
    table["month"] = table["date"].str[:7].where(precise, "")
    table["political"] = table["category"].isin(POLITICAL)
    return table[["doc_id", "category", "month", "political"]]


def _corpus_table(docs: pd.DataFrame) -> pd.DataFrame:
    grouped = docs.groupby(["outlet", "category"], as_index=False)
    return grouped.agg(documents=("doc_id", "size"), words=("n_words", "sum"),
                       hits=("n_hits", "sum"))  # fmt: skip


def _selection_table(docs: pd.DataFrame) -> pd.DataFrame:
    return (docs.groupby("outlet", as_index=False)
            .agg(documents=("doc_id", "size"), political=("political", "sum"),
                 topic=("scope_topic", "sum")))  # fmt: skip


def _scopes(table: pd.DataFrame) -> list[tuple[str, pd.DataFrame]]:
    return [("all articles", table), ("political news", table[table["political"]]),
            ("topic", table[table["scope_topic"]])]  # fmt: skip


def _scoped_rates(table: pd.DataFrame) -> pd.DataFrame:
    parts = [rates_with_intervals(part, ["outlet"]).assign(scope=scope)
             for scope, part in _scopes(table)]  # fmt: skip
    return pd.concat(parts, ignore_index=True)


def _monthly(table: pd.DataFrame) -> pd.DataFrame:
    political = table[table["political"] & table["month"].between(*MONTHS)]
    return rates_with_intervals(political, ["outlet", "month"])


def _scoped_voice(frame_counts: pd.DataFrame, docs: pd.DataFrame) -> pd.DataFrame:
    parts = []
    for scope, part in _scopes(docs):
        parts.append(voice_shares(frame_counts, part, "outlet").assign(scope=scope))
    return pd.concat(parts, ignore_index=True)


def _keyness(summary: CorpusSummary) -> pd.DataFrame:
    outlets = sorted(summary.term_counts[summary.group_by].unique())
    tables = []
    for outlet in outlets:
        others = [o for o in outlets if o != outlet]
        table = group_keyness(summary, outlet, others, min_freq=10)
        table = table[table["key_in"] == "a"].head(KEY_TERMS)
        tables.append(table.assign(outlet=outlet))
    columns = ["outlet", "term", "a", "b", "G2", "log_ratio"]
    return pd.concat(tables, ignore_index=True)[columns].rename(
        columns={"a": "in_outlet", "b": "in_others"}
    )


def _dispersion(summary: CorpusSummary, docs: pd.DataFrame) -> pd.DataFrame:
    labels = docs[["doc_id", "outlet"]]
    return frame_dispersion(summary, by="outlet", documents=labels)


def _concordance(metadata: str | Path, topic_docs: pd.DataFrame) -> pd.DataFrame:
    """A few hits per outlet and frame from a seeded sample of the topic's articles."""
    rng = np.random.default_rng(SEED)
    picked = []
    for _, part in topic_docs[topic_docs["n_hits"] > 0].groupby("outlet", sort=True):
        take = min(CONCORDANCE_DOCUMENTS, len(part))
        picked += part["doc_id"].iloc[np.sort(rng.choice(len(part), take, replace=False))].tolist()
    if not picked:
        return pd.DataFrame()
    folder = Path(metadata).parent
    rows = pd.read_csv(metadata, dtype=str, keep_default_na=False).set_index("doc_id").loc[picked]
    texts = [(d, (folder / f).read_text(encoding="utf-8")) for d, f in zip(picked, rows["file"],
                                                                         strict=True)]  # fmt: skip
    text = analyse_texts(texts)
    hits = Matcher(load_frame_lexicon()).match(Tokens.of(text.tokens), text.vocabulary.types,
                                               text.quotes).hits  # fmt: skip
    lines = kwic(hits, text.tokens, window=CONCORDANCE_WINDOW, within_sentence=True)
    lines = lines.merge(rows[["outlet", "date"]], left_on="doc_id", right_index=True)
    lines = lines.groupby(["outlet", "frame"], sort=True).head(2)
    for side in ("left", "right"):
        lines[side] = lines[side].map(_shorten_left if side == "left" else _shorten_right)
    return lines[["outlet", "frame", "voice", "left", "match", "right", "doc_id", "date"]]


def _shorten_left(text: str) -> str:
    return text if len(text) <= LINE_CHARACTERS // 2 else "…" + text[-(LINE_CHARACTERS // 2) :]


def _shorten_right(text: str) -> str:
    return text if len(text) <= LINE_CHARACTERS // 2 else text[: LINE_CHARACTERS // 2] + "…"


def measured_error() -> pd.DataFrame:
    """Frame-hit precision and recall per outlet on the evaluation articles (both parts)."""
    from analysis.evaluation import validation

    checked = validation()
    if not checked.available:
        return pd.DataFrame()
    table = checked.by_outlet[checked.by_outlet["component"] == "frames"]
    columns = ["split", "outlet", "tp", "fp", "fn", "precision", "precision_low",
               "precision_high", "recall", "recall_low", "recall_high"]  # fmt: skip
    return table[columns].reset_index(drop=True)


def findings(study: Comparison, labels: dict[str, str]) -> str:
    """The study's findings, worded from its tables (topic articles; intervals 95 %)."""
    if not study.available:
        return "The corpus is not available here, so there are no findings to state."
    rates = study.rates[study.rates["scope"] == "topic"]
    lines = []
    for frame, part in rates.groupby("frame", sort=False):
        part = part.dropna(subset=["low", "high"])
        if len(part) < 2:
            continue
        top, bottom = part.loc[part["rate"].idxmax()], part.loc[part["rate"].idxmin()]
        apart = top["low"] > bottom["high"]
        lines.append(
            f"- **{labels.get(frame, frame)}**: highest in {top['outlet']} "
            f"({top['rate']:.1f} per 1,000 words, {top['low']:.1f}–{top['high']:.1f}), lowest in "
            f"{bottom['outlet']} ({bottom['rate']:.1f}, {bottom['low']:.1f}–{bottom['high']:.1f}); "
            + ("the intervals do not overlap." if apart else "the intervals overlap: no clear "
               "difference between these two.")
        )  # fmt: skip
    voice = study.voice[(study.voice["scope"] == "topic")]
    quoted = voice[(voice["quoted_share"] >= 0.5) & (voice["narration"] + voice["quoted"] >= 20)]
    for row in quoted.itertuples(index=False):
        lines.append(f"- In {row.outlet}, **{labels.get(row.frame, row.frame)}** is mostly voiced "
                     f"by quoted speakers ({row.quoted} of {row.narration + row.quoted} hits): "
                     "the outlet reports this frame rather than asserting it.")  # fmt: skip
    return "\n".join(lines)


def limitations(study: Comparison, error: pd.DataFrame) -> str:
    """What the study cannot show, from its data and the measured error."""
    written, total = study.source.get("written", 0), study.source.get("documents", 0)
    items = [
        f"- **The corpus is what the outlets' feeds gave**: the archive holds {total:,} articles "
        f"({total - written} with an empty text were left out), collected from RSS feeds between "
        "February and October 2018; it is not every article the outlets published, and the "
        "outlets contribute very different numbers of articles.",
        "- **Categories and dates are the outlets' own**: political news means the categories "
        "the outlets call international news and Middle East; "
        f"{study.outside_months:,} articles carry dates outside February–October 2018 and are "
        "left out of the monthly rates.",
        "- **The topic is a keyword query** (`lexicons/topics.csv`, at least two mentions): it "
        "finds articles that name the topic, not all articles about it.",
        "- **Scraped text keeps some page furniture** (BBC's app notices, bylines): it adds words "
        "to the denominators and shows among each outlet's key words. "
        f"{study.repaired:,} articles held invisible characters (bidi controls, zero-width "
        "marks) that were removed from the copy used for matching.",
        _error_line(error),
    ]
    return "\n".join(items)


def _error_line(error: pd.DataFrame) -> str:
    if error.empty:
        return "- **The error of the counts was not measured here** (evaluation corpus absent)."
    test = error[error["split"] == "test"]
    worst = test.loc[test["precision"].idxmin()]
    return (
        "- **Every count carries the analysis's error**: on the annotated articles of each outlet "
        "(page 5; five per outlet in the test part), frame-hit precision on the test part "
        "ranges from "
        f"{test['precision'].min():.0%} ({worst['outlet']}) to {test['precision'].max():.0%}, "
        f"and recall from {test['recall'].min():.0%} to {test['recall'].max():.0%}; "
        "a difference between outlets smaller than that is not a finding."
    )
