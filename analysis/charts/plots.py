"""The charts: each takes a tidy table and returns a matplotlib Figure; saving is byte-identical.

Each chart function takes a tidy DataFrame (columns documented per function, as in
``docs/design.md``), returns the :class:`~matplotlib.figure.Figure`, and never
modifies its input. Every string goes through
:func:`analysis.charts.text.prepare_text`, every text is drawn with a pinned
font file (:func:`analysis.charts.fonts.pin_fonts`), and :func:`save_figure`
writes PNG (200 dpi), SVG and PDF atomically and byte-identically from run to run.

Charts that show frames take ``frames=`` (a :class:`~analysis.charts.FrameScheme`,
read from ``lexicons/``) and a table of frame ids: they then draw the frames in
the order of ``frames.csv``, top to bottom or left to right, with their bilingual
labels and one colour per frame. Without it, categories are drawn as given, in grey.

Charts are drawn at print size: ``width`` is :data:`ONE_COLUMN` (3.5 in) or
:data:`TWO_COLUMN` (7.2 in), and the height follows from the content.
"""

from __future__ import annotations

import io
import os
import re
import tempfile
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib import colormaps
from matplotlib import colors as mcolors
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.image import AxesImage
from matplotlib.patches import Patch, Rectangle
from matplotlib.table import Table
from matplotlib.ticker import MaxNLocator

from analysis.charts.fonts import pin_fonts
from analysis.charts.layout import text_extent, wrap
from analysis.charts.palette import FrameScheme
from analysis.charts.style import (
    NOTE_PT,
    ONE_COLUMN,
    PNG_DPI,
    TEXT_PT,
    TITLE_PT,
    TWO_COLUMN,
    chart_style,
)
from analysis.charts.text import bilingual_label, prepare_text
from analysis.errors import ConfigError
from analysis.paths import FIGURES_DIR

FIGURE_FORMATS: tuple[str, ...] = ("png", "svg", "pdf")

_SLUG = re.compile(r"[a-z0-9][a-z0-9_-]*")

#: Fill of bars and marks that are not frames (terms without a scheme, actors, groups).
NEUTRAL = "#777777"
#: Outline of every bar, mark and cell, so that light colours stay visible on paper.
EDGE = "#222222"
#: Sequential colour map of the heatmaps (counts): white for 0, darker for more.
HEATMAP_CMAP = "Greys"

#: The axis titles, legends and colour-bar labels, in English and in Arabic.
WORDS: dict[str, tuple[str, str]] = {
    "n": ("hits (n)", "عدد مرات الورود"),
    "rate_per_1000": ("hits per 1,000 words", "مرات الورود لكل 1000 كلمة"),
    "narration": ("narration", "السرد"),
    "quoted": ("quoted speech", "الكلام المنقول"),
    "sentence": ("sentence", "الجملة"),
    "relative_position": ("position in the text (share of words before the hit)", "الموضع في النص"),
    "start": ("character offset in the text", "موضع الحرف في النص"),
    "sentence_hits": ("frame hits in the sentence (n)", "عدد مرات ورود الإطار في الجملة"),
    "both_actors": ("sentences naming both actors (n)", "عدد الجمل التي تذكر الفاعلين كليهما"),
    "diagonal": ("diagonal: sentences naming the actor", "القطر: عدد الجمل التي تذكر الفاعل"),
}

#: Share of a chart's width given to the category labels beside a bar chart's axis.
LABEL_SHARE = 0.42
#: Thickness (points) of one bar.
BAR_PT = 9.0
#: Space (points) between two rows of labels.
ROW_GAP = 3.0
#: Share of white mixed into a frame's colour for quoted speech (drawn hatched as well).
QUOTED_TINT = 0.55
QUOTED_HATCH = "/////"


def words(key: str) -> str:
    """Return the English and Arabic of ``WORDS[key]`` on two lines (logical order)."""
    return "\n".join(WORDS[key])


class Chart(Figure):
    """A matplotlib Figure that shows itself in Jupyter without pyplot.

    The chart functions build figures directly (no pyplot state to leak or close),
    so IPython's inline backend, which hooks pyplot, would only print their repr.
    ``_repr_png_`` renders the figure with the pinned fonts at 200 dpi and asks
    for it to be shown at 100 dpi size (sharp on high-density screens), with the
    caption and alt text set by :meth:`describe` (the report numbers the caption). The PNG
    has no software/version metadata, so executed notebooks stay byte-identical.
    """

    caption: str = ""
    alt: str = ""

    def describe(self, caption: str, alt: str = "") -> Chart:
        """Set the caption and the alt text the report shows with the chart; returns it."""
        self.caption, self.alt = caption, alt
        return self

    def _repr_png_(self) -> tuple[bytes, dict[str, object]]:
        buffer = io.BytesIO()
        with chart_style():
            pin_fonts(self)
            self.savefig(buffer, format="png", dpi=PNG_DPI, metadata={"Software": None})
        width, height = self.get_size_inches()
        size = {"width": round(width * 100), "height": round(height * 100)}
        words = {
            key: value for key, value in (("caption", self.caption), ("alt", self.alt)) if value
        }
        return buffer.getvalue(), {**size, **words}


# --------------------------------------------------------------------------- #
# Helpers shared by the charts


