"""Chart functions: labels they hand matplotlib, image regression, deterministic export.

Image baselines live in ``tests/baseline_images/<path>/`` where ``<path>`` is
``libraqm`` (matplotlib shapes text) or ``reshaped`` (matplotlib 3.10). Each was
generated from the hand-made tables below and its Arabic read in an image
viewer before it was committed (what each must show is written beside each
chart). To regenerate after an intended change, run with
``ANALYSIS_REGENERATE_BASELINES=1`` and look at every image again.
"""

from __future__ import annotations

import hashlib
import io
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from matplotlib import cbook
from matplotlib.figure import Figure
from matplotlib.testing.compare import compare_images
from matplotlib.text import Text
from PIL import Image

from analysis import charts
from analysis.charts import bilingual_label, plots, prepare_text
from analysis.errors import ConfigError

PATH_NAME = "libraqm" if charts.matplotlib_shapes_text() else "reshaped"
BASELINES = Path(__file__).parent.parent / "baseline_images" / PATH_NAME
REGENERATE = os.environ.get("ANALYSIS_REGENERATE_BASELINES") == "1"
REPO = Path(__file__).resolve().parents[2]


def counts_table() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "frame": ["solidarity", "colonialism", "legality"],
            "term": ["التضامن", "الاستعمار", "تقرير المصير"],
            "gloss": ["solidarity", "colonialism", "self-determination"],
            "n": [5, 2, 3],
            "rate_per_1000": [8.4, 3.4, 5.0],
        }
    )


def hits_table() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "doc_id": ["d"] * 6,
            "sentence": [0, 0, 2, 3, 3, 5],
            "start": [10, 40, 300, 500, 520, 900],
            "end": [17, 47, 307, 507, 530, 910],
            "frame": ["تضامن", "استعمار", "تضامن", "شرعية", "تضامن", "استعمار"],
            "term": ["التضامن", "الاستعمار", "التضامن", "الشرعية", "تضامن", "الاستعمار"],
            "voice": ["narration", "narration", "quoted", "quoted", "narration", "quoted"],
        }
    )


ACTORS = ["الجزائر", "المغرب", "الأمم المتحدة (UN)"]


def actors_matrix() -> pd.DataFrame:
    return pd.DataFrame([[0, 3, 1], [3, 0, 2], [1, 2, 0]], index=ACTORS, columns=ACTORS)


CHARTS = {
    # Bars top to bottom: التضامن/solidarity 5, تقرير المصير/self-determination 3,
    # الاستعمار/colonialism 2; each bar labelled with its value.
    "frame-counts": lambda: charts.plot_frame_counts(counts_table()),
    # Top to bottom: تضامن (narration 2, quoted 1), استعمار (1, 1), شرعية (0, 1).
    "frames-by-voice": lambda: charts.plot_frames_by_voice(hits_table()),
    # Rows تضامن (10, 300, 520), استعمار (40, 900), شرعية (500), x 0–1000.
    "frame-dispersion": lambda: charts.plot_frame_dispersion(hits_table(), text_length=1000),
    # Columns right to left تضامن, استعمار, شرعية; rows 1–7; 1s at (1, تضامن),
    # (1, استعمار), (3, تضامن), (4, شرعية), (4, تضامن), (6, استعمار).
    "sentence-frame-heatmap": lambda: charts.plot_sentence_frame_heatmap(
        hits_table(), n_sentences=7
    ),
    # Rows الجزائر, المغرب, الأمم المتحدة (UN); columns the same from the right;
    # الجزائر–المغرب 3, الجزائر–UN 1, المغرب–UN 2, empty diagonal.
    "actor-cooccurrence": lambda: charts.plot_actor_cooccurrence(actors_matrix()),
}


def tick_texts(labels) -> list[str]:
    return [t.get_text() for t in labels]


