"""The faster per-type analyses give exactly the results of the previous code.

``analysis.clitics.analyse_clitics`` and ``analysis.repair.find_split`` were
rewritten for speed (issue #3: they run once per word type, ~100k types on a
50 MB corpus). ``tests/reference_type_analysis.py`` keeps the previous
implementation unchanged; here both are run on

* every token (surface and normalized form) of the seed article and of the
  hostile-input variants of it (diacritics everywhere, tatweel runs, Persian
  letters, presentation forms, bidi controls and isolates, zero-width
  characters), plus the whitespace-separated chunks of those texts, which carry
  the invisible characters inside them;
* Hypothesis strings of Arabic letters with proclitic letters at the start and
  enclitic letters at the end, around real words and random letters, and
  run-together words made of real words;

and every output field must be equal (Zipf scores to the last bit). The whole
wordfreq list is compared in ``benchmarks/bench_type_analysis.py`` (too slow
for the test suite). A few hand-worked cases make sure the comparison is not
vacuous, and the scholars' exceptions list must still take effect when edited.
"""

from __future__ import annotations

import re
import sys
import warnings
from pathlib import Path

import arabic_reshaper
import pytest
import reference_type_analysis as ref
import wordfreq
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis import clitics, repair
from analysis.clitics import ENCLITICS, analyse_clitics, has_attested_reading
from analysis.errors import TextWarning
from analysis.pipeline import analyse_text
from analysis.repair import find_split, longest_part

ROOT = Path(__file__).resolve().parent.parent
SEED = (ROOT / "corpus" / "algiers-sahrawi-solidarity-2009.txt").read_text(encoding="utf-8")
ARABIC_LETTER = "[\u0621-\u064a]"
MARKS = "\u064e\u0650\u064f\u0652\u0651\u064b\u064d\u064c"


def fields(analyses) -> list[tuple]:
    """Every field of every analysis, the score as its exact bits."""
    return [(type(a), a.proclitics, a.bare, a.enclitic, a.score.hex()) for a in analyses]


def assert_same(word: str) -> None:
    """New and reference analyses, attestation and split of ``word`` are identical."""
    new = analyse_clitics(word)
    old = ref.analyse_clitics(word)
    assert fields(new) == fields(old), word
    assert has_attested_reading(word) == ref.is_known_word(word), word
    assert find_split(word) == ref.find_split(word), word


# --- (a) the seed article and its hostile variants ----------------------------


def diacritized(text: str) -> str:
    counter = iter(range(10**9))
    return re.sub(ARABIC_LETTER, lambda m: m.group() + MARKS[next(counter) % len(MARKS)], text)


def bidi_hostile(text: str) -> str:
    out = []
    for i, word in enumerate(text.split(" ")):
        if i % 7 == 0:
            word = "\u202b" + word + "\u202c"
        if i % 11 == 0 and len(word) > 3:
            word = word[:2] + "\u202e" + word[2:]
        if i % 5 == 0:
            word += "\u200f"
        out.append(word)
    return " ".join(out)


def hostile_variants() -> dict[str, str]:
    persian = str.maketrans({"ي": "ی", "ك": "ک", "ه": "ہ", "ة": "ۃ", "ى": "ی"})
    zero_width = (
        SEED.replace("تضامن", "تض\u200cامن")
        .replace("الدولية", "الدو\u200dلية")
        .replace("الشعب", "الش\u2060عب")
        .replace("النضال", "النض\u00adال")
        .replace(" مع ", "\u200bمع\u200b")
        .replace("القضية", "\ufeffالقضية")
    )
    return {
        "seed": SEED,
        "diacritized": diacritized(SEED),
        "tatweel": re.sub(f"({ARABIC_LETTER})(?={ARABIC_LETTER})", "\\1" + "\u0640" * 7, SEED),
        "persian": SEED.translate(persian),
        "presentation": arabic_reshaper.reshape(SEED),
        "bidi": bidi_hostile(SEED),
        "isolates": SEED.replace("حيدر", "\u2067حيدر\u2069").replace(
            "التضامن", "\u2066التض\u2069امن"
        ),
        "zero_width": zero_width,
        "digits": SEED + " من ١٤ إلى ١٧ نوفمبر ۲۰۰۹ بحضور ٤٠ دولة·",
        "run_together": SEED.replace(" ", "", 40),
    }


def words_of(text: str) -> set[str]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", TextWarning)
        tokens = analyse_text(text, "t").tokens
    words = set(tokens["surface"]) | set(tokens["normalized"])
    words |= set(text.split())  # chunks with punctuation and invisible characters inside
    return words


