"""Property tests (Hypothesis) for the text stage on random Arabic/Latin/punctuation text.

Properties: no crash; normalization idempotent; every token's offsets valid,
ordered, non-overlapping and ``original[start:end] == surface``; sentences and
quotes are valid slices; the tokenizer gives exactly pyarabic's words
(``tokenize_with_location``, apostrophe runs split off) and the punctuation
between them, except that a number written with separators (``3.5``, ``12.5%``,
``15.04.2018``, with the word characters glued before it) is one token;
analysing documents together equals analysing them one by one.
"""

from __future__ import annotations

import re

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis.engine import analyse_text
from analysis.text.normalize import normalize, normalize_word
from analysis.text.tokens import tokenize

APOSTROPHES_OR_REST = re.compile(r"'+|[^']+")
PUNCTUATION_RUN = re.compile(r"([^\w\s'])\1*")
# The documented exception to pyarabic: digits joined by . , ٫ ٬ (at least one
# separator, or a final % ٪), with the word characters glued before them.
SEPARATED_NUMBER = re.compile(r"\w*?\d+(?:[.,٫٬]\d+)*[%٪]|\w*?\d+(?:[.,٫٬]\d+)+")


def expected_tokens(text: str) -> list[tuple[int, int]]:
    """pyarabic's tokens (below) between the numbers with separators, each one token."""
    spans: list[tuple[int, int]] = []
    position = 0
    for number in SEPARATED_NUMBER.finditer(text):
        gap = text[position : number.start()]
        spans += [(a + position, b + position) for a, b in pyarabic_tokens(gap)]
        spans.append(number.span())
        position = number.end()
    return spans + [(a + position, b + position) for a, b in pyarabic_tokens(text[position:])]


def pyarabic_tokens(text: str) -> list[tuple[int, int]]:
    """pyarabic's words, with apostrophe runs split off and the punctuation it drops kept."""
    import pyarabic.araby as araby

    spans: list[tuple[int, int]] = []
    position = 0
    for item in araby.tokenize_with_location(text):
        start, end = item["start"], item["end"]
        spans += [m.span() for m in PUNCTUATION_RUN.finditer(text, position, start)]
        spans += [m.span() for m in APOSTROPHES_OR_REST.finditer(text, start, end)]
        position = end
    return spans + [m.span() for m in PUNCTUATION_RUN.finditer(text, position)]


LETTERS = "ابتثجحخدذرزسشصضطظعغفقكلمنهويءآأإؤئةى"
PIECES = [
    *LETTERS,
    *"\u064b\u064c\u064d\u064e\u064f\u0650\u0651\u0652\u0670",  # diacritics
    "\u0640",  # tatweel
    *"abcXYZéç",
    *"0123456789٠١٢٣٤٥٦٧٨٩۰۱۲۳",
    *".,;:!?،؛؟·…-()[]«»“”\"'%٫٬٪",
    "''",
    " ",
    " ",
    " ",
    "\n",
    "\t",
    *"\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff",
    *"یکہےۀ",  # Persian/Urdu variants
    *"ﻻﻷﺑﺴﻢﺍﻟﻠﻪﷺ\ufe70",  # presentation forms
    "الأمم",
    "المتحدة",
    "الأممالمتحدة",
    "خلّفت",
    "وقال",
]
texts = st.lists(st.sampled_from(PIECES), max_size=80).map("".join)
PROPERTY_SETTINGS = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


@PROPERTY_SETTINGS
@given(texts)
def test_normalization_idempotent(text):
    once = normalize(text).text
    assert normalize(once).text == once
    assert normalize_word(normalize_word(text)) == normalize_word(text)


@PROPERTY_SETTINGS
@given(texts)
def test_offsets_valid_ordered_and_surface_matches(text):
    tables = analyse_text(text, "random", warn=False)
    t = tables.tokens
    starts, ends = t.start.tolist(), t.end.tolist()
    for row in t.itertuples():
        assert 0 <= row.start < row.end <= len(text)
        assert text[row.start : row.end] == row.surface
        assert row.surface.strip() == row.surface or not row.surface.strip()
    assert all(e <= s for e, s in zip(ends, starts[1:], strict=False))  # ordered, disjoint
    assert t["index"].tolist() == list(range(len(t)))
    assert t.sentence.is_monotonic_increasing
    for row in tables.sentences.itertuples():
        assert text[row.start : row.end] == row.text
    for row in tables.quotes.itertuples():
        assert 0 <= row.start <= row.end <= len(text)
        assert text[row.start : row.end] == row.text
    for row in tables.repairs.itertuples():
        assert text[row.start : row.end] == row.original
        assert normalize_word(row.replacement.replace(" ", "")) == normalize_word(row.original)


@PROPERTY_SETTINGS
@given(texts)
def test_tokens_are_pyarabics_words_and_the_punctuation(text):
    normalized = normalize(text).text
    assert tokenize(normalized) == expected_tokens(normalized)


def test_numbers_with_separators_are_one_token():
    # Worked out by hand: each number below is one token, whatever its separators.
    text = "نمو 3.5 و12.5% في 15.04.2018 ثم ٣٫٥ من 1,000 بـ3.1 الفقرة 2."
    normalized = normalize(text).text
    got = [normalized[a:b] for a, b in tokenize(normalized)]
    assert got == ["نمو", "3.5", "و12.5%", "في", "15.04.2018", "ثم", "3٫5", "من", "1,000",
                   "ب3.1", "الفقرة", "2", "."]  # fmt: skip


def test_no_word_character_lost():
    # Every letter/digit of the original lies inside some token.
    text = "قال: ''الحرية''، ٢٠٠٩ abc·ليس\u200fهذا خلّفت"
    t = analyse_text(text, "x", warn=False).tokens
    covered = set()
    for row in t.itertuples():
        covered.update(range(row.start, row.end))
    assert all(i in covered for i, c in enumerate(text) if c.isalnum())


def comparable(table: pd.DataFrame) -> pd.DataFrame:
    """A table with type ids dropped (each analysis numbers its own types) and
    categoricals as plain values."""
    table = table.drop(columns=["type_id"], errors="ignore")
    return table.astype({c: object for c in table.columns if table[c].dtype == "category"})


@settings(max_examples=40, deadline=None)
@given(st.lists(texts, min_size=1, max_size=5))
def test_batch_equals_one_by_one(docs):
    # Batching joins documents internally; nothing may cross a document boundary.
    from analysis.engine import analyse_texts

    pairs = [(f"d{i}", d) for i, d in enumerate(docs)]
    batched = analyse_texts(pairs, batch_size=3)
    singles = [analyse_text(d, i, warn=False) for i, d in pairs]
    for name in ("tokens", "sentences", "quotes", "repairs"):
        got = comparable(getattr(batched, name))
        want = pd.concat([comparable(getattr(s, name)) for s in singles], ignore_index=True)
        pd.testing.assert_frame_equal(got, want, check_dtype=False)
