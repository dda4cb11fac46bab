"""The validation as the notebook ``05-validation`` shows it: one call, all its tables.

:func:`validation` runs the analysis on both parts of the evaluation corpus and
returns the scores (overall, per outlet, per topic, per frame), the agreement
between the two annotations, the targets of ``evaluation/targets.csv`` with the
measured values beside them, the **dev** errors with their context, and the
**test** errors counted by kind only. Test errors are not listed one by one, so
that whoever tunes the rules from the report does not tune them on the test part.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from analysis.evaluation.agreement import agreement
from analysis.evaluation.gold import EVALUATION_DIR, CorpusMissing, articles
from analysis.evaluation.metrics import errors, evaluate, scores

SPLITS = ("dev", "test")
TARGETS_FILE = EVALUATION_DIR / "targets.csv"


@dataclass
class Validation:
    """Everything the validation notebook shows; empty tables when the corpus is missing."""

    available: bool
    note: str = ""
    articles: pd.DataFrame = field(default_factory=pd.DataFrame)
    scores: pd.DataFrame = field(default_factory=pd.DataFrame)
    by_outlet: pd.DataFrame = field(default_factory=pd.DataFrame)
    by_topic: pd.DataFrame = field(default_factory=pd.DataFrame)
    agreement: pd.DataFrame = field(default_factory=pd.DataFrame)
    targets: pd.DataFrame = field(default_factory=pd.DataFrame)
    dev_errors: pd.DataFrame = field(default_factory=pd.DataFrame)
    test_error_counts: pd.DataFrame = field(default_factory=pd.DataFrame)

    def component(self, name: str, split: str) -> pd.Series:
        """The score row of one component (``frames``, ``speaker`` …) in one split."""
        rows = self.scores[(self.scores["component"] == name) & (self.scores["split"] == split)]
        return rows.iloc[0]


def validation() -> Validation:
    """Evaluate the analysis on the dev and test parts (a note instead when ANT is absent)."""
    try:
        parts = {split: articles(split) for split in SPLITS}
    except CorpusMissing as missing:
        return Validation(available=False, note=str(missing))
    results = {split: evaluate(parts[split]) for split in SPLITS}
    every = [a for split in SPLITS for a in parts[split]]
    measured = _by_split(results, None)
    return Validation(
        available=True,
        articles=_article_table(every),
        scores=measured,
        by_outlet=_by_split(results, "outlet"),
        by_topic=_by_split(results, "topic"),
        agreement=agreement(every),
        targets=_targets(measured),
        dev_errors=errors(results["dev"]),
        test_error_counts=_error_counts(errors(results["test"])),
    )


def _by_split(results: dict, by: str | None) -> pd.DataFrame:
    tables = [scores(results[split], by=by).assign(split=split) for split in SPLITS]
    table = pd.concat(tables, ignore_index=True)
    return table[["split", *[c for c in table.columns if c != "split"]]]


def _article_table(every: list) -> pd.DataFrame:
    rows = [{"split": a.split, "outlet": a.outlet, "topic": a.topic, "words": a.words,
             "frames": len(a.gold["frames"]), "quotes": len(a.gold["quotes"])}
            for a in every]  # fmt: skip
    table = pd.DataFrame(rows)
    counts = table.groupby(["split", "outlet"], as_index=False).agg(
        articles=("words", "size"), words=("words", "sum"),
        frames=("frames", "sum"), quotes=("quotes", "sum"),
    )  # fmt: skip
    return counts


def _targets(measured: pd.DataFrame) -> pd.DataFrame:
    """``targets.csv`` with the measured value of each split beside it, and whether it is met."""
    targets = pd.read_csv(TARGETS_FILE, dtype={"component": str, "measure": str})
    for split in SPLITS:
        part = measured[measured["split"] == split].set_index("component")
        pairs = zip(targets["component"], targets["measure"], strict=True)
        targets[split] = [float(part.loc[c, m]) if c in part.index else float("nan")
                          for c, m in pairs]  # fmt: skip
    at_most = targets["direction"] == "at most"
    for split in SPLITS:
        met = targets[split].where(at_most, -targets[split]) <= targets["target"].where(
            at_most, -targets["target"]
        )
        targets[f"{split} met"] = met
    return targets


def _error_counts(table: pd.DataFrame) -> pd.DataFrame:
    return (
        table.groupby(["component", "error"], as_index=False)
        .size()
        .rename(columns={"size": "n"})
        .sort_values(["component", "n"], ascending=[True, False], kind="stable")
    )
