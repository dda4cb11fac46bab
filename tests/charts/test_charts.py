"""Chart functions: what they draw, read back from the figures; image regression; export.

Image baselines live in ``tests/baseline_images/<path>/`` where ``<path>`` is
``libraqm`` (matplotlib shapes text) or ``reshaped`` (matplotlib 3.10). Each was
generated from the hand-made tables below and looked at in an image viewer
before it was committed (what each must show is written beside each chart).
To regenerate after an intended change, run with
``ANALYSIS_REGENERATE_BASELINES=1`` and look at every image again.

Expected values are worked out from the hand-made tables, never taken from a
chart's output: bar lengths, row and column order, colours (the hex codes of
``SCHEME``), cell numbers.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from matplotlib import cbook
from matplotlib import colors as mcolors
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle
from matplotlib.testing.compare import compare_images
from matplotlib.text import Text
from PIL import Image

from analysis import charts
from analysis.charts import FrameScheme, plots, prepare_text
from analysis.charts.comparison import plot_monthly_rates, plot_outlet_rates
from analysis.charts.validation import plot_validation
from analysis.errors import ConfigError

SHAPES = charts.matplotlib_shapes_text()
PATH_NAME = "libraqm" if SHAPES else "reshaped"
BASELINES = Path(__file__).parent.parent / "baseline_images" / PATH_NAME
REGENERATE = os.environ.get("ANALYSIS_REGENERATE_BASELINES") == "1"
REPO = Path(__file__).resolve().parents[2]

# A scheme of three frames (ids, bilingual labels, colours), in this order.
SCHEME = FrameScheme(
    frames=("colonialism", "self_determination", "solidarity"),
    labels=(
        "Colonialism and occupation\nالاستعمار والاحتلال",
        "Self-determination, independence and liberation\nتقرير المصير والاستقلال والتحرير",
        "Solidarity and support\nالتضامن والتأييد",
    ),
    colours=("#997700", "#EECC66", "#004488"),
)
COLOUR = dict(zip(SCHEME.frames, SCHEME.colours, strict=True))


def counts_table() -> pd.DataFrame:
    """Frame counts, not in the scheme's order."""
    return pd.DataFrame(
        {
            "frame": ["solidarity", "colonialism", "self_determination"],
            "n": [5, 2, 3],
            "rate_per_1000": [8.4, 3.4, 5.0],
        }
    )


def terms_table() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "frame": ["solidarity", "colonialism", "solidarity", "self_determination"],
            "term": ["تضامن", "احتلال", "ندعم", "تقرير المصير"],
            "gloss": ["solidarity", "occupation", "we support (verb)", "self-determination"],
            "n": [1, 2, 3, 1],
        }
    )


def hits_table() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "doc_id": ["d"] * 6,
            "sentence": [0, 0, 2, 3, 3, 5],
            "start": [10, 40, 300, 500, 520, 900],
            "end": [17, 47, 307, 507, 530, 910],
            "frame": [
                "solidarity",
                "colonialism",
                "solidarity",
                "self_determination",
                "solidarity",
                "colonialism",
            ],
            "term": ["التضامن", "الاستعمار", "التضامن", "تقرير المصير", "تضامن", "الاستعمار"],
            "voice": ["narration", "narration", "quoted", "quoted", "narration", "quoted"],
        }
    )


ACTORS = ["الجزائر", "المغرب", "الأمم المتحدة (UN)"]


def actors_matrix() -> pd.DataFrame:
    # Diagonal: الجزائر in 2 sentences, المغرب in 5, UN in 3.
    return pd.DataFrame([[2, 1, 1], [1, 5, 2], [1, 2, 3]], index=ACTORS, columns=ACTORS)


