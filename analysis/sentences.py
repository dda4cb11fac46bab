"""Sentence segmentation on tokens.

A sentence ends after a terminator token — ``.`` ``!`` ``?`` ``؟`` ``·`` ``…``
``۔`` (Urdu full stop) — and at every line break, whether or not a space follows
(``الغربية·ليس`` is two sentences). Exceptions and attachments:

* a ``.`` between two digits with no space (``3.5``) is a decimal point;
* closing quotation marks and brackets directly after a terminator belong to the
  sentence that ends (``…الاستعمار.''``);
* a segment without any word, number or Latin token (a stray ``·``, ``...``) is
  joined to the sentence before it.

pyarabic's ``sentence_tokenize`` is not used: it splits at the Arabic comma ``،``
and ignores ``·``, which this corpus uses as its full stop.
"""

from __future__ import annotations

import numpy as np

from analysis.columns import char_positions

TERMINATORS = frozenset(".!?؟·…۔")
CLOSERS = frozenset(")]}»”›")
WORD_KINDS = ("word", "number", "latin")


def sentence_ids_batch(
    text: str,
    nstart: np.ndarray,
    nend: np.ndarray,
    doc: np.ndarray,
    first: np.ndarray,
    last: np.ndarray,
    terminators: np.ndarray,
    is_dot: np.ndarray,
    is_number: np.ndarray,
    attaches: np.ndarray,
    is_word: np.ndarray,
    newlines: np.ndarray | None = None,
) -> np.ndarray:
    """Sentence numbers of a batch of documents, with numpy only (no loop per token).

    The rules of the module docstring, applied to several documents at once:
    ``doc[i]`` is token ``i``'s document, ``first[k]``/``last[k]`` the token range
    of document ``k``; ``is_dot`` marks ``.`` tokens (decimal points). Returns
    batch-wide numbers that start at 0 and grow by one per sentence; a sentence
    never crosses a document boundary, and a segment without words is joined to
    a sentence of its own document only. ``newlines``: the positions of line breaks
    in ``text`` when the caller has them already.
    """
    n = len(nstart)
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    t = np.asarray(terminators, dtype=np.int64)
    if len(t):
        inner = (t > 0) & (t < n - 1)
        tt = t[inner]
        decimal = (
            is_dot[tt]
            & is_number[tt - 1]
            & is_number[tt + 1]
            & (nend[tt - 1] == nstart[tt])
            & (nend[tt] == nstart[tt + 1])
        )
        keep = np.ones(len(t), dtype=bool)
        keep[np.flatnonzero(inner)[decimal]] = False
        t = t[keep]
    # A break after a terminator moves past closing marks glued to it.
    chain = np.zeros(n, dtype=bool)
    chain[:-1] = (nstart[1:] == nend[:-1]) & attaches[1:]
    position = np.where(chain, n, np.arange(n, dtype=np.int64))
    stop_at = np.minimum.accumulate(position[::-1])[::-1]
    breaks = np.zeros(n, dtype=bool)
    breaks[stop_at[t]] = True
    if newlines is None:
        newlines = char_positions(text, "\n")
    if len(newlines):
        following = np.searchsorted(nstart, newlines)
        following = following[following > 0]
        breaks[following - 1] = True
    nonempty = last > first
    breaks[last[nonempty] - 1] = True  # every document ends a sentence
    ids = np.concatenate(([0], np.cumsum(breaks[:-1])))
    n_seg = int(ids[-1]) + 1
    has_word = np.zeros(n_seg, dtype=bool)
    has_word[ids[is_word]] = True
    if has_word.all():
        return ids
    seg_first = np.concatenate(([0], np.flatnonzero(breaks[:-1]) + 1))
    seg_doc = doc[seg_first]
    doc_first_seg = ids[first[seg_doc]]
    doc_last_seg = ids[last[seg_doc] - 1]
    segments = np.arange(n_seg, dtype=np.int64)
    last_word = np.maximum.accumulate(np.where(has_word, segments, -1))
    next_word = np.minimum.accumulate(np.where(has_word, segments, n_seg)[::-1])[::-1]
    target = np.where(
        last_word >= doc_first_seg,
        last_word,
        np.where(next_word <= doc_last_seg, next_word, segments),
    )
    keep = np.unique(target)
    return np.searchsorted(keep, target)[ids]