def _require(table: pd.DataFrame, columns: Sequence[str], what: str) -> None:
    """Raise ConfigError if *table* lacks one of *columns*."""
    if not isinstance(table, pd.DataFrame):
        raise ConfigError(f"{what}: expected a pandas DataFrame, got {type(table).__name__}")
    missing = [c for c in columns if c not in table.columns]
    if missing:
        raise ConfigError(
            f"{what}: table lacks column(s) {', '.join(missing)}; "
            f"it has {', '.join(map(str, table.columns))}"
        )


def _category(table: pd.DataFrame, category: str | None) -> str:
    """Return the column naming the categories: *category*, else ``frame``, else ``actor``."""
    if category is not None:
        return category
    return "actor" if "frame" not in table.columns and "actor" in table.columns else "frame"


def _weights(table: pd.DataFrame) -> pd.Series:
    """Return each row's count: its ``n`` for a counts table, 1 for a hits table."""
    if "n" in table.columns and "start" not in table.columns:
        return table["n"].astype(float)
    return pd.Series(1.0, index=table.index)


def _one_document(table: pd.DataFrame, what: str) -> None:
    """Raise ConfigError if *table* mixes documents (sentences and offsets are per document)."""
    if "doc_id" in table.columns and table["doc_id"].nunique() > 1:
        raise ConfigError(
            f"{what}: the table holds {table['doc_id'].nunique()} documents; "
            "select one doc_id first"
        )


def _styled(
    categories: Sequence[object], frames: FrameScheme | None
) -> tuple[list[str], list[str], list[str]]:
    """Return the categories to draw, their logical labels and their colours.

    With *frames*: the frame ids present, in the scheme's order, with the
    scheme's labels and colours. Without: *categories* as given, in grey.
    """
    if frames is None:
        shown = [str(c) for c in categories]
        return shown, shown, [NEUTRAL] * len(shown)
    shown = frames.order(categories)
    return shown, [frames.label(f) for f in shown], [frames.colour(f) for f in shown]


def _tint(colour: str, share: float) -> tuple[float, float, float]:
    """Return *colour* mixed with *share* of white."""
    rgb = np.array(mcolors.to_rgb(colour))
    return tuple(rgb + (1.0 - rgb) * share)  # type: ignore[return-value]


def _ink(background: object) -> str:
    """Return black or white, whichever reads better on *background* (WCAG luminance)."""
    rgb = np.array(mcolors.to_rgb(background))
    linear = np.where(rgb <= 0.04045, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)
    luminance = float(linear @ [0.2126, 0.7152, 0.0722])
    # Contrast with black is (L + 0.05) / 0.05, with white 1.05 / (L + 0.05).
    return "black" if (luminance + 0.05) / 0.05 >= 1.05 / (luminance + 0.05) else "white"


def _number(value: float, integer: bool) -> str:
    """Format a bar or cell value: counts as integers, anything else with one decimal."""
    return f"{round(value):d}" if integer else f"{value:.1f}"


def _rows(labels: Sequence[str], minimum: float, gap: float = ROW_GAP) -> tuple[np.ndarray, float]:
    """Return the centre of each row (points from the top) and the height of all rows.

    Each row is as tall as its logical *label* is drawn (at least *minimum*
    points), plus *gap*; the y axis of a bar chart is in points.
    """
    heights = [max(text_extent(t, TEXT_PT)[1], minimum) + gap for t in labels]
    edges = np.concatenate([[0.0], np.cumsum(heights)])
    return (edges[:-1] + edges[1:]) / 2, float(edges[-1])


def _chart(width: float, height: float = 3.0) -> tuple[Chart, Axes]:
    """Return a new chart *width* inches wide (the height is fitted later) and its axes."""
    fig = Chart(figsize=(width, height), layout="constrained")
    return fig, fig.subplots()


def _fit(fig: Figure, ax: Axes, axes_height: float) -> Figure:
    """Make *fig* as tall as needed for *ax* to be *axes_height* points high; finish it.

    The figure is laid out at its first height and the difference between the
    axes' height and the one wanted is added (constrained layout keeps margins
    in inches), rounded to 1/100 inch; a second round corrects what is left.
    """
    pin_fonts(fig)
    for _ in range(2):
        fig.draw_without_rendering()
        actual = ax.get_position(original=True).height * fig.get_figheight()
        fig.set_figheight(round(max(fig.get_figheight() + axes_height / 72 - actual, 1.0), 2))
    return _finish(fig)


def _english(label: object) -> str:
    """The first line of a bilingual label (its English), for alt text."""
    return str(label).split("\n", 1)[0]


def _described(fig: Chart, title: str, kind: str, parts: Sequence[str]) -> Chart:
    """Give the chart its caption (the title) and an alt text listing what it shows."""
    listed = "; ".join(parts)
    return fig.describe(title, alt=f"{kind}. {title}: {listed}." if listed else f"{kind}. {title}.")


def _finish(fig: Figure) -> Figure:
    """Pin every text to its font file and create the tick labels, with the charts' fonts."""
    pin_fonts(fig)
    fig.draw_without_rendering()
    return pin_fonts(fig)


