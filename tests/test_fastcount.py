"""analysis.fastcount gives exactly the full pipeline's counts and hits.

The reference is the full route: :func:`analysis.pipeline.analyse_text` (token,
sentence and quote tables) and :func:`analysis.frames.match_lexicon`. Compared:
per document the numbers of characters, tokens, ``word`` tokens, sentences,
quotations, (unvetoed) run-together repairs and hits, and every hit's
doc_id, sentence, start, end, surface, frame, term, entry_id, gloss, voice,
speaker, quote_id and quote_kind. Hand-made snippets also have hand-worked
expected values, so a bug shared by both routes would still show.
"""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis.fastcount import HIT_COLUMNS, SUMMARY_COLUMNS, FastCounter, count_corpus
from analysis.frames import match_lexicon
from analysis.lexicon import load_frame_lexicon
from analysis.paths import CORPUS_DIR
from analysis.pipeline import analyse_texts
from analysis.synthetic import synthetic_corpus

SEED = CORPUS_DIR / "algiers-sahrawi-solidarity-2009.txt"
COLUMNS = [c.format(column="frame") for c in HIT_COLUMNS]


@pytest.fixture(scope="module")
def lexicon():
    return load_frame_lexicon()


@pytest.fixture(scope="module")
def counter(lexicon):
    # One counter for the whole module: its per-type caches are shared across
    # documents and tests, as in a corpus run.
    return FastCounter(lexicon)


