"""Measuring chart text and wrapping labels without orphans, in Arabic and English.

Widths and heights are measured as the charts draw the text: the string made
by :func:`~analysis.charts.prepare_text`, in the pinned font file
(:func:`~analysis.charts.fonts.font_for`), laid out by matplotlib. Wrapping is
done on the logical string, so that every line is a run of whole words that
keeps its own direction.

A label is wrapped into the fewest lines no wider than the width given (a word
wider than that gets a line of its own); among those, the last line never
holds a lone word if another break avoids it, then lines with a single word
are as few as possible, then the lines are as even as possible. So
"Solidarity and support", at a width that fits two of its words, becomes
"Solidarity / and support", not "Solidarity and / support".
"""

from __future__ import annotations

import functools
from collections.abc import Sequence

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.text import Text

from analysis.charts.fonts import font_for
from analysis.charts.style import chart_style
from analysis.charts.text import prepare_text, strip_bidi_controls


@functools.cache
def _scratch() -> Figure:
    """A figure at 72 dpi (one pixel per point) to measure text on."""
    fig = Figure(dpi=72)
    FigureCanvasAgg(fig)
    return fig


@functools.lru_cache(maxsize=65536)
def text_extent(text: str, size: float, weight: str = "normal") -> tuple[float, float]:
    """Return the width and height (points) of logical *text* as a chart draws it at *size* pt.

    Several lines are measured as one block, with matplotlib's line spacing.
    """
    fig = _scratch()
    with chart_style():
        prepared = prepare_text(text)
        artist = Text(0, 0, prepared, fontproperties=font_for(prepared, size, weight=weight))
        artist.set_figure(fig)
        box = artist.get_window_extent(fig.canvas.get_renderer())
    return float(box.width), float(box.height)


def _line_width(words: Sequence[str], size: float) -> float:
    """Return the width (points) of *words* joined by spaces."""
    return text_extent(" ".join(words), size)[0]


def _wrap_paragraph(paragraph: str, width: float, size: float) -> list[str]:
    """Return the lines of one paragraph wrapped to *width* points (see the module docstring).

    Dynamic programming over break points; the cost of a wrapping is compared
    as (lines, lone last word, lines with one word, sum of squared slack), each
    a sum over its lines.
    """
    words = paragraph.split()
    n = len(words)
    if n <= 1:
        return [paragraph.strip()]
    # best[j]: cheapest wrapping of words[:j], as (cost tuple, start of its last line).
    best: list[tuple[tuple[float, ...], int] | None] = [None] * (n + 1)
    best[0] = ((0, 0, 0, 0.0), 0)
    for j in range(1, n + 1):
        for i in range(j - 1, -1, -1):
            if best[i] is None:
                continue
            line_width = _line_width(words[i:j], size)
            if line_width > width and j - i > 1:
                break  # adding words before i only makes the line wider
            alone = j - i == 1
            slack = max(width - line_width, 0.0)
            lines, orphan, singles, badness = best[i][0]
            cost = (
                lines + 1,
                orphan + (alone and j == n),
                singles + alone,
                badness + slack * slack,
            )
            if best[j] is None or cost < best[j][0]:
                best[j] = (cost, i)
    lines = []
    j = n
    while j > 0:
        i = best[j][1]  # type: ignore[index]
        lines.append(" ".join(words[i:j]))
        j = i
    return lines[::-1]


def wrap(text: object, width: float, size: float) -> str:
    """Return logical *text* with line breaks so each line fits *width* points at *size* pt.

    Existing line breaks are kept (each line is a paragraph wrapped on its own,
    e.g. the English and the Arabic of a bilingual label). Bidi controls are
    removed first, with the warning :func:`strip_bidi_controls` gives.
    """
    clean = strip_bidi_controls(str(text))
    return "\n".join(
        line for part in clean.split("\n") for line in _wrap_paragraph(part, width, size)
    )


def label(text: object, width: float, size: float) -> str:
    """Return *text* wrapped to *width* points (:func:`wrap`) and prepared for matplotlib."""
    return prepare_text(wrap(text, width, size))
