"""``tokens.token_kinds`` (the batch form with a shortcut) equals ``token_kind``."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from analysis import tokens


def _reference(token: str) -> str:
    """token_kind without its cache (so the shortcut is compared with the rules)."""
    tokens._KIND_CACHE.pop(token, None)
    return tokens.token_kind(token)


def test_every_first_character():
    # Every BMP character as a token's first character, alone and followed by
    # Latin letters, digits, an Arabic word or a quote mark.
    chars = [chr(c) for c in range(0x10000) if not 0xD800 <= c < 0xE000]
    for rest in ("", "ab", "12", "كتب", "'"):
        batch = [c + rest for c in chars]
        assert tokens.token_kinds(batch) == [_reference(t) for t in batch]


def test_shortcut_covers_the_arabic_letters():
    # The shortcut must actually be taken for ordinary Arabic words.
    for word in ("الشعب", "تقرير", "ولقضيتهم", "ك"):
        assert word[0] in tokens._WORD_FIRST
    for token in ("'", "«", "1", "a", "_x", "؟"):
        assert token[0] not in tokens._WORD_FIRST


@given(st.lists(st.text(min_size=1, max_size=6), max_size=40))
@settings(max_examples=200, deadline=None)
def test_random_tokens(batch):
    assert tokens.token_kinds(batch) == [_reference(t) for t in batch]