def _value_axis(ax: Axes, values: np.ndarray, value: str) -> None:
    """Label the value axis (bilingual where known) and leave room for numbers after the bars."""
    ax.set_xlabel(prepare_text(words(value) if value in WORDS else value))
    if value == "n":
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    low = min(float(values.min()), 0.0) if len(values) else 0.0
    high = max(float(values.max()), 0.0) if len(values) else 0.0
    if high > low:
        span = high - low
        ax.set_xlim(low - (0.12 * span if low < 0 else 0), high + 0.12 * span)


def _write_values(ax: Axes, values: Sequence[float], ys: Sequence[float], integer: bool) -> None:
    """Write each value just after the end of its bar."""
    for v, y in zip(values, ys, strict=True):
        ax.annotate(
            prepare_text(_number(v, integer=integer)),
            (v, y),
            xytext=(2 if v >= 0 else -2, 0),
            textcoords="offset points",
            ha="left" if v >= 0 else "right",
            va="center",
            fontsize=NOTE_PT,
        )


def _title(ax: Axes, text: str, width: float) -> None:
    """Set the title of *ax*, wrapped to *width* points."""
    ax.set_title(prepare_text(wrap(text, width, TITLE_PT)))


def _label_width(width: float) -> float:
    """Return the width (points) category labels may take beside a bar chart *width* inches wide."""
    return width * 72 * LABEL_SHARE


# --------------------------------------------------------------------------- #
# Bar charts


def plot_frame_counts(
    counts: pd.DataFrame,
    *,
    value: str = "n",
    label: str | None = None,
    gloss: str | None = "gloss",
    title: str | None = None,
    frames: FrameScheme | None = None,
    width: float = ONE_COLUMN,
) -> Figure:
    """Horizontal bars of a counts table, with bilingual labels and each value written.

    *counts* needs the *value* column (``n`` or ``rate_per_1000``) and a label
    column: *label* if given, else ``term`` if present, else ``frame``. With
    *frames*, the label column holds frame ids, drawn in the order of
    ``frames.csv`` (top to bottom) with their labels and colours; without, the
    rows are sorted largest first, labelled with the column's values and the
    *gloss* column (English) under each, in grey. The default *title* says
    whether counts or rates are shown.
    """
    if title is None:
        title = "Frame rates per 1,000 words" if value == "rate_per_1000" else "Frame counts"
    if label is None:
        label = "term" if "term" in counts.columns and frames is None else "frame"
    _require(counts, [label, value], "plot_frame_counts")
    if frames is None:
        data = counts.sort_values(value, ascending=False, kind="stable")
        glosses = data[gloss] if gloss and gloss in data.columns else [None] * len(data)
        names = [bilingual_label(t, g) for t, g in zip(data[label], glosses, strict=True)]
        colours = [NEUTRAL] * len(data)
    else:
        if counts[label].duplicated().any():
            raise ConfigError(f"plot_frame_counts: one row per frame expected in column {label!r}")
        shown, names, colours = _styled(counts[label], frames)
        data = counts.set_index(counts[label].astype(str)).loc[shown]
    values = data[value].to_numpy(dtype=float)
    with chart_style():
        labels = [wrap(t, _label_width(width), TEXT_PT) for t in names]
        ys, total = _rows(labels, BAR_PT + 4)
        fig, ax = _chart(width, total / 72 + 3.0)
        ax.barh(ys, values, height=BAR_PT, color=colours, edgecolor=EDGE)
        ax.set_yticks(ys, labels=[prepare_text(t) for t in labels])
        ax.set_ylim(total, 0)  # first row at the top
        _value_axis(ax, values, value)
        _write_values(ax, values, ys, integer=value == "n")
        _title(ax, title, width * 72 * (1 - LABEL_SHARE) - 16)
        pairs = zip(names, values, strict=True)
        parts = [f"{_english(n)} {_number(v, value == 'n')}" for n, v in pairs]
        return _described(_fit(fig, ax, total), title, "Bar chart", parts)


def plot_term_counts(
    terms: pd.DataFrame,
    *,
    frames: FrameScheme,
    value: str = "n",
    title: str = "Hits per framing term",
    width: float = TWO_COLUMN,
) -> Figure:
    """One compact bar per lexicon term, grouped and coloured by frame.

    *terms* is :func:`analysis.measures.count_by` over ``frame``, ``term`` and
    ``gloss`` (a hits count per term). Terms are grouped by frame in the order
    of ``frames.csv``, largest first within a frame. Each row is one line: the
    English gloss, the Arabic term beside the axis, then the bar and its value.
    A legend names the frames in the same order, beside the bars (or under
    them, where it would be taller).
    """
    _require(terms, ["frame", "term", "gloss", value], "plot_term_counts")
    shown = frames.order(terms["frame"])
    rank = {f: i for i, f in enumerate(shown)}
    data = terms.assign(_rank=terms["frame"].astype(str).map(rank))
    data = data.sort_values(["_rank", value, "term"], ascending=[True, False, True], kind="stable")
    values = data[value].to_numpy(dtype=float)
    with chart_style():
        glosses = [wrap(g, width * 72 * 0.3, TEXT_PT) for g in data["gloss"].astype(str)]
        arabic = [wrap(t, width * 72 * 0.2, TEXT_PT) for t in data["term"].astype(str)]
        taller = [
            max(g, t, key=lambda x: text_extent(x, TEXT_PT)[1])
            for g, t in zip(glosses, arabic, strict=True)
        ]
        ys, total = _rows(taller, BAR_PT, gap=0.0)
        fig, ax = _chart(width, total / 72 + 3.0)
        colours = [frames.colour(f) for f in data["frame"].astype(str)]
        ax.barh(ys, values, height=BAR_PT, color=colours, edgecolor=EDGE)
        ax.set_yticks(ys, labels=[prepare_text(t) for t in arabic])
        ax.set_ylim(total, 0)
        # The gloss column, right-aligned to the left of the widest Arabic term.
        term_width = max((text_extent(t, TEXT_PT)[0] for t in arabic), default=0.0)
        offset = term_width + 2.5 + 3.5 + 10  # tick length, label pad, space
        for gloss, y in zip(glosses, ys, strict=True):
            ax.annotate(
                prepare_text(gloss),
                (0, y),
                xycoords=("axes fraction", "data"),
                xytext=(-offset, 0),
                textcoords="offset points",
                ha="right",
                va="center",
                fontsize=TEXT_PT,
            )
        _value_axis(ax, values, value)
        _write_values(ax, values, ys, integer=value == "n")
        _frame_legend(fig, ax, frames, shown, width, total)
        _title(ax, title, width * 72 * 0.35)
        parts = [f"{t} ({g}) {_number(v, value == 'n')}" for t, g, v in
                 zip(data["term"], data["gloss"], values, strict=True)]  # fmt: skip
        return _described(_fit(fig, ax, total), title, "Bar chart, coloured by frame", parts)


