"""Word classes, sentence guards and names that are not frames, on sentences read by hand."""

from __future__ import annotations

from pathlib import Path

import pytest

from analysis.engine import analyse_text
from analysis.errors import LexiconError
from analysis.lexicon import guard_exclusions, load_frame_lexicon, match_frames

DECL = (
    "frame,label_en,label_ar,description,source\n"
    "solidarity,Solidarity,تضامن,backing,test\n"
    "self_determination,Self-determination,تقرير المصير,claim,test\n"
)


def lexicon(tmp_path: Path, rows: list[str], classes: dict[str, str] | None = None,
            names: str = ""):  # fmt: skip
    (tmp_path / "frames.csv").write_text(DECL, encoding="utf-8")
    (tmp_path / "frame_terms.csv").write_text(
        "frame,term,gloss,match,suffixes,guard,note\n" + "".join(r + "\n" for r in rows),
        encoding="utf-8",
    )
    (tmp_path / "wordclasses").mkdir(exist_ok=True)
    for name, words in (classes or {}).items():
        (tmp_path / "wordclasses" / f"{name}.txt").write_text(words, encoding="utf-8")
    if names:
        (tmp_path / "not_frames.csv").write_text("name,gloss,note\n" + names, encoding="utf-8")
    return load_frame_lexicon(tmp_path)


def surfaces(text: str, lex) -> list[str]:
    return match_frames(analyse_text(text, "t"), lex)["surface"].tolist()


def test_a_word_class_guard_fires_on_any_word_of_the_class(tmp_path: Path) -> None:
    lex = lexicon(tmp_path, ["solidarity,دعم,support,bare,,next2:@economy,"],
                  {"economy": "# objects of subsidies\nالأسعار\nالمشاريع\n"})  # fmt: skip
    # political backing counts; support of prices and of projects does not
    text = "أعلن دعم الشعب. وقرر دعم الأسعار. وتواصل دعم هذه المشاريع."
    assert surfaces(text, lex) == ["دعم"]
    excluded = guard_exclusions(analyse_text(text, "t"), lex)
    assert excluded["guard_word"].tolist() == ["الأسعار", "المشاريع"]


def test_a_sentence_guard_looks_at_the_whole_sentence_only(tmp_path: Path) -> None:
    lex = lexicon(tmp_path, ["solidarity,يدعم,supports,bare,,sentence:@technology,"],
                  {"technology": "التطبيق\n"})  # fmt: skip
    text = "وأضاف أن التطبيق الجديد سهل، كما يدعم الكتابة اليدوية. والبلد يدعم الشعب."
    assert surfaces(text, lex) == ["يدعم"]
    hits = match_frames(analyse_text(text, "t"), lex)
    assert hits["sentence"].tolist() == [1]


def test_an_only_guard_counts_a_word_only_with_one_of_its_words_in_scope(tmp_path: Path) -> None:
    lex = lexicon(tmp_path, ["self_determination,مهاجر,migrant,bare,ين,only sentence:@distress,"],
                  {"distress": "غرق\nإنقاذ\n"})  # fmt: skip
    # migrants who drowned or were rescued count; migrants as a statistic do not
    text = "أعلنت البحرية غرق 11 مهاجرا. ووصل آلاف المهاجرين إلى إيطاليا. وتم إنقاذ المهاجرين."
    assert surfaces(text, lex) == ["مهاجرا", "المهاجرين"]
    assert match_frames(analyse_text(text, "t"), lex)["sentence"].tolist() == [0, 2]
    excluded = guard_exclusions(analyse_text(text, "t"), lex)
    assert excluded["guard"].tolist() == ["only sentence:@distress"]
    assert excluded["guard_word"].tolist() == ["المهاجرين"]  # the candidate itself


def test_an_only_guard_with_a_window_and_an_exclusion_together(tmp_path: Path) -> None:
    lex = lexicon(tmp_path, ["solidarity,دعم,support,bare,,only next:الشعب|القضية; prev:لا,"])
    text = "أعلن دعم الشعب. وأعلن دعم الأسعار. ولا دعم الشعب."
    assert surfaces(text, lex) == ["دعم"]
    excluded = guard_exclusions(analyse_text(text, "t"), lex)
    assert excluded["guard"].tolist() == ["only next:الشعب|القضية", "prev:لا"]


def test_a_word_inside_a_name_is_not_a_frame(tmp_path: Path) -> None:
    lex = lexicon(tmp_path, ["self_determination,تحرير,liberation,bare,,,"],
                  names="منظمة التحرير الفلسطينية,PLO,\n")  # fmt: skip
    text = "قالت منظمة التحرير الفلسطينية إن تحرير الأرض حق."
    assert surfaces(text, lex) == ["تحرير"]
    excluded = guard_exclusions(analyse_text(text, "t"), lex)
    assert excluded["surface"].tolist() == ["التحرير"]
    assert excluded["guard"].tolist() == ["name: منظمة التحرير الفلسطينية"]


def test_unknown_classes_and_bad_names_are_errors(tmp_path: Path) -> None:
    with pytest.raises(LexiconError, match="no word class 'sport'"):
        lexicon(tmp_path, ["solidarity,دعم,support,bare,,sentence:@sport,"])
    with pytest.raises(LexiconError, match="is not prev, next, sentence"):
        lexicon(tmp_path, ["solidarity,دعم,support,bare,,only:الأسعار,"])
    with pytest.raises(LexiconError, match="is not prev, next, sentence"):
        lexicon(tmp_path, ["solidarity,دعم,support,bare,,never sentence:الأسعار,"])
    with pytest.raises(LexiconError, match="a sentence guard takes no window"):
        lexicon(tmp_path, ["solidarity,دعم,support,bare,,sentence3:الأسعار,"])
    with pytest.raises(LexiconError, match="needs two words or more"):
        lexicon(tmp_path, ["solidarity,دعم,support,bare,,,"], names="التحرير,x,\n")
    with pytest.raises(LexiconError, match=r"word class 'economy' can never match.*space"):
        lexicon(tmp_path, ["solidarity,دعم,support,bare,,,"], {"economy": "دعم الأسعار\n"})


def test_the_shipped_classes_and_names_load() -> None:
    lex = load_frame_lexicon()
    assert any(words[:2] == ("منظمة", "التحرير") for words in lex.names)
    guards = [g for gs in lex.entries["guards"] for g in gs if g.direction == "sentence"]
    assert guards, "the shipped lexicon uses sentence guards"
