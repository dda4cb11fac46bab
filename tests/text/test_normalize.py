"""Normalization steps, offset maps and the warnings for invisible repairs.

Expected strings are written by hand from the Unicode charts (code points in the
comments), not taken from the code's output.
"""

from __future__ import annotations

import warnings

import pytest

from analysis.engine import analyse_text
from analysis.errors import TextWarning
from analysis.text.normalize import (
    describe_repairs,
    fold_teh_marbuta,
    normalize,
    normalize_word,
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        # diacritics: fatha/shadda/kasra/tanwin/sukun removed
        ("خَلَّفَتْ", "خلفت"),
        ("كِتَابٌ", "كتاب"),
        # dagger alef U+0670 removed
        ("هٰذا", "هذا"),
        # tatweel, any run length
        ("جيـــــــد", "جيد"),
        # alef forms أ إ آ ٱ → ا, but hamza on its own, on waw and on ya kept
        ("إسبانيا", "اسبانيا"),
        ("الأمم", "الامم"),
        ("آمال", "امال"),
        ("ٱلله", "الله"),
        ("مسؤول شيء رئيس", "مسؤول شيء رئيس"),
        # alef maqsura → ya
        ("إلى مصطفى", "الي مصطفي"),
        # Persian/Urdu: ی U+06CC → ي, ک U+06A9 → ك, ہ U+06C1 → ه, ے U+06D2 → ي
        ("کتاب فارسی", "كتاب فارسي"),
        ("ہے", "هي"),
        # Arabic-Indic U+0660.. and Persian U+06F0.. digits → ASCII
        ("٢٠٠٩ و۱۹۵۴", "2009 و1954"),
        # presentation forms: ﻻ U+FEFB → لا (two letters), ﺑﺴﻢ → بسم, ﻷ U+FEF7 → لا
        ("ﻻ", "لا"),
        ("ﺑﺴﻢ", "بسم"),
        ("ﻷ", "لا"),
        # phrase ligature ﷺ kept (would become four words)
        ("ﷺ", "ﷺ"),
        # teh marbuta is NOT folded by normalize
        ("شعبة شعبه", "شعبة شعبه"),
    ],
)
def test_steps(raw, expected):
    assert normalize(raw).text == expected
    assert normalize_word(raw) == expected


def test_invisible_controls_removed_and_zwsp_is_a_space():
    # U+202B RLE … U+202C PDF, U+2067 RLI … U+2069 PDI, U+200F RLM, U+200D ZWJ
    raw = "\u202bنص\u202c \u2067كلمة\u2069\u200f م\u200dن a\u200bb"
    assert normalize(raw).text == "نص كلمة من a b"


def test_pyarabic_hamza_pitfall_avoided():
    # pyarabic.araby.normalize_hamza("إسبانيا") gives "ءسبانيا"; ours keeps a letter.
    import pyarabic.araby as araby

    assert araby.normalize_hamza("إسبانيا") == "ءسبانيا"
    assert normalize_word("إسبانيا") == "اسبانيا"


def test_fold_teh_marbuta_is_separate():
    assert fold_teh_marbuta("شعبة") == "شعبه"
    assert fold_teh_marbuta(normalize_word("القضيّة")) == "القضيه"


def test_idempotent_on_mixed_text():
    raw = "ﻷنّ الـــعَرَبِيّة ٣ ی\u202a"
    once = normalize(raw).text
    assert normalize(once).text == once


def test_offset_map_spans_whole_written_word():
    raw = "كِتَابٌ جَدِيدٌ"
    n = normalize(raw)
    assert n.text == "كتاب جديد"
    # normalized "جديد" is [5, 9); in the original it starts at 7 (after
    # 4 letters + 3 marks + space) and ends after the final tanwin (len = 15).
    assert n.span(5, 9) == (8, 15)
    assert raw[8:15] == "جَدِيدٌ"
    assert n.span(0, 4) == (0, 7)


def test_offset_map_with_ligature():
    raw = "ﻷنه"  # 1 ligature + 2 letters → "لانه" (4 chars)
    n = normalize(raw)
    assert n.text == "لانه"
    assert n.span(0, 4) == (0, 3)
    assert n.span(2, 4) == (1, 3)


@pytest.mark.parametrize(
    ("raw", "fragment"),
    [
        ("كلمة\u202eمقلوبة", "bidi control"),
        ("كلمة\u2066معزولة\u2069", "bidi control"),
        ("كل\u200cمة", "zero-width"),
        ("كلمة\u200bكلمة", "zero-width"),
        ("کتاب", "Persian/Urdu"),
        ("ﺑﺴﻢ", "presentation-form"),
        ("جميـــــل", "tatweel"),
    ],
)
def test_repairs_are_described_and_warned(raw, fragment):
    messages = describe_repairs(raw)
    assert any(fragment in m for m in messages), messages
    with pytest.warns(TextWarning, match=fragment):
        tables = analyse_text(raw, "hostile")
    for row in tables.tokens.itertuples():
        assert raw[row.start : row.end] == row.surface


@pytest.mark.parametrize(
    "raw",
    [
        "الْعَرَبِيَّةُ لُغَةٌ جَمِيلَةٌ",  # full diacritics: normal typography, silent
        "عام ٢٠٠٩",  # Arabic-Indic digits: silent
        "جيـد",  # a single tatweel: silent
    ],
)
def test_ordinary_typography_is_silent(raw):
    assert describe_repairs(raw) == []
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        analyse_text(raw, "quiet")


def test_full_diacritics_tokens_keep_written_form():
    raw = "الْعَرَبِيَّةُ لُغَةٌ جَمِيلَةٌ."
    t = analyse_text(raw, "d").tokens
    assert t.surface.tolist() == ["الْعَرَبِيَّةُ", "لُغَةٌ", "جَمِيلَةٌ", "."]
    assert t.normalized.tolist() == ["العربية", "لغة", "جميلة", "."]


def test_digits_become_number_tokens():
    t = analyse_text("في عام ٢٠٠٩ و ۱۹۵۴", "d").tokens
    numbers = t[t.kind == "number"]
    assert numbers.surface.tolist() == ["٢٠٠٩", "۱۹۵۴"]
    assert numbers.normalized.tolist() == ["2009", "1954"]


def test_presentation_forms_tokenized_as_words():
    t = analyse_text("ﺑﺴﻢ ﺍﻟﻠﻪ", "d", warn=False).tokens
    assert t.normalized.tolist() == ["بسم", "الله"]
    assert t.surface.tolist() == ["ﺑﺴﻢ", "ﺍﻟﻠﻪ"]
