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

import re

import numpy as np

TERMINATORS = frozenset(".!?؟·…۔")
CLOSERS = frozenset(")]}»”›")
WORD_KINDS = ("word", "number", "latin")
_NEWLINE = re.compile("\n")


def sentence_ids(
    text: str,
    nstart: np.ndarray,
    nend: np.ndarray,
    normalized: list[str],
    terminators: np.ndarray,
    is_number: np.ndarray,
    attaches: np.ndarray,
    is_word: np.ndarray,
) -> np.ndarray:
    """0-based sentence number of every token.

    ``text`` is the normalized text the spans point into; ``terminators`` are the
    indices of terminator tokens; ``is_number`` marks number tokens (for decimal
    points); ``attaches[i]`` says token ``i`` is a closing quotation delimiter or
    closing bracket that stays with a sentence ending right before it;
    ``is_word`` marks word, number and Latin tokens.
    """
    n = len(normalized)
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    breaks = np.zeros(n, dtype=bool)  # break after token i
    for i in terminators.tolist():
        if (
            normalized[i] == "."
            and 0 < i < n - 1
            and is_number[i - 1]
            and is_number[i + 1]
            and nend[i - 1] == nstart[i]
            and nend[i] == nstart[i + 1]
        ):
            continue
        j = i
        while j + 1 < n and nstart[j + 1] == nend[j] and attaches[j + 1]:
            j += 1
        breaks[j] = True
    newlines = np.array([m.start() for m in _NEWLINE.finditer(text)], dtype=np.int64)
    if len(newlines):
        following = np.searchsorted(nstart, newlines)
        following = following[following > 0]
        breaks[following - 1] = True
    ids = np.concatenate(([0], np.cumsum(breaks[:-1])))
    # Join segments without words to the sentence before (or after, at the start).
    n_sent = int(ids[-1]) + 1
    has_word = np.zeros(n_sent, dtype=bool)
    has_word[ids[is_word]] = True
    if has_word.all():
        return ids
    target = np.arange(n_sent)
    last = -1
    for s in range(n_sent):
        if has_word[s]:
            last = s
        elif last >= 0:
            target[s] = last
    if has_word.any():
        first_word = int(np.argmax(has_word))
        target[:first_word] = first_word
    keep = np.unique(target)
    renumber = np.searchsorted(keep, target)
    return renumber[ids]
