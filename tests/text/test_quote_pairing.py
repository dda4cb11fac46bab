"""Pairing of quotation marks (analysis.text.quotes.pair_marks), on worked examples."""

from __future__ import annotations

from analysis.text.quotes import pair_marks


def marks(text: str, paragraphs: str | None = None) -> list[tuple[int, str, int]]:
    """One mark per character of ``text`` (``'`` stands for ``''``); its paragraph from
    the digit at the same place in ``paragraphs`` (default: all in paragraph 0)."""
    return [
        (k, "''" if c == "'" else c, int(paragraphs[k]) if paragraphs else 0)
        for k, c in enumerate(text)
    ]


def test_directional_marks_nest_and_kinds_do_not_mix():
    # « « “ ” » »: nested, the inner pair closes first; “ ” is a kind of its own.
    assert pair_marks(marks("««“”»»")) == [(0, 5), (1, 4), (2, 3)]


def test_a_closer_without_an_opener_is_left_alone():
    assert pair_marks(marks("»«»")) == [(1, 2)]


def test_symmetric_marks_alternate():
    assert pair_marks(marks('""""')) == [(0, 1), (2, 3)]
    assert pair_marks(marks("''''")) == [(0, 1), (2, 3)]
    # the two kinds of symmetric marks pair separately
    assert pair_marks(marks("'\"'\"")) == [(0, 2), (1, 3)]


def test_an_unclosed_symmetric_mark_is_dropped_at_the_end_of_its_paragraph():
    # paragraph 0 has one stray ", so paragraph 1's marks pair with each other
    assert pair_marks(marks('"""', "011")) == [(1, 2)]


def test_directional_pairs_may_cross_paragraphs():
    assert pair_marks(marks("«»", "01")) == [(0, 1)]