def _frame_legend(
    fig: Figure, ax: Axes, frames: FrameScheme, shown: Sequence[str], width: float, rows: float
) -> None:
    """Name the *shown* frames with their colours in a legend.

    The legend stands right of the bars if it is no taller than the *rows*
    (points), else under the chart in three columns.
    """
    labels = [wrap(frames.label(f), width * 72 * 0.22, TEXT_PT) for f in shown]
    handles = [
        Patch(facecolor=frames.colour(f), edgecolor=EDGE, label=prepare_text(t))
        for f, t in zip(shown, labels, strict=True)
    ]
    tall = sum(text_extent(t, TEXT_PT)[1] + TEXT_PT / 2 for t in labels) + TEXT_PT
    if tall <= rows:
        ax.legend(handles=handles, loc="center left", bbox_to_anchor=(1.02, 0.5))
    else:
        fig.legend(handles=handles, loc="outside lower center", ncols=min(len(handles), 3))


VOICES = ("narration", "quoted")


def _voice_style(colour: str, voice: str) -> dict[str, object]:
    """Return the bar style of one voice: solid for narration, tinted and hatched for quotes."""
    if voice == "narration":
        return {"facecolor": colour, "edgecolor": EDGE}
    return {"facecolor": _tint(colour, QUOTED_TINT), "edgecolor": EDGE, "hatch": QUOTED_HATCH}


def plot_frames_by_voice(
    hits: pd.DataFrame,
    *,
    category: str | None = None,
    frames: FrameScheme | None = None,
    title: str = "Frames by voice",
    width: float = ONE_COLUMN,
) -> Figure:
    """Grouped bars: hits per frame in narration (solid) and in quoted speech (hatched).

    *hits* is a hits table (one row per hit) or the counts table of
    :func:`analysis.measures.count_by_voice` (with ``n``); it needs ``voice``
    (``narration`` / ``quoted``) and the *category* column (default ``frame``,
    or ``actor`` for actor hits). With *frames*, frames follow ``frames.csv``
    top to bottom in their colours; without, the most frequent is at the top.
    The legend under the chart names the two voices in English and Arabic.
    """
    category = _category(hits, category)
    _require(hits, [category, "voice"], "plot_frames_by_voice")
    table = (
        _weights(hits)
        .groupby([hits[category].astype(str), hits["voice"]], sort=True)
        .sum()
        .unstack(fill_value=0)
        .reindex(columns=list(VOICES), fill_value=0)
    )
    if frames is None:
        table = table.loc[table.sum(axis=1).sort_values(ascending=False, kind="stable").index]
    shown, names, colours = _styled(list(table.index), frames)
    table = table.loc[shown]
    with chart_style():
        labels = [wrap(t, _label_width(width), TEXT_PT) for t in names]
        ys, total = _rows(labels, 2 * BAR_PT + 4)
        fig, ax = _chart(width, total / 72 + 3.0)
        for k, voice in enumerate(VOICES):
            offset = (k - 0.5) * BAR_PT
            values = table[voice].to_numpy(dtype=float)
            for y, v, colour in zip(ys, values, colours, strict=True):
                ax.barh(y + offset, v, height=BAR_PT, **_voice_style(colour, voice))
            _write_values(ax, values, ys + offset, integer=True)
        ax.set_yticks(ys, labels=[prepare_text(t) for t in labels])
        ax.set_ylim(total, 0)  # first frame at the top, narration above quoted
        _value_axis(ax, table.to_numpy(dtype=float).ravel(), "n")
        _title(ax, title, width * 72 * (1 - LABEL_SHARE) - 16)
        handles = [
            Patch(**_voice_style(NEUTRAL, v), label=prepare_text(words(v)))  # type: ignore[arg-type]
            for v in VOICES
        ]
        fig.legend(handles=handles, loc="outside lower center", ncols=2)
        counts = table.astype(int).to_dict("index")
        parts = [
            f"{_english(n)}: narration {counts[f]['narration']}, quoted {counts[f]['quoted']}"
            for f, n in zip(shown, names, strict=True)
        ]
        return _described(_fit(fig, ax, total), title, "Grouped bar chart", parts)