@pytest.mark.legacy_ok
def test_frame_counts_labels_prepared_and_sorted():
    fig = charts.plot_frame_counts(counts_table(), value="rate_per_1000", title="Rates $ per 1000")
    ax = fig.axes[0]
    # Sorted by rate: 8.4 التضامن, 5.0 تقرير المصير, 3.4 الاستعمار (y axis inverted: first on top).
    expected = [
        prepare_text(bilingual_label(t, g))
        for t, g in [
            ("التضامن", "solidarity"),
            ("تقرير المصير", "self-determination"),
            ("الاستعمار", "colonialism"),
        ]
    ]
    assert tick_texts(ax.get_yticklabels()) == expected
    assert ax.yaxis_inverted()
    assert ax.get_title() == prepare_text("Rates $ per 1000")
    assert ax.get_xlabel() == "hits per 1,000 words"
    # Values written after the bars: rates with one decimal (8.4, 5.0, 3.4 from the table).
    assert [t.get_text() for t in ax.texts] == ["8.4", "5.0", "3.4"]
    ax = charts.plot_frame_counts(counts_table(), value="rate_per_1000").axes[0]
    assert ax.get_title() == "Frame rates per 1,000 words"
    ax = charts.plot_frame_counts(counts_table()).axes[0]
    assert ax.get_title() == "Frame counts"
    assert [t.get_text() for t in ax.texts] == ["5", "3", "2"]  # counts as integers


@pytest.mark.legacy_ok
def test_frames_by_voice_order_and_counts():
    fig = charts.plot_frames_by_voice(hits_table())
    ax = fig.axes[0]
    # Totals: تضامن 3, استعمار 2, شرعية 1 -> the most frequent is the top bar (inverted y).
    assert tick_texts(ax.get_yticklabels()) == [
        prepare_text(f) for f in ["تضامن", "استعمار", "شرعية"]
    ]
    assert ax.yaxis_inverted()
    narration, quoted = ax.containers
    # Read off hits_table: narration تضامن rows 0, 4 -> 2; استعمار row 1 -> 1; شرعية 0.
    assert [b.get_width() for b in narration] == [2, 1, 0]
    # quoted: تضامن row 2; استعمار row 5; شرعية row 3 -> 1 each.
    assert [b.get_width() for b in quoted] == [1, 1, 1]
    assert tick_texts(ax.get_legend().get_texts()) == ["narration", "quoted speech"]


@pytest.mark.legacy_ok
def test_long_labels_wrapped_per_line():
    """A long label is wrapped at spaces on the logical string; each line is then
    prepared on its own (so each keeps its own direction)."""
    label = "Solidarity and support / التضامن والتأييد"
    counts = pd.DataFrame({"frame": [label], "n": [3]})
    (text,) = tick_texts(charts.plot_frame_counts(counts).axes[0].get_yticklabels())
    # 28 characters a line: "Solidarity and support /" (24) + " التضامن" would be 32.
    assert text == prepare_text("Solidarity and support /\nالتضامن والتأييد")


@pytest.mark.legacy_ok
def test_heatmap_and_cooccurrence_labels():
    fig = charts.plot_sentence_frame_heatmap(hits_table(), n_sentences=7)
    ax = fig.axes[0]
    # First appearance: تضامن (sentence 0, row 0), استعمار (row 1), شرعية (sentence 3);
    # shown right to left.
    assert tick_texts(ax.get_xticklabels()) == [
        prepare_text(f) for f in ["شرعية", "استعمار", "تضامن"]
    ]
    assert tick_texts(ax.get_yticklabels()) == [str(i) for i in range(1, 8)]
    matrix = ax.images[0].get_array()
    # Row 3 (sentence index 3) holds one شرعية (column 0) and one تضامن (column 2).
    assert matrix[3].tolist() == [1, 0, 1]
    assert matrix.sum() == 6

    fig = charts.plot_actor_cooccurrence(actors_matrix())
    ax = fig.axes[0]
    assert tick_texts(ax.get_yticklabels()) == [prepare_text(a) for a in ACTORS]
    # Under the x-axis labels wrap at 14 characters: "الأمم المتحدة (UN)" has 18, so
    # "(UN)" goes to a second line.
    assert tick_texts(ax.get_xticklabels()) == [
        prepare_text(a) for a in ["الأمم المتحدة\n(UN)", "المغرب", "الجزائر"]
    ]
    # Top-left is الجزائر × UN (1), then الجزائر × المغرب (3); the top-right cell,
    # الجزائر × الجزائر, is on the diagonal: masked unless asked for.
    grid = ax.images[0].get_array()
    assert grid[0].tolist() == [1, 3, None]
    assert grid.mask.sum() == 3
    fig = charts.plot_actor_cooccurrence(actors_matrix(), diagonal=True)
    assert fig.axes[0].images[0].get_array()[0].tolist() == [1, 3, 0]


