"""Charts: Arabic-safe on every matplotlib, fonts from the pinned files, identical bytes.

:mod:`analysis.charts.text` prepares every string for matplotlib;
:mod:`analysis.charts.fonts` chooses the pinned font file each text is drawn with;
:mod:`analysis.charts.palette` reads each frame's order, label and colour;
:mod:`analysis.charts.style` holds the print sizes and matplotlib settings;
:mod:`analysis.charts.layout` measures and wraps labels;
:mod:`analysis.charts.plots` draws the charts and saves them.
"""

from __future__ import annotations

from analysis.charts.fonts import pin_fonts
from analysis.charts.palette import FrameScheme
from analysis.charts.plots import (
    FIGURE_FORMATS,
    Chart,
    draw_table,
    plot_actor_cooccurrence,
    plot_frame_counts,
    plot_frame_dispersion,
    plot_frames_by_voice,
    plot_group_frame_rates,
    plot_keyness,
    plot_sentence_frame_heatmap,
    plot_term_counts,
    save_figure,
)
from analysis.charts.style import (
    NOTE_PT,
    ONE_COLUMN,
    PNG_DPI,
    TEXT_PT,
    TITLE_PT,
    TWO_COLUMN,
    arabic_style,
    chart_style,
)
from analysis.charts.text import (
    bilingual_label,
    matplotlib_shapes_text,
    prepare_text,
    strip_bidi_controls,
)

__all__ = [
    "FIGURE_FORMATS",
    "NOTE_PT",
    "ONE_COLUMN",
    "PNG_DPI",
    "TEXT_PT",
    "TITLE_PT",
    "TWO_COLUMN",
    "Chart",
    "FrameScheme",
    "arabic_style",
    "bilingual_label",
    "chart_style",
    "draw_table",
    "matplotlib_shapes_text",
    "pin_fonts",
    "plot_actor_cooccurrence",
    "plot_frame_counts",
    "plot_frame_dispersion",
    "plot_frames_by_voice",
    "plot_group_frame_rates",
    "plot_keyness",
    "plot_sentence_frame_heatmap",
    "plot_term_counts",
    "prepare_text",
    "save_figure",
    "strip_bidi_controls",
]
