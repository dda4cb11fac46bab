"""Token kinds, decided by hand for each class of first character."""

from __future__ import annotations

import pytest

from analysis.text.tokens import token_kind


@pytest.mark.parametrize(
    ("token", "kind"),
    [
        ("الشعب", "word"),
        ("ك", "word"),
        ("UN2009", "latin"),  # Latin letters and digits: not only digits
        ("abc", "latin"),
        ("2009", "number"),
        ("3.5", "number"),  # a decimal number is one number token
        ("12.5%", "number"),  # and so is a percentage
        ("15.04.2018", "number"),  # a date written with dots
        ("3٫5", "number"),  # Arabic decimal separator (٫ is in the Arabic block)
        ("5٪", "number"),  # Arabic percent sign
        ("ب3.1", "word"),  # a clitic glued to a number: a word
        ("_x", "latin"),
        ("''", "quote"),
        ("'", "punct"),  # a lone apostrophe is not a quotation mark
        ('"', "quote"),
        ("«", "quote"),
        ("”", "quote"),
        ("؟", "punct"),
        ("...", "punct"),
        ("،", "punct"),
        ("abcش", "word"),  # any Arabic letter makes a word
    ],
)
def test_kind(token, kind):
    assert token_kind(token) == kind
