"""Wrapping labels without orphans, in English and Arabic, at widths measured on the font.

Widths for the hand-made cases are measured here with FreeType directly on the
pinned Amiri file (the string matplotlib draws: :func:`prepare_text`), and each
width is chosen halfway between two thresholds, so that the expected wrapping
follows from the rule, not from the code. The property test compares the
wrapping with every other way of breaking the same words.
"""

from __future__ import annotations

import itertools
import sys
from pathlib import Path

import fontpkg_amiri
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from matplotlib.ft2font import FT2Font

from analysis.charts import FrameScheme, layout, prepare_text
from analysis.charts.plots import LABEL_SHARE

pytestmark = pytest.mark.legacy_ok

AMIRI = Path(fontpkg_amiri.ROOT) / "files" / "Amiri-Regular.ttf"
LEXICONS = Path(__file__).resolve().parents[2] / "lexicons"
SIZE = 8.0
sys.path.insert(0, str(Path(__file__).parent))
import test_charts  # noqa: E402


def freetype_width(text: str) -> float:
    """Advance width (points) of *text* at SIZE points, as FreeType lays it out."""
    font = FT2Font(str(AMIRI))
    font.set_size(SIZE, 72)
    font.set_text(prepare_text(text))
    return font.get_width_height()[0] / 64


def between(narrow: str, wide: str) -> float:
    """A width halfway between *narrow* and *wide* (which must be clearly apart)."""
    a, b = freetype_width(narrow), freetype_width(wide)
    assert b - a > 6, (narrow, wide, a, b)
    return (a + b) / 2


@pytest.mark.parametrize(
    ("text", "fits", "too_wide", "expected"),
    [
        # Two words fit on a line, three do not: not "Solidarity and / support".
        (
            "Solidarity and support",
            "Solidarity and",
            "Solidarity and support",
            "Solidarity\nand support",
        ),
        # Three words fit, four do not: two and two, not three and a lone word.
        (
            "International community and law",
            "International community and",
            "International community and law",
            "International community\nand law",
        ),
        # The same in Arabic (logical order, first words on the first line).
        (
            "المجتمع الدولي والقانون الدولي",
            "المجتمع الدولي والقانون",
            "المجتمع الدولي والقانون الدولي",
            "المجتمع الدولي\nوالقانون الدولي",
        ),
        (
            "تقرير المصير والاستقلال والتحرير",
            "تقرير المصير والاستقلال",
            "تقرير المصير والاستقلال والتحرير",
            "تقرير المصير\nوالاستقلال والتحرير",
        ),
        # Fits on one line: unchanged.
        (
            "Struggle and resistance",
            "Struggle and resistance",
            "Struggle and resistance xx",
            "Struggle and resistance",
        ),
    ],
)
def test_no_lone_word_on_the_last_line(text, fits, too_wide, expected):
    assert layout.wrap(text, between(fits, too_wide), SIZE) == expected


def test_paragraphs_wrapped_each_on_its_own():
    width = between("Solidarity and", "Solidarity and support")
    label = "Solidarity and support\nالتضامن والتأييد"
    assert layout.wrap(label, width, SIZE) == "Solidarity\nand support\nالتضامن والتأييد"


def test_a_word_wider_than_the_line_gets_a_line_of_its_own():
    assert layout.wrap("Self-determination, now", 20, SIZE) == "Self-determination,\nnow"
    assert layout.wrap("الاستقلال", 5, SIZE) == "الاستقلال"


WORDS = [
    "a",
    "and",
    "law",
    "support",
    "independence",
    "Self-determination,",
    "دعم",
    "الاستعمار",
    "تقرير",
    "المصير",
]


def breakings(words: list[str]):
    """Every way of cutting *words* into lines."""
    for cuts in itertools.product([False, True], repeat=len(words) - 1):
        lines, current = [], [words[0]]
        for word, cut in zip(words[1:], cuts, strict=True):
            if cut:
                lines.append(current)
                current = [word]
            else:
                current.append(word)
        yield [*lines, current]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(WORDS), min_size=2, max_size=7), st.floats(15, 160))
def test_wrapping_against_every_other_breaking(words, width):
    """The lines fit (or hold one word); no breaking has fewer lines; none with as many
    lines avoids a lone last word when this one has one; none has fewer one-word lines."""
    result = layout.wrap(" ".join(words), width, SIZE).split("\n")
    got = [line.split() for line in result]
    assert [w for line in got for w in line] == words

    def fits(lines):
        return all(len(x) == 1 or layout.text_extent(" ".join(x), SIZE)[0] <= width for x in lines)

    def key(lines):
        return (len(lines), len(lines[-1]) == 1, sum(len(x) == 1 for x in lines))

    assert fits(got)
    best = min(key(lines) for lines in breakings(words) if fits(lines))
    assert key(got) == best


def test_chart_labels_of_the_project_frames_have_no_orphans():
    """The bilingual labels of frames.csv, as the one-column bar chart draws them:
    each line fits the label column, and no paragraph ends with a lone word unless
    it has only one or two words."""
    scheme = FrameScheme.load(LEXICONS)
    fig = test_charts.charts.plot_frame_counts(
        test_charts.pd.DataFrame({"frame": scheme.frames, "n": range(len(scheme.frames))}),
        frames=scheme,
    )
    ax = fig.axes[0]
    budget = fig.get_figwidth() * 72 * LABEL_SHARE
    for tick, label in zip(ax.get_yticklabels(), scheme.labels, strict=True):
        english, arabic = label.split("\n")
        lines = test_charts.logical_lines(tick.get_text(), english.split() + arabic.split())
        for line in lines:
            assert freetype_width(line) <= budget + 1, line
        for paragraph in (english, arabic):
            mine = [x for x in lines if set(x.split()) <= set(paragraph.split())]
            if len(mine) > 1 and len(paragraph.split()) > 2:
                assert len(mine[-1].split()) >= 2, (paragraph, mine)
