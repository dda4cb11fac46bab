"""The per-word-type columns (``analysis.wordtypes``) against their definition.

``analysis.clitics.analyse_clitics`` and ``analysis.repair.find_split`` are the
specification; :func:`analysis.wordtypes.word_rows`, :func:`split_points` and
:func:`splittable` (the C extension ``analysis._wordtypes`` when built) must give
exactly what they give (the row of ``pipeline._clitic_row`` for a word):

* on every form of wordfreq's Arabic "large" list as written, and on each with a
  proclitic (و, ال, ب, ول) or an enclitic (ه, هم, ها, تهم) added, and on
  seeded run-together pairs of forms (``slow``: ~5 s per variant);
* on Hypothesis strings over Arabic letters, hamza forms, diacritics, tatweel,
  Latin, digits, Persian letters, presentation forms, whitespace and characters
  beyond the BMP, and on clitic letters wrapped around real words;
* on the seed article's words whose analysis ``tests/test_text_seed.py`` worked
  out by reading (the same expected values, imported from there).

Also: the extension is built and in use in the project environment, the
Python fallbacks take the strings the fast path leaves out, an edited
exceptions list takes effect, and repeated calls leak no memory.
Speed is measured in ``benchmarks/bench_wordtypes.py``.
"""

from __future__ import annotations

import gc
import random
import sys
import tracemalloc
from functools import lru_cache

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_text_seed import EXPECTED_CLITICS

from analysis import clitics, repair, wordtypes
from analysis.normalize import normalize_word
from analysis.wordtypes import COMPILED, python_row, split_points, splittable, word_rows

PROCLITICS = ("و", "ال", "ب", "ول")
ENCLITICS = ("ه", "هم", "ها", "تهم")


def reference_rows(surfaces: list[str]) -> list[tuple]:
    return [python_row(s) for s in surfaces]


def reference_splits(normalized: list[str]) -> list[tuple[int, ...] | None]:
    return [repair.find_split(w) for w in normalized]


def assert_same_rows(surfaces: list[str]) -> None:
    bare, bares, proclitics, enclitic = word_rows(surfaces)
    got = list(zip(bare, bares, proclitics, enclitic, strict=True))
    want = reference_rows(surfaces)
    assert len(got) == len(want) == len(surfaces)
    bad = [(s, g, w) for s, g, w in zip(surfaces, got, want, strict=True) if g != w]
    assert not bad, f"{len(bad)} rows differ, e.g. {bad[:3]}"
    assert all(type(v) is str for v in bare + proclitics + enclitic)
    assert all(type(t) is tuple and all(type(v) is str for v in t) for t in bares)


def assert_same_splits(normalized: list[str]) -> None:
    want = reference_splits(normalized)
    got = split_points(normalized)
    bad = [(w, g, r) for w, g, r in zip(normalized, got, want, strict=True) if g != r]
    assert not bad, f"{len(bad)} splits differ, e.g. {bad[:3]}"
    flags = splittable(normalized)
    assert flags.dtype == np.bool_ and flags.shape == (len(normalized),)
    expected = [
        len(w) >= repair.MIN_LENGTH and r is not None for w, r in zip(normalized, want, strict=True)
    ]
    assert flags.tolist() == expected


def test_the_extension_is_built_and_in_use():
    # `make setup` builds analysis._wordtypes; if the build breaks, word_rows()
    # silently falls back to the Python functions. This test makes CI notice.
    assert COMPILED, "analysis._wordtypes is not built: run `make setup` (needs gcc)"
    assert wordtypes._compiled_ready(), "the extension could not take the tables"


# --- (c) hand-worked expectations -------------------------------------------------


@pytest.mark.parametrize("surface", sorted(EXPECTED_CLITICS))
def test_seed_words(surface):
    # The (proclitics, bare, enclitic) that tests/test_text_seed.py worked out by
    # reading the seed article.
    procs, bare, enclitic = EXPECTED_CLITICS[surface]
    (got_bare,), (got_bares,), (got_procs,), (got_enclitic,) = word_rows([surface])
    assert (got_procs, got_bare, got_enclitic) == (procs, bare, enclitic)
    assert got_bares[0] == bare
    # The unsegmented word is always the last candidate (clitics module docstring).
    assert got_bares[-1] == normalize_word(surface)


@pytest.mark.parametrize("name", ["فرنسا", "أوباما", "بوقطاية"])
def test_names_untouched(name):
    bare, bares, procs, enclitic = (column[0] for column in word_rows([name]))
    assert procs == "" and enclitic == ""
    assert bare == normalize_word(name)  # أوباما → اوباما: only the alef unified
    assert bares == (bare,)


def test_run_together_words():
    # The seed article's run-together word (written الأممالمتحدة, twice): its
    # normalized form splits after الامم (5 letters: ا ل ا م م) into الامم + المتحدة.
    word = normalize_word("الأممالمتحدة")
    assert split_points([word]) == [(5,)]
    assert splittable([word]).tolist() == [True]
    # Attested words and short ones are never split.
    assert splittable(["المتحدة", "الامم", "فرنسا"]).tolist() == [False, False, False]


