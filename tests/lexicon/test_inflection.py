"""Inflected forms of lexicon words: dictionary plurals and sound endings, checked by hand."""

from __future__ import annotations

from pathlib import Path

from analysis.engine import analyse_texts
from analysis.lexicon import Matcher, Tokens, load_frame_lexicon
from analysis.lexicon.inflection import attach, inflections
from analysis.text.normalize import normalize_word


def n(word: str) -> str:
    return normalize_word(word)


def test_broken_plurals_come_from_the_dictionary() -> None:
    assert n("قتلى") in inflections(n("قتيل"))
    assert n("سجناء") in inflections(n("سجين"))
    assert n("ضحايا") in inflections(n("ضحية"))
    assert n("حقوق") in inflections(n("حق"))
    assert n("أسرى") in inflections(n("أسير"))


def test_sound_endings_where_the_noun_takes_them() -> None:
    refugee = inflections(n("لاجئ"))
    for form in ("لاجئون", "لاجئين", "لاجئي", "لاجئة", "لاجئات"):
        assert n(form) in refugee
    assert n("مظاهرات") in inflections(n("مظاهرة"))
    # the feminine dual of a participle: الدولتان الداعمتان
    assert n("داعمتان") in inflections(n("داعم"))
    assert n("مظاهرةات") not in inflections(n("مظاهرة"))
    # a masdar takes no sound masculine plural
    assert n("احتجاجون") not in inflections(n("احتجاج"))


def test_the_article_is_kept_and_unknown_words_have_no_forms() -> None:
    assert n("الأسرى") in inflections(n("الأسير"))
    assert inflections("زززز") == ()


def test_attach_writes_teh_marbuta_as_teh_before_an_ending() -> None:
    assert attach("مظاهرة", "ات") == "مظاهرات"
    assert attach("انتفاضة", "ان") == "انتفاضتان"
    assert attach("مستوطن", "ون") == "مستوطنون"


def _lexicon(tmp_path: Path, terms: str) -> Path:
    (tmp_path / "frames.csv").write_text(
        "frame,label_en,label_ar,description,source\n"
        "humanitarian,Humanitarian,إنساني,suffering,test\n",
        encoding="utf-8",
    )
    (tmp_path / "frame_terms.csv").write_text(
        "frame,term,gloss,match,suffixes,guard,note\n" + terms, encoding="utf-8"
    )
    return tmp_path


def test_auto_counts_plural_and_construct_forms_in_a_text(tmp_path: Path) -> None:
    folder = _lexicon(tmp_path, "humanitarian,قتيل,killed person,bare,auto,,\n"
                                "humanitarian,لاجئ,refugee,bare,auto,,\n")  # fmt: skip
    text = "سقط عشرات القتلى. وعاد لاجئو المخيم، ومعهم قتيل واحد ولاجئات."
    tables = analyse_texts([("d", text)])
    hits = (
        Matcher(load_frame_lexicon(folder))
        .match(Tokens.of(tables.tokens), tables.vocabulary.types, tables.quotes)
        .hits
    )
    assert sorted(hits["surface"]) == sorted(["القتلى", "لاجئو", "قتيل", "ولاجئات"])


def test_a_generated_form_written_elsewhere_belongs_to_that_row(tmp_path: Path) -> None:
    folder = _lexicon(tmp_path, "humanitarian,سجين,prisoner,bare,auto,,\n"
                                "humanitarian,سجناء,prisoners,bare,,,\n")  # fmt: skip
    entries = load_frame_lexicon(folder).entries.set_index("term")
    assert (n("سجناء"),) not in entries.loc["سجين", "forms"]
    assert entries.loc["سجناء", "forms"] == ((n("سجناء"),),)