CHARTS = {
    # One column. Top to bottom: Colonialism 2 (dark yellow), Self-determination 3
    # (light yellow), Solidarity 5 (dark blue); bilingual labels, values after bars.
    "frame-counts": lambda: charts.plot_frame_counts(counts_table(), frames=SCHEME),
    # Two columns. Rows: occupation/احتلال 2 (dark yellow); self-determination/تقرير
    # المصير 1 (light yellow); we support/ندعم 3, solidarity/تضامن 1 (dark blue);
    # legend of the three frames on the right.
    "term-counts": lambda: charts.plot_term_counts(terms_table(), frames=SCHEME),
    # One column. Colonialism: narration 1, quoted 1; Self-determination: 0, 1;
    # Solidarity: 2, 1. Quoted bars lighter and hatched; bilingual legend below.
    "frames-by-voice": lambda: charts.plot_frames_by_voice(hits_table(), frames=SCHEME),
    # Two columns. Rows Colonialism (40, 900), Self-determination (500), Solidarity
    # (10, 300, 520) in their colours, x 0–1000, bilingual x label.
    "frame-dispersion": lambda: charts.plot_frame_dispersion(
        hits_table(), frames=SCHEME, text_length=1000
    ),
    # Two columns. Columns left to right Colonialism, Self-determination, Solidarity
    # under a colour strip; rows 1–7; 1s at (1, Col), (1, Sol), (3, Sol), (4, Self),
    # (4, Sol), (6, Col); bilingual colour bar.
    "sentence-frame-heatmap": lambda: charts.plot_sentence_frame_heatmap(
        hits_table(), frames=SCHEME, n_sentences=7
    ),
    # Lower triangle, المغرب (5), UN (3), الجزائر (2) along the diagonal from the top
    # left, each name beside its diagonal cell; UN–المغرب 2, الجزائر–المغرب 1,
    # الجزائر–UN 1; bilingual colour bar and diagonal key.
    "actor-cooccurrence": lambda: charts.plot_actor_cooccurrence(actors_matrix()),
    # Without a scheme: grey bars, largest first (التضامن 5, تقرير المصير 3, الاستعمار 2).
    "term-bars-plain": lambda: charts.plot_frame_counts(
        counts_table().assign(
            term=["التضامن", "الاستعمار", "تقرير المصير"],
            gloss=["solidarity", "colonialism", "self-determination"],
        )
    ),
}


def validation_tables() -> tuple[pd.DataFrame, pd.DataFrame]:
    """Targets and scores as ``analysis.evaluation.validation`` gives them (two rows)."""
    targets = pd.DataFrame({"component": ["frames", "speaker"],
                            "measure": ["precision", "accuracy"], "target": [0.9, 0.8],
                            "dev": [0.92, 0.8], "test": [0.9, 0.4]})  # fmt: skip
    scores = pd.DataFrame({
        "split": ["dev", "test", "dev", "test"],
        "component": ["frames", "frames", "speaker", "speaker"],
        "precision": [0.92, 0.9, np.nan, np.nan], "precision_low": [0.89, 0.84, np.nan, np.nan],
        "precision_high": [0.94, 0.94, np.nan, np.nan],
        "accuracy": [np.nan, np.nan, 0.8, 0.4], "accuracy_low": [np.nan, np.nan, 0.75, 0.3],
        "accuracy_high": [np.nan, np.nan, 0.84, 0.51],
    })  # fmt: skip
    return targets, scores


def outlet_rates() -> pd.DataFrame:
    """Two outlets (one named in Arabic), two frames: rates with intervals."""
    return pd.DataFrame({"outlet": ["BBC Arabic", "BBC Arabic", "الجزيرة", "الجزيرة"],
                         "frame": ["colonialism", "solidarity"] * 2,
                         "rate": [1.0, 2.0, 1.5, 0.5], "low": [0.8, 1.7, 1.2, 0.3],
                         "high": [1.2, 2.3, 1.8, 0.7]})  # fmt: skip


def monthly_rates() -> pd.DataFrame:
    """The same outlets and frames over two months."""
    rows = [(o, f, m, r) for o in ("BBC Arabic", "الجزيرة") for f in ("colonialism", "solidarity")
            for m, r in (("2018-02", 1.0), ("2018-03", 2.0))]  # fmt: skip
    return pd.DataFrame(rows, columns=["outlet", "frame", "month", "rate"])