def plot_frame_dispersion(
    hits: pd.DataFrame,
    *,
    category: str | None = None,
    frames: FrameScheme | None = None,
    text_length: int | None = None,
    title: str = "Where each frame occurs in the text",
    width: float = TWO_COLUMN,
) -> Figure:
    """One row per frame, one mark per hit at its position in one document.

    *hits* is either the table of :func:`analysis.measures.dispersion_positions`
    (``relative_position`` in [0, 1), used when present) or a hits table with
    ``start`` (character offset); plus the *category* column (default ``frame``,
    or ``actor``). For character offsets, *text_length* fixes the x range, else
    the last hit's ``end`` is used. With *frames*, rows follow ``frames.csv``
    top to bottom and marks take the frame's colour; without, rows follow the
    categories' first appearance.
    """
    category = _category(hits, category)
    relative = "relative_position" in hits.columns
    position = "relative_position" if relative else "start"
    _require(hits, [category, position], "plot_frame_dispersion")
    _one_document(hits, "plot_frame_dispersion")
    ordered = hits.sort_values(position, kind="stable")[category].astype(str)
    shown, names, colours = _styled(list(dict.fromkeys(ordered)), frames)
    if relative:
        limit = 1.0
    else:
        ends = hits["end"] if "end" in hits.columns else hits["start"]
        limit = text_length if text_length is not None else (int(ends.max()) if len(hits) else 1)
    mark = limit / 300  # a mark is 1/300 of the axis wide
    with chart_style():
        labels = [wrap(t, _label_width(width) * 0.6, TEXT_PT) for t in names]
        ys, total = _rows(labels, 16)
        fig, ax = _chart(width, total / 72 + 3.0)
        half = 7.0  # marks are 14 points high
        for y, frame, colour in zip(ys, shown, colours, strict=True):
            pos = hits.loc[hits[category].astype(str) == frame, position].to_numpy(dtype=float)
            ax.bar(pos, 2 * half, width=mark, bottom=y - half, color=colour, edgecolor=EDGE)
        ax.set_yticks(ys, labels=[prepare_text(t) for t in labels])
        ax.set_ylim(total, 0)
        ax.set_xlim(0, limit)
        ax.set_xlabel(prepare_text(words(position)))
        _title(ax, title, width * 72 * (1 - LABEL_SHARE * 0.6) - 16)
        counts = hits[category].astype(str).value_counts()
        parts = [f"{_english(n)} {int(counts.get(f, 0))} hits" for f, n in
                 zip(shown, names, strict=True)]  # fmt: skip
        return _described(_fit(fig, ax, total), title, "Strip plot of hit positions", parts)


# --------------------------------------------------------------------------- #
# Heatmaps


def _greys() -> mcolors.Colormap:
    """Return white-to-dark-grey (not black, so a number stays visible), white for NaN."""
    greys = colormaps[HEATMAP_CMAP](np.linspace(0.0, 0.85, 256))
    return mcolors.ListedColormap(greys).with_extremes(bad="white")


def _grid(ax: Axes, matrix: np.ndarray, bold: np.ndarray) -> AxesImage:
    """Draw the cells of *matrix* and write each count in its cell; return the image.

    Cells are grey by count on one scale (white for 0); NaN cells are not drawn.
    Cells marked in *bold* are white, outlined and numbered in bold, and left
    out of the scale. Numbers are black or white, whichever reads better.
    """
    scaled = np.where(bold, np.nan, matrix)
    high = np.nanmax(scaled) if np.isfinite(scaled).any() else 0.0
    norm = mcolors.Normalize(vmin=0, vmax=max(float(high), 1.0))
    cmap = _greys()
    image = ax.imshow(np.ma.masked_invalid(scaled), cmap=cmap, norm=norm, aspect="auto")
    rows, columns = matrix.shape
    for (i, j), v in np.ndenumerate(matrix):
        if not np.isfinite(v):
            continue
        ax.add_patch(
            Rectangle(
                (j - 0.5, i - 0.5),
                1,
                1,
                facecolor="none",
                edgecolor=EDGE if bold[i, j] else "#BBBBBB",
                linewidth=1.2 if bold[i, j] else 0.4,
                zorder=3 if bold[i, j] else 2,
            )
        )
        if v or bold[i, j]:
            ax.text(
                j,
                i,
                prepare_text(_number(v, integer=True)),
                ha="center",
                va="center",
                color=_ink("white" if bold[i, j] else cmap(norm(v))),
                fontsize=TEXT_PT,
                fontweight="bold" if bold[i, j] else "normal",
                zorder=4,
            )
    ax.set_xlim(-0.5, columns - 0.5)
    ax.set_ylim(rows - 0.5, -0.5)
    for spine in ax.spines.values():
        spine.set_visible(False)
    ax.tick_params(length=0)
    return image


