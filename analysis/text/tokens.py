"""Tokens of a normalized word: what is a word, a number, a quotation mark, punctuation.

Tokens are found on *normalized* text (so diacritics, tatweel and zero-width
characters never split a word: ``خلّفت`` stays whole). The text stage hands this
module one whitespace-delimited piece of text at a time (``الشعب،``, ``''لا``),
once per distinct piece. A token is

* a run of word characters (the words ``pyarabic.araby.tokenize`` finds);
* a run of apostrophes (``''`` is a quotation mark in much Arabic web text;
  pyarabic glues it to the word it touches);
* a run of one repeated other character (``...``, ``،``, ``«``), the punctuation
  pyarabic drops.

``tests/text/test_text_properties.py`` checks that the words are pyarabic's.

Kinds: ``word`` (contains an Arabic letter), ``number`` (digits only), ``latin``
(other word characters), ``quote`` (``''``, ``"``, « », “ ” and the like),
``punct`` (a run of one repeated punctuation character).
"""

from __future__ import annotations

import re

QUOTE_CHARS = '"«»“”„‟‹›'
WORD_KINDS = ("word", "number", "latin")
_TOKEN = re.compile(r"\w+|'+|([^\w\s'])\1*")
_ARABIC = re.compile("[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufefe]")


def tokenize(text: str) -> list[tuple[int, int]]:
    """Token spans ``(start, end)`` of a normalized string, in order."""
    return [m.span() for m in _TOKEN.finditer(text)]


def token_kind(token: str) -> str:
    """Kind of a (normalized, non-empty) token: word, number, latin, quote or punct."""
    first = token[0]
    if first == "'":
        return "quote" if len(token) >= 2 else "punct"
    if first in QUOTE_CHARS:
        return "quote"
    if not (first.isalnum() or first == "_"):
        return "punct"
    if _ARABIC.search(token):
        return "word"
    if token.isdigit():
        return "number"
    return "latin"
