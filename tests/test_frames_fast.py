"""The fast frame matcher gives exactly the tables of the token-by-token reference.

``analysis.frames`` keeps the previous, straightforward matcher as
``_reference_match_lexicon`` / ``_reference_coverage_report`` (they read every
token in Python and state the rules in their plainest form). The fast matcher
must give identical hits, exclusions and coverage tables (same rows, order,
columns, dtypes) on

* the seed article, with the frame and actor lexicons;
* hostile versions of it (diacritics, tatweel, bidi and zero-width characters,
  Persian letters, heh for teh marbuta, run-together words, markup, Latin,
  Windows line ends) and random texts built from lexicon words, guard words,
  clitics and punctuation;
* about 2 MB of the synthetic corpus, analysed in batches as analysis.scale does;
* token tables laid out unusually: documents not in ``doc_id`` order, rows
  shuffled, duplicated rows, ``bares`` as lists or missing, strings not shared
  between tokens, optional columns missing, odd quote tables;
* small lexicons that exercise every rule (exact entries, guards before and
  after, multi-word terms, suffixes, article terms).

The hand-checked expectations (what the hits are) stay in
tests/test_frames_seed.py, which runs on the fast matcher unchanged.
"""

from __future__ import annotations

import random
import sys
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analysis import frames
from analysis.errors import TextWarning
from analysis.lexicon import load_actor_lexicon, load_frame_lexicon, match_key
from analysis.pipeline import analyse_text, analyse_texts
from analysis.synthetic import synthetic_corpus

ROOT = Path(__file__).resolve().parent.parent
SEED = (ROOT / "corpus" / "algiers-sahrawi-solidarity-2009.txt").read_text(encoding="utf-8")
FRAMES = load_frame_lexicon()
ACTORS = load_actor_lexicon()


def same_tables(tokens: pd.DataFrame, quotes: pd.DataFrame | None, lexicon) -> int:
    """Assert fast == reference for every table; return the number of hits."""
    fast = frames.match_lexicon(tokens, quotes, lexicon)
    ref = frames._reference_match_lexicon(tokens, quotes, lexicon)
    pd.testing.assert_frame_equal(fast.hits, ref.hits)
    pd.testing.assert_frame_equal(fast.exclusions, ref.exclusions)
    pd.testing.assert_frame_equal(
        frames.coverage_report(tokens, lexicon, quotes),
        frames._reference_coverage_report(tokens, lexicon, quotes),
    )
    return len(fast.hits)


def tables_of(text: str, doc_id: str = "t"):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", TextWarning)
        return analyse_text(text, doc_id)


@pytest.fixture(scope="module")
def seed_tables():
    return tables_of(SEED, "seed")


# --- the seed article and hostile versions of it -------------------------------


@pytest.mark.parametrize("lexicon", [FRAMES, ACTORS], ids=["frames", "actors"])
def test_seed_article(seed_tables, lexicon) -> None:
    n = same_tables(seed_tables.tokens, seed_tables.quotes, lexicon)
    # Hand counts of tests/test_frames_seed.py: 28 frame hits (solidarity 8,
    # international 7, struggle 4, humanitarian 4, self_determination 3,
    # colonialism 2) and 34 actor hits (sahrawi 6, morocco 6, western_sahara 5,
    # algeria 5, haidar 4, un 3, usa 3, france 1, spain 1).
    assert n == (28 if lexicon is FRAMES else 34)


def _diacritize(text: str) -> str:
    marks = "\u064e\u0650\u064f\u0652\u0651"
    return "".join(c + marks[i % 5] if "\u0628" <= c <= "\u064a" else c for i, c in enumerate(text))


