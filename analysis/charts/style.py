"""Print sizes, type sizes and the matplotlib settings every chart is drawn under.

Charts are drawn at the size they are printed: :data:`ONE_COLUMN` (3.5 in) or
:data:`TWO_COLUMN` (7.2 in) wide, the column widths of most journals, so that
a type size in points here is the size on paper. Text is never smaller than
:data:`NOTE_PT`.

:func:`chart_style` starts from matplotlib's defaults, not from the host's
``matplotlibrc``, so a setting on one machine cannot change the figures.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import matplotlib as mpl
import matplotlib.style

from analysis.charts.fonts import register_fonts
from analysis.charts.text import matplotlib_shapes_text

#: Width (inches) of a chart printed in one column of a two-column page.
ONE_COLUMN = 3.5
#: Width (inches) of a chart printed across both columns (or a one-column page).
TWO_COLUMN = 7.2

#: Type sizes (points, as printed): category and tick labels, legends, colour bars…
TEXT_PT = 8.0
#: …numbers written on bars and in cells (the smallest text of any chart)…
NOTE_PT = 7.0
#: …and titles.
TITLE_PT = 9.0

PNG_DPI = 200

# Fixed salt for SVG element ids: without it every run writes new random ids.
SVG_HASHSALT = "arabic-framing-analysis"

#: Line widths (points) of axes, ticks and outlines, thin enough for small print.
LINE_PT = 0.6


def arabic_style() -> dict[str, object]:
    """Return the rcParams the charts are drawn with (type sizes, lines, deterministic output).

    A notebook drawing a chart of its own builds it inside ``with
    charts.chart_style():``, passes every string through
    :func:`~analysis.charts.prepare_text` and saves it with
    :func:`~analysis.charts.save_figure`, which draws every text with the
    pinned font files (``font.family`` here only names them for text drawn
    before that).
    """
    families = register_fonts(need_presentation_forms=not matplotlib_shapes_text())
    return {
        "font.family": list(families),
        "font.size": TEXT_PT,
        "axes.titlesize": TITLE_PT,
        "axes.labelsize": TEXT_PT,
        "xtick.labelsize": TEXT_PT,
        "ytick.labelsize": TEXT_PT,
        "legend.fontsize": TEXT_PT,
        "legend.title_fontsize": TEXT_PT,
        "axes.linewidth": LINE_PT,
        "xtick.major.width": LINE_PT,
        "ytick.major.width": LINE_PT,
        "xtick.major.size": 2.5,
        "ytick.major.size": 2.5,
        "patch.linewidth": 0.4,
        "hatch.linewidth": 0.6,
        "legend.frameon": False,
        "axes.formatter.use_locale": False,
        "svg.hashsalt": SVG_HASHSALT,
        "svg.fonttype": "path",
        # TrueType (Type 42) embedding: journals reject Type 3 fonts. Measured cost:
        # ~2 s per PDF (fontTools subsets Amiri) against ~0.2 s for Type 3.
        "pdf.fonttype": 42,
        "figure.dpi": 100,
        "savefig.dpi": PNG_DPI,
    }


@contextmanager
def chart_style() -> Iterator[None]:
    """Draw under matplotlib's defaults and :func:`arabic_style`, whatever the rc files say."""
    with mpl.style.context("default"), mpl.rc_context(arabic_style()):
        yield