def _colour_bar(fig: Figure, ax: Axes, image: AxesImage, text: str) -> None:
    """Put a horizontal colour bar with integer ticks under *ax*, labelled *text*."""
    bar = fig.colorbar(image, ax=ax, location="bottom", shrink=0.5, aspect=25, pad=0.05)
    bar.locator = MaxNLocator(integer=True)
    bar.update_ticks()
    bar.outline.set_linewidth(0.4)
    bar.set_label(prepare_text(text))


#: Height (points) of a row of the sentence heatmap, and the widest a cell may be.
ROW_PT = 2.2 * TEXT_PT
MAX_CELL_PT = 90.0


def _cell_width(fig: Figure, ax: Axes, columns: int, row: float) -> float:
    """Return the width (points) of a cell of *ax* and fix the cells' proportions.

    The figure is laid out to see how wide the axes can be; a cell takes its
    share, at most :data:`MAX_CELL_PT` (the grid is then narrower than the
    figure and centred), and rows stay *row* points high.
    """
    pin_fonts(fig)
    fig.draw_without_rendering()
    available = ax.get_position().width * fig.get_figwidth() * 72 / max(columns, 1)
    width = min(available, MAX_CELL_PT)
    ax.set_aspect(row / width, adjustable="box", anchor="N")
    return width


def plot_sentence_frame_heatmap(
    hits: pd.DataFrame,
    *,
    category: str | None = None,
    frames: FrameScheme | None = None,
    n_sentences: int | None = None,
    title: str = "Frame hits per sentence",
    width: float = TWO_COLUMN,
) -> Figure:
    """Heatmap of hit counts, sentences (rows, top to bottom) × frames (columns).

    *hits* is a hits table or the counts table of
    :func:`analysis.measures.count_by_sentence` (with ``n``), for one document;
    it needs ``sentence`` (0-based, labelled from 1) and the *category* column
    (default ``frame``, or ``actor``). *n_sentences* adds rows for sentences
    without hits. With *frames*, columns follow ``frames.csv`` left to right
    under a strip of each frame's colour; without, the order of first appearance.
    The count is written in each cell; the colour bar is labelled in both languages.
    """
    category = _category(hits, category)
    _require(hits, ["sentence", category], "plot_sentence_frame_heatmap")
    _one_document(hits, "plot_sentence_frame_heatmap")
    ordered = hits.sort_values("sentence", kind="stable")[category].astype(str)
    shown, names, colours = _styled(list(dict.fromkeys(ordered)), frames)
    last = int(hits["sentence"].max()) + 1 if len(hits) else 0
    rows = range(max(n_sentences or 0, last))
    table = (
        _weights(hits)
        .groupby([hits["sentence"], hits[category].astype(str)])
        .sum()
        .unstack(fill_value=0)
        .reindex(index=rows, columns=shown, fill_value=0)
    )
    height = ROW_PT * max(len(rows), 1)
    with chart_style():
        fig, ax = _chart(width, height / 72 + 2.5)
        image = _grid(ax, table.to_numpy(dtype=float), np.zeros(table.shape, dtype=bool))
        ax.set_yticks(range(len(rows)), labels=[str(r + 1) for r in rows])
        ax.set_ylabel(prepare_text(words("sentence")), rotation=0, ha="right", va="center")
        ax.xaxis.tick_top()
        if frames is not None:
            _colour_strip(ax, colours, len(rows))
            height += STRIP * ROW_PT
        _colour_bar(fig, ax, image, words("sentence_hits"))
        _title(ax, title, width * 72 - 60)
        column = _cell_width(fig, ax, len(shown), ROW_PT)
        headers = [prepare_text(wrap(t, column - 8, TEXT_PT)) for t in names]
        ax.set_xticks(range(len(shown)), labels=headers)
        parts = [f"{_english(n)} in sentences "
                 + ", ".join(str(r + 1) for r in rows if table.iloc[r][f] > 0)
                 for f, n in zip(shown, names, strict=True)]  # fmt: skip
        return _described(_fit(fig, ax, height), title, "Heatmap of hits per sentence", parts)


#: Height of the frame-colour strip above a heatmap, in rows.
STRIP = 0.35


def _colour_strip(ax: Axes, colours: Sequence[str], n_rows: int) -> None:
    """Draw a strip of each column's colour between the headers and the first row."""
    for j, colour in enumerate(colours):
        ax.add_patch(Rectangle((j - 0.5, -0.5 - STRIP), 1, STRIP, facecolor=colour, edgecolor=EDGE))
    ax.set_ylim(n_rows - 0.5, -0.5 - STRIP)


def _frequency_order(matrix: pd.DataFrame) -> list[object]:
    """Return the actors of *matrix* by their diagonal count, largest first (ties as given)."""
    diagonal = pd.Series(np.diag(matrix.to_numpy(dtype=float)), index=range(len(matrix)))
    return [matrix.index[i] for i in diagonal.sort_values(ascending=False, kind="stable").index]


