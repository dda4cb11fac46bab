"""Charts: Arabic-safe on every matplotlib, fonts from the pinned files, identical bytes.

:mod:`analysis.charts.text` prepares every string for matplotlib;
:mod:`analysis.charts.plots` draws the charts and saves them;
:mod:`analysis.charts.fonts` registers the fonts they are drawn with.
"""

from __future__ import annotations

from analysis.charts.plots import (
    FIGURE_FORMATS,
    PNG_DPI,
    Chart,
    arabic_style,
    draw_table,
    plot_actor_cooccurrence,
    plot_frame_counts,
    plot_frame_dispersion,
    plot_frames_by_voice,
    plot_group_frame_rates,
    plot_keyness,
    plot_sentence_frame_heatmap,
    save_figure,
)
from analysis.charts.text import (
    bilingual_label,
    matplotlib_shapes_text,
    prepare_text,
    strip_bidi_controls,
)

__all__ = [
    "FIGURE_FORMATS",
    "PNG_DPI",
    "Chart",
    "arabic_style",
    "bilingual_label",
    "draw_table",
    "matplotlib_shapes_text",
    "plot_actor_cooccurrence",
    "plot_frame_counts",
    "plot_frame_dispersion",
    "plot_frames_by_voice",
    "plot_group_frame_rates",
    "plot_keyness",
    "plot_sentence_frame_heatmap",
    "prepare_text",
    "save_figure",
    "strip_bidi_controls",
]
