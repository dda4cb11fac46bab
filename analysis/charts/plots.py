"""The charts: each takes a tidy table and returns a matplotlib Figure; saving is byte-identical.

Each chart function takes a tidy DataFrame (columns documented per function, as in
``docs/design.md``), returns the :class:`~matplotlib.figure.Figure`, and never
modifies its input. Every string goes through
:func:`analysis.charts.text.prepare_text`. :func:`save_figure` writes PNG
(200 dpi), SVG and PDF atomically and byte-identically from run to run.
"""

from __future__ import annotations

import io
import os
import re
import tempfile
import textwrap
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import matplotlib as mpl
import matplotlib.ft2font
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.table import Table
from matplotlib.ticker import MaxNLocator

from analysis.charts.fonts import register_fonts
from analysis.charts.text import bilingual_label, matplotlib_shapes_text, prepare_text
from analysis.errors import ConfigError
from analysis.paths import FIGURES_DIR

FIGURE_FORMATS: tuple[str, ...] = ("png", "svg", "pdf")


PNG_DPI = 200


# Fixed salt for SVG element ids: without it every run writes new random ids.
SVG_HASHSALT = "arabic-framing-analysis"


_SLUG = re.compile(r"[a-z0-9][a-z0-9_-]*")


def arabic_style() -> dict[str, object]:
    """Return the rcParams the charts are drawn with (fonts, deterministic output).

    A notebook drawing a chart of its own builds it inside
    ``with matplotlib.rc_context(arabic_style()):`` and passes every string
    through :func:`prepare_text`, as the chart functions here do.
    """
    families = register_fonts(need_presentation_forms=not matplotlib_shapes_text())
    return {
        "font.family": list(families),
        "svg.hashsalt": SVG_HASHSALT,
        "svg.fonttype": "path",
        # TrueType (Type 42) embedding: journals reject Type 3 fonts. Measured cost:
        # ~2 s per PDF (fontTools subsets Amiri) against ~0.2 s for Type 3.
        "pdf.fonttype": 42,
        "figure.dpi": 100,
        "savefig.dpi": PNG_DPI,
    }


@contextmanager
def _style() -> Iterator[None]:
    with mpl.rc_context(arabic_style()):
        yield


#: Characters per line for category labels beside an axis (y) and under it (x).
WRAP_Y = 28


WRAP_X = 14


def _label(text: object, width: int) -> str:
    """Wrap a logical category label at spaces to *width* characters per line, then prepare it.

    Wrapping happens on the logical string, so every line is a whole run of words
    that :func:`prepare_text` then orders on its own.
    """
    lines = []
    for line in str(text).split("\n"):
        lines += textwrap.wrap(line, width, break_long_words=False, break_on_hyphens=False) or [""]
    return prepare_text("\n".join(lines))


#: Height (inches) of one line of 10-point label text, Amiri's line spacing included.
LINE_HEIGHT = 0.26


def _row_height(labels: Sequence[str], minimum: float) -> float:
    """Return the height (inches) a row needs for the tallest of *labels* (prepared text)."""
    lines = max((label.count("\n") + 1 for label in labels), default=1)
    return max(minimum, LINE_HEIGHT * lines + 0.15)


def _x_labels_height(labels: Sequence[str]) -> float:
    """Return the height (inches) of the tallest category label wrapped under an x-axis."""
    return LINE_HEIGHT * max((_label(t, WRAP_X).count("\n") + 1 for t in labels), default=1)


def _number(value: float, integer: bool) -> str:
    """Format a bar or cell value: counts as integers, anything else with one decimal."""
    return f"{round(value):d}" if integer else f"{value:.1f}"


class Chart(Figure):
    """A matplotlib Figure that shows itself in Jupyter without pyplot.

    The chart functions build figures directly (no pyplot state to leak or close),
    so IPython's inline backend, which hooks pyplot, would only print their repr.
    ``_repr_png_`` renders the figure with the charts' fonts at 200 dpi and asks
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
        with _style():
            self.savefig(buffer, format="png", dpi=PNG_DPI, metadata={"Software": None})
        width, height = self.get_size_inches()
        size = {"width": round(width * 100), "height": round(height * 100)}
        words = {
            key: value for key, value in (("caption", self.caption), ("alt", self.alt)) if value
        }
        return buffer.getvalue(), {**size, **words}


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


def _finish(fig: Figure) -> Figure:
    """Create every tick label now, while the chart's fonts are in force."""
    fig.draw_without_rendering()
    return fig


