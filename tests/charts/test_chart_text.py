"""prepare_text on both paths, bidi controls, mathtext escaping, labels and fonts.

The reshaping path is called explicitly (``shaping=False``) so it is tested on
every matplotlib; expected strings were worked out by hand from the Unicode
presentation-form tables (initial/medial/final/isolated forms of each letter,
``use_unshaped_instead_of_isolated``) and reversed for right-to-left runs.
Code points are written out because visual-order Arabic is unreadable in an
editor.
"""

from __future__ import annotations

import warnings

import pytest
from matplotlib import font_manager

from analysis import charts
from analysis.charts import bilingual_label, fonts, prepare_text
from analysis.errors import TextWarning

pytestmark = pytest.mark.legacy_ok


def cps(s: str) -> list[str]:
    return [f"{ord(c):04X}" for c in s]


@pytest.mark.parametrize(
    ("logical", "visual"),
    [
        # لا: lam + alef -> the isolated lam-alef ligature U+FEFB.
        ("لا", "FEFB"),
        # الأمم: alef (isolated, unshaped 0627); lam + alef-hamza -> ligature, isolated
        # form FEF7 (alef does not join to the left); meem initial FEE3; meem final FEE2.
        # Visual = reversed: FEE2 FEE3 FEF7 0627.
        ("الأمم", "FEE2 FEE3 FEF7 0627"),
        # خلّفت: khah initial FEA7, lam medial FEE0, shadda 0651 kept after lam, feh
        # medial FED4, teh final FE96. Reversed, the shadda precedes its lam.
        ("خلّفت", "FE96 FED4 0651 FEE0 FEA7"),
        # المتحدة: alef 0627, lam initial FEDF, meem medial FEE4, teh medial FE98, hah
        # medial FEA4, dal final FEAA, teh marbuta isolated (dal does not join left) 0629.
        ("المتحدة", "0629 FEAA FEA4 FE98 FEE4 FEDF 0627"),
        # 2009 الجزائر: RTL paragraph, number level 2 -> Arabic (reversed) then space then
        # 2009. الجزائر: alef 0627, lam init FEDF, jeem medial FEA0, zain final FEB0, alef
        # isolated 0627 (zain does not join left), yeh-hamza init FE8B, reh final FEAE.
        ("2009 الجزائر", "FEAE FE8B 0627 FEB0 FEA0 FEDF 0627 0020 0032 0030 0030 0039"),
        # LTR paragraph; the bracket pair resolves R (N0) and is mirrored (L4), so the
        # display shows "(3)" to the left of the reversed Arabic words.
        (
            "UN / الأمم المتحدة (3)",
            "0055 004E 0020 002F 0020 0028 0033 0029 0020 "
            "0629 FEAA FEA4 FE98 FEE4 FEDF 0627 0020 FEE2 FEE3 FEF7 0627",
        ),
        # Two lines, each its own paragraph: سطر (seen init FEB3, tah medial FEC4, reh
        # final FEAE) reversed; the newline stays between the lines (python-bidi's
        # get_display would move it to the front).
        ("سطر\nline (2)", "FEAE FEC4 FEB3 000A 006C 0069 006E 0065 0020 0028 0032 0029"),
        # سعر $5: 5 after Arabic is AN (W2), "$" resolves R: visual 5, $, space, سعر
        # (seen init FEB3, ain medial FECC, reh final FEAE) — and "$" escaped as "\$".
        ("سعر $5", "0035 005C 0024 0020 FEAE FECC FEB3"),
        # Latin only: unchanged.
        ("Frames (n = 12)", " ".join(cps("Frames (n = 12)"))),
    ],
)
def test_reshaping_path(logical, visual):
    assert cps(prepare_text(logical, shaping=False)) == visual.split()


@pytest.mark.parametrize("logical", ["الأمم المتحدة (3)", "سطر\nline", "خلّفت", "2009 الجزائر"])
def test_shaping_path_passes_logical_string_through(logical):
    assert prepare_text(logical, shaping=True) == logical