@pytest.mark.parametrize("name", sorted(hostile_variants()))
def test_every_token_of_the_seed_and_its_hostile_variants(name: str) -> None:
    words = words_of(hostile_variants()[name])
    assert len(words) > 300  # the seed has ~550 tokens, ~330 distinct
    for word in sorted(words):
        assert_same(word)


def test_the_comparison_sees_real_segmentations_and_splits() -> None:
    # Worked by hand from the rules in analysis/clitics.py and analysis/repair.py:
    # ولقضيتهم = و + ل + قضية + هم (ت before an enclitic restores ة; قضية is common);
    # والشعب = و + ال + شعب; فرنسا is a name and stays whole (no clitic letters
    # at either end except ا, which is no enclitic).
    a = analyse_clitics("ولقضيتهم")[0]
    assert (a.proclitics, a.bare, a.enclitic) == (("و", "ل"), "قضية", "هم")
    a = analyse_clitics("والشعب")[0]
    assert (a.proclitics, a.bare, a.enclitic) == (("و", "ال"), "شعب", "")
    assert len(analyse_clitics("فرنسا")) == 1
    # الاممالمتحدة (الأمم المتحدة without its space) is unknown and splits after
    # its 5th letter into الامم + المتحدة, two common words.
    assert find_split("الاممالمتحدة") == (5,)
    assert find_split("الامم") is None  # too short (< 6 letters)
    assert find_split("المتحدة") is None  # a known word is never split
    for word in ("ولقضيتهم", "والشعب", "فرنسا", "الاممالمتحدة", "الأمم", "إلغاء", "ألمانيا"):
        assert_same(word)


# --- (b) generated words -------------------------------------------------------

COMMON = [w for w in wordfreq.top_n_list("ar", 3000, wordlist="large") if not w.isdigit()]
PREFIXES = ["", "", "و", "ف", "ب", "ك", "ل", "س", "ال", "وال", "فال", "بال", "كال", "لل"]
PREFIXES += ["ولل", "فلل", "وب", "فب", "ول", "وس", "فس", "وك", "أ", "إ", "آ", "ٱ", "أل", "إل"]
SUFFIXES = ["", "", *ENCLITICS, "ت", "ته", "تها", "تهم", "ي", "ى", "ة", "كن", "كما"]
LETTERS = "ءآأؤإئابةتثجحخدذرزسشصضطظعغفقكلمنهوىي"
ODD = "\u064e\u0651\u0640\u200c\u200f\u200b \ufefb\u06cc\u06a9\u0671"  # marks, controls, space …


def letters(extra: str = "") -> st.SearchStrategy[str]:
    return st.text(alphabet=LETTERS + extra, max_size=8)


middles = st.one_of(
    st.sampled_from(COMMON),
    letters(),
    st.builds(lambda a, b: a + b, st.sampled_from(COMMON), letters()),
    letters(ODD),
)
words = st.builds(
    lambda p, m, s: p + m + s, st.sampled_from(PREFIXES), middles, st.sampled_from(SUFFIXES)
)

FUZZ = settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FUZZ
@given(words)
def test_generated_words_with_clitic_letters(word: str) -> None:
    assert_same(word)


@FUZZ
@given(st.lists(st.sampled_from(COMMON), min_size=2, max_size=5), letters())
def test_generated_run_together_words(parts: list[str], noise: str) -> None:
    for word in ("".join(parts), "".join(parts) + noise, noise + "".join(parts)):
        assert find_split(word) == ref.find_split(word), word
        assert has_attested_reading(word) == ref.is_known_word(word), word


def test_longest_part_is_unchanged() -> None:
    assert longest_part() == ref.longest_part()


# --- the fast path's premises, and edits of the exceptions list ----------------


def test_the_fast_path_is_taken_and_its_premises_hold() -> None:
    # The fast path relies on re's \s being exactly str.isspace (what strip() removes).
    everything = "".join(map(chr, range(sys.maxunicode + 1)))
    assert "".join(re.findall(r"\s", everything)) == "".join(c for c in everything if c.isspace())
    # A word is taken as already normalized exactly when it has none of the
    # characters normalization changes (the hamza-keeping table's, the alef
    # forms) and no whitespace.
    from analysis.normalize import _KEEP_HAMZA_TABLE

    changed = {chr(c) for c in _KEEP_HAMZA_TABLE} | set("أإآٱ")
    changed |= {c for c in everything if c.isspace()}
    assert set(clitics._ANY_CHANGE_RE.findall(everything)) == changed
    assert clitics._LETTERWISE  # normalization is letter-wise: the fast path is used
    assert clitics._light_and_whole("والأمم") == ("والأمم", "والامم")
    assert clitics._light_and_whole("وال أمم") is None  # inner space: the general path