#: The charts of pages 05 and 06, laid out with ``tight_layout`` (the others use
#: constrained layout): checked for host independence in ``test_fonts``.
STUDY_CHARTS = {
    "validation": lambda: plot_validation(*validation_tables()),
    "outlet-rates": lambda: plot_outlet_rates(outlet_rates(), scheme=SCHEME),
    "monthly-rates": lambda: plot_monthly_rates(
        monthly_rates(), ["2018-02", "2018-03"], scheme=SCHEME
    ),
}

ARABIC = re.compile("[\u0600-\u06ff\ufb50-\ufdff\ufe70-\ufeff]")
LATIN = re.compile("[A-Za-z]")


def tick_texts(labels) -> list[str]:
    return [t.get_text() for t in labels]


def logical_lines(drawn: str, words: list[str]) -> list[str]:
    """Return the logical lines of *drawn* (a prepared label): each drawn line must
    be the prepared form of the next words of *words*, which must all be used."""
    lines, start = [], 0
    for line in drawn.split("\n"):
        for end in range(start + 1, len(words) + 1):
            if prepare_text(" ".join(words[start:end])) == line:
                lines.append(" ".join(words[start:end]))
                start = end
                break
        else:
            raise AssertionError(f"{line!r} is not the next words of {words!r}")
    assert start == len(words), (drawn, words)
    return lines


def bars(ax) -> list[Rectangle]:
    return [p for p in ax.patches if isinstance(p, Rectangle)]


def hex_of(colour) -> str:
    return mcolors.to_hex(colour).upper()


def top_to_bottom(rectangles: list[Rectangle]) -> list[Rectangle]:
    """Bars of a chart whose y axis points down (first row at the top)."""
    return sorted(rectangles, key=lambda b: b.get_y())


@pytest.mark.legacy_ok
def test_frame_counts_follow_the_scheme_order_labels_and_colours():
    fig = charts.plot_frame_counts(counts_table(), frames=SCHEME)
    (ax,) = fig.axes
    drawn = top_to_bottom(bars(ax))
    # frames.csv order, whatever the table's: colonialism 2, self-determination 3, solidarity 5.
    assert [b.get_width() for b in drawn] == [2, 3, 5]
    assert [hex_of(b.get_facecolor()) for b in drawn] == ["#997700", "#EECC66", "#004488"]
    assert ax.yaxis_inverted()
    labels = tick_texts(ax.get_yticklabels())
    for text, label in zip(labels, SCHEME.labels, strict=True):
        english, arabic = label.split("\n")
        lines = logical_lines(text, english.split() + arabic.split())
        assert any(ARABIC.search(x) for x in lines) and any(LATIN.search(x) for x in lines)
    assert [t.get_text() for t in ax.texts] == ["2", "3", "5"]
    xlabel = ax.get_xlabel().split("\n")
    assert xlabel[0] == "hits (n)" and ARABIC.search(xlabel[1])
    ax = charts.plot_frame_counts(counts_table(), value="rate_per_1000", frames=SCHEME).axes[0]
    assert [b.get_width() for b in top_to_bottom(bars(ax))] == [3.4, 5.0, 8.4]
    assert [t.get_text() for t in ax.texts] == ["3.4", "5.0", "8.4"]
    assert ax.get_title() == "Frame rates per 1,000 words"


@pytest.mark.legacy_ok
def test_frame_counts_without_a_scheme_sorted_largest_first_in_grey():
    fig = CHARTS["term-bars-plain"]()
    (ax,) = fig.axes
    drawn = top_to_bottom(bars(ax))
    assert [b.get_width() for b in drawn] == [5, 3, 2]
    assert {hex_of(b.get_facecolor()) for b in drawn} == {hex_of(plots.NEUTRAL)}
    first = logical_lines(ax.get_yticklabels()[0].get_text(), ["التضامن", "solidarity"])
    assert first == ["التضامن", "solidarity"]
    assert ax.get_title() == "Frame counts"


@pytest.mark.legacy_ok
def test_a_frame_the_scheme_does_not_know_is_refused():
    with pytest.raises(ConfigError, match="legality.*not declared"):
        charts.plot_frame_counts(pd.DataFrame({"frame": ["legality"], "n": [1]}), frames=SCHEME)


