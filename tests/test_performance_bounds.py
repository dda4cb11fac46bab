"""Performance changes that must not change any result (issues #3 and #7).

* the word-frequency table built from wordfreq's packed list equals the one built
  the documented way, from ``wordfreq.get_frequency_dict`` (an independent path);
* the letter counts of ``corpus.check_text`` (by regex runs) equal a per-character
  count, on a hand-counted text and on every Unicode character;
* the bounded per-type caches stay within their bound, and emptying them while a
  text is analysed gives the same tables;
* the frame matcher's per-type comparison keys equal hand-worked ones, whether the
  ``bares`` column holds tuples, lists or nothing.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis import pipeline, tokens
from analysis.corpus import _ARABIC_LETTER_RE, _letter_counts
from analysis.frames import _token_keys
from analysis.pipeline import analyse_text

SEED = Path(__file__).resolve().parent.parent / "corpus" / "algiers-sahrawi-solidarity-2009.txt"


def test_frequencies_equal_those_of_the_frequency_dictionary() -> None:
    import wordfreq

    from analysis.clitics import _frequencies
    from analysis.normalize import normalize_word

    reference: dict[str, float] = {}
    for word, freq in wordfreq.get_frequency_dict("ar", "large").items():
        key = normalize_word(word)
        reference[key] = reference.get(key, 0.0) + freq
    wordfreq.get_frequency_dict.cache_clear()
    wordfreq.get_frequency_list.cache_clear()
    ours = _frequencies()
    assert len(ours) == len(reference)
    # Same keys, same floats to the last bit (zipf thresholds compare them).
    assert all(ours[k].hex() == v.hex() for k, v in reference.items())


def test_letter_counts_of_a_hand_counted_text() -> None:
    text = "abc ²½ سَلام ١٢ x_y"
    # Letters (str.isalpha): a b c (3) + س ل ا م (4) + x y (2) = 9; ² and ½ are
    # numeric, the fatha is a mark (Mn), ١٢ are digits, _ is punctuation.
    # Arabic block (U+0600–U+06FF …): س َ ل ا م (5) + ١ ٢ (U+0661, U+0662) = 7.
    assert _letter_counts(text) == (7, 9)


def test_letter_counts_over_all_of_unicode() -> None:
    everything = "".join(map(chr, range(sys.maxunicode + 1)))
    letters = sum(1 for c in everything if c.isalpha())
    arabic = len(_ARABIC_LETTER_RE.findall(everything))
    assert _letter_counts(everything) == (arabic, letters)


def test_token_kind_cache_is_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tokens, "_KIND_CACHE", {})
    monkeypatch.setattr(tokens, "_KIND_CACHE_MAX", 3)
    # Kinds by reading: Arabic letters → word, digits → number, Latin → latin,
    # the Arabic comma → punct, a guillemet → quote.
    expected = {"قال": "word", "12": "number", "abc": "latin", "،": "punct", "«": "quote"}
    for _ in range(3):
        for token, kind in expected.items():
            assert tokens.token_kind(token) == kind
            assert len(tokens._KIND_CACHE) <= 3


def test_emptying_the_type_vocabulary_changes_no_table(monkeypatch: pytest.MonkeyPatch) -> None:
    text = SEED.read_text(encoding="utf-8")
    full = analyse_text(text, "seed", warn=False)
    small_vocabulary = pipeline._Vocabulary(pipeline._SURFACES.names, 7)
    monkeypatch.setattr(pipeline, "_SURFACES", small_vocabulary)
    # One document per call, so the vocabulary is emptied between documents.
    sentences = text.split("·")
    for _ in range(2):
        for k, sentence in enumerate(sentences):
            kept = analyse_text(sentence, f"s{k}", warn=False)
            fresh = pipeline._Vocabulary(pipeline._SURFACES.names, 10**9)
            with monkeypatch.context() as m:
                m.setattr(pipeline, "_SURFACES", fresh)
                alone = analyse_text(sentence, f"s{k}", warn=False)
            for name in ("tokens", "sentences", "quotes", "repairs"):
                pd.testing.assert_frame_equal(getattr(kept, name), getattr(alone, name))
    # The vocabulary was emptied along the way: it holds fewer than the seed's
    # 250-odd written types (it keeps only the last sentence's).
    assert len(small_vocabulary) < full.tokens["surface"].nunique() // 2
    again = analyse_text(text, "seed", warn=False)
    for name in ("tokens", "sentences", "quotes", "repairs"):
        pd.testing.assert_frame_equal(getattr(full, name), getattr(again, name))


def _obj(values: list) -> np.ndarray:
    out = np.empty(len(values), dtype=object)
    out[:] = values
    return out


@pytest.mark.parametrize("container", [tuple, list])
def test_token_keys_per_type(container) -> None:
    normalized = _obj(["قضية", "قضية", "والقضية", "شعب"])
    bares = _obj([container(["قضية"]), container(["قضية"]), container(["قضية", "والقضية"]), None])
    written, keys = _token_keys(normalized, bares)
    # match_key folds teh marbuta into heh; keys = written form + every bare form;
    # no bares (None) leaves the written form alone.
    assert written == ["قضيه", "قضيه", "والقضيه", "شعب"]
    assert keys == [
        frozenset({"قضيه"}),
        frozenset({"قضيه"}),
        frozenset({"والقضيه", "قضيه"}),
        frozenset({"شعب"}),
    ]


def test_token_keys_of_no_tokens() -> None:
    assert _token_keys(_obj([]), _obj([])) == ([], [])


def test_vocabulary_keeps_only_the_types_it_is_told_to() -> None:
    vocabulary = pipeline._Vocabulary({"length": np.int64, "upper": object}, 2)

    def attributes(words):
        return lambda positions: {
            "length": [len(words[k]) for k in positions.tolist()],
            "upper": [words[k].upper() for k in positions.tolist()],
        }

    words = ["aa", "b", "cccc", "dd"]
    ids = vocabulary.ids(words, attributes(words))
    assert ids.tolist() == [0, 1, 2, 3]
    before = dict(vocabulary.values)
    vocabulary.keep_only(np.array([1, 3]))
    # "b" and "dd" are renumbered 0 and 1 with their attributes; the others are gone.
    assert vocabulary.index.items() == [("b", 0), ("dd", 1)]
    assert vocabulary.values["length"].tolist() == [1, 2]
    assert vocabulary.values["upper"].tolist() == ["B", "DD"]
    # Arrays handed out before still answer for the old ids.
    assert before["upper"][[0, 2]].tolist() == ["AA", "CCCC"]
    # A known word is not analysed again; a new one is.
    seen = []
    again = ["dd", "e"]
    ids = vocabulary.ids(again, lambda p: seen.extend(p.tolist()) or attributes(again)(p))
    assert ids.tolist() == [1, 2] and seen == [1]


def test_vocabulary_shrinks_to_the_batch_and_the_most_used() -> None:
    vocabulary = pipeline._Vocabulary({"length": np.int64}, 10)
    vocabulary.KEEP_MOST_USED = 0.2  # keep the 2 most used types besides the batch's

    def attributes(words):
        return lambda positions: {"length": [len(words[k]) for k in positions.tolist()]}

    words = ["a", "bb", "ccc", "dddd", "eeeee", "ffffff"]
    ids = vocabulary.ids(words, attributes(words))
    # Tokens seen: "ccc" 5 times, "eeeee" 3 times, "a" twice, the others once.
    vocabulary.note_uses(ids[[2, 2, 2, 2, 2, 4, 4, 4, 0, 0, 1, 3, 5]])
    assert vocabulary.uses[:6].tolist() == [2, 1, 5, 1, 3, 1]
    # The batch just analysed used "ffffff" (id 5): kept with the 2 most used.
    vocabulary.shrink(np.array([5]))
    assert vocabulary.index.items() == [("ccc", 0), ("eeeee", 1), ("ffffff", 2)]
    assert vocabulary.values["length"][:3].tolist() == [3, 5, 6]
    assert vocabulary.uses[:3].tolist() == [5, 3, 1]  # counts follow their types
    # A forgotten type is analysed again when it comes back.
    again = vocabulary.ids(["a", "ccc"], attributes(["a", "ccc"]))
    assert again.tolist() == [3, 0]
    assert vocabulary.values["length"][3] == 1


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.integers(0, 6), max_size=60).map(lambda u: np.array(u, dtype=np.int64)),
    st.integers(-1, 70),
)
def test_most_used_is_the_stable_sort_rule(uses: np.ndarray, k: int) -> None:
    # The k most used types, ties to the lower id, as a stable sort by
    # decreasing count would pick them (small counts: many ties).
    expected = np.argsort(-uses, kind="stable")[: max(k, 0)]
    assert sorted(pipeline._most_used(uses, k).tolist()) == sorted(expected.tolist())
