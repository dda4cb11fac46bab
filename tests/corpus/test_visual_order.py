"""Text copied from a PDF in visual order: put back exactly, or refused; never wrong.

The oracle is the Unicode bidirectional algorithm as python-bidi applies it: a
line in reading order, shaped into presentation forms (arabic_reshaper) and laid
out right to left (``get_display``), is what a PDF copy in visual order holds.
:func:`analysis.corpus.to_reading_order` must give back the shaped line exactly,
or refuse it: a silently wrong order would be a silently wrong count.
"""

from __future__ import annotations

import arabic_reshaper
import pytest
from bidi import get_display
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis.corpus.visual import order_evidence, to_reading_order
from analysis.errors import CorpusError

WORDS = ["التضامن", "مع", "الشعب", "الصحراوي", "قال", "إن", "الاحتلال", "لا", "بلا", "الأمم"]
LATIN = ["UN", "ONU", "Barack", "Obama", "COVID", "Route", "A4"]
NUMBERS = ["2009", "14", "١٧", "۲۰۰۹", "14/11/2009", "2009-11-14", "3.5", "50%", "$100", "1,000"]
SEPARATORS = [" ", " ", " ", "، ", ". ", ": ", " - ", " / "]
BRACKETS = [("", ""), ("", ""), ("(", ")"), ("«", "»"), ("[", "]")]


def visual(line: str) -> str:
    return get_display(arabic_reshaper.reshape(line), base_dir="R")


@st.composite
def lines(draw) -> str:
    """A line of Arabic words, with Latin words, numbers, punctuation and brackets.

    Brackets pair, as they do in an article: the repair assumes so when it decides
    whether the copy mirrored them (a text whose brackets pair neither way is
    refused).
    """
    pieces = [draw(st.sampled_from(WORDS))]
    for _ in range(draw(st.integers(1, 12))):
        opening, closing = draw(st.sampled_from(BRACKETS))
        word = draw(st.sampled_from(WORDS + WORDS + LATIN + NUMBERS))
        pieces.append(draw(st.sampled_from(SEPARATORS)) + opening + word + closing)
    return "".join(pieces)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(lines(), min_size=1, max_size=4))
def test_a_visual_copy_is_put_back_exactly_or_refused(logical_lines):
    logical = "\n".join(arabic_reshaper.reshape(line) for line in logical_lines)
    copy = "\n".join(visual(line) for line in logical_lines)
    try:
        repaired, notes = to_reading_order(copy, "copy.txt")
    except CorpusError as error:
        assert str(error).startswith("copy.txt") and "cannot be" in str(error)
        return
    if notes:  # recognised as visual: every line exactly back
        assert repaired == logical
    else:  # too little evidence to say (a line of isolated forms only): kept as is
        assert repaired == copy
        assert all(order_evidence(line)[1] == 0 for line in copy.split("\n"))


def test_a_text_in_reading_order_is_left_alone():
    text = arabic_reshaper.reshape("قال الوفد إن التضامن مع الشعب الصحراوي واجب·\nUN 2009")
    assert to_reading_order(text, "x.txt") == (text, [])
    assert to_reading_order("نص عادي بلا أشكال عرض", "x.txt") == ("نص عادي بلا أشكال عرض", [])


@pytest.mark.parametrize(
    "line",
    [
        "قال أوباما (Barack Obama) في UN / ONU إن التضامن واجب",
        "من ١٤ إلى ١٧ نوفمبر ۲۰۰۹ أي 14/11/2009 ثم 2009-11-14 بنسبة 50%",
        "UN / ONU قال",  # a Latin run at the start of the line
        "قال الوفد: «التضامن» [واجب] - 3.5 و 1,000",
    ],
)
def test_examples_by_hand(line):
    repaired, notes = to_reading_order(visual(line), "x.txt")
    assert repaired == arabic_reshaper.reshape(line) and notes


def test_evidence_counts_letter_pairs_that_fit_one_order():
    # الشعب in presentation forms: ﺍ isolated, ﻟ initial, ﺸ medial, ﻌ medial, ﺐ final.
    # Pairs ﺍﻟ, ﻟﺸ and ﻌﺐ only fit reading order; ﺸﻌ (medial, medial) fits both.
    shaped = arabic_reshaper.reshape("الشعب")
    assert order_evidence(shaped) == (3, 0)
    assert order_evidence(shaped[::-1]) == (0, 3)
