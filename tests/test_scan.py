"""The compiled scanner (``analysis._scan``) against its specification.

``analysis.scan.scan_reference`` (normalize + tokenize + factorize, pure Python)
is the specification; ``scan`` (the C extension when built) must give the same
``Scan`` field by field: strings, dtypes and every array value. Checked on the
seed article, on hostile variants of it, on hand-worked texts and on random
strings (Hypothesis) mixing every kind of character the normalization and the
tokenizer treat specially. Speed is measured in benchmarks/bench_scan.py.
"""

from __future__ import annotations

import gc
import sys
import tracemalloc
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import arabic_reshaper
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis import scan as scan_module
from analysis.scan import COMPILED, Scan, scan, scan_reference

ROOT = Path(__file__).resolve().parent.parent
SEED = (ROOT / "corpus" / "algiers-sahrawi-solidarity-2009.txt").read_bytes().decode("utf-8")
ARRAYS = ("nstart", "nend", "start", "end", "codes", "scodes")


def assert_same(got: Scan, want: Scan) -> None:
    """``got`` equals ``want`` field by field (values, dtypes, None-ness)."""
    assert got.original is want.original or got.original == want.original
    assert got.ntext == want.ntext
    if want.index is None:
        assert got.index is None
    else:
        assert got.index is not None
        assert got.index.dtype == want.index.dtype == np.int64
        assert np.array_equal(got.index, want.index)
    for name in ARRAYS:
        a, b = getattr(got, name), getattr(want, name)
        assert a.dtype == b.dtype == np.int64, name
        assert a.shape == b.shape, name
        assert np.array_equal(a, b), name
    assert got.uniques == want.uniques
    assert got.suniques == want.suniques
    assert all(type(s) is str for s in got.uniques + got.suniques)


def assert_invariants(result: Scan) -> None:
    """Every token's type strings are its slices of the two texts."""
    text, ntext = result.original, result.ntext
    for i in range(len(result)):
        ns, ne = int(result.nstart[i]), int(result.nend[i])
        s, e = int(result.start[i]), int(result.end[i])
        assert result.uniques[result.codes[i]] == ntext[ns:ne]
        assert result.suniques[result.scodes[i]] == text[s:e]
    # Types are in order of first occurrence: the first token of type k comes
    # after the first token of type k - 1.
    for codes in (result.codes, result.scodes):
        if len(codes):
            firsts = np.unique(codes, return_index=True)[1]
            assert np.all(np.diff(firsts) > 0)
            assert codes.max() + 1 == len(np.unique(codes))


def check(text: str) -> Scan:
    got = scan(text)
    assert_same(got, scan_reference(text))
    assert_invariants(got)
    return got


def test_the_extension_is_built_and_in_use():
    # `make setup` builds analysis._scan; if the build breaks, scan() silently
    # falls back to the pure-Python reference. This test makes CI notice.
    assert COMPILED, "analysis._scan is not built: run `make setup` (needs gcc)"
    assert scan_module._scan is not None
    assert scan_module.scan(SEED).codes.base is not None  # numpy view of a C buffer


def test_seed_article():
    result = check(SEED)
    # The seed's only deleted characters are two shaddas (offsets 426 and 1114,
    # found by reading it): 2237 characters become 2235, so an index exists.
    assert len(SEED) == 2237 and len(result.ntext) == 2235
    assert result.index is not None
    assert SEED[426] == SEED[1114] == "\u0651"
    # The shadda words stay whole and their surfaces keep the shadda.
    assert sum("\u0651" in s for s in result.suniques) == 2


# Hand-worked texts: tokens, offsets and types read off the characters.
def test_hand_worked_arabic_with_deletion_and_ligature():
    # q a l FATHA ' ' ' ' LAM-ALEF ' ' ' ' . . .
    # 0 1 2 3     4 5 6 7        8 9 10 11 12 13
    text = "قال\u064e ''\ufefb'' ..."
    result = check(text)
    # fatha deleted, ﻻ (U+FEFB) becomes لا (two characters): the index exists.
    assert result.ntext == "قال ''لا'' ..."
    assert result.index.tolist() == [0, 1, 2, 4, 5, 6, 7, 7, 8, 9, 10, 11, 12, 13]
    assert result.nstart.tolist() == [0, 4, 6, 8, 11]
    assert result.nend.tolist() == [3, 6, 8, 10, 14]
    assert result.start.tolist() == [0, 5, 7, 8, 11]
    # قال ends after its last letter (2) plus the trailing fatha (3): 4.
    assert result.end.tolist() == [4, 7, 8, 10, 14]
    assert result.uniques == ["قال", "''", "لا", "..."]
    assert result.codes.tolist() == [0, 1, 2, 1, 3]
    assert result.suniques == ["قال\u064e", "''", "\ufefb", "..."]
    assert result.scodes.tolist() == [0, 1, 2, 1, 3]