def full_route(pairs: list[tuple[str, str]], lexicon) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Per-document counts and hits from the full pipeline (the reference)."""
    docs, hits = [], []
    lengths = {d: len(t) for d, t in pairs}
    for tables in analyse_texts(pairs, batch=50):
        tokens = tables.tokens
        found = match_lexicon(tokens, tables.quotes, lexicon).hits
        repairs = tables.repairs[~tables.repairs["vetoed"].astype(bool)]
        per_doc = {
            "n_tokens": tokens.groupby("doc_id").size(),
            "n_words": tokens[tokens["kind"] == "word"].groupby("doc_id").size(),
            "n_sentences": tables.sentences.groupby("doc_id").size(),
            "n_quotes": tables.quotes.groupby("doc_id").size(),
            "n_repairs": repairs.groupby("doc_id").size(),
            "n_hits": found.groupby("doc_id").size(),
        }
        for d in dict.fromkeys(tokens["doc_id"]):
            docs.append((d, lengths[d], *(int(c.get(d, 0)) for c in per_doc.values())))
        hits.append(found)
    summary = pd.DataFrame(docs, columns=SUMMARY_COLUMNS)
    return summary, pd.concat(hits, ignore_index=True)


def canonical(hits: pd.DataFrame) -> pd.DataFrame:
    out = hits[COLUMNS].astype(str).sort_values(["doc_id", "start", "end", "entry_id"])
    return out.reset_index(drop=True)


def assert_same(pairs: list[tuple[str, str]], counter, lexicon) -> pd.DataFrame:
    """fastcount equals the full route on ``pairs``; returns the hits."""
    want_docs, want_hits = full_route(pairs, lexicon)
    parts = list(counter.count(pairs, batch=17))
    got_docs = pd.concat([p.documents for p in parts], ignore_index=True)
    got_hits = pd.concat([p.hits for p in parts], ignore_index=True)
    merged = want_docs.merge(got_docs, on="doc_id", suffixes=("_full", "_fast"), how="outer")
    counts = SUMMARY_COLUMNS[1:]
    bad = merged[
        (
            merged[[f"{c}_full" for c in counts]].to_numpy()
            != merged[[f"{c}_fast" for c in counts]].to_numpy()
        ).any(axis=1)
    ]
    assert bad.empty, bad.to_string()
    a, b = canonical(want_hits), canonical(got_hits)
    if not a.equals(b):
        diff = a.merge(b, how="outer", indicator=True)
        raise AssertionError(diff[diff["_merge"] != "both"].to_string())
    return got_hits


def test_seed_article_equals_full_pipeline(counter, lexicon):
    text = SEED.read_text(encoding="utf-8")
    hits = assert_same([("seed", text)], counter, lexicon)
    # The article is about solidarity with the Sahrawi struggle: frames are found,
    # and it quotes speakers ('' … '' after قال/أضاف), so some hits are quoted.
    assert len(hits) > 20
    assert (hits["voice"] == "quoted").any() and (hits["voice"] == "narration").any()


def test_synthetic_corpus_equals_full_pipeline(counter, lexicon):
    # ~400 KB, ~80 documents mixing seed sentences, Zipf-sampled words, quotes
    # after speech verbs, numbers, Latin words, diacritics, tatweel, lost spaces.
    docs = list(synthetic_corpus(400_000, seed=7))
    pairs = [(f"s{i:04d}", d) for i, d in enumerate(docs)]
    hits = assert_same(pairs, counter, lexicon)
    assert len(hits) > 500 and hits["quote_id"].notna().any()


# Hand-made snippets: (text, n_words, n_sentences, [(term, sentence, voice, speaker)])
SNIPPETS = {
    # Sense guard: تحرير before رسائل is "drafting letters" (excluded); تحرير الأرض counts.
    # Words 6 + 4; two sentences ("." twice).
    "guard": (
        "قررت اللجنة تحرير رسائل إلى الأعضاء. ودعت إلى تحرير الأرض.",
        10,
        2,
        [("تحرير", 1, "narration", "")],
    ),
    # A "prev" guard: رئيس تحرير is an editor-in-chief, not liberation. Words 5.
    "prev_guard": ("التقى رئيس تحرير الجريدة بالوفد.", 5, 1, []),
    # الوقوف إلى جانب split by a sentence end is no hit. Words 3 + 2; two sentences.
    "split_phrase": ("نريد الوقوف إلى. جانب الشعب.", 5, 2, []),
    # Speech verb قال, then a name, then «…»: both hits quoted, speaker the name.
    # Words: قال محمد بوقطاية نحن ندعم نضال الشعب = 7; one sentence.
    "speech": (
        "قال محمد بوقطاية: «نحن ندعم نضال الشعب».",
        7,
        1,
        [("ندعم", 0, "quoted", "محمد بوقطاية"), ("نضال", 0, "quoted", "محمد بوقطاية")],
    ),
    # Decimal point is no sentence end; numbers are not words; the guard window of
    # الدعم skips the numbers and reads بالمئة (not a guard word). Words 3 + 2.
    "decimal": ("ارتفع الدعم 3.5 بالمئة. ثم توقف", 5, 2, [("دعم", 0, "narration", "")]),
    # Clitics: ولنضالهم = و+ل+نضال+هم; names starting with clitic letters stay whole
    # (بوقطاية, باراك: no hit, no split). Words 5; one sentence (no terminator).
    "clitics": ("زار بوقطاية وباراك العاصمة ولنضالهم", 5, 1, [("نضال", 0, "narration", "")]),
    # A scare-quoted term ('' … '' with fewer than 4 words, no verb) stays narration
    # but carries its quote id. Words: دعم الشعب الصحراوي مستمر = 4; one sentence.
    "term_quote": (
        "''دعم'' الشعب الصحراوي مستمر",
        4,
        1,
        [("دعم", 0, "narration", "")],
    ),
}


@pytest.mark.parametrize("name", sorted(SNIPPETS))
def test_hand_made_snippets(name, counter, lexicon):
    text, n_words, n_sentences, expected = SNIPPETS[name]
    hits = assert_same([(name, text)], counter, lexicon)
    result = counter.count_text(text, name)
    row = result.documents.iloc[0]
    assert (row.n_words, row.n_sentences) == (n_words, n_sentences)
    got = [
        (t, int(s), v, sp)
        for t, s, v, sp in zip(
            hits["term"], hits["sentence"], hits["voice"], hits["speaker"], strict=True
        )
    ]
    assert got == expected
    for start, end, surface in zip(hits["start"], hits["end"], hits["surface"], strict=True):
        assert text[start:end] == surface


def test_run_together_word_counts_its_parts(counter, lexicon):
    # الأممالمتحدة is split by the repair into الأمم + المتحدة: 2 words, so
    # أكدت (1) + 2 + دعم (1) + الاستقلال (1) = 5 words.
    text = "أكدت الأممالمتحدة دعم الاستقلال"
    assert_same([("run", text)], counter, lexicon)
    row = counter.count_text(text, "run").documents.iloc[0]
    assert (row.n_words, row.n_sentences) == (5, 1)
    # One repair; tokens: أكدت الأمم المتحدة دعم الاستقلال = 5; hits: الأمم المتحدة
    # (international, two tokens of the repaired word), دعم, استقلال = 3.
    assert (row.n_repairs, row.n_tokens, row.n_hits, row.n_quotes) == (1, 5, 3, 0)
    hits = counter.count_text(text, "run").hits
    assert hits["term"].tolist() == ["الأمم المتحدة", "دعم", "استقلال"]
    assert hits["surface"].iloc[0] == "الأممالمتحدة"


def test_other_counts_by_hand(counter):
    text = SNIPPETS["speech"][0]
    row = counter.count_text(text, "speech").documents.iloc[0]
    # Tokens: قال محمد بوقطاية : « نحن ندعم نضال الشعب » . = 11; one «…» quotation;
    # 40 characters as typed (no diacritics): counted with len() is the definition.
    assert (row.n_tokens, row.n_quotes, row.n_repairs, row.n_hits) == (11, 1, 0, 2)
    assert row.n_chars == len(text)


def test_empty_and_punctuation_only(counter, lexicon):
    assert_same([("dots", "... !! «»"), ("latin", "UN 2009.")], counter, lexicon)
    assert counter.count_text("", "empty").documents.iloc[0].n_words == 0
    assert count_corpus([]).hits.empty


FRAGMENTS = [
    "قال",
    "وأكد",
    "محمد",
    "بوقطاية",
    "الرئيس",
    "ندعم",
    "دعم",
    "الأسعار",
    "نضال",
    "ولنضالهم",
    "تحرير",
    "رسائل",
    "الأرض",
    "الوقوف",
    "إلى",
    "جانب",
    "الشعب",
    "الصحراوي",
    "تقرير",
    "المصير",
    "الاستعمار",
    "احتلال",
    "المرتبة",
    "الأممالمتحدة",
    "مُستعمَرة",
    "UN",
    "3",
    "3.5",
    "٢٠٠٩",
    "،",
    ".",
    "·",
    "؟",
    "\n",
    "''",
    '"',
    "«",
    "»",
    ":",
    "...",
]


SEPARATORS = st.sampled_from([" ", "", "  "])


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(st.lists(st.tuples(st.sampled_from(FRAGMENTS), SEPARATORS), max_size=40))
def test_random_texts_equal_full_pipeline(counter, lexicon, parts):
    text = "".join(a + b for a, b in parts)
    if not text.strip():
        return
    assert_same([("h", text)], counter, lexicon)


def test_counts_only_mode_gives_the_same_counts(lexicon):
    # match_frames=False skips frame matching; every other count is unchanged.
    docs = [SEED.read_text(encoding="utf-8"), *synthetic_corpus(100_000, seed=3)]
    pairs = [(f"c{i:03d}", d) for i, d in enumerate(docs)]
    full = pd.concat([p.documents for p in FastCounter(lexicon).count(pairs)])
    quick = pd.concat([p.documents for p in FastCounter(lexicon, match_frames=False).count(pairs)])
    columns = [c for c in SUMMARY_COLUMNS if c != "n_hits"]
    assert full[columns].reset_index(drop=True).equals(quick[columns].reset_index(drop=True))
    assert quick["n_hits"].isna().all() and (full["n_hits"] > 0).any()


def test_repeated_doc_ids_in_one_batch_are_kept_apart(counter):
    # Two texts under one doc_id: each row must equal that text counted alone.
    a, b = SNIPPETS["speech"][0], SNIPPETS["guard"][0]
    result = next(counter.count([("same", a), ("same", b)]))
    alone = [counter.count_text(t, "same") for t in (a, b)]
    expected = pd.concat([r.documents for r in alone], ignore_index=True)
    assert result.documents.equals(expected)
    hits = pd.concat([r.hits for r in alone], ignore_index=True)
    assert result.hits.astype(str).equals(hits.astype(str))
