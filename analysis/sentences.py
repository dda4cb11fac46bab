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

TERMINATORS = frozenset(".!?؟·…۔")
CLOSERS = frozenset(")]}»”›")
WORD_KINDS = ("word", "number", "latin")


def sentence_ids(
    text: str,
    nstart: np.ndarray,
    nend: np.ndarray,
    normalized: list[str],
    kind: list[str],
    closing: np.ndarray,
) -> np.ndarray:
    """0-based sentence number of every token.

    ``text`` is the normalized text the spans point into; ``closing[i]`` says
    token ``i`` is a closing quotation delimiter (from :mod:`analysis.quotes`).
    """
    n = len(normalized)
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    breaks = np.zeros(n, dtype=bool)  # break after token i
    for i in range(n):
        tok = normalized[i]
        if kind[i] != "punct" or tok[0] not in TERMINATORS:
            continue
        if (
            tok == "."
            and 0 < i < n - 1
            and kind[i - 1] == "number"
            and kind[i + 1] == "number"
            and nend[i - 1] == nstart[i]
            and nend[i] == nstart[i + 1]
        ):
            continue
        j = i
        while (
            j + 1 < n
            and nstart[j + 1] == nend[j]
            and (closing[j + 1] or normalized[j + 1][0] in CLOSERS)
        ):
            j += 1
        breaks[j] = True
    position = text.find("\n")
    while position >= 0:
        j = int(np.searchsorted(nstart, position))
        if 0 < j:
            breaks[j - 1] = True
        position = text.find("\n", position + 1)
    ids = np.concatenate(([0], np.cumsum(breaks[:-1])))
    # Join segments without words to the sentence before (or after, at the start).
    is_word = np.fromiter((k in WORD_KINDS for k in kind), dtype=bool, count=n)
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
    first_word = int(np.argmax(has_word)) if has_word.any() else 0
    target[: first_word + 1] = np.where(
        has_word[: first_word + 1], target[: first_word + 1], first_word
    )
    keep = np.unique(target)
    renumber = np.searchsorted(keep, target)
    return renumber[ids]
