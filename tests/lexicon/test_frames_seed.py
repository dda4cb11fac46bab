"""Frame and actor hits on the seed article, checked against a reading of the text.

The expected hits below were listed by reading the article
(corpus/algiers-sahrawi-solidarity-2009.txt), sentence by sentence, before
comparing with the code. Sentences are the six stretches ended by '·'
(0-based). For each hit: the words around it and why it counts. Counts per
term and per frame are then derived from that list by hand (written out in the
count tests), not from the code's output.

The second half tests the matching rules one by one on short texts whose
expected hits are obvious from the words themselves.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pandas as pd
import pytest

from analysis.engine import TextTables, Vocabulary, analyse_text
from analysis.lexicon import (
    coverage_report,
    guard_exclusions,
    load_actor_lexicon,
    load_frame_lexicon,
    match_actors,
    match_frames,
)

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "corpus" / "algiers-sahrawi-solidarity-2009.txt"
SPEAKER = "بوقطاية"  # al-Sadiq Bouqtaya, the only person quoted in direct speech

# (sentence, surface as written, lexicon term, frame, voice)
FRAME_HITS = [
    # S0: the conference of twinned cities "in solidarity with the Sahrawi people"
    (0, "والمتضامنة", "متضامن", "solidarity", "narration"),  # للمدن المتوأمة والمتضامنة مع الشعب
    (0, "تأييد", "تأييد", "solidarity", "narration"),  # حاملا لرسالة تأييد دولية: letter of support
    (0, "لنضالها", "نضال", "struggle", "narration"),  # تأييد دولية لنضالها: for her struggle
    (0, "الدول العظمى", "الدول العظمى", "international", "narration"),  # قادة الدول العظمى
    (0, "للوقوف إلى جانب", "الوقوف إلى جانب", "solidarity", "narration"),  # ... جانب حيدر
    # S1: the new movement; "struggle and pressure on the international community"
    (1, "والمتضامنة", "متضامن", "solidarity", "narration"),  # المدن المتوأمة والمتضامنة مع الشعب
    (1, "النضال", "نضال", "struggle", "narration"),  # من أجل النضال والضغط
    (1, "للمجتمع الدولي", "المجتمع الدولي", "international", "narration"),  # الدول المشكلة للمجتمع
    (1, "لمعاناة", "معاناة", "humanitarian", "narration"),  # ووضع حد لمعاناة الشعب الصحراوي
    # S2: تحرير رسائل عديدة = drafting letters -> guard, not a hit (see test below)
    (2, "ومعاناة", "معاناة", "humanitarian", "narration"),  # حقيقة القضية الصحراوية ومعاناة الشعب
    (2, "تحركا دوليا", "تحركا دوليا", "international", "narration"),  # تقتضي تحركا دوليا فوريا
    (
        2,
        "الأممالمتحدة",
        "الأمم المتحدة",
        "international",
        "narration",
    ),  # إلى الأممالمتحدة (run together)
    (2, "المجتمع الدولي", "المجتمع الدولي", "international", "narration"),  # باسم المجتمع الدولي
    (
        2,
        "للهيئة الأممية",
        "الهيئة الأممية",
        "international",
        "narration",
    ),  # المسؤولية للهيئة الأممية
    # S3: the delegation to Lanzarote
    (3, "تضامن", "تضامن", "solidarity", "narration"),  # لرسالة تضامن وتأييد
    (3, "وتأييد", "تأييد", "solidarity", "narration"),  # تضامن وتأييد للمناضلة
    (3, "للمناضلة", "مناضل", "struggle", "narration"),  # للمناضلة ''امينتو حيدر''
    (3, "بطش", "بطش", "humanitarian", "narration"),  # بسبب بطش نظام المخزن: brutality
    # S4: Bouqtaya answers the Moroccan accusation; his second quotation (يضيف)
    (4, "الناشط", "ناشط", "struggle", "narration"),  # بوقطاية الناشط الحقوقي: an activist
    (4, "المناضلة", "مناضل", "struggle", "narration"),  # بتحريض المناضلة ''امينتو حيدر''
    (4, "ندعم", "ندعم", "solidarity", "quoted"),  # قلتم بأننا ندعم الصحراء
    (4, "ندعم", "ندعم", "solidarity", "quoted"),  # فنقول نعم ندعم الصحراء
    (4, "استقلاله", "استقلال", "self_determination", "quoted"),  # لنيل استقلاله
    (4, "الثورية", "ثوري", "struggle", "quoted"),  # الجزائر الثورية: revolutionary Algeria
    (4, "باحتلال", "احتلال", "colonialism", "quoted"),  # ولن تسمح الجزائر الثورية باحتلال جار لها
    # S5: indirect speech (وأوضح بوقطاية أن ...) is narration; the quoted part is his
    (5, "اللاجئين", "لاجئ", "humanitarian", "narration"),  # قضية اللاجئين الصحراويين
    (5, "وتحريرهم", "تحرير", "self_determination", "quoted"),  # ولقضيتهم وتحريرهم: liberation
    (5, "الاستعمار", "استعمار", "colonialism", "quoted"),  # وتحريرهم من الاستعمار
    (
        5,
        "الأممالمتحدة",
        "الأمم المتحدة",
        "international",
        "narration",
    ),  # في الأممالمتحدة (run together)
    (5, "تقرير المصير", "تقرير المصير", "self_determination", "narration"),  # ومسألة تقرير المصير
]

# (sentence, surface, term, actor, voice)
ACTOR_HITS = [
    (0, "الشعب الصحراوي", "الشعب الصحراوي", "sahrawi", "narration"),  # والمتضامنة مع الشعب الصحراوي
    (0, "الجزائر", "الجزائر", "algeria", "narration"),  # المنعقدة في الجزائر
    (0, "امينتو حيدر", "أمينتو حيدر", "haidar", "narration"),  # سيزور امينتو حيدر بمطار
    (0, "إسبانيا", "إسبانيا", "spain", "narration"),  # بجزر الكناري في إسبانيا
    (0, "أوباما", "أوباما", "usa", "narration"),  # برسائل موجهة إلى أوباما
    (0, "حيدر", "حيدر", "haidar", "narration"),  # للوقوف إلى جانب حيدر
    (0, "والشعب الصحراوي", "الشعب الصحراوي", "sahrawi", "narration"),  # حيدر والشعب الصحراوي·
    (1, "الشعب الصحراوي", "الشعب الصحراوي", "sahrawi", "narration"),  # والمتضامنة مع الشعب الصحراوي
    (1, "القضية الصحراوية", "القضية الصحراوية", "western_sahara", "narration"),  # وحل القضية
    (1, "الشعب الصحراوي", "الشعب الصحراوي", "sahrawi", "narration"),  # لمعاناة الشعب الصحراوي·
    (2, "ميشال أوباما", "ميشال أوباما", "usa", "narration"),  # إلى كل من ميشال أوباما
    (
        2,
        "الولاياتالمتحدةالأمريكية",
        "الولايات المتحدة الأمريكية",
        "usa",
        "narration",
    ),  # run together
    (2, "القضية الصحراوية", "القضية الصحراوية", "western_sahara", "narration"),  # حقيقة القضية
    (2, "الأممالمتحدة", "الأمم المتحدة", "un", "narration"),  # إلى الأممالمتحدة
    (2, "للهيئة الأممية", "الهيئة الأممية", "un", "narration"),  # المسؤولية للهيئة الأممية
    (
        2,
        "الصحراء الغربية",
        "الصحراء الغربية",
        "western_sahara",
        "narration",
    ),  # مسألة الصحراء الغربية
    (3, "الجزائر", "الجزائر", "algeria", "narration"),  # سينطلق مباشرة من الجزائر
    (3, "امينتو حيدر", "أمينتو حيدر", "haidar", "narration"),  # للمناضلة ''امينتو حيدر''
    (3, "نظام المخزن", "نظام المخزن", "morocco", "narration"),  # بسبب بطش نظام المخزن
    (4, "السلطات المغربية", "السلطات المغربية", "morocco", "narration"),  # اتهام السلطات المغربية
    (4, "للجزائر", "الجزائر", "algeria", "narration"),  # السلطات المغربية للجزائر
    (4, "امينتو حيدر", "أمينتو حيدر", "haidar", "narration"),  # بتحريض المناضلة ''امينتو حيدر''
    (4, "المغرب", "المغرب", "morocco", "quoted"),  # ستعودون إلى شمال المغرب
    (4, "والمغربي", "مغربي", "morocco", "quoted"),  # الرأي العام العالمي والمغربي
    (4, "الصحراء", "الصحراء", "western_sahara", "quoted"),  # ندعم الصحراء ضد المغرب
    (4, "المغرب", "المغرب", "morocco", "quoted"),  # ضد المغرب
    (4, "الصحراء", "الصحراء", "western_sahara", "quoted"),  # نعم ندعم الصحراء في حقه
    (4, "الجزائر", "الجزائر", "algeria", "quoted"),  # ولن تسمح الجزائر الثورية
    (4, "الشعب الصحراوي", "الشعب الصحراوي", "sahrawi", "quoted"),  # وليحيا الشعب الصحراوي''
    (5, "الصحراويين", "صحراويين", "sahrawi", "narration"),  # قضية اللاجئين الصحراويين
    (5, "الجزائر", "الجزائر", "algeria", "narration"),  # الصحراويين في الجزائر
    (5, "المغرب", "المغرب", "morocco", "narration"),  # التي يؤولها المغرب
    (5, "فرنسا", "فرنسا", "france", "narration"),  # وقوف فرنسا كحائل
    (5, "الأممالمتحدة", "الأمم المتحدة", "un", "narration"),  # كحائل في الأممالمتحدة
]


@pytest.fixture(scope="module")
def seed():
    text = SEED.read_text(encoding="utf-8")
    return text, analyse_text(text, "seed")


@pytest.fixture(scope="module")
def frame_hits(seed) -> pd.DataFrame:
    return match_frames(seed[1])


@pytest.fixture(scope="module")
def actor_hits(seed) -> pd.DataFrame:
    return match_actors(seed[1])


def listed(hits: pd.DataFrame, column: str) -> list[tuple]:
    return list(
        zip(
            hits["sentence"],
            hits["surface"],
            hits["term"],
            hits[column],
            hits["voice"],
            strict=True,
        )
    )


def test_every_frame_hit_read_off_the_article(frame_hits: pd.DataFrame) -> None:
    assert listed(frame_hits, "frame") == FRAME_HITS


def test_every_actor_hit_read_off_the_article(actor_hits: pd.DataFrame) -> None:
    assert listed(actor_hits, "actor") == ACTOR_HITS


def test_counts_per_term(frame_hits: pd.DataFrame, actor_hits: pd.DataFrame) -> None:
    terms = Counter(frame_hits["term"])
    # الاستعمار once: وتحريرهم من الاستعمار (S5).
    assert terms["استعمار"] == 1
    # تقرير المصير once: ومسألة تقرير المصير (S5).
    assert terms["تقرير المصير"] == 1
    # تحرير twice in the text: تحرير رسائل (S2, drafting letters, excluded) and
    # وتحريرهم من الاستعمار (S5, liberation): one hit.
    assert terms["تحرير"] == 1
    # الأمم المتحدة twice, both written run together الأممالمتحدة (S2, S5).
    assert terms["الأمم المتحدة"] == 2
    # المجتمع الدولي: للمجتمع الدولي (S1), باسم المجتمع الدولي (S2).
    assert terms["المجتمع الدولي"] == 2
    # تأييد: رسالة تأييد (S0), تضامن وتأييد (S3).
    assert terms["تأييد"] == 2
    # متضامن: والمتضامنة in S0 and S1.
    assert terms["متضامن"] == 2
    # ندعم twice in Bouqtaya's second quotation (S4).
    assert terms["ندعم"] == 2
    # نضال: لنضالها (S0), النضال (S1); مناضل: للمناضلة (S3), المناضلة (S4).
    assert (terms["نضال"], terms["مناضل"]) == (2, 2)
    # activists and revolution are struggle (docs/annotation.md): الناشط الحقوقي and
    # الجزائر الثورية (S4), once each.
    assert (terms["ناشط"], terms["ثوري"]) == (1, 1)
    # معاناة: لمعاناة (S1), ومعاناة (S2).
    assert terms["معاناة"] == 2
    # one each: احتلال (باحتلال S4), استقلال (استقلاله S4), لاجئ (اللاجئين S5), بطش (S3),
    # تضامن (S3), الوقوف إلى جانب (S0), الهيئة الأممية (S2), الدول العظمى (S0), تحركا دوليا (S2).
    for term in (
        "احتلال",
        "استقلال",
        "لاجئ",
        "بطش",
        "تضامن",
        "الوقوف إلى جانب",
        "الهيئة الأممية",
        "الدول العظمى",
        "تحركا دوليا",
    ):
        assert terms[term] == 1, term
    assert sum(terms.values()) == 30  # 28 + الناشط + الثورية
    # الشعب الصحراوي five times: مع الشعب الصحراوي (S0), والشعب الصحراوي (S0),
    # مع الشعب الصحراوي (S1), لمعاناة الشعب الصحراوي (S1), وليحيا الشعب الصحراوي (S4).
    # (ومعاناة الشعب التي in S2 has no الصحراوي.)
    assert Counter(actor_hits["term"])["الشعب الصحراوي"] == 5


def test_counts_per_frame(frame_hits: pd.DataFrame) -> None:
    expected = {
        # والمتضامنة ×2, تأييد ×2, الوقوف إلى جانب, تضامن, ندعم ×2
        "solidarity": 8,
        # لنضالها, النضال, للمناضلة, المناضلة, الناشط, الثورية
        "struggle": 6,
        # الدول العظمى, للمجتمع الدولي, تحركا دوليا, الأممالمتحدة ×2, المجتمع الدولي, للهيئة الأممية
        "international": 7,
        # لمعاناة, ومعاناة, بطش, اللاجئين
        "humanitarian": 4,
        # استقلاله, وتحريرهم, تقرير المصير
        "self_determination": 3,
        # باحتلال, الاستعمار
        "colonialism": 2,
    }
    assert dict(Counter(frame_hits["frame"])) == expected


def test_counts_per_actor(actor_hits: pd.DataFrame) -> None:
    expected = {
        "sahrawi": 6,  # الشعب الصحراوي ×5, الصحراويين
        "western_sahara": 5,  # القضية الصحراوية ×2, الصحراء الغربية, الصحراء ×2 (quoted)
        "morocco": 6,  # نظام المخزن, السلطات المغربية, المغرب ×3, والمغربي
        "algeria": 5,  # في/من الجزائر ×3, للجزائر, الجزائر الثورية
        "haidar": 4,  # امينتو حيدر ×3, حيدر
        "un": 3,  # الأممالمتحدة ×2, للهيئة الأممية
        "usa": 3,  # أوباما, ميشال أوباما, الولاياتالمتحدةالأمريكية
        "france": 1,  # فرنسا
        "spain": 1,  # إسبانيا
    }
    assert dict(Counter(actor_hits["actor"])) == expected


def test_quoted_hits_name_the_speaker(frame_hits: pd.DataFrame) -> None:
    quoted = frame_hits[frame_hits["voice"] == "quoted"]
    # ندعم ×2, استقلاله, الثورية, باحتلال (S4), وتحريرهم, الاستعمار (S5): Bouqtaya's words.
    assert len(quoted) == 7
    assert all(SPEAKER in s for s in quoted["speaker"])
    assert quoted["quote_id"].notna().all()
    narration = frame_hits[frame_hits["voice"] == "narration"]
    assert (narration["speaker"] == "").all()


def test_hits_inside_scare_quotes_are_narration(actor_hits: pd.DataFrame) -> None:
    # ''امينتو حيدر'' (S3, S4) is inside quotation marks that only set off the name.
    names = actor_hits[(actor_hits["actor"] == "haidar") & actor_hits["quote_id"].notna()]
    assert len(names) == 2
    assert set(names["voice"]) == {"narration"}
    assert set(names["quote_kind"]) == {"term"}


def test_offsets_point_at_the_words(seed, frame_hits, actor_hits) -> None:
    text, tables = seed
    for hits in (frame_hits, actor_hits):
        for row in hits.itertuples():
            assert text[row.start : row.end] == row.surface
        # Longest match wins: no two hits of one lexicon share a token.
        spans = sorted(zip(hits["token_start"], hits["token_end"], strict=True))
        assert all(
            a_end <= b_start for (_, a_end), (b_start, _) in zip(spans, spans[1:], strict=False)
        )
    tokens = tables.tokens.set_index("index")
    for row in frame_hits.itertuples():
        assert tokens.loc[row.token_start, "start"] == row.start
        assert tokens.loc[row.token_end - 1, "end"] == row.end
        assert (tokens.loc[row.token_start : row.token_end - 1, "sentence"] == row.sentence).all()


def test_run_together_hits_are_flagged_as_repaired(frame_hits: pd.DataFrame) -> None:
    un = frame_hits[frame_hits["term"] == "الأمم المتحدة"]
    assert list(un["repaired"]) == [True, True]
    assert list(un["token_end"] - un["token_start"]) == [2, 2]
    assert not frame_hits[frame_hits["term"] != "الأمم المتحدة"]["repaired"].any()


def test_drafting_letters_is_a_guard_exclusion(seed) -> None:
    ex = guard_exclusions(seed[1])
    # وتمخضت عن الندوة ... تمثلت في تحرير رسائل عديدة: "drafting several letters".
    assert list(zip(ex["sentence"], ex["surface"], ex["guard_word"], strict=True)) == [
        (2, "تحرير", "رسائل")
    ]


def test_coverage_report_on_the_seed(seed) -> None:
    cov = coverage_report(seed[1], load_frame_lexicon())
    rows = set(zip(cov["sentence"], cov["surface"], cov["reason"], strict=True))
    # The excluded تحرير رسائل shows up as a guard row.
    assert (2, "تحرير", "guard") in rows
    # وقوف فرنسا كحائل (S5): shares the bare form of الوقوف إلى جانب but is not support.
    assert (5, "وقوف", "partial_phrase") in rows
    # في حقه لنيل استقلاله (S4): حق without تقرير المصير.
    assert (4, "حقه", "partial_phrase") in rows
    # Nothing the lexicon counted is reported as missed.
    hit_words = set(match_frames(seed[1])["surface"])
    assert not (set(cov["surface"]) - {"تحرير"}) & hit_words
    actors = coverage_report(seed[1], load_actor_lexicon())
    # ومعاناة الشعب التي (S2): الشعب alone, not الشعب الصحراوي.
    assert (2, "الشعب", "partial_phrase") in set(
        zip(actors["sentence"], actors["surface"], actors["reason"], strict=True)
    )


# --- matching rules on short texts ------------------------------------------------

DECL = "frame,label_en,label_ar,description,source\na,A,أ,d,s\nb,B,ب,d,s\n"


@pytest.fixture
def small_lexicon(tmp_path: Path):
    def make(*rows: str):
        (tmp_path / "frames.csv").write_text(DECL, encoding="utf-8")
        (tmp_path / "frame_terms.csv").write_text(
            "frame,term,gloss,match,suffixes,guard,note\n" + "".join(r + "\n" for r in rows),
            encoding="utf-8",
        )
        return load_frame_lexicon(tmp_path)

    return make


def hits_of(text: str, lexicon) -> list[tuple[str, str]]:
    tables = analyse_text(text, "t")
    hits = match_frames(tables, lexicon)
    return list(zip(hits["surface"], hits["term"], strict=True))


def test_longest_match_wins(small_lexicon) -> None:
    lex = small_lexicon("a,مصير,fate,bare,,,", "b,تقرير المصير,self-determination,bare,,,")
    # "تقرير المصير" is one hit of the longer entry; "ومصير" alone is the short one.
    text = "حق تقرير المصير ومصير اللاجئين"
    assert hits_of(text, lex) == [("تقرير المصير", "تقرير المصير"), ("ومصير", "مصير")]


def test_longest_match_wins_regardless_of_lexicon_order(small_lexicon) -> None:
    lex = small_lexicon("b,الصحراء الغربية,Western Sahara,bare,,,", "a,الصحراء,Sahara,bare,,,")
    assert hits_of("في الصحراء الغربية والصحراء", lex) == [
        ("الصحراء الغربية", "الصحراء الغربية"),
        ("والصحراء", "الصحراء"),
    ]


def test_clitics_and_suffix_variants(small_lexicon) -> None:
    lex = small_lexicon("a,متضامن,in solidarity,bare,ة|ون,,", "b,نضال,struggle,bare,,,")
    text = "المدن والمتضامنة والمتضامنون تدعم لنضالها"
    # والمتضامنة = و+ال+متضامن+ة; والمتضامنون = و+ال+متضامن+ون; لنضالها = ل+نضال+ها.
    assert hits_of(text, lex) == [
        ("والمتضامنة", "متضامن"),
        ("والمتضامنون", "متضامن"),
        ("لنضالها", "نضال"),
    ]


def test_multi_word_terms_need_adjacent_words(small_lexicon) -> None:
    lex = small_lexicon("a,الشعب الصحراوي,Sahrawi people,bare,,,")
    # 1) والشعب الصحراوي: clitic on the first word -> hit.
    # 2) الشعب، الصحراوي: a comma between the words -> no hit.
    # 3) الشعب والصحراوي: و on the second word (two things, not one phrase) -> no hit.
    text = "والشعب الصحراوي قال الشعب، الصحراوي ثم الشعب والصحراوي"
    assert hits_of(text, lex) == [("والشعب الصحراوي", "الشعب الصحراوي")]


def test_sense_guards(small_lexicon) -> None:
    lex = small_lexicon("a,تحرير,liberation,bare,,next:رسالة|رسائل; prev:رئيس,")
    # تحرير الأرض: liberation (hit); تحرير رسالة: drafting (next guard);
    # رئيس التحرير: editor-in-chief (prev guard); التحرير، رسالة: the window skips the
    # comma, so the guard fires here too (documented: windows count words only).
    text = "تحرير الأرض ثم تحرير رسالة وقال رئيس التحرير كلمة"
    tables = analyse_text(text, "t")
    hits = match_frames(tables, lex)
    assert list(hits["surface"]) == ["تحرير"]
    assert hits["start"].iloc[0] == 0
    ex = guard_exclusions(tables, lex)
    assert list(zip(ex["surface"], ex["guard_word"], strict=True)) == [
        ("تحرير", "رسالة"),
        ("التحرير", "رئيس"),
    ]


def test_guards_stop_at_the_sentence_end(small_lexicon) -> None:
    lex = small_lexicon("a,تحرير,liberation,bare,,next:رسالة,")
    # The guard word begins the next sentence: the hit stands.
    assert hits_of("نريد التحرير. رسالة أخرى", lex) == [("التحرير", "تحرير")]


def test_exact_entries_refuse_clitics(small_lexicon) -> None:
    lex = small_lexicon("a,احتل,occupied,exact,,,")
    text = "احتل الجيش المدينة واحتل القرية"
    assert hits_of(text, lex) == [("احتل", "احتل")]
    tables = analyse_text(text, "t")
    cov = coverage_report(tables, lex)
    assert list(zip(cov["surface"], cov["reason"], strict=True)) == [
        ("واحتل", "exact_with_clitics")
    ]


def test_coverage_reports_unlisted_variants(small_lexicon) -> None:
    lex = small_lexicon("a,دعم,support,bare,,,", "b,مناضل,activist,bare,ة,,")
    # دعما (the indefinite accusative) is a form of every bare term; للمناضلين (plural
    # -ين) is not listed for مناضل.
    tables = analyse_text("قدموا دعما كبيرا للمناضلين والمناضلة", "t")
    assert hits_of("قدموا دعما كبيرا للمناضلين والمناضلة", lex) == [
        ("دعما", "دعم"),
        ("والمناضلة", "مناضل"),
    ]
    cov = coverage_report(tables, lex)
    assert list(zip(cov["surface"], cov["reason"], cov["term"], strict=True)) == [
        ("للمناضلين", "unlisted_variant", "مناضل"),
    ]


def test_voice_of_a_direct_quotation(small_lexicon) -> None:
    lex = small_lexicon("a,احتلال,occupation,bare,,,")
    text = 'قال الوزير: "نرفض الاحتلال" وتحدث الصحفي عن الاحتلال.'
    tables = analyse_text(text, "t")
    hits = match_frames(tables, lex)
    assert list(zip(hits["surface"], hits["voice"], strict=True)) == [
        ("الاحتلال", "quoted"),
        ("الاحتلال", "narration"),
    ]


def test_teh_marbuta_written_as_heh_still_matches(small_lexicon) -> None:
    lex = small_lexicon("a,معاناة,suffering,bare,,,")
    # Scraped text often ends words with ه instead of ة.
    assert hits_of("معاناه الشعب", lex) == [("معاناه", "معاناة")]


def test_empty_token_table_gives_empty_hits() -> None:
    tables = analyse_text("", "t")
    hits = match_frames(tables)
    assert len(hits) == 0
    assert {"doc_id", "frame", "term", "voice", "speaker", "quote_id"} <= set(hits.columns)


# --- the project lexicon's sense guards on false friends -------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # ranking, not occupation: احتلال المرتبة الأولى ("taking first place")
        ("احتلال المرتبة الأولى", []),
        # editor-in-chief and drafting, not liberation; then real liberation
        ("قال رئيس التحرير إن تحرير رسالة سهل وإن تحرير الأرض واجب", ["تحرير"]),
        # price liberalisation, then national liberation
        ("تحرير الأسعار ليس التحرير الوطني", ["التحرير"]),
        # price subsidies, then support
        ("دعم الأسعار ودعم القضية", ["ودعم"]),
        # judicial independence, then independence
        ("استقلال القضاء واستقلال البلاد", ["واستقلال"]),
    ],
)
def test_project_frame_guards(text: str, expected: list[str]) -> None:
    tables = analyse_text(text, "t")
    assert list(match_frames(tables)["surface"]) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the Sahara desert, then Western Sahara (longest match: one hit)
        ("الصحراء الكبرى تختلف عن الصحراء الغربية", [("الصحراء الغربية", "western_sahara")]),
        # the Maghreb region and the sunset prayer are not Morocco; the last المغرب is
        ("دول المغرب العربي وصلاة المغرب وسياسة المغرب", [("المغرب", "morocco")]),
    ],
)
def test_project_actor_guards(text: str, expected: list[tuple[str, str]]) -> None:
    tables = analyse_text(text, "t")
    hits = match_actors(tables)
    assert list(zip(hits["surface"], hits["actor"], strict=True)) == expected


def test_a_term_written_with_the_article_needs_a_definite_word(small_lexicon) -> None:
    lex = small_lexicon("a,المغرب,Morocco,bare,,,", "b,تقرير المصير,self-determination,bare,,,")
    # بالمغرب (ب+ال+مغرب) and والمغرب are Morocco; مغرب without the article is
    # "sunset / a west", not the country. مصيره is made definite by its pronoun.
    text = "في بالمغرب والمغرب وقت مغرب الشمس وحق تقرير مصيره"
    assert hits_of(text, lex) == [
        ("بالمغرب", "المغرب"),
        ("والمغرب", "المغرب"),
        ("تقرير مصيره", "تقرير المصير"),
    ]


def test_several_documents_in_one_token_table(small_lexicon) -> None:
    lex = small_lexicon("a,الأمم المتحدة,United Nations,bare,,,")
    # Document x ends with الأمم, document y starts with المتحدة: no hit may join
    # them. Each document also has one real hit.
    vocabulary = Vocabulary()  # one vocabulary: the type ids of both tables agree
    x = analyse_text("قرار الأمم المتحدة ثم الأمم", "x", vocabulary)
    y = analyse_text("المتحدة ثم الأمم المتحدة", "y", vocabulary)
    tokens = pd.concat([y.tokens, x.tokens], ignore_index=True)  # order must not matter
    quotes = pd.concat([x.quotes, y.quotes], ignore_index=True)
    both = TextTables(tokens, x.sentences, quotes, x.repairs, vocabulary)
    hits = match_frames(both, lex)
    assert list(zip(hits["doc_id"], hits["token_start"], hits["token_end"], strict=True)) == [
        ("x", 1, 3),  # tokens 0 قرار, 1 الأمم, 2 المتحدة -> [1, 3)
        ("y", 2, 4),  # tokens 0 المتحدة, 1 ثم, 2 الأمم, 3 المتحدة -> [2, 4)
    ]
