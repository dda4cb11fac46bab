"""Group-comparison charts (issue: from one article to a corpus).

Small hand-made tables; the checks read back what matplotlib drew (bar lengths,
order, legend and annotation texts) rather than trusting the inputs.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from matplotlib.patches import Rectangle

from analysis.charts import plot_group_frame_rates, plot_keyness

pytestmark = pytest.mark.legacy_ok  # also runs with matplotlib < 3.11 (make test)


def bars(fig) -> list[Rectangle]:
    (ax,) = fig.axes
    return [p for p in ax.patches if isinstance(p, Rectangle)]


def test_group_rates_draw_one_bar_per_frame_and_group() -> None:
    rates = pd.DataFrame(
        {
            "frame": ["colonialism", "colonialism", "solidarity", "solidarity"],
            "group": ["Algeria", "Morocco", "Algeria", "Morocco"],
            "n": [3, 0, 5, 2],
            "tokens": [1000, 500, 1000, 500],
            "rate_per_1000": [3.0, 0.0, 5.0, 4.0],
            "n_documents": [2, 1, 2, 1],
        }
    )
    fig = plot_group_frame_rates(rates)
    drawn = bars(fig)
    assert len(drawn) == 4
    widths = sorted(round(b.get_width(), 6) for b in drawn)
    assert widths == [0.0, 3.0, 4.0, 5.0]
    (ax,) = fig.axes
    # Without a frame scheme, highest rate first (at the top): solidarity (5), colonialism (3).
    assert [t.get_text() for t in ax.get_yticklabels()] == ["solidarity", "colonialism"]
    (legend,) = fig.legends  # under the chart
    legend = [t.get_text() for t in legend.get_texts()]
    assert legend == ["Algeria (2 doc.)", "Morocco (1 doc.)"]


def test_keyness_bars_are_log_ratios_ordered_by_g2() -> None:
    table = pd.DataFrame(
        {
            "term": ["احتلال", "تضامن", "مغرب"],
            "G2": [4.0, 12.5, 7.25],
            "log_ratio": [1.5, -2.0, 0.75],
        }
    )
    fig = plot_keyness(table, names=("Algerian press", "Moroccan press"))
    (ax,) = fig.axes
    drawn = bars(fig)
    # Ordered by G2, largest first: تضامن (12.5), مغرب (7.25), احتلال (4.0).
    by_row = sorted(drawn, key=lambda b: b.get_y())
    assert [round(b.get_width(), 6) for b in by_row] == [-2.0, 0.75, 1.5]
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert len(labels) == 3
    notes = sorted(t.get_text() for t in ax.texts)
    assert notes == ["G² 12.5", "G² 4.0", "G² 7.2"] or notes == ["G² 12.5", "G² 4.0", "G² 7.3"]
    assert "Moroccan press" in ax.get_xlabel() and "Algerian press" in ax.get_xlabel()
    colours = {tuple(np.round(b.get_facecolor(), 3)) for b in drawn}
    assert len(colours) == 2  # one colour per side


def test_keyness_needs_its_columns() -> None:
    from analysis.errors import AnalysisError

    with pytest.raises(AnalysisError, match="log_ratio"):
        plot_keyness(pd.DataFrame({"term": ["x"], "G2": [1.0]}))