def test_empty_inputs():
    assert word_rows([]) == ([], [], [], [])
    assert split_points([]) == []
    assert splittable([]).tolist() == []


def test_bad_items_are_refused():
    if not COMPILED:
        pytest.skip("the Python path raises whatever the functions raise")
    with pytest.raises(TypeError, match="item 1"):
        word_rows(["كتاب", 3])
    with pytest.raises(TypeError, match="item 0"):
        splittable([b"x"])


# --- (b) random strings -----------------------------------------------------------

ARABIC_LETTERS = "".join(chr(c) for c in range(0x0621, 0x064B))
HAMZA_FORMS = "أإآٱءؤئ"
DIACRITICS = "".join(chr(c) for c in range(0x064B, 0x0653)) + "\u0670\u0654\u0655"
PERSIAN = "پچژگکیۀەھۃے"
DIGITS = "0123456789" + "".join(chr(c) for c in range(0x0660, 0x066A)) + "۰۱۲۳"
PRESENTATION = "ﻻﻷﺎﺑﺒﻟﻠﻣﺔﺓﻪﷲﷺﹰﹱﹶﹷ"
OTHER = "abcXYZ_ \u00a0\t\u200c\u200d\u200b\u200f\u202b\u00ad\U0001f600\U00010400"
ALPHABET = (
    ARABIC_LETTERS * 3 + HAMZA_FORMS + DIACRITICS + "\u0640" + PERSIAN + DIGITS + PRESENTATION
) + OTHER

CLITIC_HEADS = ["", "و", "ف", "ب", "ل", "ك", "س", "ال", "وال", "بال", "لل", "ولل", "فس", "وب"]
CLITIC_TAILS = ["", "ه", "ها", "هم", "هما", "هن", "ك", "كم", "نا", "ني", "ت", "تها", "تهم", "ي"]


@lru_cache(maxsize=1)
def common_words() -> list[str]:
    import wordfreq

    return wordfreq.top_n_list("ar", 3000, wordlist="large")


random_strings = st.lists(st.text(alphabet=ALPHABET, max_size=14), max_size=30)
clitic_words = st.lists(
    st.tuples(
        st.sampled_from(CLITIC_HEADS),
        st.one_of(
            st.integers(0, 2999).map(lambda i: common_words()[i]),
            st.text(alphabet=ARABIC_LETTERS + HAMZA_FORMS, min_size=1, max_size=6),
        ),
        st.sampled_from(CLITIC_TAILS),
        st.sampled_from(["", "", "", "\u064e", "\u0640", "\u0651", " ", "\u200c"]),
    ).map(lambda t: t[0] + t[3] + t[1] + t[2]),
    max_size=30,
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(random_strings)
def test_random_strings(words):
    assert_same_rows(words)
    assert_same_splits(words)
    assert_same_splits([normalize_word(w) for w in words])


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(clitic_words)
def test_clitic_letters_around_words(words):
    assert_same_rows(words)
    assert_same_splits([normalize_word(w) for w in words])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.integers(0, 2999), st.integers(0, 2999), st.integers(0, 2999))))
def test_run_together_common_words(triples):
    words = common_words()
    joined = [normalize_word(words[a] + words[b]) for a, b, _ in triples]
    joined += [normalize_word(words[a] + words[b] + words[c]) for a, b, c in triples]
    assert_same_splits(joined)
    assert_same_rows(joined)


# --- the fallbacks and the configuration ------------------------------------------


def test_fallbacks_take_what_the_fast_path_leaves_out():
    if not COMPILED:
        pytest.skip("no compiled path")
    rows_before, splits_before = wordtypes.fallback_counts()
    # Whitespace inside once normalized: clitics._analyse_general, via Python.
    inner_space = ["وال كتاب", "ب\u00a0ه", "كتابهم x"]
    assert_same_rows(inner_space)
    # A normalized-looking word that normalization would still change (hamza on
    # an alef, a diacritic): repair.find_split, via Python.
    changed = ["الأممالمتحدة", "الاممالمتحدَة"]
    assert_same_splits(changed)
    rows_after, splits_after = wordtypes.fallback_counts()
    assert rows_after - rows_before == len(inner_space)
    # assert_same_splits asks twice (split_points, splittable)
    assert splits_after - splits_before == 2 * len(changed)
    # Surrounding whitespace and diacritics are normalized in C (no fallback).
    assert_same_rows([" والكتاب ", "وَالكتابُ", "الكتــاب"])
    assert wordtypes.fallback_counts()[0] == rows_after