def test_hand_worked_latin_punctuation_runs():
    # a1_b is one \w run (digits and _ are word characters); ".." and "!" are two
    # runs (a run repeats one character); "c" then "''" (apostrophes split off).
    text = "a1_b ..! c''"
    result = check(text)
    assert result.index is None
    assert result.uniques == ["a1_b", "..", "!", "c", "''"]
    assert result.start.tolist() == [0, 5, 7, 9, 10]
    assert result.end.tolist() == [4, 7, 8, 10, 12]


def test_hand_worked_nul_and_astral():
    # NUL is neither \w nor \s: a run of two NULs is one token. U+1D7D8/U+1D7D9
    # (double-struck digits) are \w; U+1F600 x3 is one run of a repeated symbol.
    text = "\x00\x00\U0001d7d8\U0001d7d9 \U0001f600\U0001f600\U0001f600"
    result = check(text)
    assert result.uniques == ["\x00\x00", "\U0001d7d8\U0001d7d9", "\U0001f600" * 3]
    assert result.start.tolist() == [0, 2, 5]
    assert result.end.tolist() == [2, 4, 8]


@pytest.mark.parametrize(
    "text",
    [
        "",
        " ",
        "\u064e",  # only a deleted character: empty text, empty (not None) index
        "\u064e\u0640 \u200f",
        "\ufefb",
        "\ufefb" * 3000,  # every character expands: the output buffer grows
        "\u00ad",  # Latin-1 text with a deletion
        "caf\u00e9 na\u00efve \u00b2\u00b3 \xa0x\x85y\x1cz",
        "\ud800 \udfff\ud800x",  # lone surrogates
        "x" * 100_000,  # one long token
        "." * 50_000 + "," * 50_000,
        "'" * 7 + "a" + "'",
        "_\u200b_",
        "\r\n\t\u2028\u2029\u3000\u1680\u180e",
        "\ufdf2 \ufdfa \ufdfd \ufe70\ufe71 \ufefc",  # Allah ligature, phrase ligatures, marks
        "\u06f1\u06f2\u0661\u0662 \u06cc\u06a9\u06c1\u06c3 \u0671\u0622\u0649",
        "\u0628" + "\u0640" * 10_000 + "\u064e" * 10_000,
    ],
)
def test_edge_cases(text):
    check(text)


def _with_marks(text: str) -> str:
    marks = "\u064e\u064f\u0650\u0651\u0652\u0640\u0670"
    return "".join(
        c + marks[i % len(marks)] if "\u0621" <= c <= "\u064a" else c for i, c in enumerate(text)
    )


def _with_controls(text: str) -> str:
    controls = ["\u200f", "\u200e", "\u061c", "\u202b", "\u202c", "\u2067", "\u2069", "\u200c"]
    words = text.split(" ")
    return "\u200b".join(w + controls[i % len(controls)] for i, w in enumerate(words))


HOSTILE = {
    "presentation forms (PDF copy)": arabic_reshaper.reshape(SEED),
    "diacritics and tatweel on every letter": _with_marks(SEED),
    "bidi and zero-width controls, ZWSP between words": _with_controls(SEED),
    "CRLF and tabs": SEED.replace(". ", ".\r\n").replace(" ", "\t", 20),
    "Persian letters and digits": SEED.replace("ي", "ی")
    .replace("ك", "ک")
    .translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")),
    "Arabic-Indic digits": SEED.translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")),
    "NUL characters": SEED.replace(" ", "\x00", 30),
    "astral characters": SEED.replace(" ", " \U0001f600 ", 30) + "\U00020000\U0001d7d8",
    "seed repeated on one line": (SEED + " ") * 20,
}


@pytest.mark.parametrize("name", list(HOSTILE))
def test_hostile_variants_of_the_seed(name):
    check(HOSTILE[name])


# Random strings over every character class the two stages treat specially.
ATOMS = (
    [chr(c) for c in range(0x0621, 0x064B, 3)]  # Arabic letters
    + [chr(c) for c in range(0x064B, 0x0660)]  # diacritics
    + ["\u0670", "\u06d6", "\u06e1", "\u06ed", "\u0640", "\u0640\u0640\u0640"]
    + ["\u200e", "\u200f", "\u061c", "\u202a", "\u202e", "\u2066", "\u2069"]
    + ["\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad", "\u200b"]
    + ["\ufef5", "\ufef7", "\ufef9", "\ufefb", "\ufefc", "\ufdf2", "\ufdfa", "\ufe70"]
    + ["\u06cc", "\u06a9", "\u06c1", "\u06c3", "\u0623", "\u0625", "\u0622", "\u0671", "\u0649"]
    + list("aZ_é\u00b2")
    + list("0189")
    + list("٠٥٩")
    + list("۰۵۹")
    + ["'", "''", "'''", '"', "«", "»", "“", "”"]
    + list(".,!?،؛؟·…-")
    + ["...", "!!", "؟؟؟"]
    + [" ", "  ", "\n", "\r\n", "\t", "\xa0", "\u2028", "\x1c", "\x85"]
    + ["\U0001f600", "\U00010400", "\U0001d7d8", "\U00020000", "\x00", "\ud800"]
)
RANDOM_TEXT = st.lists(
    st.one_of(
        st.sampled_from(ATOMS),
        st.characters(min_codepoint=0xFB50, max_codepoint=0xFDFF),
        st.characters(min_codepoint=0xFE70, max_codepoint=0xFEFF),
        st.characters(min_codepoint=0x0600, max_codepoint=0x06FF),
    ),
    max_size=40,
).map("".join)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(RANDOM_TEXT)
def test_random_strings_match_the_reference(text):
    check(text)


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=30))
def test_random_unicode_matches_the_reference(text):
    check(text)