@pytest.mark.legacy_ok
def test_term_counts_grouped_and_coloured_by_frame_one_line_a_term():
    fig = charts.plot_term_counts(terms_table(), frames=SCHEME)
    (ax,) = fig.axes
    drawn = top_to_bottom(bars(ax))
    # Frames in scheme order; within solidarity the larger (ندعم 3) first.
    assert [b.get_width() for b in drawn] == [2, 1, 3, 1]
    assert [hex_of(b.get_facecolor()) for b in drawn] == [
        "#997700",
        "#EECC66",
        "#004488",
        "#004488",
    ]
    terms = tick_texts(ax.get_yticklabels())
    assert terms == [prepare_text(t) for t in ["احتلال", "تقرير المصير", "ندعم", "تضامن"]]
    glosses = [t.get_text() for t in ax.texts if LATIN.search(t.get_text())]
    assert glosses == ["occupation", "self-determination", "we support (verb)", "solidarity"]
    # The legend (beside the bars, or under them when taller) names each frame once,
    # in scheme order, with its colour.
    (legend,) = [ax.get_legend()] if ax.get_legend() else fig.legends
    assert [hex_of(h.get_facecolor()) for h in legend.legend_handles] == list(SCHEME.colours)
    for text in legend.get_texts():
        assert ARABIC.search(text.get_text()) and LATIN.search(text.get_text())


@pytest.mark.legacy_ok
def test_term_counts_compact_at_print_size():
    """Twenty terms (the seed article's number) fit a two-column figure under five
    inches tall, one line and at most 16 points per term."""
    terms = pd.DataFrame(
        {
            "frame": [SCHEME.frames[i % 3] for i in range(20)],
            "term": [f"كلمة{i}" for i in range(20)],
            "gloss": [f"word {i}" for i in range(20)],
            "n": [1 + i % 2 for i in range(20)],
        }
    )
    fig = charts.plot_term_counts(terms, frames=SCHEME)
    (ax,) = fig.axes
    assert fig.get_figwidth() == charts.TWO_COLUMN
    assert fig.get_figheight() <= 5.0
    rows = ax.get_position().height * fig.get_figheight() * 72 / 20
    assert rows <= 16
    assert all("\n" not in t.get_text() for t in ax.get_yticklabels())


@pytest.mark.legacy_ok
def test_frames_by_voice_counts_colours_and_bilingual_legend():
    fig = charts.plot_frames_by_voice(hits_table(), frames=SCHEME)
    (ax,) = fig.axes
    drawn = bars(ax)
    solid = top_to_bottom([b for b in drawn if not b.get_hatch()])
    hatched = top_to_bottom([b for b in drawn if b.get_hatch()])
    # From hits_table: narration colonialism row 1; solidarity rows 0, 4. Quoted:
    # colonialism row 5, self-determination row 3, solidarity row 2.
    assert [b.get_width() for b in solid] == [1, 0, 2]
    assert [b.get_width() for b in hatched] == [1, 1, 1]
    assert [hex_of(b.get_facecolor()) for b in solid] == list(SCHEME.colours)
    for s, h in zip(solid, hatched, strict=True):
        # Quoted: the same hue mixed with white (every channel at least as light).
        assert all(
            q >= n for q, n in zip(h.get_facecolor()[:3], s.get_facecolor()[:3], strict=True)
        )
        assert s.get_y() < h.get_y()  # narration above quoted
    (legend,) = fig.legends
    texts = [t.get_text().split("\n") for t in legend.get_texts()]
    assert [t[0] for t in texts] == ["narration", "quoted speech"]
    assert all(ARABIC.search(t[1]) for t in texts)