@pytest.mark.legacy_ok
def test_charts_accept_counts_and_positions_tables():
    """The measures stage's tables (counts with ``n``; relative positions) give the same
    bars and cells as the hits they were counted from."""
    # count_by_voice-shaped: actor categories, n per (actor, voice).
    by_voice = pd.DataFrame(
        {
            "actor": ["الجزائر", "الجزائر", "المغرب"],
            "voice": ["narration", "quoted", "quoted"],
            "n": [4, 1, 2],
        }
    )
    ax = charts.plot_frames_by_voice(by_voice).axes[0]
    # Totals الجزائر 5, المغرب 2: الجزائر on top.
    assert tick_texts(ax.get_yticklabels()) == [prepare_text(a) for a in ["الجزائر", "المغرب"]]
    narration, quoted = ax.containers
    assert [b.get_width() for b in narration] == [4, 0]
    assert [b.get_width() for b in quoted] == [1, 2]

    # count_by_sentence-shaped: sentence 1 has 2 تضامن hits, sentence 0 one شرعية.
    by_sentence = pd.DataFrame(
        {"doc_id": ["d", "d"], "sentence": [1, 0], "frame": ["تضامن", "شرعية"], "n": [2, 1]}
    )
    matrix = charts.plot_sentence_frame_heatmap(by_sentence).axes[0].images[0].get_array()
    # Columns right to left by first appearance: شرعية (sentence 0) rightmost.
    assert matrix.tolist() == [[0, 1], [2, 0]]

    # dispersion_positions-shaped: x is the relative position, 0..1.
    positions = pd.DataFrame(
        {
            "doc_id": ["d"] * 3,
            "frame": ["تضامن", "شرعية", "تضامن"],
            "start": [5, 50, 80],
            "relative_position": [0.1, 0.5, 0.9],
        }
    )
    ax = charts.plot_frame_dispersion(positions).axes[0]
    assert ax.get_xlim() == (0.0, 1.0)
    first_row = ax.collections[0].get_segments()
    assert sorted(seg[0][0] for seg in first_row) == [0.1, 0.9]


@pytest.mark.legacy_ok
def test_no_text_in_any_chart_is_mathtext_and_inputs_untouched():
    counts, hits, matrix = counts_table(), hits_table(), actors_matrix()
    hits.loc[0, "frame"] = "$تضامن$"
    before = (counts.copy(), hits.copy(), matrix.copy())
    figs = [
        charts.plot_frame_counts(counts, title="$x$"),
        charts.plot_frames_by_voice(hits),
        charts.plot_frame_dispersion(hits),
        charts.plot_sentence_frame_heatmap(hits),
        charts.plot_actor_cooccurrence(matrix),
    ]
    for fig in figs:
        for text in fig.findobj(Text):
            assert not cbook.is_math_text(text.get_text()), text.get_text()
    # The tables still hold their logical strings.
    for after, orig in zip((counts, hits, matrix), before, strict=True):
        pd.testing.assert_frame_equal(after, orig)
    assert hits.loc[0, "frame"] == "$تضامن$"


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
    two_docs = hits_table().assign(doc_id=["a", "b"] * 3)
    with pytest.raises(ConfigError, match="holds 2 documents"):
        charts.plot_frame_dispersion(two_docs)
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
# A heatmap (embedded image), colorbar, annotations and mixed Arabic/Latin labels:
# the elements whose bytes could vary between runs.
EXPORTED = ["actor-cooccurrence"]


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
    assert meta == {"width": round(width * 100), "height": round(height * 100)}
    with Image.open(io.BytesIO(data)) as img:
        assert img.size == (round(width * 200), round(height * 200))
        assert "Software" not in img.info
