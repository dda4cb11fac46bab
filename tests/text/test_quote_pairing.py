"""Pairing of quotation marks (analysis.text.quotes.pair_marks), on worked examples."""

from __future__ import annotations

from analysis.engine import analyse_text
from analysis.text.quotes import Mark, pair_marks


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


def test_an_open_mark_runs_on_when_the_next_paragraph_closes_it():
    # Paragraph 1 has one " written as a closing mark: it closes paragraph 0's quote.
    run_on = [Mark(0, '"', 0), Mark(1, '"', 1, closing=True)]
    assert pair_marks(run_on) == [(0, 1)]
    # Written as an opening mark, it opens a quote of its own: paragraph 0's is dropped.
    assert pair_marks([Mark(0, '"', 0), Mark(1, '"', 1)]) == []
    # Three marks in paragraph 1, the first closing: it closes, the other two pair.
    three = [Mark(0, '"', 0), Mark(1, '"', 1, True), Mark(2, '"', 1), Mark(3, '"', 1)]
    assert pair_marks(three) == [(0, 1), (2, 3)]
    # Two marks in paragraph 1: they pair with each other, whatever their shape.
    two = [Mark(0, '"', 0), Mark(1, '"', 1, True), Mark(2, '"', 1)]
    assert pair_marks(two) == [(1, 2)]
    # Only into the next paragraph, not over one in between.
    assert pair_marks([Mark(0, '"', 0), Mark(1, '"', 2, closing=True)]) == []


def test_two_marks_with_no_word_between_are_no_quotation():
    # ` " "لقد … "`: the first mark is stray, the second opens the quotation.
    marks = [Mark(0, '"', 0, words_before=5), Mark(1, '"', 0, words_before=5),
             Mark(9, '"', 0, words_before=12)]  # fmt: skip
    assert pair_marks(marks) == [(1, 9)]


def quoted(text: str) -> list[str]:
    return analyse_text(text, "q", warn=False).quotes.text.tolist()


def test_a_quotation_runs_over_a_line_break_inside_a_paragraph():
    # Paragraphs separated by blank lines: the single line break is inside one.
    text = 'قال الوزير "الوضع صعب\nلكننا سنواصل" ثم غادر.\n\nوقال "شكرا" للحضور.'
    assert quoted(text) == ["الوضع صعب\nلكننا سنواصل", "شكرا"]
    # A paragraph per line: the quotation runs on because the next line's only
    # mark closes it (glued to the word before it); the line break inside the
    # quoted clause ends no sentence.
    text = 'عرّف القانون العنف بأنه "كل اعتداء يتسبب في إيذاء\nأو ضرر للمرأة".\nوقال "لا".'
    tables = analyse_text(text, "q", warn=False)
    assert tables.quotes.text.tolist() == ["كل اعتداء يتسبب في إيذاء\nأو ضرر للمرأة", "لا"]
    assert tables.sentences.text.tolist() == [
        'عرّف القانون العنف بأنه "كل اعتداء يتسبب في إيذاء\nأو ضرر للمرأة".',
        'وقال "لا".',
    ]


def test_a_stray_mark_does_not_invert_later_quotes():
    # A paragraph per line (one blank line, three single breaks): the stray " of the
    # first line is dropped; a stray mark before the quotation is left out too.
    text = 'تجربة "هاكاثون\nثم "الأولى" و"الثانية"\nوأضاف: " "نحن هنا".\n\nانتهى'
    assert quoted(text) == ["الأولى", "الثانية", "نحن هنا"]
