"""The vocabulary and the per-type shortcuts must not change any result.

* the word-frequency table equals the one built the documented way, from
  ``wordfreq.get_frequency_dict`` (an independent path), and its disk cache
  gives back the same table;
* the letter counts of ``check_text`` equal a per-character count;
* what a vocabulary has seen before never changes a table: analysing a text
  with a fresh vocabulary, with a warm one, or with one that restarted midway
  gives the same rows;
* the per-type comparison keys of the matcher equal hand-worked ones.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

from analysis.corpus.decode import _ARABIC_LETTER_RE, _letter_counts
from analysis.engine import Vocabulary, analyse_text, analyse_texts
from analysis.lexicon.matching import type_keys
from analysis.text import wordlist
from analysis.text.normalize import normalize_word

SEED = Path(__file__).resolve().parents[2] / "corpus" / "algiers-sahrawi-solidarity-2009.txt"


def test_frequencies_equal_those_of_the_frequency_dictionary() -> None:
    import wordfreq

    reference: dict[str, float] = {}
    for word, freq in wordfreq.get_frequency_dict("ar", "large").items():
        key = normalize_word(word)
        reference[key] = reference.get(key, 0.0) + freq
    wordfreq.get_frequency_dict.cache_clear()
    wordfreq.get_frequency_list.cache_clear()
    ours = wordlist.frequencies()
    assert len(ours) == len(reference)
    # Same keys, same floats to the last bit (zipf thresholds compare them).
    assert all(ours[k].hex() == v.hex() for k, v in reference.items())


def test_the_cache_gives_back_the_table_it_was_given(tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(wordlist, "CACHE_DIR", tmp_path)
    wordlist.frequencies.cache_clear()
    try:
        built = wordlist.frequencies()  # built and written
        assert len(list(tmp_path.glob("*.pickle"))) == 1
        wordlist.frequencies.cache_clear()
        read = wordlist.frequencies()  # read back
        assert read == built and read is not built
        next(tmp_path.glob("*.pickle")).write_bytes(b"damaged")
        wordlist.frequencies.cache_clear()
        assert wordlist.frequencies() == built  # a damaged cache is rebuilt
    finally:
        wordlist.frequencies.cache_clear()


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


def rows(table: pd.DataFrame) -> pd.DataFrame:
    """A table without type ids, categoricals as plain values."""
    table = table.drop(columns=["type_id"], errors="ignore")
    return table.astype({c: object for c in table.columns if table[c].dtype == "category"})


def test_what_the_vocabulary_has_seen_changes_no_table() -> None:
    text = SEED.read_text(encoding="utf-8")
    fresh = analyse_text(text, "seed", warn=False)
    warm = Vocabulary()
    analyse_text("الشعب الصحراوي " + text[::-1], "other", warm, warn=False)
    again = analyse_text(text, "seed", warm, warn=False)
    for name in ("tokens", "sentences", "quotes", "repairs"):
        pd.testing.assert_frame_equal(rows(getattr(fresh, name)), rows(getattr(again, name)))


def test_type_ids_are_shared_within_one_analysis() -> None:
    tables = analyse_texts([("a", "قال الشعب"), ("b", "الشعب قال")])
    tokens = tables.tokens
    by_surface = tokens.groupby("surface", observed=True)["type_id"].nunique()
    assert (by_surface == 1).all()
    assert tables.types.loc[tokens["type_id"], "surface"].tolist() == tokens["surface"].tolist()


class Written:
    """A word type as the matcher reads it (the columns of the types table)."""

    def __init__(self, normalized, bares, proclitics="", enclitic="", kind="word"):
        self.normalized, self.bares = normalized, bares
        self.proclitics, self.enclitic, self.kind = proclitics, enclitic, kind


def test_type_keys_by_hand() -> None:
    # والقضية: written form and bare forms, ة folded to ه; definite (article).
    keys = type_keys(Written("والقضية", ("قضية", "القضية", "والقضية"), "و+ال"))
    assert keys.written == "والقضيه"
    assert keys.keys == {"قضيه", "القضيه", "والقضيه"}
    assert keys.definite and not keys.only_article
    # مصيره: definite through its pronoun; no proclitic.
    keys = type_keys(Written("مصيره", ("مصير", "مصيره"), "", "ه"))
    assert keys.definite and keys.only_article
    # a number is not a word
    assert not type_keys(Written("2009", ("2009",), kind="number")).is_word


def test_a_vocabulary_that_compacts_gives_the_same_tokens() -> None:
    from analysis.engine.batch import analyse_batch

    text = SEED.read_text(encoding="utf-8")
    pairs = [(f"d{k}", s) for k, s in enumerate(text.split("·") * 3) if s.strip()]
    small = Vocabulary(max_types=40)  # far fewer than the seed's types: compacts often
    got = []
    compactions = 0
    for k in range(0, len(pairs), 2):
        b = analyse_batch(pairs[k : k + 2], small)
        rows = zip(
            b.doc.tolist(), b.start.tolist(), b.end.tolist(), b.type_id.tolist(), strict=True
        )
        got += [(b.doc_ids[d], s, e, small.types[t].bare) for d, s, e, t in rows]
        if small.is_full():
            small.compact()
            compactions += 1
            assert len(small) == int(Vocabulary.KEEP_SHARE * 40)
            assert small.chunk_tokens()["type"].max(initial=-1) < len(small)
    tokens = analyse_texts(pairs).tokens
    want = list(zip(tokens["doc_id"], tokens["start"], tokens["end"], tokens["bare"], strict=True))
    assert compactions > 3 and got == want
