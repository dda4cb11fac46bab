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
