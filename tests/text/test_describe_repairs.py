"""``normalize.describe_repairs`` (one pass over runs) equals the plain count per character."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.text.normalize import (
    BIDI_CONTROLS,
    PERSIAN_URDU_VARIANTS,
    TATWEEL,
    ZERO_WIDTH,
    ZERO_WIDTH_SPACE,
    describe_repairs,
)

_PRESENTATION = re.compile("[\ufb50-\ufdff\ufe70-\ufefe]")


def _reference(text: str) -> list[str]:
    """The rule written out plainly: count every character of each kind, find the first."""
    messages = []
    checks = [
        (BIDI_CONTROLS, "bidi control character(s) (U+200E/F, U+202A–E, U+2066–9) removed"),
        (ZERO_WIDTH + [ZERO_WIDTH_SPACE], "zero-width character(s) removed (U+200B → space)"),
        (list(PERSIAN_URDU_VARIANTS), "Persian/Urdu letter variant(s) mapped to Arabic letters"),
    ]
    for chars, message in checks:
        n = sum(text.count(c) for c in chars)
        if n:
            first = min(i for i in (text.find(c) for c in chars) if i >= 0)
            messages.append(f"{n} {message}; first at offset {first}")
    presentation = _PRESENTATION.findall(text)
    if presentation:
        first = _PRESENTATION.search(text).start()
        messages.append(
            f"{len(presentation)} presentation-form character(s) folded to base letters "
            f"(text copied from a PDF?); first at offset {first}"
        )
    runs = re.search(TATWEEL + "{3,}", text)
    if runs:
        messages.append(f"tatweel run(s) of 3 or more removed; first at offset {runs.start()}")
    return messages


ALPHABET = (
    "".join(BIDI_CONTROLS)
    + "".join(ZERO_WIDTH)
    + ZERO_WIDTH_SPACE
    + PERSIAN_URDU_VARIANTS
    + TATWEEL * 4
    + "ﻷﺍﺏ\ufb50\ufdff\ufe70\ufefe\ufeff"
    + "كتب الشعب abc 123"
)


@given(st.text(alphabet=ALPHABET, max_size=60))
@settings(max_examples=1000, deadline=None)
def test_equals_the_plain_count(text):
    assert describe_repairs(text) == _reference(text)


def test_worked_example():
    # Two bidi marks (one at 3), a zero-width joiner at 7, a run of 4 tatweels
    # at 9 (then x at 13) and one of 2 at 14 (not reported), two presentation
    # forms at 16.
    text = "abc\u200fd\u200fe\u200df" + "ـــــ"[:4] + "x" + "ـــ"[:2] + "ﻷﺏ"
    assert describe_repairs(text) == [
        "2 bidi control character(s) (U+200E/F, U+202A–E, U+2066–9) removed; first at offset 3",
        "1 zero-width character(s) removed (U+200B → space); first at offset 7",
        "2 presentation-form character(s) folded to base letters (text copied from a PDF?); "
        "first at offset 16",
        "tatweel run(s) of 3 or more removed; first at offset 9",
    ]
