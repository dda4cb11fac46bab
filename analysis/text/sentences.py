"""Sentence segmentation of a token sequence.

A sentence ends after a terminator token — ``.`` ``!`` ``?`` ``؟`` ``·`` ``…``
``۔`` (Urdu full stop), or a run of one of them such as ``..`` — whether or not
a space follows (``الغربية·ليس`` is two sentences), and at every line break
except one inside a quotation that runs over that single line break (its marks
on two consecutive lines, :func:`quoted_line_breaks`): there the line was broken
in the middle of the quoted words, and a terminator before the break still ends
the sentence.
Numbers written with dots (``3.5``, ``15.04.2018``) are one token
(:mod:`analysis.text.tokens`), so their dots never end a sentence. A terminator
is only a pause, not an end, when (:func:`pauses`):

* it is an **ellipsis** (two or more dots, or ``…``), not glued to another
  terminator (``!!..`` ends after the whole run), and the sentence goes on
  after it on the same line: the next token is punctuation that does not end a
  sentence (``، , ؛ ; :``) or a word that ties its clause to the one before
  (a word written with the conjunction و or ف, or one of
  ``lexicons/continuation_words.txt``: لكن، لذا، ثم، أن …), or the ellipsis
  stands between brackets (``(...)``, an omission inside a quotation). An
  ellipsis followed by a new sentence, a closing quotation mark or a line break
  ends its sentence;
* it is a ``.`` written without spaces between two Latin or number tokens (a
  web address, an e-mail or a file name: ``CNN.com``);
* it is a ``.`` glued to a one-letter Arabic word and followed by a word on the
  same line: an abbreviation or an initial (``د. محمد``, ``د.ب.أ``, ``ج. ويلسون``);
* it is a ``.`` glued to a number that begins its line and followed by a word on
  the same line: the number of a list item (``1. فكّر ملياً``).

Attachments:

* closing quotation marks and brackets directly after a terminator belong to the
  sentence that ends (``…الاستعمار.''``);
* a segment without any word, number or Latin token (a stray ``·``, ``...``) is
  joined to the sentence before it (or, at the start of a document, after it).

pyarabic's ``sentence_tokenize`` is not used: it splits at the Arabic comma ``،``
and ignores ``·``, which some texts use as their full stop.

The rule is written over whole arrays of tokens (one entry per token), so that
it runs at the speed of numpy on a corpus of any size.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

TERMINATORS = frozenset(".!?؟·…۔")
CLOSERS = frozenset(")]}»”›")


def sentence_numbers(
    terminator: np.ndarray,
    pause: np.ndarray,
    attaches: np.ndarray,
    touches: np.ndarray,
    line_break_after: np.ndarray,
    content: np.ndarray,
    doc: np.ndarray,
) -> np.ndarray:
    """Sentence number of every token, counted from 0 across all documents.

    Per token: ``terminator`` (ends a sentence unless a pause), ``pause`` (a
    terminator that does not end one, :func:`pauses`), ``attaches`` (a closing
    bracket or quotation mark), ``touches`` (no space since the previous token),
    ``line_break_after`` (a line break before the next token), ``content`` (a
    word, number or Latin token) and ``doc`` (the document's number, never
    decreasing). A sentence never crosses a document boundary.
    """
    n = len(doc)
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    ends = _ends_after_terminators(terminator & ~pause, attaches & touches)
    ends |= line_break_after
    ends[np.flatnonzero(np.diff(doc))] = True  # the last token of a document
    ends[-1] = True
    segment = np.concatenate(([0], np.cumsum(ends[:-1])))
    return _join_wordless(segment, content, doc)


def quoted_line_breaks(line: np.ndarray, pairs: list[tuple[int, int]]) -> np.ndarray:
    """Tokens followed by a line break inside a quotation that runs over that one break.

    ``line`` counts the line breaks before each token (never decreasing);
    ``pairs`` are the ``(open, close)`` tokens of the quotations.
    """
    out = np.zeros(len(line), dtype=bool)
    if not pairs:
        return out
    opens, closes = np.array(pairs, dtype=np.int64).T
    one_break = closes[line[closes] - line[opens] == 1]
    # The last token before the closing mark's line.
    out[np.searchsorted(line, line[one_break], side="left") - 1] = True
    return out


@dataclass(frozen=True)
class TokenMarks:
    """Per-token booleans that :func:`pauses` reads (one entry per token)."""

    terminator: np.ndarray  # . ! ? ؟ · … ۔ or a run of one of them
    ellipsis: np.ndarray  # a run of two or more dots, or …
    dot: np.ndarray  # exactly "."
    continues: np.ndarray  # a word that ties its clause to the one before (و/ف, لكن …)
    soft_punct: np.ndarray  # punctuation that does not end a sentence: ، , ؛ ; :
    open_bracket: np.ndarray  # ( [ {
    close_bracket: np.ndarray  # ) ] }
    latin_or_number: np.ndarray  # a Latin or number token
    number: np.ndarray  # a number token
    single_letter: np.ndarray  # an Arabic word of one letter
    content: np.ndarray  # a word, number or Latin token
    touches: np.ndarray  # no space since the previous token
    line_break_after: np.ndarray  # a line break before the next token
    doc: np.ndarray  # the document's number


def pauses(marks: TokenMarks) -> np.ndarray:
    """Terminators that do not end a sentence (ellipses, addresses, ``د.``, ``1.``): module doc."""
    n = len(marks.doc)
    if n == 0:
        return np.zeros(0, dtype=bool)
    # Token i + 1 as seen from token i, when it follows on the same line in the same document.
    same_line = ~marks.line_break_after[:-1] & (marks.doc[1:] == marks.doc[:-1])
    next_ = {name: _following(getattr(marks, name), same_line)
             for name in ("continues", "soft_punct", "close_bracket", "latin_or_number",
                          "content", "touches")}  # fmt: skip
    previous = {name: _preceding(getattr(marks, name), marks.doc)
                for name in ("terminator", "open_bracket", "latin_or_number",
                             "single_letter")}  # fmt: skip
    line_start = ~_preceding(~marks.line_break_after, marks.doc)  # first token of its line
    previous["list_number"] = _preceding(marks.number & line_start, marks.doc)
    goes_on = next_["continues"] | next_["soft_punct"]
    bracketed = previous["open_bracket"] & next_["close_bracket"]
    in_a_run = previous["terminator"] & marks.touches  # !!.. : one run of terminators
    ellipsis = marks.ellipsis & ~in_a_run & (goes_on | bracketed)
    address = (
        marks.dot
        & marks.touches
        & next_["touches"]
        & previous["latin_or_number"]
        & next_["latin_or_number"]
    )
    abbreviation = marks.dot & marks.touches & previous["single_letter"] & next_["content"]
    list_number = marks.dot & marks.touches & previous["list_number"] & next_["content"]
    return ellipsis | address | abbreviation | list_number


def _following(values: np.ndarray, same_line: np.ndarray) -> np.ndarray:
    """For each token, ``values`` of the next token if it follows on the same line, else False."""
    out = np.zeros(len(values), dtype=bool)
    out[:-1] = values[1:] & same_line
    return out


def _preceding(values: np.ndarray, doc: np.ndarray) -> np.ndarray:
    """For each token, ``values`` of the previous token of the same document, else False."""
    out = np.zeros(len(values), dtype=bool)
    out[1:] = values[:-1] & (doc[1:] == doc[:-1])
    return out


def _ends_after_terminators(terminator: np.ndarray, glued_closer: np.ndarray) -> np.ndarray:
    """The token that ends each terminator's sentence.

    The terminator, or the last closing mark glued to it (``.''`` ends after the
    quotation mark).
    """
    n = len(terminator)
    continues = np.zeros(n, dtype=bool)
    continues[:-1] = glued_closer[1:]  # the next token is a closing mark glued to this one
    # For each token, the first token at or after it that the next one does not continue.
    position = np.where(continues, n, np.arange(n))
    stop_at = np.minimum.accumulate(position[::-1])[::-1]
    ends = np.zeros(n, dtype=bool)
    ends[stop_at[np.flatnonzero(terminator)]] = True
    return ends


def _join_wordless(segment: np.ndarray, content: np.ndarray, doc: np.ndarray) -> np.ndarray:
    """Join each segment without content to the previous sentence of its document (or the next)."""
    n_segments = int(segment[-1]) + 1
    has_content = np.zeros(n_segments, dtype=bool)
    has_content[segment[content]] = True
    if has_content.all():
        return segment
    first_token = np.searchsorted(segment, np.arange(n_segments))
    segment_doc = doc[first_token]
    ids = np.arange(n_segments)
    previous = np.maximum.accumulate(np.where(has_content, ids, -1))
    following = np.minimum.accumulate(np.where(has_content, ids, n_segments)[::-1])[::-1]
    same_doc_prev = (previous >= 0) & (segment_doc[np.maximum(previous, 0)] == segment_doc)
    same_doc_next = (following < n_segments) & (
        segment_doc[np.minimum(following, n_segments - 1)] == segment_doc
    )
    target = np.where(same_doc_prev, previous, np.where(same_doc_next, following, ids))
    kept = np.unique(target)
    return np.searchsorted(kept, target)[segment]
