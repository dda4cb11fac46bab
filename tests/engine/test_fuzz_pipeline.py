"""Fuzzing loading + text stage + frame matching: only documented errors escape.

Hypothesis feeds random bytes (written to a file and loaded as a corpus document)
and random Unicode text (Arabic ranges, presentation forms, bidi and zero-width
controls, diacritics, tatweel, digits, Latin, punctuation, whitespace; no
surrogates) through ``corpus.load_document`` → ``pipeline.analyse_text`` →
``frames.match_lexicon`` → ``measures.kwic``. The only exceptions allowed are the
project's own :class:`~analysis.errors.AnalysisError` subclasses (warnings are
allowed: they document repairs). Every successful run must also keep the
offset contract (``original[start:end] == surface``) and give hits whose
surfaces are slices of the text, so a crash-free but wrong result fails too.
"""

from __future__ import annotations

import tempfile
import warnings
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis import measures
from analysis.corpus import load_document
from analysis.engine import analyse_text
from analysis.errors import AnalysisError
from analysis.lexicon import load_frame_lexicon, match_lexicon

LEXICON = load_frame_lexicon()
FUZZ = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)

# Pieces that exercise every normalization rule and loader check.
ARABIC_WORDS = ["تضامن", "الاستعمار", "تقرير المصير", "الشعب", "ندعم", "الأممالمتحدة", "قال"]
SPECIAL = list(
    "\u064b\u064e\u0651\u0652\u0670\u0640\u200b\u200c\u200d\u200e\u200f\u061c"
    "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u2060\ufeff\u00ad"
    "ی\u06a9\u06c1\u06be٠١٩۰۹ﻷﺑﷺ\ufdfd«»“”\"'·.،؟!\n\r\t <>&"
)
CHARS = st.one_of(
    st.characters(min_codepoint=0x0600, max_codepoint=0x06FF),
    st.characters(min_codepoint=0xFB50, max_codepoint=0xFEFF, exclude_categories=("Cs",)),
    st.sampled_from(SPECIAL),
    st.characters(exclude_categories=("Cs",)),
)
TEXTS = st.one_of(
    st.text(CHARS, max_size=300),
    st.lists(st.one_of(st.sampled_from(ARABIC_WORDS), st.text(CHARS, max_size=5)), max_size=40).map(
        " ".join
    ),
)


def _check_run(text: str, doc_id: str = "fuzz") -> None:
    """Text stage + matcher + KWIC on ``text``; check the offset contract."""
    tables = analyse_text(text, doc_id)
    tokens = tables.tokens
    for start, end, surface in zip(tokens["start"], tokens["end"], tokens["surface"], strict=True):
        assert text[start:end] == surface
    hits = match_lexicon(tables, LEXICON).hits
    for start, end, surface in zip(hits["start"], hits["end"], hits["surface"], strict=True):
        assert text[start:end] == surface
    concordance = measures.kwic(hits, tokens)
    assert len(concordance) == len(hits)
    if len(hits):
        pd.testing.assert_frame_equal(
            measures.count_frames(concordance), measures.count_frames(hits)
        )


def _load_and_run(data: bytes, directory: Path) -> None:
    path = directory / "doc.txt"
    path.write_bytes(data)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            doc = load_document(path)
            _check_run(doc.text, doc.doc_id)
    except AnalysisError as error:
        assert str(path) in str(error)  # a loader error names the file


@pytest.fixture(scope="module")
def scratch() -> Path:
    with tempfile.TemporaryDirectory() as directory:
        yield Path(directory)


@FUZZ
@given(data=st.binary(max_size=400))
def test_random_bytes_load_or_fail_with_a_documented_error(scratch, data):
    _load_and_run(data, scratch)


@FUZZ
@given(text=TEXTS, encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-16-le"]))
def test_random_text_in_any_encoding_loads_or_fails_with_a_documented_error(
    scratch, text, encoding
):
    _load_and_run(text.encode(encoding), scratch)


@FUZZ
@given(text=TEXTS)
def test_random_text_through_the_pipeline_never_crashes(text):
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            _check_run(text)
    except AnalysisError:
        pass
