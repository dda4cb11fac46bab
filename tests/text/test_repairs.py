"""Run-together repairs on single words, each decided by reading (docs/annotation.md, Layer 5)."""

from __future__ import annotations

import pytest

from analysis.errors import ConfigError
from analysis.text.data import LanguageData, default_data, read_repair_settings
from analysis.text.normalize import normalize_word
from analysis.text.repair import split_surface


def pieces(word: str, data: LanguageData | None = None) -> list[str]:
    """The written pieces a word is split into ([] when it stays whole)."""
    data = data or default_data()
    return [word[a:b] for a, b in split_surface(word, normalize_word(word), data)]


def test_words_that_lost_a_space_are_split():
    # Each lost space is shown by the spelling: ة and ى only end words, أ/إ and
    # the article only begin them.
    expected = {
        "الأممالمتحدة": ["الأمم", "المتحدة"],
        "الإيطاليةالجديدة": ["الإيطالية", "الجديدة"],
        "إلىتعزيز": ["إلى", "تعزيز"],
        "وقفإطلاق": ["وقف", "إطلاق"],
        "أوالشراكة": ["أو", "الشراكة"],
        # a word glued to a number (the guidelines count it as run together)
        "يلي7": ["يلي", "7"],
        "من350": ["من", "350"],
        "4آذار": ["4", "آذار"],
        "نحو9.6": ["نحو", "9.6"],
    }
    assert {word: pieces(word) for word in expected} == expected


def test_inflected_words_names_and_conventions_stay_whole():
    whole = [
        # a known stem with an ending or a pronoun: inflected, not run together
        "الداعمتان",  # الداعم + تان (dual feminine)
        "يبرران",  # يبرر + ان (dual verb)
        "الحوثيان",  # الحوثي + ان
        "وسفروهم",  # سفروا + هم, the alef of وا dropped before the pronoun
        # names and transliterations: no spelling shows a boundary inside them
        "شينشار",
        "فيكوريا",
        "بنجامان",
        "ولدلايف",
        "ديمافيليس",
        "البولساريو",
        "منافاسات",  # a misspelling of منافسات
        "العالفين",  # a misspelling of العالقين: الع (the article and one letter) is no word
        # the ال inside a name is not the article
        "شامالوف",
        # a name link joined to the name by convention
        "عبدالخبير",
        "وأبوالبشر",
        # a clitic, the article or an abbreviation written with a number
        "بـ3.1",
        "الـ37",
        "2017م",
        # a hashtag keeps its underscore
        "مهرجان_القاهرة",
    ]
    assert {word: pieces(word) for word in whole} == {word: [] for word in whole}


def test_repair_settings_are_read_from_config(tmp_path):
    # With at most two pieces, the three-word الولاياتالمتحدةالأمريكية stays whole.
    (tmp_path / "repair_settings.csv").write_text(
        "name,value,meaning\nmax_parts,2,two words at most\n", encoding="utf-8"
    )
    data = LanguageData.load(config_dir=tmp_path)
    assert data.repair_settings.max_parts == 2
    assert data.repair_settings.min_zipf == 3.0  # not in the file: the default
    assert pieces("الولاياتالمتحدةالأمريكية", data) == []
    assert pieces("الولاياتالمتحدةالأمريكية") == ["الولايات", "المتحدة", "الأمريكية"]


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ("max_parts,two,x\n", "needs a number"),
        ("min_parts,2,x\n", "unknown setting"),
        ("min_zipf,-1,x\n", "cannot be negative"),
    ],
)
def test_bad_repair_settings_name_file_and_line(tmp_path, rows, message):
    path = tmp_path / "repair_settings.csv"
    path.write_text("name,value,meaning\nmin_length,6,ok\n" + rows, encoding="utf-8")
    with pytest.raises(ConfigError, match=message) as error:
        read_repair_settings(path)
    assert "line 3" in str(error.value)