def plot_frame_counts(
    counts: pd.DataFrame,
    *,
    value: str = "n",
    label: str | None = None,
    gloss: str | None = "gloss",
    title: str | None = None,
) -> Figure:
    """Horizontal bars of a counts table, largest first, with bilingual labels.

    *counts* needs the *value* column (``n`` or ``rate_per_1000``) and a label
    column: *label* if given, else ``term`` if present, else ``frame``. The
    *gloss* column (English), if present, becomes a second line under each label.
    The default *title* says whether counts or rates are shown.
    """
    if title is None:
        title = "Frame rates per 1,000 words" if value == "rate_per_1000" else "Frame counts"
    if label is None:
        label = "term" if "term" in counts.columns else "frame"
    _require(counts, [label, value], "plot_frame_counts")
    data = counts.sort_values(value, ascending=False, kind="stable")
    glosses = data[gloss] if gloss and gloss in data.columns else [None] * len(data)
    labels = [
        _label(bilingual_label(t, g), WRAP_Y) for t, g in zip(data[label], glosses, strict=True)
    ]
    axis_label = {"n": "hits (n)", "rate_per_1000": "hits per 1,000 words"}.get(value, value)
    with _style():
        row = _row_height(labels, 0.6)
        fig = Chart(figsize=(6.4, 1.2 + row * max(len(data), 1)), layout="constrained")
        ax = fig.subplots()
        y = np.arange(len(data))
        ax.barh(y, data[value].to_numpy(dtype=float), color="#4c72b0")
        ax.set_yticks(y, labels=labels)
        ax.invert_yaxis()  # largest at the top
        ax.set_xlabel(prepare_text(axis_label))
        ax.set_title(prepare_text(title))
        if value == "n":
            ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        top = float(data[value].max()) if len(data) else 0.0
        if top > 0:
            ax.set_xlim(0, top * 1.12)  # room for the value written after each bar
        for yi, v in zip(y, data[value], strict=True):
            ax.annotate(
                prepare_text(_number(v, integer=value == "n")),
                (v, yi),
                xytext=(3, 0),
                textcoords="offset points",
                va="center",
                fontsize="small",
            )
        return _finish(fig)


VOICE_LABELS = {"narration": "narration", "quoted": "quoted speech"}


def _right_to_left(frames: Sequence[str]) -> list[str]:
    """Order categories for an x-axis read right to left: the first category at the right."""
    return list(frames)[::-1]


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


def plot_frames_by_voice(
    hits: pd.DataFrame, *, category: str | None = None, title: str = "Frames by voice"
) -> Figure:
    """Grouped bars: hits per frame in narration and in quoted speech.

    *hits* is a hits table (one row per hit) or the counts table of
    :func:`analysis.measures.count_by_voice` (with ``n``); it needs ``voice``
    (``narration`` / ``quoted``) and the *category* column (default ``frame``,
    or ``actor`` for actor hits). Horizontal bars leave room for long bilingual
    labels; frames are ordered by total hits, the most frequent at the top.
    """
    category = _category(hits, category)
    _require(hits, [category, "voice"], "plot_frames_by_voice")
    table = (
        _weights(hits)
        .groupby([hits[category], hits["voice"]], sort=True)
        .sum()
        .unstack(fill_value=0)
        .reindex(columns=list(VOICE_LABELS), fill_value=0)
    )
    table = table.loc[table.sum(axis=1).sort_values(ascending=False, kind="stable").index]
    frames = list(table.index)
    labels = [_label(f, WRAP_Y) for f in frames]
    with _style():
        row = _row_height(labels, 0.7)
        fig = Chart(figsize=(6.4, 1.4 + row * max(len(frames), 1)), layout="constrained")
        ax = fig.subplots()
        y = np.arange(len(frames))
        height = 0.4
        for k, (voice, name) in enumerate(VOICE_LABELS.items()):
            ax.barh(
                y + (k - 0.5) * height,
                table.loc[frames, voice].to_numpy(dtype=float),
                height,
                label=prepare_text(name),
                color=("#4c72b0", "#dd8452")[k],
            )
        ax.set_yticks(y, labels=labels)
        ax.invert_yaxis()  # most frequent at the top, narration above quoted
        ax.set_xlabel(prepare_text("hits (n)"))
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.set_title(prepare_text(title))
        ax.legend(loc="lower right")
        return _finish(fig)