@pytest.mark.legacy_ok
def test_frames_by_voice_without_scheme_most_frequent_first():
    by_voice = pd.DataFrame(
        {"actor": ["الجزائر", "الجزائر", "المغرب"], "voice": ["narration", "quoted", "quoted"]}
    ).assign(n=[4, 1, 2])
    ax = charts.plot_frames_by_voice(by_voice).axes[0]
    assert tick_texts(ax.get_yticklabels()) == [prepare_text(a) for a in ["الجزائر", "المغرب"]]
    drawn = bars(ax)
    assert [b.get_width() for b in top_to_bottom([b for b in drawn if not b.get_hatch()])] == [4, 0]
    assert [b.get_width() for b in top_to_bottom([b for b in drawn if b.get_hatch()])] == [1, 2]


@pytest.mark.legacy_ok
def test_dispersion_rows_in_scheme_order_marks_at_positions():
    fig = charts.plot_frame_dispersion(hits_table(), frames=SCHEME, text_length=1000)
    (ax,) = fig.axes
    rows: dict[str, list[float]] = {}
    for b in bars(ax):
        rows.setdefault(hex_of(b.get_facecolor()), []).append(b.get_x() + b.get_width() / 2)
    centre = {c: [round(x) for x in sorted(v)] for c, v in rows.items()}
    assert centre == {"#997700": [40, 900], "#EECC66": [500], "#004488": [10, 300, 520]}
    ys = {hex_of(b.get_facecolor()): b.get_y() for b in bars(ax)}
    assert ys["#997700"] < ys["#EECC66"] < ys["#004488"]  # top to bottom, y axis down
    assert ax.get_xlim() == (0.0, 1000.0)
    positions = pd.DataFrame(
        {
            "doc_id": ["d"] * 3,
            "frame": ["solidarity", "colonialism", "solidarity"],
            "start": [5, 50, 80],
            "relative_position": [0.1, 0.5, 0.9],
        }
    )
    ax = charts.plot_frame_dispersion(positions, frames=SCHEME).axes[0]
    assert ax.get_xlim() == (0.0, 1.0)
    assert ax.get_xlabel().startswith("position in the text")


@pytest.mark.legacy_ok
def test_sentence_heatmap_columns_in_scheme_order_left_to_right():
    fig = charts.plot_sentence_frame_heatmap(hits_table(), frames=SCHEME, n_sentences=7)
    ax = fig.axes[0]
    headers = tick_texts(ax.get_xticklabels())
    for text, label in zip(headers, SCHEME.labels, strict=True):
        english, arabic = label.split("\n")
        logical_lines(text, english.split() + arabic.split())
    assert tick_texts(ax.get_yticklabels()) == [str(i) for i in range(1, 8)]
    matrix = np.ma.filled(ax.images[0].get_array(), np.nan)
    # Columns: colonialism, self-determination, solidarity.
    assert matrix[0].tolist() == [1, 0, 1]
    assert matrix[3].tolist() == [0, 1, 1]
    assert matrix[5].tolist() == [1, 0, 0]
    assert np.nansum(matrix) == 6
    strip = [p for p in ax.patches if p.get_y() < -0.5]
    assert [hex_of(p.get_facecolor()) for p in sorted(strip, key=lambda p: p.get_x())] == list(
        SCHEME.colours
    )
    colour_bar = fig.axes[1]
    label = colour_bar.get_xlabel().split("\n")
    assert LATIN.search(label[0]) and ARABIC.search(label[1])
    numbers = sorted(t.get_text() for t in ax.texts)
    assert numbers == ["1"] * 6


@pytest.mark.legacy_ok
def test_sentence_heatmap_accepts_counts_by_sentence():
    by_sentence = pd.DataFrame(
        {"doc_id": ["d", "d"], "sentence": [1, 0], "frame": ["solidarity", "colonialism"]}
    ).assign(n=[2, 1])
    matrix = charts.plot_sentence_frame_heatmap(by_sentence, frames=SCHEME).axes[0]
    assert np.ma.filled(matrix.images[0].get_array(), np.nan).tolist() == [[1, 0], [0, 2]]


