"""Sentence segmentation of a token sequence.

A sentence ends after a terminator token — ``.`` ``!`` ``?`` ``؟`` ``·`` ``…``
``۔`` (Urdu full stop) — and at every line break, whether or not a space follows
(``الغربية·ليس`` is two sentences). Exceptions and attachments:

* a ``.`` between two digits with no space (``3.5``) is a decimal point;
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

import numpy as np

TERMINATORS = frozenset(".!?؟·…۔")
CLOSERS = frozenset(")]}»”›")


def sentence_numbers(
    terminator: np.ndarray,
    decimal_dot: np.ndarray,
    attaches: np.ndarray,
    touches: np.ndarray,
    line_break_after: np.ndarray,
    content: np.ndarray,
    doc: np.ndarray,
) -> np.ndarray:
    """Sentence number of every token, counted from 0 across all documents.

    Per token: ``terminator`` (ends a sentence unless a decimal point),
    ``decimal_dot`` (a ``.`` that is a decimal point), ``attaches`` (a closing
    bracket or quotation mark), ``touches`` (no space since the previous token),
    ``line_break_after`` (a line break before the next token), ``content`` (a
    word, number or Latin token) and ``doc`` (the document's number, never
    decreasing). A sentence never crosses a document boundary.
    """
    n = len(doc)
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    ends = _ends_after_terminators(terminator & ~decimal_dot, attaches & touches)
    ends |= line_break_after
    ends[np.flatnonzero(np.diff(doc))] = True  # the last token of a document
    ends[-1] = True
    segment = np.concatenate(([0], np.cumsum(ends[:-1])))
    return _join_wordless(segment, content, doc)


def decimal_dots(is_dot: np.ndarray, is_number: np.ndarray, touches: np.ndarray) -> np.ndarray:
    """Tokens that are a ``.`` written between two digits without a space (``3.5``)."""
    out = np.zeros(len(is_dot), dtype=bool)
    if len(is_dot) >= 3:
        out[1:-1] = is_dot[1:-1] & is_number[:-2] & is_number[2:] & touches[1:-1] & touches[2:]
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