def plot_frame_dispersion(
    hits: pd.DataFrame,
    *,
    category: str | None = None,
    text_length: int | None = None,
    title: str = "Where each frame occurs in the text",
) -> Figure:
    """One row per frame, one tick per hit at its position in one document.

    *hits* is either the table of :func:`analysis.measures.dispersion_positions`
    (``relative_position`` in [0, 1), used when present) or a hits table with
    ``start`` (character offset); plus the *category* column (default ``frame``,
    or ``actor``). For character offsets, *text_length* fixes the x range, else
    the last hit's ``end`` is used. Rows follow the frames' first appearance,
    top to bottom.
    """
    category = _category(hits, category)
    relative = "relative_position" in hits.columns
    position = "relative_position" if relative else "start"
    _require(hits, [category, position], "plot_frame_dispersion")
    _one_document(hits, "plot_frame_dispersion")
    frames = list(dict.fromkeys(hits.sort_values(position, kind="stable")[category]))
    if relative:
        limit, xlabel = 1.0, "position in the text (share of words before the hit)"
    else:
        ends = hits["end"] if "end" in hits.columns else hits["start"]
        limit = text_length if text_length is not None else (int(ends.max()) if len(hits) else 1)
        xlabel = "character offset in the text"
    labels = [_label(f, WRAP_Y) for f in frames]
    with _style():
        row_h = _row_height(labels, 0.55)
        fig = Chart(figsize=(7.2, 1.2 + row_h * max(len(frames), 1)), layout="constrained")
        ax = fig.subplots()
        for row, frame in enumerate(frames):
            pos = hits.loc[hits[category] == frame, position].to_numpy(dtype=float)
            ax.vlines(pos, row - 0.35, row + 0.35, color="#4c72b0", linewidth=1.5)
        ax.set_yticks(range(len(frames)), labels=labels)
        ax.set_ylim(len(frames) - 0.5, -0.5)
        ax.set_xlim(0, limit)
        ax.set_xlabel(prepare_text(xlabel))
        ax.set_title(prepare_text(title))
        return _finish(fig)


def _heatmap(ax: Axes, matrix: np.ndarray, xlabels: Sequence[str], ylabels: Sequence[str]) -> None:
    """Draw *matrix* with prepared tick labels and the count written in each cell.

    NaN cells are left blank (no colour, no number).
    """
    image = ax.imshow(np.ma.masked_invalid(matrix), cmap="Blues", aspect="auto", vmin=0)
    ax.set_xticks(range(len(xlabels)), labels=[_label(t, WRAP_X) for t in xlabels])
    ax.set_yticks(range(len(ylabels)), labels=[_label(t, WRAP_Y) for t in ylabels])
    high = np.nanmax(matrix) if np.isfinite(matrix).any() else 0
    for (i, j), v in np.ndenumerate(matrix):
        if np.isfinite(v) and v:
            ax.text(
                j,
                i,
                prepare_text(_number(v, integer=True)),
                ha="center",
                va="center",
                color="white" if v > high / 2 else "black",
                fontsize="small",
            )
    bar = ax.figure.colorbar(image, ax=ax, shrink=0.8)
    bar.locator = MaxNLocator(integer=True)
    bar.update_ticks()