@pytest.mark.legacy_ok
def test_cooccurrence_diagonal_from_top_left_ordered_by_frequency():
    fig = charts.plot_actor_cooccurrence(actors_matrix())
    ax = fig.axes[0]
    # By sentences naming each actor: المغرب 5, UN 3, الجزائر 2.
    order = ["المغرب", "الأمم المتحدة (UN)", "الجزائر"]
    names = [
        t for t in ax.texts if ARABIC.search(t.get_text()) and t.get_text() not in "0123456789"
    ]
    assert [t.get_text() for t in names] == [prepare_text(a) for a in order]
    numbers = {
        (round(t.get_position()[1]), round(t.get_position()[0])): t
        for t in ax.texts
        if t.get_text().isdigit()
    }
    # The diagonal, in bold: 5, 3, 2; below it المغرب–UN 2, المغرب–الجزائر 1, UN–الجزائر 1.
    assert {k: t.get_text() for k, t in numbers.items()} == {
        (0, 0): "5",
        (1, 1): "3",
        (2, 2): "2",
        (1, 0): "2",
        (2, 0): "1",
        (2, 1): "1",
    }
    assert all(numbers[(i, i)].get_fontweight() in ("bold", 700) for i in range(3))
    # Upper triangle: nothing drawn.
    grid = np.ma.filled(ax.images[0].get_array(), np.nan)
    assert np.isnan(grid[np.triu_indices(3, k=1)]).all()
    # The diagonal runs from the top-left corner down to the right (display coordinates).
    to_display = ax.transData.transform
    corners = [to_display(numbers[(i, i)].get_position()) for i in range(3)]
    assert corners[0][0] < corners[1][0] < corners[2][0]
    assert corners[0][1] > corners[1][1] > corners[2][1]
    # Each name stands just right of its diagonal cell, on the same row.
    for i, name in enumerate(names):
        x, y = to_display(name.xy)
        assert y == pytest.approx(corners[i][1]) and x > corners[i][0]
    (legend,) = fig.legends
    key = legend.get_texts()[0].get_text().split("\n")
    assert key[0].startswith("diagonal") and ARABIC.search(key[1])
    label = fig.axes[1].get_xlabel().split("\n")
    assert LATIN.search(label[0]) and ARABIC.search(label[1])
    given = charts.plot_actor_cooccurrence(actors_matrix(), order="given").axes[0]
    diagonal = [t.get_text() for t in given.texts if t.get_fontweight() in ("bold", 700)]
    assert diagonal == ["2", "5", "3"]


def relative_luminance(colour) -> float:
    rgb = np.array(mcolors.to_rgb(colour))
    linear = np.where(rgb <= 0.04045, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)
    return float(linear @ [0.2126, 0.7152, 0.0722])


@pytest.mark.legacy_ok
@pytest.mark.parametrize("name", ["actor-cooccurrence", "sentence-frame-heatmap"])
def test_cell_numbers_legible_at_print_size(name):
    """Numbers in cells: at least 7 pt on paper (the chart is drawn at print width)
    and a WCAG contrast of at least 4.5 with their cell's colour."""
    fig = CHARTS[name]()
    ax = fig.axes[0]
    image = ax.images[0]
    grid = np.ma.filled(image.get_array(), np.nan)
    checked = 0
    for text in ax.texts:
        if not text.get_text().isdigit():
            continue
        x, y = text.get_position()
        value = grid[round(y), round(x)]
        cell = "white" if np.isnan(value) else image.cmap(image.norm(value))
        light, dark = sorted([relative_luminance(cell), relative_luminance(text.get_color())])
        assert (dark + 0.05) / (light + 0.05) >= 4.5, (text.get_text(), cell)
        assert text.get_fontsize() >= 7
        checked += 1
    assert checked >= 6


@pytest.mark.legacy_ok
@pytest.mark.parametrize("name", sorted(CHARTS))
def test_print_sizes_and_type_sizes(name):
    """Every chart is one (3.5 in) or two (7.2 in) columns wide, no taller than a
    page, and no text of it is smaller than 7 points."""
    fig = CHARTS[name]()
    width, height = fig.get_size_inches()
    assert width in (3.5, 7.2)
    assert 1.0 <= height <= 9.0
    for text in fig.findobj(Text):
        if text.get_text().strip() and text.get_visible():
            assert text.get_fontsize() >= 7, (name, text.get_text())