def plot_actor_cooccurrence(
    matrix: pd.DataFrame,
    *,
    order: str = "frequency",
    title: str = "Actor co-occurrence",
    width: float = TWO_COLUMN,
) -> Figure:
    """Lower triangle of a square actor × actor table (:func:`analysis.measures.cooccurrence`).

    Rows (top to bottom) and columns (left to right) hold the actors in the same
    order, so the diagonal runs from the top-left corner down to the right: with
    *order* ``"frequency"`` (default) the actor named in most units first (ties
    in the table's order), with ``"given"`` the table's order. The table is
    symmetric, so only the lower triangle is drawn, and each actor's name stands
    beside its diagonal cell: it names that row and the column above the cell.
    Off the diagonal a cell counts the units (sentences) naming both actors, on
    the grey scale of the colour bar; on the diagonal, outlined and in bold, the
    units naming the actor at all, left out of the scale, which it would set.
    """
    if (
        not isinstance(matrix, pd.DataFrame)
        or matrix.empty
        or list(matrix.index) != list(matrix.columns)
    ):
        raise ConfigError(
            "plot_actor_cooccurrence: expected a non-empty square DataFrame with the same "
            "actors as index and columns"
        )
    if order not in ("frequency", "given"):
        raise ConfigError(
            f"plot_actor_cooccurrence: order must be 'frequency' or 'given', got {order!r}"
        )
    actors = _frequency_order(matrix) if order == "frequency" else list(matrix.index)
    n = len(actors)
    values = matrix.loc[actors, actors].to_numpy(dtype=float, copy=True)
    values[np.triu_indices(n, k=1)] = np.nan  # the upper triangle repeats the lower one
    with chart_style():
        names = [wrap(a, width * 72 * 0.3, TEXT_PT) for a in actors]
        row = max(text_extent(t, TEXT_PT)[1] for t in names) + 2 * ROW_GAP
        fig, ax = _chart(width, n * row / 72 + 2.0)
        diagonal = np.eye(n, dtype=bool)
        image = _grid(ax, values, diagonal)
        ax.set_xticks([])
        ax.set_yticks([])
        for i, name in enumerate(names):
            ax.annotate(
                prepare_text(name),
                (i + 0.5, i),
                xytext=(4, 0),
                textcoords="offset points",
                ha="left",
                va="center",
                annotation_clip=False,
            )
        _colour_bar(fig, ax, image, words("both_actors"))
        key = Patch(
            facecolor="white", edgecolor=EDGE, linewidth=1.2, label=prepare_text(words("diagonal"))
        )
        fig.legend(handles=[key], loc="outside lower center")
        _title(ax, title, width * 72 - 40)
        _cell_width(fig, ax, n, row)
        table = matrix.loc[actors, actors]
        parts = [f"{_english(a)} named in {int(table.loc[a, a])} sentences" for a in actors]
        pairs = [(a, b) for i, a in enumerate(actors) for b in actors[:i] if table.loc[a, b] > 0]
        parts += [f"{_english(a)} with {_english(b)} {int(table.loc[a, b])}" for a, b in pairs]
        return _described(_fit(fig, ax, n * row), title, "Triangular heatmap", parts)


# --------------------------------------------------------------------------- #
# Group comparisons

#: Greys and hatches for groups (colour is kept for frames).
GROUP_STYLES: tuple[dict[str, object], ...] = (
    {"color": "#444444"},
    {"color": "#BBBBBB"},
    {"color": "#FFFFFF", "hatch": "////"},
    {"color": "#888888", "hatch": "...."},
    {"color": "#FFFFFF", "hatch": "xxxx"},
)


def plot_group_frame_rates(
    rates: pd.DataFrame,
    *,
    group: str = "group",
    category: str | None = None,
    frames: FrameScheme | None = None,
    title: str = "Frame rates per 1,000 words, by group",
    width: float = ONE_COLUMN,
) -> Figure:
    """Grouped horizontal bars: each frame's rate per 1,000 words in each group.

    *rates* is the table of :func:`analysis.measures.frame_rates_by_group` or
    :func:`analysis.scale.group_frame_rates` (columns *group*, ``frame`` or
    ``actor``, ``rate_per_1000``, ``n_documents``). Each group's legend entry
    gives its number of documents, so a rate resting on one article shows as such.
    Groups are told apart by greys and hatching. With *frames*, frames follow
    ``frames.csv`` top to bottom; without, the highest rate is at the top.
    """
    category = _category(rates, category)
    _require(rates, [group, category, "rate_per_1000"], "plot_group_frame_rates")
    table = rates.pivot_table(
        index=rates[category].astype(str),
        columns=group,
        values="rate_per_1000",
        aggfunc="sum",
        fill_value=0.0,
    )
    if frames is None:
        table = table.loc[table.max(axis=1).sort_values(ascending=False, kind="stable").index]
    shown, names, _ = _styled(list(table.index), frames)
    table = table.loc[shown]
    groups = list(table.columns)
    documents = {}
    if "n_documents" in rates.columns:
        documents = rates.groupby(group)["n_documents"].max().to_dict()
    with chart_style():
        labels = [wrap(t, _label_width(width), TEXT_PT) for t in names]
        band = BAR_PT * max(len(groups), 1)
        ys, total = _rows(labels, band + 4)
        fig, ax = _chart(width, total / 72 + 3.0)
        for k, name in enumerate(groups):
            legend = str(name)
            if name in documents:
                legend += f" ({int(documents[name])} doc.)"
            ax.barh(
                ys - band / 2 + BAR_PT * (k + 0.5),
                table[name].to_numpy(dtype=float),
                BAR_PT,
                label=prepare_text(legend),
                edgecolor=EDGE,
                **GROUP_STYLES[k % len(GROUP_STYLES)],  # type: ignore[arg-type]
            )
        ax.set_yticks(ys, labels=[prepare_text(t) for t in labels])
        ax.set_ylim(total, 0)
        _value_axis(ax, table.to_numpy(dtype=float).ravel(), "rate_per_1000")
        _title(ax, title, width * 72 * (1 - LABEL_SHARE) - 16)
        fig.legend(loc="outside lower center", ncols=min(len(groups), 3))
        return _fit(fig, ax, total)