def plot_sentence_frame_heatmap(
    hits: pd.DataFrame,
    *,
    category: str | None = None,
    n_sentences: int | None = None,
    title: str = "Frame hits per sentence",
) -> Figure:
    """Heatmap of hit counts, sentences (rows, top to bottom) × frames (columns).

    *hits* is a hits table or the counts table of
    :func:`analysis.measures.count_by_sentence` (with ``n``), for one document;
    it needs ``sentence`` (0-based, labelled from 1) and the *category* column
    (default ``frame``, or ``actor``). *n_sentences* adds rows for sentences
    without hits. Frames run right to left in order of first appearance, so the
    first frame met in the text is the rightmost column.
    """
    category = _category(hits, category)
    _require(hits, ["sentence", category], "plot_sentence_frame_heatmap")
    _one_document(hits, "plot_sentence_frame_heatmap")
    ordered = hits.sort_values("sentence", kind="stable")[category]
    frames = _right_to_left(list(dict.fromkeys(ordered)))
    last = int(hits["sentence"].max()) + 1 if len(hits) else 0
    rows = range(max(n_sentences or 0, last))
    table = (
        _weights(hits)
        .groupby([hits["sentence"], hits[category]])
        .sum()
        .unstack(fill_value=0)
        .reindex(index=rows, columns=frames, fill_value=0)
    )
    with _style():
        fig = Chart(
            figsize=(
                max(4.8, 1.25 * len(frames) + 2.0),
                1.6 + 0.35 * len(rows) + _x_labels_height(frames),
            ),
            layout="constrained",
        )
        ax = fig.subplots()
        _heatmap(ax, table.to_numpy(dtype=float), frames, [str(r + 1) for r in rows])
        ax.set_ylabel(prepare_text("sentence (1 = first)"))
        ax.set_title(prepare_text(title))
        return _finish(fig)


