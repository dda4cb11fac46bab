"""Comparing groups of documents (outlets, months) on a corpus summary, with intervals.

A rate here is frame hits per 1,000 words of a group of documents. Its 95 %
interval treats **documents** as the sampled units: hits cluster in documents (an
article about refugees has many humanitarian hits), so counting words as
independent trials would make intervals far too narrow. The interval is the
ratio estimator's (Cochran 1977, §6.4): for documents ``i`` with hits ``c_i`` and
words ``w_i`` and the group's rate ``R = Σc/Σw``,

    SE(R) = sqrt(n / (n − 1) · Σ (c_i − R·w_i)²) / Σw,   interval R ± 1.96 SE

(truncated at 0). It needs a few dozen documents per group; groups with fewer
than ``MIN_DOCUMENTS`` get no interval.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.evaluation.stats import Z95

MIN_DOCUMENTS = 20
PER = 1000


def document_frames(documents: pd.DataFrame, frame_counts: pd.DataFrame) -> pd.DataFrame:
    """One row per document and frame: ``doc_id, frame, n`` (zeros included), with ``n_words``."""
    frames = sorted(frame_counts["frame"].unique())
    per_doc = frame_counts.groupby(["doc_id", "frame"])["n"].sum()
    grid = pd.MultiIndex.from_product([documents["doc_id"], frames], names=["doc_id", "frame"])
    table = per_doc.reindex(grid, fill_value=0).reset_index()
    return table.merge(documents, on="doc_id", how="left")


def rates_with_intervals(table: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    """Frame rates per 1,000 words for each group of ``by`` columns, with 95 % intervals.

    ``table`` is :func:`document_frames` with the ``by`` columns added. Columns:
    ``*by, frame, n, words, documents, rate, low, high``.
    """
    rows = []
    for key, part in table.groupby([*by, "frame"], sort=True):
        hits, words = part["n"].to_numpy(float), part["n_words"].to_numpy(float)
        rate, low, high = _ratio_interval(hits, words)
        rows.append({**dict(zip([*by, "frame"], key, strict=True)), "n": int(hits.sum()),
                     "words": int(words.sum()), "documents": len(part), "rate": rate,
                     "low": low, "high": high})  # fmt: skip
    return pd.DataFrame(rows)


def voice_shares(frame_counts: pd.DataFrame, documents: pd.DataFrame, by: str) -> pd.DataFrame:
    """Hits in narration and in quoted speech per group and frame, and the quoted share."""
    table = frame_counts.merge(documents[["doc_id", by]], on="doc_id", how="inner")
    wide = table.pivot_table(index=[by, "frame"], columns="voice", values="n", aggfunc="sum",
                             fill_value=0)  # fmt: skip
    wide = wide.reindex(columns=["narration", "quoted"], fill_value=0)
    wide["quoted_share"] = wide["quoted"] / (wide["narration"] + wide["quoted"])
    return wide.reset_index().rename_axis(columns=None)


def _ratio_interval(hits: np.ndarray, words: np.ndarray) -> tuple[float, float, float]:
    total = words.sum()
    if total == 0:
        return float("nan"), float("nan"), float("nan")
    ratio = hits.sum() / total
    if len(hits) < MIN_DOCUMENTS:
        return PER * ratio, float("nan"), float("nan")
    n = len(hits)
    se = np.sqrt(n / (n - 1) * np.sum((hits - ratio * words) ** 2)) / total
    return PER * ratio, PER * max(0.0, ratio - Z95 * se), PER * (ratio + Z95 * se)