@pytest.mark.legacy_ok
@pytest.mark.parametrize("name", sorted(CHARTS))
def test_nothing_is_cut_off_at_the_edges(name, tmp_path):
    """A white border all round the PNG: no title, label or legend runs off the page."""
    (png,) = charts.save_figure(CHARTS[name](), name, tmp_path, formats=("png",))
    with Image.open(png) as img:
        grey = np.asarray(img.convert("L"))
    border = np.concatenate(
        [grey[:3].ravel(), grey[-3:].ravel(), grey[:, :3].ravel(), grey[:, -3:].ravel()]
    )
    assert border.min() >= 250


@pytest.mark.legacy_ok
def test_no_text_in_any_chart_is_mathtext_and_inputs_untouched():
    counts, hits, matrix = counts_table(), hits_table(), actors_matrix()
    hits.loc[0, "term"] = "$تضامن$"
    plain = counts.assign(frame=["$x$", "b", "c"])
    before = (counts.copy(), hits.copy(), matrix.copy(), plain.copy())
    figs = [
        charts.plot_frame_counts(counts, title="$x$", frames=SCHEME),
        charts.plot_frame_counts(plain),
        charts.plot_frames_by_voice(hits, frames=SCHEME, title="$a$ and $b$"),
        charts.plot_frame_dispersion(hits, frames=SCHEME),
        charts.plot_sentence_frame_heatmap(hits, frames=SCHEME),
        charts.plot_actor_cooccurrence(
            matrix.rename(index={"المغرب": "$m$"}, columns={"المغرب": "$m$"})
        ),
    ]
    for fig in figs:
        for text in fig.findobj(Text):
            assert not cbook.is_math_text(text.get_text()), text.get_text()
    for after, orig in zip((counts, hits, matrix, plain), before, strict=True):
        pd.testing.assert_frame_equal(after, orig)


@pytest.mark.legacy_ok
def test_draw_table_prepares_cells():
    fig = Figure()
    ax = fig.subplots()
    table = charts.draw_table(ax, pd.DataFrame({"الإطار": ["التضامن"], "n": [5]}))
    cells = table.get_celld()
    assert cells[(0, 0)].get_text().get_text() == prepare_text("الإطار")
    assert cells[(1, 0)].get_text().get_text() == prepare_text("التضامن")
    assert cells[(1, 1)].get_text().get_text() == "5"


@pytest.mark.legacy_ok
def test_bad_input_raises_config_error():
    with pytest.raises(ConfigError, match="lacks column.*voice"):
        charts.plot_frames_by_voice(hits_table().drop(columns="voice"))
    with pytest.raises(ConfigError, match="square"):
        charts.plot_actor_cooccurrence(actors_matrix().iloc[:, :2])
    with pytest.raises(ConfigError, match="order must be"):
        charts.plot_actor_cooccurrence(actors_matrix(), order="alphabetical")
    two_docs = hits_table().assign(doc_id=["a", "b"] * 3)
    with pytest.raises(ConfigError, match="holds 2 documents"):
        charts.plot_frame_dispersion(two_docs)
    with pytest.raises(ConfigError, match="one row per frame"):
        charts.plot_frame_counts(pd.concat([counts_table()] * 2), frames=SCHEME)
    with pytest.raises(ConfigError, match="lacks column.*gloss"):
        charts.plot_term_counts(terms_table().drop(columns="gloss"), frames=SCHEME)
    with pytest.raises(ConfigError, match="figure name"):
        charts.save_figure(Figure(), "Bad Name!", "/tmp")
    with pytest.raises(ConfigError, match="formats"):
        charts.save_figure(Figure(), "ok", "/tmp", formats=("jpg",))


@pytest.mark.legacy_ok
@pytest.mark.parametrize("name", sorted(CHARTS))
def test_image_regression(name, tmp_path):
    fig = CHARTS[name]()
    (png,) = charts.save_figure(fig, name, tmp_path, formats=("png",))
    baseline = BASELINES / f"{name}.png"
    if REGENERATE:
        BASELINES.mkdir(parents=True, exist_ok=True)
        baseline.write_bytes(png.read_bytes())
        pytest.skip("baseline regenerated: look at it before committing")
    assert baseline.is_file(), f"no baseline {baseline}"
    result = compare_images(str(baseline), str(png), tol=2)
    assert result is None, result


