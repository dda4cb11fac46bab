"""The attribution verbs' forms (analysis.text.verbs) and the files that give them.

Expected forms are the third-person forms of Modern Standard Arabic, written out
by hand from the grammar, not from the code.
"""

from __future__ import annotations

import pytest

from analysis.engine import analyse_text
from analysis.errors import LexiconError
from analysis.text.data import read_speech_verbs, read_word_classes
from analysis.text.normalize import normalize_word
from analysis.text.verbs import conjugate, recognize


def forms(*row: str, **kwargs) -> set[str]:
    return set(conjugate(*row, **kwargs))


def test_a_sound_verb_has_its_third_person_forms() -> None:
    made = forms("وصف", "يصف", "واصفا", "evaluate")
    expected = {"وصف", "وصفت", "وصفوا", "يصف", "تصف", "يصفون", "واصفا", "واصفة", "واصفين"}
    assert expected <= made


def test_a_defective_verb_drops_its_last_letter() -> None:
    made = forms("دعا", "يدعو", "داعيا", "evaluate")
    assert {"دعت", "دعوا", "تدعو", "يدعون", "داعية", "داعين"} <= made
    assert not {"دعات", "دعاوا", "يدعوون", "داعيين"} & made


def test_the_dual_past_and_excluded_forms_are_not_made() -> None:
    # ردا is also the accusative of the noun رد; مطالبة is the noun 'demand'
    assert "ردا" not in forms("رد", "يرد", "", "say")
    made = forms("طالب", "يطالب", "مطالبا", "evaluate", exclude=["مطالبة"])
    assert "مطالبة" not in made and "مطالبا" in made


@pytest.mark.parametrize(
    ("word", "lemma", "gender"),
    [
        ("وصفتها", "وصف", "f"),  # و + وصفت + ها
        ("اتهمه", "اتهم", "m"),
        ("وقالت", "قال", "f"),
        ("قائلا", "قال", "m"),
        ("وصفوها", "وصف", ""),  # وصفوا + ها: the alef of وا is not written
    ],
)
def test_a_written_word_is_recognised_with_its_clitics(word, lemma, gender) -> None:
    verbs = forms_of_project()
    found = recognize(normalize_word(word), verbs)
    assert found is not None
    assert (found[1].lemma, found[1].gender) == (normalize_word(lemma), gender)


def forms_of_project():
    from analysis.text.data import default_data

    return default_data().speech_verbs


def test_an_ambiguous_form_is_a_verb_only_before_its_required_word() -> None:
    # بين before أن is the verb 'showed'; before a noun it is 'between'
    q = analyse_text("وبين الوزير أن «الموازنة ستقر قريبا».", "t").quotes
    assert list(zip(q.kind, q.verb, q.speaker, strict=True)) == [("speech", "بين", "الوزير")]
    q = analyse_text("ووقع الاتفاق بين «حماس» و«فتح».", "t").quotes
    assert list(q.kind) == ["term", "term"] and list(q.verb) == ["", ""]


def test_a_form_may_require_one_of_several_words() -> None:
    # نقل before أن (or عن) relays; the bare form after a noun is the noun 'transfer'
    q = analyse_text("ونقلت صحيفة الغد أن الوزيرة «رفضت الطلب بشدة».", "t").quotes
    assert list(q.verb) == ["نقلت"]
    q = analyse_text("وصوت البرلمان على مشروع نقل السفارة بعد أن «رحب الجميع بالفكرة».", "t")
    assert list(q.quotes.verb) == [""]


def test_the_verb_table_is_checked(tmp_path) -> None:
    path = tmp_path / "speech_verbs.csv"
    path.write_text(
        "past,present,participle,class,requires,exclude,gloss\n"
        "قال,يقول,قائلا,say,,,said\n"
        "زعم,يزعم,زاعما,claim,,,claimed\n",
        encoding="utf-8",
    )
    with pytest.raises(LexiconError, match="line 3"):
        read_speech_verbs(path)


def test_the_word_classes_are_checked(tmp_path) -> None:
    path = tmp_path / "attribution_words.csv"
    path.write_text("word,class,gloss\nالرئيس,title,t\nفي,preposition,p\n", encoding="utf-8")
    classes, _ = read_word_classes(path)
    assert "رئيس" in classes["title"]  # stored without the article
    path.write_text("word,class,gloss\nالرئيس,titles,t\n", encoding="utf-8")
    with pytest.raises(LexiconError, match="line 2"):
        read_word_classes(path)