def test_edited_exceptions_take_effect(tmp_path, monkeypatch):
    # A word of the exceptions list is never segmented: adding باحتلال (ب + احتلال
    # by default, see the seed test) must make it whole, in C as in Python.
    assert word_rows(["باحتلال"])[2] == ["ب"]
    listed = tmp_path / "exceptions.txt"
    listed.write_text(clitics.EXCEPTIONS_FILE.read_text(encoding="utf-8") + "\nباحتلال\n")
    monkeypatch.setattr(clitics, "EXCEPTIONS_FILE", listed)
    clitics.exceptions.cache_clear()
    clitics.analyse_clitics.cache_clear()
    try:
        bare, bares, procs, enclitic = word_rows(["باحتلال", "وباحتلال"])
        assert (bare[0], procs[0], enclitic[0]) == ("باحتلال", "", "")
        assert_same_rows(["باحتلال", "وباحتلال", "لنضالها"])
    finally:
        monkeypatch.undo()
        clitics.exceptions.cache_clear()
        clitics.analyse_clitics.cache_clear()
    assert word_rows(["باحتلال"])[2] == ["ب"]


def test_not_letterwise_uses_python(monkeypatch):
    monkeypatch.setattr(clitics, "_LETTERWISE", False)
    before = wordtypes.fallback_counts()
    assert_same_rows(["لنضالها", "وَالمتضامنة"])
    assert wordtypes.fallback_counts() == before  # not handed to C at all


def test_pure_python_path(monkeypatch):
    # Without the extension (no compiler at install time) the same columns come
    # from the Python functions.
    monkeypatch.setattr(wordtypes, "_wordtypes", None)
    surfaces = sorted(EXPECTED_CLITICS) + ["فرنسا", "الأممالمتحدة", "وال كتاب"]
    assert_same_rows(surfaces)
    assert_same_splits([normalize_word(s) for s in surfaces])
    assert splittable([normalize_word("الأممالمتحدة")]).tolist() == [True]
    assert word_rows([]) == ([], [], [], [])


def test_no_memory_kept_between_calls():
    # Every object the C code creates is either returned or released: after a
    # warm-up, repeated calls whose results are dropped leave no memory behind
    # (tracemalloc sees PyMem/PyObject allocations, the extension's included).
    words = common_words()[:2000]
    pairs = [normalize_word(a + b) for a, b in zip(words, reversed(words), strict=True)]
    samples = words[:50]
    word_rows(words), split_points(pairs), splittable(pairs)
    gc.collect()
    refs = [sys.getrefcount(w) for w in samples]
    tracemalloc.start()
    try:
        base = tracemalloc.get_traced_memory()[0]
        for _ in range(5):
            word_rows(words), split_points(pairs), splittable(pairs)
        gc.collect()
        grown = tracemalloc.get_traced_memory()[0] - base
    finally:
        tracemalloc.stop()
    assert grown < 20_000, f"{grown} bytes kept after 5 calls"
    after = [sys.getrefcount(w) for w in samples]
    assert after == refs, [
        (w, a, b) for w, a, b in zip(samples, refs, after, strict=True) if a != b
    ]


# --- (a) wordfreq's whole list ----------------------------------------------------


@lru_cache(maxsize=1)
def wordfreq_forms() -> list[str]:
    import wordfreq

    return [w for bucket in wordfreq.get_frequency_list("ar", "large") for w in bucket]


VARIANTS = ["as written"] + [f"{p}+" for p in PROCLITICS] + [f"+{e}" for e in ENCLITICS]


def variant_forms(variant: str, forms: list[str]) -> list[str]:
    if variant.endswith("+"):
        return [variant[:-1] + f for f in forms]
    if variant.startswith("+"):
        return [f + variant[1:] for f in forms]
    return forms


def test_wordfreq_sample():
    # Every 47th form of the list, in every variant (~120k strings, a few
    # seconds): the ties of the ranking and of the thresholds that random
    # strings rarely produce, in the fast suite.
    sample = wordfreq_forms()[::47]
    for variant in VARIANTS:
        forms = variant_forms(variant, sample)
        assert_same_rows(forms)
        assert_same_splits([normalize_word(f) for f in forms])


@pytest.mark.slow
@pytest.mark.parametrize("variant", VARIANTS)
def test_wordfreq_list(variant):
    forms = wordfreq_forms()
    assert len(forms) > 600_000
    forms = variant_forms(variant, forms)
    for start in range(0, len(forms), 100_000):
        chunk = forms[start : start + 100_000]
        assert_same_rows(chunk)
        assert_same_splits([normalize_word(f) for f in chunk])


@pytest.mark.slow
def test_wordfreq_pairs():
    forms = wordfreq_forms()
    rng = random.Random(20261129)
    pairs = [normalize_word(rng.choice(forms) + rng.choice(forms)) for _ in range(5000)]
    pairs += [
        normalize_word(rng.choice(forms[:20000]) + rng.choice(forms[:20000])) for _ in range(5000)
    ]
    splits = reference_splits(pairs)
    # Not vacuous: many of these are split, some into three or four parts.
    assert sum(s is not None for s in splits) > 1000
    assert any(s is not None and len(s) > 1 for s in splits)
    assert_same_splits(pairs)
    assert_same_rows(pairs)
