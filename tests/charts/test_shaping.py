"""What matplotlib actually draws for Arabic labels, checked against HarfBuzz.

For each test string the glyphs matplotlib's Agg renderer draws (font file and
glyph id, left to right) are captured and compared with an independent shaper:
HarfBuzz through PyPI's ``uharfbuzz``, shaping the LOGICAL string with the same
font file. HarfBuzz shapes one direction at a time and does no bidi, so each case
lists its directional runs in visual (left-to-right) order, worked out by hand
from the Unicode bidi algorithm; the reasoning is written beside each case.

Capture:
* matplotlib with libraqm (3.11+): ``RendererAgg.draw_text`` lays text out with
  ``FT2Font._layout`` and hands every glyph to ``_draw_text_glyphs_and_boxes``;
  the test wraps that method and records the glyphs it receives.
* matplotlib 3.10 (no libraqm): ``FT2Font.set_text`` draws one glyph per
  character, taking each from the first font of the fallback list whose cmap
  has it. The test records the string ``draw_text`` receives and applies that
  same cmap lookup.

Tests marked ``legacy_ok`` also run in ``.venv-mpl310`` (``make test``).
"""

from __future__ import annotations

import io
import re
import sys
import warnings
from pathlib import Path

import arabic_reshaper
import bidi
import matplotlib as mpl
import pytest
import uharfbuzz as hb
from matplotlib import font_manager
from matplotlib.backends.backend_agg import RendererAgg
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.ft2font import FT2Font

from analysis import charts
from analysis.charts.fonts import amiri_font_files
from analysis.errors import TextWarning

SHAPES = charts.matplotlib_shapes_text()
Glyph = tuple[str, int]  # (font file name, glyph id)

# (logical string, runs in visual order left to right as (text, direction)).
CASES: list[tuple[str, list[tuple[str, str]]]] = [
    # Pure Arabic: one right-to-left run.
    ("الشعب الصحراوي", [("الشعب الصحراوي", "rtl")]),
    # Shadda on lam: the mark must follow its base in HarfBuzz's RTL output.
    ("خلّفت", [("خلّفت", "rtl")]),
    # Obligatory lam-alef ligatures: plain, hamza above, hamza below, madda.
    ("لا", [("لا", "rtl")]),
    ("الأمم", [("الأمم", "rtl")]),
    ("الإعلان", [("الإعلان", "rtl")]),
    ("الآن", [("الآن", "rtl")]),
    # Digits first: paragraph is RTL (first strong letter is Arabic); 2009 (EN) gets
    # level 2, so visually: the Arabic word, the space, then 2009 read left to right.
    ("2009 الجزائر", [("الجزائر", "rtl"), (" ", "ltr"), ("2009", "ltr")]),
    # Digits inside: 40 follows Arabic so W2 makes it AN (level 2), the spaces stay
    # at level 1. Visual: دولة, space, 40, then "أكثر من " reversed as one RTL run.
    ("أكثر من 40 دولة", [("دولة", "rtl"), (" ", "rtl"), ("40", "ltr"), ("أكثر من ", "rtl")]),
    # Latin first: LTR paragraph. "UN / " level 0; the Arabic, its inner space and the
    # bracket pair (N0: the pair holds only a number, the preceding strong type is R)
    # level 1, "3" level 2. The level-1 block is one RTL run; HarfBuzz mirrors the
    # brackets in RTL, which is what a correct display shows: "(3)" left of the words.
    ("UN / الأمم المتحدة (3)", [("UN / ", "ltr"), ("الأمم المتحدة (3)", "rtl")]),
    # Arabic in brackets first: RTL paragraph; Polisario (L) is level 2, the space
    # between ")" and "P" takes the paragraph direction. Visual: Polisario, space,
    # then the bracketed Arabic as an RTL run (brackets mirrored).
    ("(البوليساريو) Polisario", [("Polisario", "ltr"), (" ", "ltr"), ("(البوليساريو)", "rtl")]),
    # Two dollar signs (mathtext unless escaped). 5 and 6 follow Arabic: AN, level 2;
    # "$" (ET) is then not next to an EN, resolves as R. Visual: 6, then the rest
    # reversed as an RTL run ("$", "أو", "5", "$", "سعر"; a single digit reads the same).
    ("سعر $5 أو $6", [("6", "ltr"), ("سعر $5 أو $", "rtl")]),
    # Plain Latin with brackets and digits: one LTR run.
    ("Frames (n = 12)", [("Frames (n = 12)", "ltr")]),
]

# Two lines: matplotlib lays out each line on its own, each its own paragraph.
MULTILINE = (
    "الحركة الجديدة\nnew movement (2009)",
    [
        [("الحركة الجديدة", "rtl")],
        [("new movement (2009)", "ltr")],
    ],
)

# Shadda + fatha: HarfBuzz uses DejaVu's combined mark glyph (uni0651064E); 3.10 draws
# character by character and cannot form it, so this case is checked on 3.11 only.
MARK_LIGATURE_CASE = ("مُحَمَّد", [("مُحَمَّد", "rtl")])