def plot_keyness(
    keyness: pd.DataFrame,
    *,
    top: int = 15,
    label: str = "term",
    names: tuple[str, str] = ("A", "B"),
    title: str = "Key terms: log ratio",
    width: float = ONE_COLUMN,
) -> Figure:
    """Diverging bars of the log ratio of the *top* terms by G² (most key at the top).

    *keyness* is the table of :func:`analysis.measures.keyness` or
    :func:`analysis.scale.group_keyness` (columns *label*, ``G2``, ``log_ratio``).
    Bars to the right (dark) are terms relatively more frequent in the first
    group (*names[0]*), to the left (light) in the second; each bar is annotated
    with its G².
    """
    _require(keyness, [label, "G2", "log_ratio"], "plot_keyness")
    data = keyness.sort_values("G2", ascending=False, kind="stable").head(top)
    ratio = data["log_ratio"].to_numpy(dtype=float)
    with chart_style():
        labels = [wrap(t, _label_width(width), TEXT_PT) for t in data[label].astype(str)]
        ys, total = _rows(labels, BAR_PT + 4)
        fig, ax = _chart(width, total / 72 + 3.0)
        ax.barh(
            ys,
            ratio,
            height=BAR_PT,
            color=np.where(ratio >= 0, "#444444", "#BBBBBB"),
            edgecolor=EDGE,
        )
        ax.axvline(0, color="black", linewidth=0.6)
        ax.set_yticks(ys, labels=[prepare_text(t) for t in labels])
        ax.set_ylim(total, 0)
        axis = f"log ratio (log2)\nleft: more in {names[1]}; right: more in {names[0]}"
        ax.set_xlabel(prepare_text(axis))
        _title(ax, title, width * 72 * (1 - LABEL_SHARE) - 16)
        span = float(np.abs(ratio).max()) if len(ratio) else 1.0
        ax.set_xlim(-span * 1.5 - 0.1, span * 1.5 + 0.1)
        for y, r, g2 in zip(ys, ratio, data["G2"], strict=True):
            ax.annotate(
                prepare_text(f"G² {g2:.1f}"),
                (r, y),
                xytext=(2 if r >= 0 else -2, 0),
                textcoords="offset points",
                ha="left" if r >= 0 else "right",
                va="center",
                fontsize=NOTE_PT,
            )
        return _fit(fig, ax, total)


# --------------------------------------------------------------------------- #
# Tables and files


def draw_table(ax: Axes, table: pd.DataFrame, **kwargs: object) -> Table:
    """Draw *table* (header and cells) in *ax* with every cell's text prepared; return the Table."""
    cells = [[prepare_text(v) for v in row] for row in table.astype(str).itertuples(index=False)]
    result = ax.table(
        cellText=cells, colLabels=[prepare_text(c) for c in table.columns], loc="center", **kwargs
    )
    ax.set_axis_off()
    return result


_METADATA = {
    "png": {"Software": None},
    "svg": {"Date": None},
    "pdf": {"CreationDate": None},
}


def save_figure(
    fig: Figure,
    name: str,
    directory: str | Path | None = None,
    formats: Sequence[str] = FIGURE_FORMATS,
) -> list[Path]:
    """Write *fig* as ``<name>.png`` (200 dpi), ``.svg`` and ``.pdf`` into *directory*.

    *directory* defaults to the project's ``figures/``. *name* must be a stable,
    descriptive slug (lowercase letters, digits, ``-``, ``_``). Every text of
    *fig* is first set to its pinned font file (:func:`pin_fonts`), so a figure
    a notebook drew itself is host-independent too. Each file is written to a
    temporary file in the same directory and moved into place, so a reader
    never sees half a figure; dates, software versions and random SVG ids are
    left out so that the same figure gives the same bytes every run. *formats*
    selects a subset of ``png``, ``svg``, ``pdf`` (all by default).
    """
    if not _SLUG.fullmatch(name or ""):
        raise ConfigError(f"figure name {name!r} must match {_SLUG.pattern} (e.g. 'frame-counts')")
    unknown = [f for f in formats if f not in FIGURE_FORMATS]
    if unknown or not formats:
        raise ConfigError(f"figure formats {list(formats)!r}: choose from {FIGURE_FORMATS}")
    out_dir = Path(FIGURES_DIR if directory is None else directory)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    with chart_style():
        pin_fonts(fig)
        for fmt in formats:
            target = out_dir / f"{name}.{fmt}"
            fd, tmp = tempfile.mkstemp(prefix=f".{name}.", suffix=f".{fmt}", dir=out_dir)
            try:
                with os.fdopen(fd, "wb") as handle:
                    fig.savefig(handle, format=fmt, dpi=PNG_DPI, metadata=_METADATA[fmt])
                os.chmod(tmp, 0o644)
                os.replace(tmp, target)
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
            written.append(target)
    return written
