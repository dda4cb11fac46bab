"""Charts of the comparative study: rates per outlet with intervals, and rates per month."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from analysis.charts.fonts import pinned_tight_layout
from analysis.charts.palette import FrameScheme
from analysis.charts.plots import Chart
from analysis.charts.style import NOTE_PT, TWO_COLUMN, chart_style
from analysis.charts.text import prepare_text

#: Okabe & Ito's colour-blind-safe palette, and a marker each, so outlets also
#: differ in greyscale print.
OUTLET_COLOURS = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00")
OUTLET_MARKERS = ("o", "s", "^", "D", "v", "P")


def plot_outlet_rates(
    rates: pd.DataFrame,
    scheme: FrameScheme | None = None,
    title: str = "",
) -> Chart:
    """Each frame's rate per 1,000 words in each outlet, with its 95 % interval.

    ``rates``: ``outlet, frame, rate, low, high`` (:mod:`analysis.scale.outlets`);
    frames in the order and with the labels of ``scheme`` (``lexicons/``).
    """
    scheme = scheme or FrameScheme.load()
    frames = scheme.order(rates["frame"].unique())
    outlets = sorted(rates["outlet"].unique())
    with chart_style():
        fig = Chart(figsize=(TWO_COLUMN, 0.75 * len(frames) + 1.4))
        ax = fig.add_subplot()
        for k, outlet in enumerate(outlets):
            part = rates[rates["outlet"] == outlet].set_index("frame").reindex(frames)
            y = np.arange(len(frames)) + (k - (len(outlets) - 1) / 2) * 0.13
            errors = [part["rate"] - part["low"].fillna(part["rate"]),
                      part["high"].fillna(part["rate"]) - part["rate"]]  # fmt: skip
            ax.errorbar(part["rate"], y, xerr=errors, fmt=OUTLET_MARKERS[k % 6], markersize=4,
                        color=OUTLET_COLOURS[k % 6], capsize=2, linewidth=1,
                        label=prepare_text(str(outlet)))  # fmt: skip
        ax.set_yticks(range(len(frames)), [prepare_text(scheme.label(f)) for f in frames])
        ax.invert_yaxis()
        ax.set_xlim(left=0)
        ax.set_xlabel("frame hits per 1,000 words (95 % interval)")
        ax.grid(axis="x", color="#dddddd", linewidth=0.6)
        ax.legend(loc="lower left", bbox_to_anchor=(0, 1.0), ncols=3)
        if title:
            ax.set_title(prepare_text(title), pad=34)
        pinned_tight_layout(fig)
        fig.draw_without_rendering()
    return fig


def plot_monthly_rates(
    monthly: pd.DataFrame,
    months: Sequence[str],
    scheme: FrameScheme | None = None,
) -> Chart:
    """One panel per frame: each outlet's rate per 1,000 words, month by month."""
    scheme = scheme or FrameScheme.load()
    frames = scheme.order(monthly["frame"].unique())
    outlets = sorted(monthly["outlet"].unique())
    columns = 2
    rows = -(-len(frames) // columns)
    with chart_style():
        fig = Chart(figsize=(TWO_COLUMN, 2.0 * rows + 0.8))
        axes = fig.subplots(rows, columns, sharex=True, squeeze=False)
        for ax, frame in zip(axes.ravel(), frames, strict=False):
            for k, outlet in enumerate(outlets):
                part = monthly[(monthly["frame"] == frame) & (monthly["outlet"] == outlet)]
                part = part.set_index("month").reindex(months)
                ax.plot(range(len(months)), part["rate"], marker=OUTLET_MARKERS[k % 6],
                        markersize=3, linewidth=1, color=OUTLET_COLOURS[k % 6],
                        label=prepare_text(str(outlet)))  # fmt: skip
            ax.set_title(prepare_text(scheme.label(frame).replace("\n", " · ")))
            ax.set_ylim(bottom=0)
            ax.grid(axis="y", color="#dddddd", linewidth=0.6)
        for ax in axes.ravel()[len(frames) :]:
            ax.set_visible(False)
        for ax in axes[-1]:
            ax.set_xticks(range(len(months)), [m[5:] for m in months])
            ax.set_xlabel(f"month of {months[0][:4]}")
        handles, names = axes[0, 0].get_legend_handles_labels()
        fig.legend(handles, names, loc="upper center", ncols=len(outlets))
        fig.supylabel("hits per 1,000 words", fontsize=NOTE_PT + 1)
        pinned_tight_layout(fig, rect=(0, 0, 1, 0.95))
        fig.draw_without_rendering()
    return fig