def test_default_path_follows_capability():
    import matplotlib.ft2font

    shaping = hasattr(matplotlib.ft2font, "__libraqm_version__")
    assert prepare_text("الأمم") == prepare_text("الأمم", shaping=shaping)


@pytest.mark.parametrize("shaping", [True, False])
def test_dollars_escaped_on_both_paths(shaping):
    out = prepare_text("cost $5 or $6", shaping=shaping)
    assert out == r"cost \$5 or \$6"


@pytest.mark.parametrize("shaping", [True, False])
@pytest.mark.parametrize(
    "control",
    [
        "\u202a",
        "\u202b",
        "\u202c",
        "\u202d",
        "\u202e",
        "\u2066",
        "\u2067",
        "\u2068",
        "\u2069",
        "\u200e",
        "\u200f",
        "\u061c",
    ],
)
def test_bidi_controls_removed_with_warning(control, shaping):
    with pytest.warns(TextWarning, match="1 bidi control"):
        out = prepare_text(control + "الشعب", shaping=shaping)
    assert out == prepare_text("الشعب", shaping=shaping)


def test_clean_text_gives_no_warning():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        prepare_text("الشعب الصحراوي (2009)")


def test_non_string_input():
    assert prepare_text(12, shaping=False) == "12"


def test_bilingual_label():
    assert bilingual_label("التضامن", "solidarity") == "التضامن\nsolidarity"
    assert bilingual_label("التضامن", None) == "التضامن"
    assert bilingual_label("التضامن", float("nan")) == "التضامن"
    assert bilingual_label("التضامن", "") == "التضامن"


def test_amiri_registered_from_installed_package():
    files = fonts.amiri_font_files()
    assert files and all(p.is_file() and "fontpkg_amiri" in str(p) for p in files)
    families = fonts.register_fonts()
    assert families[0] == "Amiri" and "DejaVu Sans" in families
    assert fonts.font_file("Amiri").name == "Amiri-Regular.ttf"
    # Amiri covers Arabic, its presentation forms, Latin, digits and brackets.
    assert fonts.covers(
        fonts.font_file("Amiri"), fonts.ARABIC_PROBE + fonts.PRESENTATION_PROBE + "Ab09()[]|/"
    )


def test_style_uses_registered_families():
    style = charts.arabic_style()
    assert style["font.family"][:2] == ["Amiri", "DejaVu Sans"]


def test_warns_when_no_arabic_font(monkeypatch):
    """With Amiri missing and only Latin fonts (DejaVu Serif, STIX: no Arabic letters;
    checked with covers()) in the list, registration warns."""
    monkeypatch.setattr(fonts, "amiri_font_files", lambda: [])
    monkeypatch.setattr(fonts, "PRIMARY_FAMILY", "No Such Family")
    monkeypatch.setattr(fonts, "FALLBACK_FAMILIES", ("DejaVu Serif", "STIXGeneral"))
    fonts.register_fonts.cache_clear()
    try:
        assert not fonts.covers(font_manager.findfont("DejaVu Serif"), "ب")
        with pytest.warns(fonts.FontWarning, match="no Arabic-capable font"):
            families = fonts.register_fonts()
        assert families == ("DejaVu Serif", "STIXGeneral")
    finally:
        fonts.register_fonts.cache_clear()


def test_arabic_capable_family_moved_first(monkeypatch):
    monkeypatch.setattr(fonts, "amiri_font_files", lambda: [])
    monkeypatch.setattr(fonts, "PRIMARY_FAMILY", "DejaVu Serif")
    monkeypatch.setattr(fonts, "FALLBACK_FAMILIES", ("DejaVu Sans",))
    fonts.register_fonts.cache_clear()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            assert fonts.register_fonts() == ("DejaVu Sans", "DejaVu Serif")
    finally:
        fonts.register_fonts.cache_clear()