HOSTILE = {
    "diacritics": _diacritize(SEED),
    "tatweel": SEED.replace("ا", "ـــا"),
    "bidi": "\u202b" + SEED.replace(" ", " \u200f", 50) + "\u202c",
    "zero_width": SEED.replace("ال", "ال\u200c", 30).replace(" ", "\u200b", 20),
    "persian_letters": SEED.replace("ي", "ی").replace("ك", "ک"),
    "heh_for_teh_marbuta": SEED.replace("ة", "ه"),
    "run_together": SEED.replace("الشعب الصحراوي", "الشعبالصحراوي").replace(" المتحدة", "المتحدة"),
    "markup": SEED.replace("·", "<b>·</b> <script>x()</script>", 3),
    "latin_and_digits": SEED.replace(" ", " UN 2009 ", 40),
    "crlf_lines": SEED.replace("·", "·\r\n"),
    "guillemets": SEED.replace("''", "«", 1).replace("''", "»", 1),
    "one_letter_tokens": SEED.replace(" ", " و ب ", 25),
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_versions_of_the_seed(name: str) -> None:
    tables = tables_of(HOSTILE[name], name)
    for lexicon in (FRAMES, ACTORS):
        same_tables(tables.tokens, tables.quotes, lexicon)


def _random_text(rng: random.Random) -> str:
    """Lexicon words, guard words and fillers with clitics, quotes and punctuation."""
    words = []
    for lexicon in (FRAMES, ACTORS):
        for forms in lexicon.entries["forms"]:
            words += [" ".join(f) for f in forms]
        for guards in lexicon.entries["guards"]:
            words += [w for g in guards for w in g.words]
    fillers = ["قال", "في", "من", "إلى", "عن", "أن", "الذي", "مع", "حق", "رئيس", "كتب"]
    out = []
    for _ in range(rng.randint(40, 160)):
        roll = rng.random()
        if roll < 0.45:
            word = rng.choice(words)
        elif roll < 0.8:
            word = rng.choice(fillers)
        elif roll < 0.9:
            word = rng.choice(["،", ".", "·", "؟", '"', "''", "«", "»", "\n"])
        else:
            word = rng.choice(["12", "UN", "قالت:", "وقال"])
        if rng.random() < 0.3:
            word = rng.choice(["و", "ف", "ب", "ل", "وال", "بال", "لل", "ك"]) + word
        if rng.random() < 0.15:
            word += rng.choice(["ه", "ها", "هم", "ة", "ات", "ون", "ين"])
        out.append(word)
    return " ".join(out)


@pytest.mark.parametrize("seed", range(12))
def test_random_texts_from_lexicon_words(seed: int) -> None:
    rng = random.Random(seed)
    texts = [(f"r{seed}-{i}", _random_text(rng)) for i in range(4)]
    for tables in analyse_texts(texts, batch=4):
        hits = sum(same_tables(tables.tokens, tables.quotes, lex) for lex in (FRAMES, ACTORS))
        assert hits > 0  # the texts are half lexicon words: some must match


# --- a few MB of the synthetic corpus, in batches --------------------------------


@pytest.fixture(scope="module")
def synthetic_batches():
    docs = list(synthetic_corpus(2_000_000, seed=3))
    pairs = ((f"syn{i:05d}", text) for i, text in enumerate(docs))
    return [(t.tokens, t.quotes) for t in analyse_texts(pairs, batch=200)]


def test_synthetic_corpus(synthetic_batches) -> None:
    assert sum(len(tokens) for tokens, _ in synthetic_batches) > 200_000
    for tokens, quotes in synthetic_batches:
        for lexicon in (FRAMES, ACTORS):
            fast = frames.match_lexicon(tokens, quotes, lexicon)
            ref = frames._reference_match_lexicon(tokens, quotes, lexicon)
            pd.testing.assert_frame_equal(fast.hits, ref.hits)
            pd.testing.assert_frame_equal(fast.exclusions, ref.exclusions)
    tokens, quotes = synthetic_batches[0]
    for lexicon in (FRAMES, ACTORS):
        pd.testing.assert_frame_equal(
            frames.coverage_report(tokens, lexicon, quotes),
            frames._reference_coverage_report(tokens, lexicon, quotes),
        )


# --- unusual token tables ------------------------------------------------------


@pytest.fixture(scope="module")
def three_documents():
    """Three documents (seed halves and a random text), in a table and quotes."""
    half = len(SEED) // 2
    parts = [("b", SEED[:half]), ("a", SEED[half:]), ("c", _random_text(random.Random(99)))]
    tables = [tables_of(text, doc) for doc, text in parts]
    tokens = pd.concat([t.tokens for t in tables], ignore_index=True)  # b, a, c: not sorted
    quotes = pd.concat([t.quotes for t in tables], ignore_index=True)
    return tokens, quotes


def _fresh_strings(values: pd.Series) -> list:
    """Equal strings that are new objects (not shared between tokens)."""
    return [(" " + v)[1:] if isinstance(v, str) else v for v in values]


LAYOUTS = {
    "documents_out_of_order": lambda t: t,
    "rows_shuffled": lambda t: t.sample(frac=1.0, random_state=1),
    "rows_duplicated": lambda t: pd.concat([t, t.iloc[::3]], ignore_index=True),
    "bares_as_lists": lambda t: t.assign(bares=[list(b) for b in t["bares"]]),
    "bares_missing_values": lambda t: t.assign(
        bares=[None if i % 7 == 0 else b for i, b in enumerate(t["bares"])]
    ),
    "bares_as_strings": lambda t: t.assign(
        bares=[b[0] if i % 5 == 0 else b for i, b in enumerate(t["bares"])]
    ),
    "strings_not_shared": lambda t: t.assign(
        normalized=_fresh_strings(t["normalized"]), bares=[tuple(b) for b in t["bares"]]
    ),
    "optional_columns_missing": lambda t: t.drop(
        columns=["surface", "bare", "enclitic", "repaired"]
    ),
    "float_positions": lambda t: t.assign(index=t["index"].astype(float)),
    "non_range_index": lambda t: t.set_axis(np.arange(len(t)) * 3 + 7),
}


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_unusual_token_tables(three_documents, layout: str) -> None:
    tokens, quotes = three_documents
    table = LAYOUTS[layout](tokens.copy())
    for lexicon in (FRAMES, ACTORS):
        same_tables(table, quotes, lexicon)


QUOTE_VARIANTS = {
    "no_quotes_table": lambda q: None,
    "empty_quotes_table": lambda q: q.iloc[:0],
    "a_quote_row_missing": lambda q: q.iloc[1:],
    "speaker_missing": lambda q: q.assign(speaker=[np.nan] * len(q)),
    "duplicate_quote_rows": lambda q: pd.concat(
        [q, q.assign(kind="term", speaker="x")], ignore_index=True
    ),
    "float_quote_ids": lambda q: q.assign(quote_id=q["quote_id"].astype(float)),
    "quotes_of_other_documents": lambda q: q.assign(doc_id="elsewhere"),
    "unknown_quote_kind": lambda q: q.assign(
        kind=["speech", "other"] * (len(q) // 2) + [""] * (len(q) % 2)
    ),
}


@pytest.mark.parametrize("variant", sorted(QUOTE_VARIANTS))
def test_quote_tables(seed_tables, variant: str) -> None:
    quotes = QUOTE_VARIANTS[variant](seed_tables.quotes.copy())
    for lexicon in (FRAMES, ACTORS):
        same_tables(seed_tables.tokens, quotes, lexicon)


def test_missing_columns_are_reported_as_before(seed_tables) -> None:
    from analysis.errors import AnalysisError

    with pytest.raises(AnalysisError, match="tokens table lacks column"):
        frames.match_lexicon(seed_tables.tokens.drop(columns=["bares"]), None, FRAMES)
    with pytest.raises(AnalysisError, match="quotes table lacks column"):
        frames.match_lexicon(seed_tables.tokens, seed_tables.quotes.drop(columns="kind"), FRAMES)


# --- small lexicons that exercise each rule --------------------------------------

DECL = "frame,label_en,label_ar,description,source\na,A,أ,d,s\nb,B,ب,d,s\n"
RULES = [
    "a,احتل,occupied,exact,,next2:المرتبة|مرتبة,",
    "a,تحرير,liberation,bare,,next:رسالة|رسائل; prev3:رئيس,",
    "b,تقرير المصير,self-determination,bare,,,",
    "b,حق تقرير المصير,right to self-determination,bare,,prev:لا,",
    "a,مصير,fate,bare,,,",
    "b,الشعب الصحراوي,Sahrawi people,bare,,,",
    "a,الشعب,people,bare,,next:الكبير,",
    "a,متضامن,in solidarity,bare,ة|ون|ين,,",
    "b,المغرب,Morocco,bare,,next:العربي; prev:صلاة,",
    "a,قضية,cause,bare,,,",
    "b,الأمم المتحدة,UN,exact,,,",
]
RULE_TEXT = (
    "قال رئيس هيئة التحرير إن تحرير رسالة سهل وإن تحرير الأرض واجب. "
    "احتل الجيش المرتبة واحتل القرية واحتل المدينة الكبرى المرتبة. "
    'لا حق تقرير المصير ولكن "حق تقرير مصيره" ومصير الشعب الصحراوي والشعب الكبير. '
    "المتضامنون والمتضامنة مع القضيه والقضية في المغرب العربي وصلاة المغرب وبالمغرب. "
    "الأمم المتحدة والأمم المتحدة، الأممالمتحدة."
)


def test_rules_on_a_small_lexicon(tmp_path: Path) -> None:
    (tmp_path / "frames.csv").write_text(DECL, encoding="utf-8")
    (tmp_path / "frame_terms.csv").write_text(
        "frame,term,gloss,match,suffixes,guard,note\n" + "\n".join(RULES) + "\n",
        encoding="utf-8",
    )
    lexicon = load_frame_lexicon(tmp_path)
    tables = tables_of(RULE_TEXT + " " + RULE_TEXT.replace(".", "·"))
    n = same_tables(tables.tokens, tables.quotes, lexicon)
    result = frames.match_lexicon(tables.tokens, tables.quotes, lexicon)
    # Both halves repeat the same sentences, so every hit and exclusion comes twice.
    assert n % 2 == 0 and len(result.exclusions) % 2 == 0 and len(result.exclusions) > 0


# --- pieces of the fast path -----------------------------------------------------


def test_match_key_folds_only_teh_marbuta() -> None:
    # _spellings assumes match_key changes ة into ه and nothing else: every other
    # character of the Basic Multilingual Plane must be left alone.
    changed = {c for c in map(chr, range(0x10000)) if match_key(c) != c}
    assert changed == {"\u0629"}
    assert match_key("\u0629") == "\u0647"
    # قضيه has one ه: two spellings; a key without ه has one.
    assert set(frames._spellings("قضيه")) == {"قضيه", "قضية"}
    assert frames._spellings("نضال") == ["نضال"]


def test_addresses_are_object_ids() -> None:
    a, b = "x" * 3, ("y",)
    values = np.empty(3, dtype=object)
    values[:] = [a, b, a]
    # CPython objects are 16-byte aligned: id // 16 is still one value per object.
    assert frames._addresses(values).tolist() == [id(a) // 16, id(b) // 16, id(a) // 16]
    assert all(i % 16 == 0 for i in (id(a), id(b)))
    assert sys.getrefcount(a) > 1  # the array holds the objects the ids refer to


def test_group_mixed_is_exact_even_on_collisions() -> None:
    # Rows (0, m) and (1, 0) collide in the mixed integer 0 * M + m == 1 * M + 0
    # when m == M: _group_mixed must notice and still separate them.
    m = -7046029254386353131
    a = np.array([0, 1, 0, 1], dtype=np.int64)
    b = np.array([m, 0, m, 0], dtype=np.int64)
    code, rep = frames._group_mixed(a, b)
    assert code.tolist() == [0, 1, 0, 1]
    assert sorted(rep.tolist()) in ([0, 1], [0, 3], [1, 2], [2, 3])


def test_decision_cache_is_bounded(monkeypatch: pytest.MonkeyPatch, synthetic_batches) -> None:
    tokens, quotes = synthetic_batches[0]
    expected = frames.match_lexicon(tokens, quotes, FRAMES)
    monkeypatch.setattr(frames, "_LEXICONS", {})
    monkeypatch.setattr(frames, "_DECISIONS_MAX", 5)
    small = frames.match_lexicon(tokens, quotes, FRAMES)
    pd.testing.assert_frame_equal(small.hits, expected.hits)
    pd.testing.assert_frame_equal(small.exclusions, expected.exclusions)
    assert all(len(lex.decisions) <= 5 for lex in frames._LEXICONS.values())


def test_flag_cache_is_bounded_and_changes_nothing(
    monkeypatch: pytest.MonkeyPatch, synthetic_batches
) -> None:
    expected = [frames._reference_match_lexicon(t, q, ACTORS).hits for t, q in synthetic_batches]
    monkeypatch.setattr(frames, "_LEXICONS", {})
    monkeypatch.setattr(frames, "_FLAGS_MAX", 3000)
    for _ in range(2):  # the second pass finds types remembered by the first
        for (tokens, quotes), hits in zip(synthetic_batches, expected, strict=True):
            pd.testing.assert_frame_equal(frames.match_lexicon(tokens, quotes, ACTORS).hits, hits)
            cache = frames._prepare_lexicon(ACTORS).bares_flags
            assert len(cache.keys) <= 3000 and len(cache.objects) <= 6000
            assert (np.diff(cache.keys) > 0).all()  # sorted, one entry per address
    # Every remembered address is that of an object the cache keeps alive.
    alive = {id(o) // 16 for o in cache.objects}
    assert set(cache.keys.tolist()) <= alive


def test_prepared_lexicons_are_bounded_and_follow_edits(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, seed_tables
) -> None:
    monkeypatch.setattr(frames, "_LEXICONS", {})
    monkeypatch.setattr(frames, "_LEXICONS_MAX", 2)
    (tmp_path / "frames.csv").write_text(DECL, encoding="utf-8")
    header = "frame,term,gloss,match,suffixes,guard,note\n"
    counts = []
    for term in ("تضامن", "تأييد", "نضال"):
        (tmp_path / "frame_terms.csv").write_text(header + f"a,{term},x,bare,,,\n", "utf-8")
        lexicon = load_frame_lexicon(tmp_path)
        counts.append(same_tables(seed_tables.tokens, seed_tables.quotes, lexicon))
    # تضامن once (S3); تأييد twice (S0, S3); نضال twice (لنضالها S0, النضال S1).
    assert counts == [1, 2, 2]
    assert len(frames._LEXICONS) <= 2


def test_threads_sharing_the_caches(monkeypatch: pytest.MonkeyPatch, synthetic_batches) -> None:
    # A threaded worker may match several batches at once; with a small bound the
    # flag cache is emptied while other threads read it. Results must not change.
    from concurrent.futures import ThreadPoolExecutor

    expected = [frames._reference_match_lexicon(t, q, FRAMES).hits for t, q in synthetic_batches]
    monkeypatch.setattr(frames, "_LEXICONS", {})
    monkeypatch.setattr(frames, "_FLAGS_MAX", 2000)
    jobs = list(enumerate(synthetic_batches)) * 3
    with ThreadPoolExecutor(max_workers=4) as pool:
        found = list(pool.map(lambda j: (j[0], frames.match_frames(*j[1], FRAMES)), jobs))
    for i, hits in found:
        pd.testing.assert_frame_equal(hits, expected[i])
