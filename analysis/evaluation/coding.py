"""A scholar's own validation: sample hits, code them by hand, measure precision.

The measured error of :mod:`analysis.evaluation.metrics` holds for the ANT
evaluation articles. A study of other texts (another outlet, another decade)
measures its own, in three steps:

1. :func:`coding_sheet` draws a random sample of the study's hits, the same
   number from each frame, and of the sentences in which no frame was found,
   and writes it as a CSV sheet (UTF-8 with a byte-order mark, so Excel and
   LibreOffice show the Arabic) with an empty ``correct`` column;
2. each coder fills in ``correct`` on their own copy. For a **hit** row: ``1``
   when the words carry that frame in this context, ``0`` when they do not (a
   look-alike, a name, another sense). For a **sentence** row: ``1`` when the
   sentence does carry one of the frames (the lexicon missed it; the coder may
   name it in ``note``), ``0`` when it carries none. An empty cell is "not coded";
3. :func:`read_coding` reads the filled sheets back (any error names the file
   and the row), and :func:`coding_summary` gives per frame the precision, and
   for all frames together the recall, each with a 95 % interval, and with two
   or more coders Krippendorff's alpha.

Recall is estimated from both samples: the hits found, times their precision,
against those plus the sentences without hits, times the share of them that
carry a frame (one missed occurrence per such sentence, a lower bound). Its
interval combines the Wilson bounds of the two proportions (the lowest recall
takes the lowest precision and the highest miss rate), so it is conservative.
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.errors import AnalysisError
from analysis.evaluation.stats import nominal_alpha, wilson
from analysis.measures.kwic import kwic

SHEET_COLUMNS = ["item", "kind", "population", "doc_id", "sentence", "frame", "term", "voice",
                 "left", "match", "right", "correct", "note"]  # fmt: skip
_CODES = {"1": 1, "0": 0, "": None}


def coding_sheet(
    hits: pd.DataFrame,
    tokens: pd.DataFrame,
    sentences: pd.DataFrame,
    path: str | Path,
    per_frame: int = 30,
    without_hits: int = 100,
    seed: int = 2026,
) -> pd.DataFrame:
    """Write a coding sheet of random hits and random sentences without hits.

    It holds up to ``per_frame`` hits of each frame and ``without_hits``
    sentences in which no frame was found. The draw uses a fixed ``seed``, so
    the same analysis gives the same sheet; ``population`` records how many
    hits (of that frame) or hit-less sentences the sample was drawn from.
    Returns the sheet it wrote.
    """
    rng = np.random.default_rng(seed)
    lines = kwic(hits, tokens, window=10)
    parts = [_sample(group, per_frame, rng).assign(kind="hit", population=len(group))
             for _, group in lines.groupby("frame", sort=True, observed=True)]  # fmt: skip
    with_hits = pd.MultiIndex.from_frame(hits[["doc_id", "sentence"]].drop_duplicates())
    keys = pd.MultiIndex.from_frame(sentences[["doc_id", "sentence"]])
    plain = sentences[~keys.isin(with_hits) & (sentences["n_words"] > 0)]
    drawn = _sample(plain, without_hits, rng).rename(columns={"text": "match"})
    parts.append(drawn.assign(kind="sentence", population=len(plain)))
    sheet = pd.concat(parts, ignore_index=True)
    if sheet.empty:
        raise AnalysisError("nothing to sample for a coding sheet (no hits, no sentences)")
    sheet = sheet.assign(item=range(1, len(sheet) + 1), correct="", note="")
    sheet = sheet.reindex(columns=SHEET_COLUMNS).astype(object).fillna("")
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    sheet.to_csv(path, index=False, encoding="utf-8-sig")
    return sheet


def read_coding(paths: dict[str, str | Path]) -> pd.DataFrame:
    """The filled sheets of several coders (``{coder: path}``), one row per item and coder.

    Every sheet must hold the same items; ``correct`` must be ``1``, ``0`` or
    empty. Anything else raises an error naming the file and the row.
    """
    sheets = []
    for coder, path in paths.items():
        sheet = _read_sheet(Path(path))
        if sheets and sheet["item"].tolist() != sheets[0]["item"].tolist():
            raise AnalysisError(f"{path}: its items are not those of the first coder's sheet")
        sheets.append(sheet.assign(coder=coder))
    if not sheets:
        raise AnalysisError("no coding sheets given")
    return pd.concat(sheets, ignore_index=True)


def coding_summary(coded: pd.DataFrame) -> pd.DataFrame:
    """Precision per frame, recall over all frames, each with a 95 % interval, and alpha.

    An item counts as correct when most coders who coded it said ``1``; ties
    and uncoded items are left out. Columns: ``measure, frame, coded,
    positive, estimate, low, high, population, alpha`` (alpha NaN with one coder).
    """
    rows = []
    hits = coded[coded["kind"] == "hit"]
    for frame, group in hits.groupby("frame", sort=True):
        rows.append(_proportion("precision", frame, group))
    sentences = _proportion("sentences with a missed frame", "", coded[coded["kind"] == "sentence"])
    rows += [sentences, _recall(rows, sentences)]
    return pd.DataFrame(rows)


def _sample(table: pd.DataFrame, size: int, rng: np.random.Generator) -> pd.DataFrame:
    take = min(size, len(table))
    return table.iloc[np.sort(rng.choice(len(table), size=take, replace=False))]


def _proportion(measure: str, frame: str, group: pd.DataFrame) -> dict:
    wide = group.pivot(index="item", columns="coder", values="correct")
    votes = wide.mean(axis=1, skipna=True)
    decided = votes[votes.notna() & (votes != 0.5)]
    positive = int((decided > 0.5).sum())
    low, high = wilson(positive, len(decided))
    codes = [[None if pd.isna(v) else int(v) for v in wide[c]] for c in wide.columns]
    return {"measure": measure, "frame": frame, "coded": len(decided), "positive": positive,
            "estimate": positive / len(decided) if len(decided) else float("nan"),
            "low": low, "high": high,
            "population": int(group["population"].iloc[0]) if len(group) else 0,
            "alpha": nominal_alpha(codes) if len(codes) > 1 else float("nan")}  # fmt: skip


def _recall(precisions: list[dict], missed: dict) -> dict:
    """Recall over all frames: estimated true hits against those plus estimated misses."""
    bounds = ("estimate", "low", "high")
    found = {k: sum(p[k] * p["population"] for p in precisions) for k in bounds}
    lost = {k: missed[k] * missed["population"] for k in bounds}

    def ratio(tp: float, fn: float) -> float:
        return tp / (tp + fn) if tp + fn else float("nan")

    return {"measure": "recall", "frame": "", "coded": missed["coded"], "positive": float("nan"),
            "estimate": ratio(found["estimate"], lost["estimate"]),
            "low": ratio(found["low"], lost["high"]), "high": ratio(found["high"], lost["low"]),
            "population": sum(p["population"] for p in precisions) + missed["population"],
            "alpha": float("nan")}  # fmt: skip


def _read_sheet(path: Path) -> pd.DataFrame:
    try:
        with open(path, encoding="utf-8-sig", newline="") as handle:
            rows = list(csv.DictReader(handle))
    except (OSError, UnicodeDecodeError, csv.Error) as error:
        raise AnalysisError(f"{path}: cannot read the coding sheet ({error})") from error
    if not rows or not {"item", "kind", "correct", "population"} <= set(rows[0]):
        raise AnalysisError(f"{path}: not a coding sheet (needs item, kind, population, correct)")
    for number, row in enumerate(rows, start=2):
        value = (row["correct"] or "").strip()
        if value not in _CODES:
            raise AnalysisError(f"{path}, row {number}: 'correct' must be 1, 0 or empty, "
                                f"not {value!r}")  # fmt: skip
        row["correct"] = _CODES[value]
    sheet = pd.DataFrame(rows)
    for column in ("item", "population"):
        sheet[column] = pd.to_numeric(sheet[column], errors="raise").astype(int)
    sheet["correct"] = sheet["correct"].astype("Float64")
    return sheet
