"""Validation of the frame/actor lexicons: one test per kind of malformed file.

Each test writes a small lexicon into a temporary directory with exactly one
problem on a known line and checks that loading fails with a LexiconError whose
message names the file, that line and the problem.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from analysis.errors import AnalysisError, LexiconError
from analysis.lexicon.schema import (
    ACTORS,
    FRAMES,
    load_actor_lexicon,
    load_frame_lexicon,
    load_lexicon,
    match_key,
)

DECLARATIONS = (
    "frame,label_en,label_ar,description,source\n"
    "colonialism,Colonialism,الاستعمار,d,s\n"
    "solidarity,Solidarity,التضامن,d,s\n"
)
HEADER = "frame,term,gloss,match,suffixes,guard,note\n"
GOOD_ROWS = [
    "colonialism,استعمار,colonialism,bare,,,\n",  # line 2
    "solidarity,تضامن,solidarity,bare,,,\n",  # line 3
]


def write(tmp_path: Path, rows: list[str], header: str = HEADER, decl: str = DECLARATIONS) -> Path:
    (tmp_path / "frames.csv").write_text(decl, encoding="utf-8")
    (tmp_path / "frame_terms.csv").write_text(header + "".join(rows), encoding="utf-8")
    return tmp_path


def fails(directory: Path, line: int | None, *phrases: str, file: str = "frame_terms.csv") -> str:
    with pytest.raises(LexiconError) as info:
        load_frame_lexicon(directory)
    message = str(info.value)
    assert file in message
    assert info.value.path is not None and info.value.path.endswith(file)
    if line is not None:
        assert f"line {line}:" in message
        assert info.value.line == line
    for phrase in phrases:
        assert phrase in message, message
    return message


def test_a_well_formed_small_lexicon_loads(tmp_path: Path) -> None:
    lex = load_frame_lexicon(write(tmp_path, GOOD_ROWS))
    assert list(lex.entries["term"]) == ["استعمار", "تضامن"]
    assert list(lex.entries["line"]) == [2, 3]
    assert list(lex.entries["entry_id"]) == ["colonialism/استعمار", "solidarity/تضامن"]
    assert list(lex.categories["frame"]) == ["colonialism", "solidarity"]


def test_missing_column(tmp_path: Path) -> None:
    header = "frame,term,match,suffixes,guard,note\n"  # no gloss
    rows = ["colonialism,استعمار,bare,,,\n"]
    fails(write(tmp_path, rows, header=header), 1, "missing column", "'gloss'")


def test_missing_column_in_declarations(tmp_path: Path) -> None:
    decl = "frame,label_en,description,source\ncolonialism,Colonialism,d,s\n"  # no label_ar
    fails(write(tmp_path, GOOD_ROWS, decl=decl), 1, "'label_ar'", file="frames.csv")


def test_empty_term(tmp_path: Path) -> None:
    rows = [*GOOD_ROWS, "solidarity,,support,bare,,,\n"]  # line 4
    fails(write(tmp_path, rows), 4, "empty term")


def test_term_of_diacritics_only_is_empty(tmp_path: Path) -> None:
    rows = [*GOOD_ROWS, "solidarity,\u064e\u0651,support,bare,,,\n"]  # fatha+shadda, line 4
    fails(write(tmp_path, rows), 4, "empty term")


def test_unknown_frame(tmp_path: Path) -> None:
    rows = [GOOD_ROWS[0], "solidarty,تأييد,support,bare,,,\n"]  # misspelt, line 3
    message = fails(write(tmp_path, rows), 3, "unknown frame 'solidarty'")
    assert "colonialism, solidarity" in message  # says which frames exist


def test_duplicate_entry(tmp_path: Path) -> None:
    rows = [*GOOD_ROWS, "colonialism,استعمار,colonialism again,bare,,,\n"]  # line 4
    fails(write(tmp_path, rows), 4, "duplicate entry", "line 2")


def test_duplicate_after_normalization(tmp_path: Path) -> None:
    # أ and ا normalize to the same letter, so these are the same term to the matcher.
    rows = [
        "solidarity,تأييد,support,bare,,,\n",
        "solidarity,تاييد,support,bare,,,\n",  # line 3
    ]
    fails(write(tmp_path, rows), 3, "duplicate entry", "line 2")


def test_duplicate_through_a_suffix_variant(tmp_path: Path) -> None:
    # متضامن + ة is متضامنة, which line 3 lists again on its own.
    rows = [
        "solidarity,متضامن,in solidarity,bare,ة|ون,,\n",
        "solidarity,متضامنة,in solidarity,bare,,,\n",  # line 3
    ]
    fails(write(tmp_path, rows), 3, "duplicate entry", "line 2")


def test_same_term_in_two_frames_is_a_duplicate(tmp_path: Path) -> None:
    rows = [*GOOD_ROWS, "solidarity,استعمار,colonialism,bare,,,\n"]  # line 4
    fails(write(tmp_path, rows), 4, "duplicate entry", "frame colonialism")


def test_term_in_latin_script(tmp_path: Path) -> None:
    rows = [*GOOD_ROWS, "colonialism,occupation,occupation,bare,,,\n"]  # line 4
    fails(write(tmp_path, rows), 4, "not in Arabic script", "LATIN SMALL LETTER O")


def test_term_mixing_scripts(tmp_path: Path) -> None:
    # A Latin 'a' typed in the middle of an Arabic word looks right in many editors.
    rows = [*GOOD_ROWS, "colonialism,احتلaل,occupation,bare,,,\n"]  # line 4
    fails(write(tmp_path, rows), 4, "not in Arabic script", "U+0061")


def test_term_with_digits(tmp_path: Path) -> None:
    rows = [*GOOD_ROWS, "colonialism,القرار ٦٩٠,resolution 690,bare,,,\n"]  # line 4
    fails(write(tmp_path, rows), 4, "not in Arabic script", "ARABIC-INDIC DIGIT SIX")


def test_guard_word_with_a_space_can_never_match(tmp_path: Path) -> None:
    rows = [*GOOD_ROWS, "colonialism,احتلال,occupation,bare,,next:المرتبة الأولى,\n"]
    fails(write(tmp_path, rows), 4, "can never match", "has a space")


def test_guard_word_in_latin_can_never_match(tmp_path: Path) -> None:
    rows = [*GOOD_ROWS, "colonialism,احتلال,occupation,bare,,next:rank,\n"]
    fails(write(tmp_path, rows), 4, "can never match", "not an Arabic word")


def test_guard_with_empty_word_can_never_match(tmp_path: Path) -> None:
    rows = [*GOOD_ROWS, "colonialism,احتلال,occupation,bare,,next:المرتبة||مركز,\n"]
    fails(write(tmp_path, rows), 4, "can never match", "empty word")


def test_guard_with_zero_window_can_never_match(tmp_path: Path) -> None:
    rows = [*GOOD_ROWS, "colonialism,احتلال,occupation,bare,,next0:المرتبة,\n"]
    fails(write(tmp_path, rows), 4, "can never match", "window 0")


def test_guard_with_unknown_direction(tmp_path: Path) -> None:
    rows = [*GOOD_ROWS, "colonialism,احتلال,occupation,bare,,after:المرتبة,\n"]
    fails(write(tmp_path, rows), 4, "'after' is not prev, next")


def test_guard_without_colon(tmp_path: Path) -> None:
    rows = [*GOOD_ROWS, "colonialism,احتلال,occupation,bare,,المرتبة,\n"]
    fails(write(tmp_path, rows), 4, "has no ':'")


def test_unknown_match_mode(tmp_path: Path) -> None:
    rows = [*GOOD_ROWS, "colonialism,احتلال,occupation,stem,,,\n"]
    fails(write(tmp_path, rows), 4, "match 'stem'", "bare, exact")


def test_empty_match_mode_defaults_to_bare(tmp_path: Path) -> None:
    rows = [*GOOD_ROWS, "colonialism,احتلال,occupation,,,,\n"]
    lex = load_frame_lexicon(write(tmp_path, rows))
    assert lex.entries["match"].iloc[-1] == "bare"


def test_suffix_in_wrong_script(tmp_path: Path) -> None:
    rows = [*GOOD_ROWS, "colonialism,محتل,occupier,bare,ة|s,,\n"]
    fails(write(tmp_path, rows), 4, "suffix 's' is not Arabic letters")


def test_missing_gloss(tmp_path: Path) -> None:
    rows = [*GOOD_ROWS, "colonialism,احتلال,,bare,,,\n"]
    fails(write(tmp_path, rows), 4, "no English gloss")


def test_wrong_number_of_fields(tmp_path: Path) -> None:
    # An unquoted comma inside the note adds an eighth field.
    rows = [*GOOD_ROWS, "colonialism,احتلال,occupation,bare,,,core term, see note\n"]
    fails(write(tmp_path, rows), 4, "8 fields but the header has 7")


def test_line_numbers_count_multi_line_cells(tmp_path: Path) -> None:
    rows = [
        'colonialism,استعمار,colonialism,bare,,,"a note\nover two lines"\n',  # lines 2-3
        "solidarity,,support,bare,,,\n",  # line 4
    ]
    fails(write(tmp_path, rows), 4, "empty term")


def test_not_utf8(tmp_path: Path) -> None:
    write(tmp_path, GOOD_ROWS)
    (tmp_path / "frame_terms.csv").write_bytes(
        (HEADER + "colonialism,استعمار,c,bare,,,\n").encode("cp1256")
    )
    fails(tmp_path, None, "not UTF-8")


def test_missing_file(tmp_path: Path) -> None:
    (tmp_path / "frames.csv").write_text(DECLARATIONS, encoding="utf-8")
    fails(tmp_path, None, "file not found")


def test_duplicate_frame_id(tmp_path: Path) -> None:
    decl = DECLARATIONS + "colonialism,Colonialism again,الاستعمار,d,s\n"  # line 4
    fails(write(tmp_path, GOOD_ROWS, decl=decl), 4, "duplicate frame id", file="frames.csv")


def test_frame_id_with_spaces(tmp_path: Path) -> None:
    decl = DECLARATIONS + "human suffering,Suffering,المعاناة,d,s\n"  # line 4
    fails(write(tmp_path, GOOD_ROWS, decl=decl), 4, "lower-case ASCII", file="frames.csv")


def test_errors_are_analysis_errors(tmp_path: Path) -> None:
    with pytest.raises(AnalysisError):
        load_frame_lexicon(write(tmp_path, ["colonialism,,c,bare,,,\n"]))


def test_utf8_bom_and_crlf_are_accepted(tmp_path: Path) -> None:
    write(tmp_path, GOOD_ROWS)
    text = (HEADER + "".join(GOOD_ROWS)).replace("\n", "\r\n")
    (tmp_path / "frame_terms.csv").write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    lex = load_frame_lexicon(tmp_path)
    assert list(lex.entries["line"]) == [2, 3]


def test_guard_and_suffix_parsing(tmp_path: Path) -> None:
    rows = [
        "colonialism,محتل,occupier,bare,ة|ون,,\n",
        "solidarity,تحرير,liberation,bare,,next:رسالة|رسائل; prev2:رئيس,\n",
    ]
    lex = load_frame_lexicon(write(tmp_path, rows))
    occupier, liberation = lex.entries.itertuples()
    # the construct form of the sound plural (محتلو الأرض) comes with ون, and the
    # indefinite accusative (محتلا) with every bare term
    assert occupier.forms == (("محتل",), ("محتلة",), ("محتلون",), ("محتلو",), ("محتلا",))
    nxt, prv = liberation.guards
    assert (nxt.direction, nxt.window, nxt.words) == ("next", 1, {"رساله", "رسائل"})
    assert (prv.direction, prv.window, prv.words) == ("prev", 2, {"رئيس"})


# --- the project's real lexicons -------------------------------------------------


def test_project_frame_lexicon_is_valid_and_has_the_issue_frames() -> None:
    lex = load_lexicon(FRAMES)
    frames = set(lex.categories["frame"])
    assert frames >= {
        "colonialism",
        "self_determination",
        "solidarity",
        "struggle",
        "humanitarian",
        "international",
    }
    terms = {
        match_key(" ".join(w)): f
        for w, f in zip(lex.entries["words"], lex.entries["frame"], strict=True)
    }
    # The variants the issue names, each in its frame (normalized: أ/إ → ا, ة → ه).
    expected = {
        "استعمار": "colonialism",
        "احتلال": "colonialism",
        "تقرير المصير": "self_determination",
        "استقلال": "self_determination",
        "تحرير": "self_determination",
        "تضامن": "solidarity",
        "تاييد": "solidarity",
        "دعم": "solidarity",
        "الوقوف الي جانب": "solidarity",
        "نضال": "struggle",
        "مناضل": "struggle",
        "كفاح": "struggle",
        "مقاومه": "struggle",
        "معاناه": "humanitarian",
        "لاجئ": "humanitarian",
        "بطش": "humanitarian",
        "قمع": "humanitarian",
        "الامم المتحده": "international",
        "المجتمع الدولي": "international",
        "الشرعيه الدوليه": "international",
        "القانون الدولي": "international",
    }
    for term, frame in expected.items():
        assert terms.get(term) == frame, term


def test_project_actor_lexicon_is_valid_and_has_the_issue_actors() -> None:
    lex = load_actor_lexicon()
    assert lex.column == "actor"
    assert set(lex.categories["actor"]) >= {
        "sahrawi",
        "morocco",
        "algeria",
        "un",
        "usa",
        "france",
        "spain",
        "haidar",
    }
    assert load_lexicon(ACTORS).entries["entry_id"].is_unique