@pytest.mark.legacy_ok
def test_save_figure_formats_and_atomicity(tmp_path, monkeypatch):
    fig = CHARTS["frame-counts"]()
    paths = charts.save_figure(fig, "frame-counts", tmp_path)
    assert [p.name for p in paths] == ["frame-counts.png", "frame-counts.svg", "frame-counts.pdf"]
    width, height = fig.get_size_inches()
    with Image.open(paths[0]) as img:
        assert img.size == (round(width * 200), round(height * 200))  # 200 dpi
        assert img.size[0] == 700  # 3.5 in at 200 dpi
    assert paths[1].read_bytes().lstrip().startswith(b"<?xml")
    assert paths[2].read_bytes().startswith(b"%PDF")
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(p.name for p in paths)

    # A failure while writing leaves neither a partial figure nor a temporary file.
    def broken_savefig(handle, **kwargs):
        handle.write(b"partial")
        raise RuntimeError("disk full")

    monkeypatch.setattr(fig, "savefig", broken_savefig)
    with pytest.raises(RuntimeError):
        charts.save_figure(fig, "other-name", tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(p.name for p in paths)


@pytest.mark.legacy_ok
def test_save_figure_default_directory(tmp_path, monkeypatch):
    monkeypatch.setattr(plots, "FIGURES_DIR", tmp_path / "figures")
    paths = charts.save_figure(CHARTS["actor-cooccurrence"](), "actors")
    assert all(p.parent == tmp_path / "figures" for p in paths)


EXPORT_SCRIPT = """
import sys
sys.path.insert(0, {tests!r})
import test_charts as t
from analysis import charts
for name in sys.argv[2:]:
    charts.save_figure(t.CHARTS[name](), name, sys.argv[1])
"""
# A heatmap (embedded image), colour bar, annotations, hatching and mixed
# Arabic/Latin labels: the elements whose bytes could vary between runs.
EXPORTED = ["actor-cooccurrence", "frames-by-voice"]


@pytest.mark.legacy_ok
def test_export_byte_identical_across_processes(tmp_path):
    """Two separate processes (run side by side, different hash seeds, no
    SOURCE_DATE_EPOCH) write the same bytes for each chart in every format."""
    script = EXPORT_SCRIPT.format(tests=str(Path(__file__).parent))
    runs = []
    for seed in ("1", "2"):
        env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
        env.update(PYTHONHASHSEED=seed, MPLBACKEND="Agg")
        out = tmp_path / f"run{seed}"
        cmd = [sys.executable, "-c", script, str(out), *EXPORTED]
        runs.append((out, subprocess.Popen(cmd, env=env, cwd=REPO)))
    outputs = []
    for out, proc in runs:
        assert proc.wait(timeout=120) == 0
        outputs.append({p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in out.iterdir()})
    assert len(outputs[0]) == 3 * len(EXPORTED)
    assert outputs[0] == outputs[1]


@pytest.mark.legacy_ok
def test_baselines_exist_for_both_paths():
    for path in ("libraqm", "reshaped"):
        for name in CHARTS:
            assert (BASELINES.parent / path / f"{name}.png").is_file(), (path, name)


@pytest.mark.legacy_ok
def test_chart_shows_itself_in_jupyter_without_pyplot():
    """IPython displays objects through ``_repr_png_``: a 200-dpi PNG shown at 100-dpi size."""
    fig = CHARTS["frame-counts"]()
    data, meta = fig._repr_png_()
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    width, height = fig.get_size_inches()
    assert (meta["width"], meta["height"]) == (round(width * 100), round(height * 100))
    # the caption and alt text the report shows with the figure
    assert meta["caption"] == "Frame counts" and meta["alt"].startswith("Bar chart. Frame counts:")
    with Image.open(io.BytesIO(data)) as img:
        assert img.size == (round(width * 200), round(height * 200))
        assert "Software" not in img.info
