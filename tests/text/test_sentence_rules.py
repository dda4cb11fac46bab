"""Sentence ends on small texts, each worked out by reading (docs/annotation.md, Layer 1)."""

from __future__ import annotations

import pytest

from analysis.engine import analyse_text


def sentences(text: str) -> list[str]:
    return analyse_text(text, "s", warn=False).sentences.text.tolist()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # "لذا" (therefore) carries the sentence on after the pause; "أنفي" (I deny)
        # starts a new one, so that ellipsis ends its sentence.
        (
            "أساء إلى النادي ومجلس إدارته.. لذا لا يستحقون العضوية. هذا كذب.. أنفي ذلك.",
            ["أساء إلى النادي ومجلس إدارته.. لذا لا يستحقون العضوية.", "هذا كذب..", "أنفي ذلك."],
        ),
        # A word with the conjunction و goes on too, whatever the ellipsis is written
        # with; after a closing quotation mark the end is after the mark, and
        # after a run of terminators (!!..) after the whole run.
        (
            'نعمل مشكل… وما راح نعمل مشكل. قال "كفى.." ثم غادر. يا للعجب!!.. والله أعلم.',
            [
                "نعمل مشكل… وما راح نعمل مشكل.",
                'قال "كفى.."',
                "ثم غادر.",
                "يا للعجب!!..",
                "والله أعلم.",
            ],
        ),
        # A comma after the dots: the sentence has not ended.
        ("قرأ الكتب...، ثم نام.", ["قرأ الكتب...، ثم نام."]),
        # An omission between brackets inside a statement.
        (
            "ما بدر من رئيس النادي (..) وقد وجدته اللجنة مخالفا.",
            ["ما بدر من رئيس النادي (..) وقد وجدته اللجنة مخالفا."],
        ),
    ],
)
def test_an_ellipsis_ends_a_sentence_only_when_a_new_one_follows(text, expected):
    assert sentences(text) == expected


def test_dots_inside_numbers_never_end_a_sentence():
    # Decimal after a clitic, a date, the Arabic decimal separator and percent sign:
    # one sentence each up to its full stop.
    text = "بلغت الثروة بـ3.1 مليار في 15.04.2018 بنسبة ٣٫٥٪ فقط. وهذا كثير"
    assert sentences(text) == ["بلغت الثروة بـ3.1 مليار في 15.04.2018 بنسبة ٣٫٥٪ فقط.", "وهذا كثير"]


def test_abbreviations_and_web_addresses_are_not_ends():
    text = "وقال د. محمد علي إن وكالة د.ب.أ نقلت الخبر عن موقع CNN.com أمس. ثم سكت."
    assert sentences(text) == [
        "وقال د. محمد علي إن وكالة د.ب.أ نقلت الخبر عن موقع CNN.com أمس.",
        "ثم سكت.",
    ]


def test_a_one_letter_word_ends_its_sentence_at_a_line_break():
    # "د." before a name is a title; "ج." at the end of a line ends the sentence there.
    assert sentences("قال د. خالد إن الحالة بلغت المستوى ج.\nونقلت الوكالة الخبر") == [
        "قال د. خالد إن الحالة بلغت المستوى ج.",
        "ونقلت الوكالة الخبر",
    ]


def test_the_number_of_a_list_item_is_not_an_end():
    # "1." and "2." begin their lines: list numbers. "2." after a word ends a sentence.
    text = "نصائح للمقابلة:\n1. فكر مليا في الإجابة\n2.اطلب توضيحا\nوعددها 2. ثم انتهى"
    assert sentences(text) == [
        "نصائح للمقابلة:",
        "1. فكر مليا في الإجابة",
        "2.اطلب توضيحا",
        "وعددها 2.",
        "ثم انتهى",
    ]