def test_many_distinct_types():
    # 30,000 distinct words (the type tables grow several times) and their
    # repetition in reverse order (every lookup finds the type made before).
    words = [f"w{i}" for i in range(30_000)]
    text = " ".join(words + words[::-1])
    result = check(text)
    assert len(result.uniques) == 30_000
    assert result.codes[:30_000].tolist() == list(range(30_000))
    assert result.codes[30_000:].tolist() == list(range(29_999, -1, -1))


def test_large_texts_use_mapped_memory_and_grow():
    # 600,000 lam-alef ligatures become 1.2 million characters: the output and
    # index buffers (mapped blocks from 1 MiB on) grow while the text is read;
    # scanned twice so the second scan reuses pooled blocks with stale contents.
    text = "\ufefb" * 600_000 + " \u064e" + "x y" * 200_000
    want = scan_reference(text)
    for _ in range(2):
        assert_same(scan(text), want)


def test_threads_scan_concurrently():
    # The character loop runs without the GIL; memory blocks come from a shared
    # pool. Eight threads scanning different texts must each get their own result.
    texts = [HOSTILE[name] * (i + 1) for i, name in enumerate(HOSTILE)]
    want = [scan_reference(t) for t in texts]
    with ThreadPoolExecutor(4) as pool:
        for _ in range(3):
            for got, expected in zip(pool.map(scan, texts), want, strict=True):
                assert_same(got, expected)


def test_fallback_gives_the_reference(monkeypatch):
    monkeypatch.setattr(scan_module, "_scan", None)
    assert_same(scan_module.scan(SEED), scan_reference(SEED))


def test_arrays_are_writable_and_own_their_memory():
    result = scan("كتاب كتاب")
    for name in ("index", *ARRAYS):
        array = getattr(result, name)
        if array is not None:
            assert array.flags.writeable
    result.codes[0] = 7
    assert scan("كتاب كتاب").codes.tolist() == [0, 0]


@pytest.mark.skipif(not COMPILED, reason="the C extension is not built")
def test_bad_arguments_are_refused():
    ext = scan_module._scan
    with pytest.raises(TypeError):
        ext.scan(b"bytes")
    tables = scan_module._compiled_tables()
    ext.configure(*tables)  # the same tables again: accepted, nothing changes
    changed = bytearray(tables[0])
    changed[4 * ord("x")] = ord("y")
    with pytest.raises(RuntimeError, match="once per process"):
        ext.configure(bytes(changed), tables[1], tables[2])
    with pytest.raises(ValueError):
        ext.configure(tables[0][:-4], tables[1], tables[2])


@pytest.mark.skipif(not COMPILED, reason="the C extension is not built")
def test_no_leaks():
    text = _with_marks(SEED) * 5 + " \ufefb" * 100
    refs = sys.getrefcount(text)
    for _ in range(3):
        scan(text)
    gc.collect()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        for _ in range(30):
            result = scan(text)
            del result
        gc.collect()
        after = tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()
    # One scan of this text allocates ~1 MB (arrays, types); 30 leaking scans
    # would keep tens of MB. A few KB of interpreter noise are allowed.
    assert after - before < 64_000
    assert sys.getrefcount(text) == refs


# --- lookup: the vocabulary look-up of a batch's types ---------------------------


@given(
    st.dictionaries(st.text(max_size=4), st.integers(-(2**62), 2**62), max_size=30),
    st.lists(st.text(max_size=4), max_size=60),
)
@settings(max_examples=200, deadline=None)
def test_lookup_equals_dict_get(mapping, keys):
    from analysis.scan import lookup

    expected = [mapping.get(k, -1) for k in keys]
    assert lookup(mapping, keys).tolist() == expected
    assert lookup(mapping, keys).dtype == np.int64


def test_lookup_errors_are_raised():
    from analysis import scan as scan_mod

    if not scan_mod.COMPILED:
        pytest.skip("compiled scanner not built")
    with pytest.raises(TypeError):
        scan_mod._scan.lookup({"a": 1}, [["unhashable"]])
    with pytest.raises(TypeError):
        scan_mod._scan.lookup({"a": "not an int"}, ["a"])
    with pytest.raises(OverflowError):
        scan_mod._scan.lookup({"a": 2**70}, ["a"])