def test_an_edited_exceptions_list_takes_effect(tmp_path, monkeypatch) -> None:
    # Before the edit (shipped list): والشعب = و + ال + شعب.
    assert analyse_clitics("والشعب")[0].proclitics == ("و", "ال")
    edited = tmp_path / "clitic_exceptions.txt"
    original = clitics.EXCEPTIONS_FILE.read_text(encoding="utf-8")
    edited.write_text(original + "\nالشعب\n", encoding="utf-8")
    monkeypatch.setattr(clitics, "EXCEPTIONS_FILE", edited)
    caches = (clitics.exceptions, analyse_clitics, ref.analyse_clitics, repair._search_split)
    for cache in caches:
        cache.cache_clear()
    try:
        # A listed word is never segmented, and و/ف + a listed word keeps that
        # word whole: والشعب is now و + الشعب (الشعب is far more frequent than
        # والشعب, so the margin rule accepts it), never و + ال + شعب.
        assert [a.bare for a in analyse_clitics("الشعب")] == ["الشعب"]
        a = analyse_clitics("والشعب")[0]
        assert (a.proclitics, a.bare) == (("و",), "الشعب")
        for word in ("والشعب", "فالشعب", "الشعب", "بالشعب", "وشعبهم"):
            assert_same(word)
    finally:
        monkeypatch.undo()
        for cache in caches:
            cache.cache_clear()
    assert analyse_clitics("والشعب")[0].proclitics == ("و", "ال")  # the shipped list again


def test_repair_module_uses_the_same_frequencies() -> None:
    # Every part the split search may use scores exactly as zipf() says.
    table, longest = repair._part_table()
    assert longest == ref.longest_part()
    parts = {w: s for w, s in table.items() if s is not None}
    assert len(parts) > 40_000
    assert all(clitics.zipf(w) == s for w, s in list(parts.items())[::50])


def test_the_grammar_tables_by_hand() -> None:
    analyse_clitics("ولقضيتهم")  # builds the tables
    # Every run of up to four of the 10 proclitic letters (و ف ب ك ل س ا ي ت ن):
    # 1 + 10 + 100 + 1000 + 10000 = 11,111 runs; of up to three of the 6 enclitic
    # letters (ه م ا ن ي ك): 1 + 6 + 36 + 216 = 259.
    assert sorted(clitics._PROCLITIC_LETTERS) == sorted("وفبكلسايتن")
    assert len(clitics._HEAD_PLANS) == 11_111
    assert len(clitics._TAIL_ENCLITICS) == 259
    # ولل: the word itself; و + لل…; و + ل + ل…; و + ل + ال (لل is ل + ال), in
    # _candidates' order. A listed word after و forbids the readings with two
    # proclitics, and و alone only with an enclitic.
    assert clitics._HEAD_PLANS["ولل"] == (
        ((), 0, False, False, False),
        (("و",), 1, False, False, True),
        (("و", "ل"), 2, False, True, True),
        (("و", "ل", "ال"), 3, True, True, True),
    )
    # سي: س + an imperfect verb; سم: not (م is no imperfect prefix).
    assert [r[0] for r in clitics._HEAD_PLANS["سي"]] == [(), ("س",)]
    assert [r[0] for r in clitics._HEAD_PLANS["س"]] == [()]
    # هما ends only with هما (ما is no enclitic); كم with كم; ي with none.
    assert clitics._TAIL_ENCLITICS["هما"] == ((3, "هما", False),)
    assert clitics._TAIL_ENCLITICS["كم"] == ((2, "كم", False),)
    assert clitics._TAIL_ENCLITICS["ني"] == ((2, "ني", True),)
    assert clitics._TAIL_ENCLITICS["ي"] == ()


def test_part_table_equals_the_plain_loop_over_every_form():
    # repair._part_table pre-filters the ~560k forms with numpy; the plain loop
    # below (every form's exact Zipf score) must give the same table, in the same
    # order, with bit-identical scores, and the same longest part.
    import math

    from analysis import clitics, repair

    expected: dict[str, float | None] = {}
    longest = 0
    for word, freq in clitics._frequencies().items():
        score = math.log10(freq) + 9
        if score < repair.MIN_ZIPF:
            continue
        longest = max(longest, len(word))
        if len(word) >= 3 or len(word) == 2 and score >= repair.MIN_ZIPF_SHORT:
            expected[word] = score
    for word in list(expected):
        for end in range(repair.MIN_PART_LENGTH, len(word)):
            expected.setdefault(word[:end], None)
    table, got_longest = repair._part_table()
    assert got_longest == longest
    assert list(table) == list(expected)
    for word, score in expected.items():
        got = table[word]
        assert (got is None) == (score is None), word
        if score is not None:
            assert got.hex() == score.hex(), word