def plot_actor_cooccurrence(
    matrix: pd.DataFrame, *, diagonal: bool = False, title: str = "Actor co-occurrence"
) -> Figure:
    """Heatmap of a square actor × actor table (:func:`analysis.measures.cooccurrence`).

    The columns run right to left in the matrix's order, the rows top to bottom,
    so both axes start where an Arabic reader starts. The diagonal (units that
    mention an actor at all, not a co-occurrence) is left blank unless
    *diagonal* is True, so that it does not set the colour scale.
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
    actors = list(matrix.index)
    cols = _right_to_left(actors)
    values = matrix.loc[actors, cols].to_numpy(dtype=float, copy=True)
    if not diagonal:
        for i, actor in enumerate(actors):
            values[i, cols.index(actor)] = np.nan
    with _style():
        fig = Chart(
            figsize=(
                max(4.8, 1.25 * len(actors) + 3.0),
                1.2
                + len(actors) * _row_height([_label(a, WRAP_Y) for a in actors], 0.6)
                + _x_labels_height(actors),
            ),
            layout="constrained",
        )
        ax = fig.subplots()
        _heatmap(ax, values, cols, actors)
        ax.set_title(prepare_text(title))
        return _finish(fig)


def plot_group_frame_rates(
    rates: pd.DataFrame,
    *,
    group: str = "group",
    category: str | None = None,
    title: str = "Frame rates per 1,000 words, by group",
) -> Figure:
    """Grouped horizontal bars: each frame's rate per 1,000 words in each group.

    *rates* is the table of :func:`analysis.measures.frame_rates_by_group` or
    :func:`analysis.scale.group_frame_rates` (columns *group*, ``frame`` or
    ``actor``, ``rate_per_1000``, ``n_documents``). Each group's legend entry
    gives its number of documents, so a rate resting on one article shows as such.
    Frames are ordered by their highest rate, the highest at the top.
    """
    category = _category(rates, category)
    _require(rates, [group, category, "rate_per_1000"], "plot_group_frame_rates")
    table = rates.pivot_table(
        index=category, columns=group, values="rate_per_1000", aggfunc="sum", fill_value=0.0
    )
    table = table.loc[table.max(axis=1).sort_values(ascending=False, kind="stable").index]
    groups = list(table.columns)
    documents = {}
    if "n_documents" in rates.columns:
        documents = rates.groupby(group)["n_documents"].max().to_dict()
    labels = [_label(c, WRAP_Y) for c in table.index]
    colours = ["#4c72b0", "#dd8452", "#55a868", "#c44e52", "#8172b3", "#937860"]
    with _style():
        row = _row_height(labels, 0.35 * max(len(groups), 1) + 0.25)
        fig = Chart(figsize=(6.8, 1.6 + row * max(len(table), 1)), layout="constrained")
        ax = fig.subplots()
        y = np.arange(len(table))
        height = 0.8 / max(len(groups), 1)
        for k, name in enumerate(groups):
            legend = str(name)
            if name in documents:
                legend += f" ({int(documents[name])} doc.)"
            ax.barh(
                y - 0.4 + height * (k + 0.5),
                table[name].to_numpy(dtype=float),
                height,
                label=prepare_text(legend),
                color=colours[k % len(colours)],
            )
        ax.set_yticks(y, labels=labels)
        ax.invert_yaxis()
        ax.set_xlabel(prepare_text("hits per 1,000 words"))
        ax.set_title(prepare_text(title))
        ax.legend(loc="lower right")
        return _finish(fig)


def plot_keyness(
    keyness: pd.DataFrame,
    *,
    top: int = 15,
    label: str = "term",
    names: tuple[str, str] = ("A", "B"),
    title: str = "Key terms: log ratio",
) -> Figure:
    """Diverging bars of the log ratio of the *top* terms by G² (most key at the top).

    *keyness* is the table of :func:`analysis.measures.keyness` or
    :func:`analysis.scale.group_keyness` (columns *label*, ``G2``, ``log_ratio``).
    Bars to the right are terms relatively more frequent in the first group
    (*names[0]*), to the left in the second; each bar is annotated with its G².
    """
    _require(keyness, [label, "G2", "log_ratio"], "plot_keyness")
    data = keyness.sort_values("G2", ascending=False, kind="stable").head(top)
    labels = [_label(t, WRAP_Y) for t in data[label]]
    with _style():
        row = _row_height(labels, 0.45)
        fig = Chart(figsize=(6.4, 1.6 + row * max(len(data), 1)), layout="constrained")
        ax = fig.subplots()
        y = np.arange(len(data))
        ratio = data["log_ratio"].to_numpy(dtype=float)
        ax.barh(y, ratio, color=np.where(ratio >= 0, "#4c72b0", "#dd8452"))
        ax.axvline(0, color="black", linewidth=0.8)
        ax.set_yticks(y, labels=labels)
        ax.invert_yaxis()
        ax.set_xlabel(
            prepare_text(f"log ratio (log2): ← more in {names[1]} · more in {names[0]} →")
        )
        ax.set_title(prepare_text(title))
        width = float(np.abs(ratio).max()) if len(ratio) else 1.0
        ax.set_xlim(-width * 1.35 - 0.1, width * 1.35 + 0.1)
        for yi, (r, g2) in enumerate(zip(ratio, data["G2"], strict=True)):
            ax.annotate(
                prepare_text(f"G² {g2:.1f}"),
                (r, yi),
                xytext=(3 if r >= 0 else -3, 0),
                textcoords="offset points",
                ha="left" if r >= 0 else "right",
                va="center",
                fontsize="small",
            )
        return _finish(fig)


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
    descriptive slug (lowercase letters, digits, ``-``, ``_``). Each file is
    written to a temporary file in the same directory and moved into place, so
    a reader never sees half a figure; dates, software versions and random SVG
    ids are left out so that the same figure gives the same bytes every run.
    *formats* selects a subset of ``png``, ``svg``, ``pdf`` (all by default).
    """
    if not _SLUG.fullmatch(name or ""):
        raise ConfigError(f"figure name {name!r} must match {_SLUG.pattern} (e.g. 'frame-counts')")
    unknown = [f for f in formats if f not in FIGURE_FORMATS]
    if unknown or not formats:
        raise ConfigError(f"figure formats {list(formats)!r}: choose from {FIGURE_FORMATS}")
    out_dir = Path(FIGURES_DIR if directory is None else directory)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    with _style():
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