# The font files themselves (never a family name, which the host could answer with
# another file): DejaVu Sans inside matplotlib, Amiri inside fontpkg-amiri.
DEJAVU = Path(mpl.get_data_path()) / "fonts" / "ttf" / "DejaVuSans.ttf"
AMIRI = next(p for p in amiri_font_files() if p.name == "Amiri-Regular.ttf")


def harfbuzz_glyphs(runs: list[tuple[str, str]], font_path: Path) -> list[Glyph]:
    """Shape each run with HarfBuzz (default features) and concatenate, left to right."""
    font = hb.Font(hb.Face(hb.Blob.from_file_path(str(font_path))))
    out: list[Glyph] = []
    for text, direction in runs:
        buf = hb.Buffer()
        buf.add_str(text)
        buf.guess_segment_properties()
        buf.direction = direction
        hb.shape(font, buf, {})
        out += [(font_path.name, info.codepoint) for info in buf.glyph_infos]
    return out


@pytest.fixture
def drawn(monkeypatch):
    """Record, per ``draw_text`` call, the string, ismath flag and glyphs Agg draws."""
    calls: list[dict] = []
    original_draw_text = RendererAgg.draw_text

    def draw_text(self, gc, x, y, s, prop, angle, ismath=False, mtext=None):
        record = {"s": s, "ismath": ismath, "glyphs": []}
        calls.append(record)
        if not SHAPES and not ismath:
            fonts = [FT2Font(str(p)) for p in font_manager.fontManager._find_fonts_by_props(prop)]
            for ch in s:
                owner = next((f for f in fonts if f.get_char_index(ord(ch))), fonts[0])
                record["glyphs"].append((Path(owner.fname).name, owner.get_char_index(ord(ch))))
        return original_draw_text(self, gc, x, y, s, prop, angle, ismath=ismath, mtext=mtext)

    monkeypatch.setattr(RendererAgg, "draw_text", draw_text)
    if SHAPES:
        original_glyphs = RendererAgg._draw_text_glyphs_and_boxes

        def glyphs_and_boxes(self, gc, x, y, angle, glyphs, boxes):
            glyphs = list(glyphs)
            calls[-1]["glyphs"] += [(Path(g[0].fname).name, g[2]) for g in glyphs]
            return original_glyphs(self, gc, x, y, angle, glyphs, boxes)

        monkeypatch.setattr(RendererAgg, "_draw_text_glyphs_and_boxes", glyphs_and_boxes)
    return calls


def render(label: str, font: Path) -> None:
    """Draw *label* (already prepared, or deliberately not) with Agg, from the file *font*."""
    fig = Figure(figsize=(4, 1))
    fig.text(0.5, 0.5, label, fontproperties=FontProperties(fname=font), ha="center")
    fig.savefig(io.BytesIO(), format="png")


def draw_lines(label: str, font: Path, drawn: list[dict]) -> list[dict]:
    """Draw *label* through :func:`charts.prepare_text`; return the draw_text calls."""
    drawn.clear()
    render(charts.prepare_text(label), font)
    return list(drawn)


def test_detects_capability_not_version():
    import matplotlib.ft2font

    assert SHAPES == hasattr(matplotlib.ft2font, "__libraqm_version__")


@pytest.mark.legacy_ok
@pytest.mark.parametrize(("text", "runs"), CASES, ids=[c[0] for c in CASES])
def test_dejavu_glyphs_match_harfbuzz(text, runs, drawn):
    """DejaVu Sans on both paths: its GSUB forms are the Unicode presentation forms,
    so the 3.10 path must reproduce HarfBuzz's glyphs exactly."""
    calls = draw_lines(text, DEJAVU, drawn)
    assert len(calls) == 1 and not calls[0]["ismath"]
    assert calls[0]["glyphs"] == harfbuzz_glyphs(runs, DEJAVU)


@pytest.mark.legacy_ok
def test_multiline_each_line_shaped_and_ordered(drawn):
    text, line_runs = MULTILINE
    calls = draw_lines(text, DEJAVU, drawn)
    assert [c["glyphs"] for c in calls] == [harfbuzz_glyphs(r, DEJAVU) for r in line_runs]


@pytest.mark.skipif(not SHAPES, reason="needs matplotlib with libraqm")
@pytest.mark.parametrize(
    ("text", "runs"), [*CASES, MARK_LIGATURE_CASE], ids=[c[0] for c in [*CASES, MARK_LIGATURE_CASE]]
)
def test_amiri_glyphs_match_harfbuzz(text, runs, drawn):
    """Amiri (the charts' font): with libraqm, every contextual form, ligature and
    mark glyph must be the one HarfBuzz picks."""
    calls = draw_lines(text, AMIRI, drawn)
    assert len(calls) == 1 and not calls[0]["ismath"]
    assert calls[0]["glyphs"] == harfbuzz_glyphs(runs, AMIRI)


