"""Tokens of a normalized word: what is a word, a number, a quotation mark, punctuation.

Tokens are found on *normalized* text (so diacritics, tatweel and zero-width
characters never split a word: ``خلّفت`` stays whole). The text stage hands this
module one whitespace-delimited piece of text at a time (``الشعب،``, ``''لا``),
once per distinct piece. A token is

* a number written with separators — a decimal point or comma, the Arabic
  decimal and thousands separators ``٫`` ``٬``, the dots of a date — and an
  optional percent sign: ``3.5``, ``12.5%``, ``15.04.2018``, ``1,000``, ``50%``
  (after normalization Arabic-Indic digits are ASCII: ``٣٫٥`` is ``3٫5``). Word
  characters glued before it belong to the same token (``ب3.1``), so that a
  separator never splits a number;
* a run of word characters (the words ``pyarabic.araby.tokenize`` finds);
* a run of apostrophes (``''`` is a quotation mark in much Arabic web text;
  pyarabic glues it to the word it touches);
* a run of one repeated other character (``...``, ``،``, ``«``), the punctuation
  pyarabic drops.

``tests/text/test_text_properties.py`` checks that the words are pyarabic's,
except that a number with separators is one token (pyarabic splits ``3.5`` in
two and drops ``.`` and ``%``).

Kinds: ``word`` (contains an Arabic letter), ``number`` (digits, with separators
and a percent sign as above), ``latin``
(other word characters), ``quote`` (``''``, ``"``, « », “ ” and the like),
``punct`` (a run of one repeated punctuation character).
"""

from __future__ import annotations

import re

QUOTE_CHARS = '"«»“”„‟‹›'
WORD_KINDS = ("word", "number", "latin")
NUMBER_SEPARATORS = ".,\u066b\u066c"  # . , ٫ ٬ between digits
PERCENT_SIGNS = "%\u066a"  # % ٪
_NUMBER = rf"\d+(?:[{NUMBER_SEPARATORS}]\d+)*[{PERCENT_SIGNS}]|\d+(?:[{NUMBER_SEPARATORS}]\d+)+"
_TOKEN = re.compile(rf"\w*?(?:{_NUMBER})|\w+|'+|([^\w\s'])\1*")
_NUMBER_TOKEN = re.compile(rf"\d+|{_NUMBER}")
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
    if token.isdigit() or _NUMBER_TOKEN.fullmatch(token):
        return "number"  # before the letter test: ٫ and ٪ are in the Arabic block
    if _ARABIC.search(token):
        return "word"
    return "latin"
