"""The frame palette: one order and one colour per frame, read from data files, in every chart.

The colour checks compute, independently of the code, what a colour looks like
in greyscale (CIE L*) and to readers with each kind of colour-vision deficiency
(the simulation matrices of Machado, Oliveira & Fernandes 2009, severity 1.0),
and compare the colours of ``lexicons/frame_colours.csv`` pairwise (CIE76 ΔE).
"""

from __future__ import annotations

import csv
import itertools
import shutil
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from matplotlib import colors as mcolors
from matplotlib.patches import Rectangle

from analysis import charts
from analysis.charts import FrameScheme
from analysis.errors import ConfigError

pytestmark = pytest.mark.legacy_ok

LEXICONS = Path(__file__).resolve().parents[2] / "lexicons"
sys.path.insert(0, str(Path(__file__).parent))
import test_charts  # noqa: E402


def read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


FRAMES = [row["frame"] for row in read(LEXICONS / "frames.csv")]
COLOURS = {row["frame"]: row["colour"].upper() for row in read(LEXICONS / "frame_colours.csv")}


# --- colour science, from the formulas ----------------------------------------


def linear(rgb: np.ndarray) -> np.ndarray:
    return np.where(rgb <= 0.04045, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)


def lab(rgb_linear: np.ndarray) -> np.ndarray:
    """CIE L*a*b* (D65) of a linear sRGB colour."""
    m = np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]])
    t = (m @ rgb_linear) / np.array([0.95047, 1.0, 1.08883])
    f = np.where(t > (6 / 29) ** 3, np.cbrt(t), t / (3 * (6 / 29) ** 2) + 4 / 29)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


MACHADO = {
    "protanopia": [
        [0.152286, 1.052583, -0.204868],
        [0.114503, 0.786281, 0.099216],
        [-0.003882, -0.048116, 1.051998],
    ],
    "deuteranopia": [
        [0.367322, 0.860646, -0.227968],
        [0.280085, 0.672501, 0.047413],
        [-0.011820, 0.042940, 0.968881],
    ],
    "tritanopia": [
        [1.255528, -0.076749, -0.178779],
        [-0.078411, 0.930809, 0.147602],
        [0.004733, 0.691367, 0.303900],
    ],
}


def seen(colour: str, vision: str | None) -> np.ndarray:
    rgb = linear(np.array(mcolors.to_rgb(colour)))
    if vision is not None:
        rgb = np.clip(np.array(MACHADO[vision]) @ rgb, 0, 1)
    return lab(rgb)


# --- the data files -------------------------------------------------------------


def test_every_declared_frame_has_its_own_colour():
    assert sorted(COLOURS) == sorted(FRAMES)
    assert len(set(COLOURS.values())) == len(FRAMES)
    scheme = FrameScheme.load(LEXICONS)
    assert list(scheme.frames) == FRAMES  # frames.csv's order
    assert [scheme.colour(f) for f in FRAMES] == [COLOURS[f] for f in FRAMES]
    for row in read(LEXICONS / "frames.csv"):
        assert scheme.label(row["frame"]) == f"{row['label_en']}\n{row['label_ar']}"


def test_colours_stay_apart_in_greyscale():
    """Printed in black and white, no two frames get the same grey (L* 9 apart or more)."""
    lightness = sorted(seen(c, None)[0] for c in COLOURS.values())
    assert min(np.diff(lightness)) >= 9, lightness


@pytest.mark.parametrize("vision", [None, *MACHADO])
def test_colours_stay_apart_for_colour_blind_readers(vision):
    points = [seen(c, vision) for c in COLOURS.values()]
    nearest = min(np.linalg.norm(a - b) for a, b in itertools.combinations(points, 2))
    assert nearest >= 20, (vision, nearest)


@pytest.mark.parametrize(
    ("content", "message", "line"),
    [
        ("frame,colour\ncolonialism,#997700\n", "no colour for frame", None),
        ("frame,colour\ncolonialism,#997700\nstruggle,#997700\n", "one colour per frame", 3),
        ("frame,colour\ncolonialism,blue\n", "not #RRGGBB", 2),
        ("frame,colour\nlegality,#123456\n", "'legality' is not declared", 2),
        ("frame,colour\ncolonialism,#997700\ncolonialism,#112233\n", "second colour", 3),
        ("frame,hex\ncolonialism,#997700\n", "missing column", 1),
    ],
)
def test_bad_palette_file_names_file_and_line(tmp_path, content, message, line):
    shutil.copy(LEXICONS / "frames.csv", tmp_path / "frames.csv")
    (tmp_path / "frame_colours.csv").write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError, match=message) as caught:
        FrameScheme.load(tmp_path)
    assert "frame_colours.csv" in str(caught.value)
    if line is not None:
        assert f"line {line}" in str(caught.value)


def test_palette_file_missing(tmp_path):
    shutil.copy(LEXICONS / "frames.csv", tmp_path / "frames.csv")
    with pytest.raises(ConfigError, match="frame_colours.csv.*not found"):
        FrameScheme.load(tmp_path)


# --- one order, one colour, in every chart -------------------------------------------


def hits() -> pd.DataFrame:
    """One hit of every frame, in reverse frames.csv order, spread over sentences."""
    frames = FRAMES[::-1]
    return pd.DataFrame(
        {
            "doc_id": "d",
            "sentence": range(len(frames)),
            "start": [100 * i for i in range(len(frames))],
            "end": [100 * i + 5 for i in range(len(frames))],
            "frame": frames,
            "term": [f"t{i}" for i in range(len(frames))],
            "gloss": [f"g{i}" for i in range(len(frames))],
            "voice": "narration",
        }
    )


def hex_of(patch) -> str:
    return mcolors.to_hex(patch.get_facecolor()).upper()


def drawn_order(fig) -> list[str]:
    """The colours of a chart's solid marks (not the hatched quoted-speech bars), top
    to bottom, or left to right along a heatmap's colour strip."""
    ax = fig.axes[0]
    marks = [
        p
        for p in ax.patches
        if isinstance(p, Rectangle) and hex_of(p) != "#FFFFFF" and not p.get_hatch()
    ]
    if ax.images:  # heatmap: the colour strip above the columns
        marks = [p for p in marks if p.get_y() < -0.5]
        marks.sort(key=lambda p: p.get_x())
    else:
        marks.sort(key=lambda p: p.get_y())
    return [hex_of(p) for p in marks]


def test_every_chart_draws_the_frames_in_one_order_and_one_colour_each():
    scheme = FrameScheme.load(LEXICONS)
    table = hits()
    counts = table.assign(n=1)
    figs = {
        "counts": charts.plot_frame_counts(counts, frames=scheme),
        "terms": charts.plot_term_counts(counts, frames=scheme),
        "voice": charts.plot_frames_by_voice(table, frames=scheme),
        "dispersion": charts.plot_frame_dispersion(table, frames=scheme),
        "heatmap": charts.plot_sentence_frame_heatmap(table, frames=scheme),
        "groups": charts.plot_group_frame_rates(
            counts.assign(group="a", rate_per_1000=1.0), frames=scheme
        ),
    }
    expected = [COLOURS[f] for f in FRAMES]
    for name in ("counts", "terms", "voice", "dispersion", "heatmap"):
        assert drawn_order(figs[name]) == expected, name
    # Group charts colour the groups (greys), but keep the frames' order.
    labels = [t.get_text() for t in figs["groups"].axes[0].get_yticklabels()]
    rows = read(LEXICONS / "frames.csv")
    for text, row in zip(labels, rows, strict=True):
        english = row["label_en"].split()
        assert test_charts.logical_lines(text, english + row["label_ar"].split())