@pytest.mark.skipif(not SHAPES, reason="needs matplotlib with libraqm")
def test_mark_ligature_dejavu(drawn):
    text, runs = MARK_LIGATURE_CASE
    assert draw_lines(text, DEJAVU, drawn)[0]["glyphs"] == harfbuzz_glyphs(runs, DEJAVU)


@pytest.mark.skipif(SHAPES, reason="the reshaping path only")
@pytest.mark.legacy_ok
@pytest.mark.parametrize(("text", "runs"), CASES, ids=[c[0] for c in CASES])
def test_amiri_reshaped_has_every_glyph(text, runs, drawn):
    """On 3.10 Amiri draws its presentation-form glyphs (which differ from its own
    calligraphic GSUB output, so ids cannot be compared): none may be missing, and
    Amiri itself must supply every one (no fallback to another font)."""
    calls = draw_lines(text, AMIRI, drawn)
    glyphs = calls[0]["glyphs"]
    assert glyphs and all(gid != 0 for _, gid in glyphs)
    assert {name for name, _ in glyphs} == {"Amiri-Regular.ttf"}


@pytest.mark.skipif(not SHAPES, reason="shows the old recipe breaking on matplotlib with libraqm")
def test_old_recipe_is_reversed_on_libraqm(drawn):
    """get_display(reshape(s)) on top of libraqm draws the word backwards: the glyph
    sequence is exactly the reverse of HarfBuzz's (DejaVu maps each presentation
    form to the same glyph its GSUB produces)."""
    word = "الشعب"
    reshaper = arabic_reshaper.ArabicReshaper(
        configuration={"delete_harakat": False, "use_unshaped_instead_of_isolated": True}
    )
    naive = bidi.get_display(reshaper.reshape(word))
    drawn.clear()
    render(naive, DEJAVU)
    expected = harfbuzz_glyphs([(word, "rtl")], DEJAVU)
    assert drawn[0]["glyphs"] == expected[::-1]
    assert drawn[0]["glyphs"] != expected
    # …while the helper's output for the same word is drawn correctly.
    assert draw_lines(word, DEJAVU, drawn)[0]["glyphs"] == expected


@pytest.mark.legacy_ok
def test_unescaped_dollars_would_be_mathtext(drawn):
    """Without the helper's escaping, two dollar signs send the label to mathtext."""
    drawn.clear()
    render("سعر $5 أو $6", DEJAVU)
    assert drawn[0]["ismath"] is True
    assert draw_lines("سعر $5 أو $6", DEJAVU, drawn)[0]["ismath"] is False


@pytest.mark.legacy_ok
def test_bidi_override_cannot_reverse_label(drawn):
    """A right-to-left override (U+202E) and an LRI/PDI pair are removed with a warning;
    the word is drawn exactly as without them."""
    with pytest.warns(TextWarning, match="bidi control"):
        calls = draw_lines("\u202eالشعب\u202c \u2066UN\u2069", DEJAVU, drawn)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        expected = harfbuzz_glyphs([("UN", "ltr"), (" ", "rtl"), ("الشعب", "rtl")], DEJAVU)
    assert calls[0]["glyphs"] == expected


def chart_lines(drawn: list[dict]) -> list[dict]:
    """Draw a frame-counts chart (bilingual labels of three frames) and return the
    ``draw_text`` calls of its Arabic lines."""
    sys.path.insert(0, str(Path(__file__).parent))
    import test_charts

    fig = test_charts.CHARTS["frame-counts"]()
    drawn.clear()
    with charts.chart_style():
        fig.savefig(io.BytesIO(), format="png")
    arabic = re.compile("[\u0600-\u06ff\ufb50-\ufdff\ufe70-\ufeff]")
    return [c for c in drawn if arabic.search(c["s"])]


@pytest.mark.skipif(not SHAPES, reason="needs matplotlib with libraqm")
def test_chart_labels_drawn_as_harfbuzz_shapes_them(drawn):
    """In a chart (pinned Amiri, wrapped labels), each Arabic line is drawn with the
    glyphs HarfBuzz gives for that line, right to left, from the pinned file."""
    lines = chart_lines(drawn)
    expected = {"الاستعمار والاحتلال", "تقرير المصير والاستقلال والتحرير", "التضامن والتأييد"}
    assert {c["s"] for c in lines} >= expected
    for call in lines:
        assert call["glyphs"] == harfbuzz_glyphs([(call["s"], "rtl")], AMIRI), call["s"]


@pytest.mark.skipif(SHAPES, reason="the reshaping path only")
@pytest.mark.legacy_ok
def test_chart_labels_reshaped_from_amiri_without_missing_glyphs(drawn):
    lines = chart_lines(drawn)
    assert len(lines) >= 3
    for call in lines:
        assert call["glyphs"] and all(gid != 0 for _, gid in call["glyphs"])
        assert {name for name, _ in call["glyphs"]} == {"Amiri-Regular.ttf"}
