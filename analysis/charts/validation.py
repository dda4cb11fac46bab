"""The validation chart: measured precision, recall and accuracy against their targets."""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.charts.fonts import pinned_tight_layout
from analysis.charts.plots import Chart
from analysis.charts.style import TWO_COLUMN, chart_style

#: The two parts of the evaluation corpus, their marker and offset on each row.
PARTS = {"dev": ("o", -0.14), "test": ("s", 0.14)}
PART_COLOURS = {"dev": "#7f7f7f", "test": "#000000"}
MEASURES = {"f1": "F1"}


def plot_validation(targets: pd.DataFrame, scores: pd.DataFrame, title: str = "") -> Chart:
    """One row per proportion target: dev and test values with 95 % intervals, target marked.

    ``targets`` is :attr:`analysis.evaluation.report.Validation.targets` (rows whose
    measure is a proportion are drawn); ``scores`` the matching score table with
    ``split``, ``component`` and the ``<measure>_low``/``_high`` interval columns.
    """
    rows = targets[targets["measure"].isin(["precision", "recall", "accuracy", "f1"])]
    with chart_style():
        fig = Chart(figsize=(TWO_COLUMN, 0.45 * len(rows) + 1.1))
        ax = fig.add_subplot()
        for k, row in enumerate(rows.itertuples(index=False)):
            for part, (marker, offset) in PARTS.items():
                value, low, high = _interval(scores, part, row.component, row.measure)
                below, above = max(0.0, value - low), max(0.0, high - value)  # rounding
                ax.errorbar(value, k + offset, xerr=[[below], [above]],
                            fmt=marker, color=PART_COLOURS[part], capsize=3,
                            label=part if k == 0 else None)  # fmt: skip
            ax.plot([row.target] * 2, [k - 0.35, k + 0.35], color="#d62728", linewidth=1.5,
                    label="target" if k == 0 else None)  # fmt: skip
        labels = [f"{c}: {MEASURES.get(m, m)}" for c, m in zip(rows["component"], rows["measure"],
                                                               strict=True)]  # fmt: skip
        ax.set_yticks(range(len(rows)), labels)
        ax.invert_yaxis()
        ax.set_xlim(0, 1.02)
        ax.set_xlabel("measured value (95 % Wilson interval; F1 without interval)")
        ax.grid(axis="x", color="#dddddd", linewidth=0.6)
        ax.legend(loc="lower left", bbox_to_anchor=(0, 1.0), ncols=3)
        if title:
            ax.set_title(title, pad=24)
        pinned_tight_layout(fig)
        fig.draw_without_rendering()
    parts = [f"{c} {MEASURES.get(m, m)}: target {t:.2f}, dev {d:.2f}, test {x:.2f}"
             for c, m, t, d, x in zip(rows["component"], rows["measure"], rows["target"],
                                      rows["dev"], rows["test"], strict=True)]  # fmt: skip
    caption = title or "Measured values on the dev and test parts against the targets."
    return fig.describe(caption, alt="Dot plot with intervals. " + "; ".join(parts) + ".")


def _interval(scores: pd.DataFrame, part: str, component: str, measure: str):
    row = scores[(scores["split"] == part) & (scores["component"] == component)].iloc[0]
    value = float(row[measure])
    low, high = (row.get(f"{measure}_low", np.nan), row.get(f"{measure}_high", np.nan))
    if pd.isna(low):
        return value, value, value
    return value, float(low), float(high)
