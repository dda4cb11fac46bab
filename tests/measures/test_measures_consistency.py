"""Consistency of the measures stage: every count is backed by KWIC lines.

The KWIC table is the audit trail (docs/design.md): for every counts table the
measures module produces, each count must equal the number of KWIC lines with
the same keys. This is checked on random token/hit tables (hypothesis), on a
hand-made table, and on the seed article run through the real pipeline and frame
matcher. Collocation counts are checked against a brute-force count written here.
"""

from __future__ import annotations

import re
from collections import Counter

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis import measures as m

ROOT_CORPUS_DOC = "algiers-sahrawi-solidarity-2009"


def _same(col: pd.Series, value: object) -> pd.Series:
    """Element-wise equality that treats two missing values as equal."""
    if pd.isna(value):
        return col.isna()
    return col.notna() & (col == value)


def assert_counts_backed_by_kwic(counts: pd.DataFrame, kw: pd.DataFrame, keys: list[str]) -> None:
    """Each row's n equals the number of KWIC lines sharing its key values."""
    assert int(counts["n"].sum()) == len(kw)
    for _, row in counts.iterrows():
        mask = pd.Series(True, index=kw.index)
        for k in keys:
            mask &= _same(kw[k], row[k])
        assert int(mask.sum()) == row["n"], (keys, row.to_dict())


COUNTERS = [
    (m.count_frames, ["frame"]),
    (m.count_terms, ["frame", "term"]),
    (m.count_by_sentence, ["doc_id", "sentence", "frame"]),
    (m.count_by_voice, ["frame", "voice"]),
    (m.count_by_document, ["doc_id", "frame"]),
    (lambda h: m.count_by(h, ["speaker", "quote_id"]), ["speaker", "quote_id"]),
]


def check_all_counts(hits: pd.DataFrame, tokens: pd.DataFrame, documents: pd.DataFrame) -> None:
    kw = m.kwic(hits, tokens, window=3)
    assert len(kw) == len(hits)
    for fn, keys in COUNTERS:
        counts = fn(hits)
        assert_counts_backed_by_kwic(counts, kw, keys)
        # and the same table re-derived from the KWIC table itself
        pd.testing.assert_frame_equal(
            fn(kw).reset_index(drop=True), counts.reset_index(drop=True), check_dtype=False
        )
    # rates: n backed by KWIC, denominator = word tokens of the document
    rates = m.rates_per_1000(m.count_by_document(hits), tokens)
    assert_counts_backed_by_kwic(rates, kw, ["doc_id", "frame"])
    for _, row in rates.iterrows():
        words = ((tokens.doc_id == row.doc_id) & (tokens.kind == "word")).sum()
        assert row.tokens == words
        assert row.rate_per_1000 == pytest.approx(1000 * row.n / words)  # words > 0: a hit is one
    # group rates: n = KWIC lines of the group's documents
    groups = m.frame_rates_by_group(hits, tokens, documents, "outlet")
    for _, row in groups.iterrows():
        docs = documents.loc[documents.outlet == row.group, "doc_id"]
        assert row.n == ((kw.frame == row.frame) & kw.doc_id.isin(docs)).sum()
    # dispersion: n = KWIC lines per (doc, frame)
    disp = m.dispersion(hits, tokens, item="frame", parts="sentence")
    assert_counts_backed_by_kwic(disp, kw, ["doc_id", "frame"])
    assert disp.dp.between(0, 1).all()
    # co-occurrence from KWIC equals co-occurrence from hits
    pd.testing.assert_frame_equal(m.cooccurrence(kw), m.cooccurrence(hits))


def collapse(s: str) -> str:
    return re.sub(r"\s+", " ", s)


def check_kwic_against_text(kw: pd.DataFrame, texts: dict[str, str]) -> None:
    """match = the hit's original slice; left/right are the text around it."""
    for _, line in kw.iterrows():
        text = texts[line.doc_id]
        assert line.match == collapse(text[line.start : line.end])
        before = collapse(text[: line.start]).rstrip()
        after = collapse(text[line.end :]).lstrip()
        assert before.endswith(line.left)
        assert after.startswith(line.right)


# --------------------------------------------------------------------------- #
# random tables
# --------------------------------------------------------------------------- #

WORDS = ["a", "b", "c", "d"]


@st.composite
def corpora(draw: st.DrawFn) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, dict[str, str]]:
    token_rows, hit_rows, texts = [], [], {}
    n_docs = draw(st.integers(1, 3))
    for d in range(n_docs):
        doc_id = f"d{d}"
        items = draw(
            st.lists(
                st.tuples(
                    st.sampled_from(WORDS + [",", ".", "5"]), st.sampled_from(["", " ", "\n"])
                ),
                min_size=1,
                max_size=25,
            )
        )
        text, sentence = "", 0
        for index, (surface, gap) in enumerate(items):
            text += gap if index else ""
            kind = {",": "punct", ".": "punct", "5": "number"}.get(surface, "word")
            token_rows.append(
                {
                    "doc_id": doc_id,
                    "sentence": sentence,
                    "index": index,
                    "start": len(text),
                    "end": len(text) + len(surface),
                    "surface": surface,
                    "kind": kind,
                    "bare": surface,
                }
            )
            text += surface
            sentence += surface == "."
        texts[doc_id] = text
        n = len(items)
        word_positions = [i for i, (surface, _) in enumerate(items) if surface in WORDS]
        for _ in range(draw(st.integers(0, 6)) if word_positions else 0):
            ts = draw(st.sampled_from(word_positions))  # frame terms are words
            te = draw(st.integers(ts + 1, min(n, ts + 2)))
            first = token_rows[-n + ts]
            hit_rows.append(
                {
                    "doc_id": doc_id,
                    "sentence": first["sentence"],
                    "token_start": ts,
                    "token_end": te,
                    "start": first["start"],
                    "end": token_rows[-n + te - 1]["end"],
                    "frame": draw(st.sampled_from(["F", "G"])),
                    "term": first["surface"],
                    "voice": draw(st.sampled_from(["narration", "quoted"])),
                    "speaker": draw(st.sampled_from(["", "S"])),
                    "quote_id": draw(st.sampled_from([pd.NA, 1])),
                }
            )
    tokens = pd.DataFrame(token_rows)
    columns = m.HIT_KEYS + ["quote_id"]
    hits = pd.DataFrame(hit_rows, columns=columns)
    hits["quote_id"] = hits["quote_id"].astype("Int64")
    documents = pd.DataFrame(
        {"doc_id": list(texts), "outlet": [draw(st.sampled_from(["X", "Y", ""])) for _ in texts]}
    )
    return tokens, hits, documents, texts


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(corpora())
def test_counts_and_kwic_agree_on_random_tables(data) -> None:
    tokens, hits, documents, texts = data
    if hits.empty:
        assert m.kwic(hits, tokens).empty
        return
    check_all_counts(hits, tokens, documents)
    check_kwic_against_text(m.kwic(hits, tokens, window=3), texts)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(corpora(), st.sampled_from(["sentence", "segment", "document"]), st.integers(1, 4))
def test_dispersion_table_matches_scalar_formulas(data, parts: str, n_segments: int) -> None:
    """The vectorised table equals dp()/juilland_d() on vectors built here."""
    tokens, hits, _, _ = data
    if hits.empty:
        return
    res = m.dispersion(hits, tokens, item="frame", parts=parts, n_segments=n_segments)
    words = tokens[tokens.kind == "word"].sort_values(["doc_id", "index"])
    for _, row in res.iterrows():
        if parts == "document":
            sizes = words.groupby("doc_id").size()
            sel = hits[hits.frame == row.frame]
            freqs = sel.groupby("doc_id").size().reindex(sizes.index, fill_value=0)
        else:
            w = words[words.doc_id == row.doc_id]
            sel = hits[(hits.doc_id == row.doc_id) & (hits.frame == row.frame)]
            if parts == "sentence":
                sizes = w.groupby("sentence").size()
                freqs = sel.groupby("sentence").size().reindex(sizes.index, fill_value=0)
            else:
                k = min(n_segments, len(w))
                # segment of the j-th word: floor(j·k/n); a hit's word rank = words before it
                seg_of_rank = [j * k // len(w) for j in range(len(w))]
                sizes = pd.Series(seg_of_rank).value_counts().sort_index()
                ranks = [int((w["index"] < ts).sum()) for ts in sel.token_start]
                freqs = (
                    pd.Series([seg_of_rank[r] for r in ranks])
                    .value_counts()
                    .reindex(sizes.index, fill_value=0)
                )
        dp_value, dp_norm = m.dp(freqs.to_numpy(), sizes.to_numpy())
        assert row.n == freqs.sum() and row.n_parts == len(sizes)
        assert row.range == (freqs > 0).sum()
        assert row.dp == pytest.approx(dp_value, abs=1e-12)
        assert row.dp_norm == pytest.approx(dp_norm, abs=1e-12, nan_ok=True)
        want_d = m.juilland_d(freqs.to_numpy(), sizes.to_numpy())
        assert row.juilland_d == pytest.approx(want_d, abs=1e-9, nan_ok=True)


def brute_force_collocates(tokens: pd.DataFrame, node: str, span: int) -> tuple[Counter, int]:
    """O per form and W, by looping over every pair of word positions."""
    observed: Counter = Counter()
    window_size = 0
    for _, doc in tokens[tokens.kind == "word"].groupby("doc_id"):
        forms = list(doc.sort_values("index").bare)
        for i, f in enumerate(forms):
            if f != node:
                continue
            for j, g in enumerate(forms):
                if j != i and abs(j - i) <= span:
                    observed[g] += 1
                    window_size += 1
    return observed, window_size


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(corpora(), st.integers(1, 3))
def test_collocation_counts_match_brute_force(data, span: int) -> None:
    tokens, _, _, _ = data
    res = m.collocations(tokens, "a", span=span, min_freq=1)
    observed, window_size = brute_force_collocates(tokens, "a", span)
    assert dict(zip(res.collocate, res.n, strict=True)) == dict(observed)
    n_words = (tokens.kind == "word").sum()
    # Σ E over all forms = W·Σf_y/N = W, as Σ O = W
    if len(res):
        f = tokens[tokens.kind == "word"].bare.value_counts()
        assert res.expected.sum() == pytest.approx(window_size * f[res.collocate].sum() / n_words)
        assert res.n.sum() == window_size


def test_hand_made_table_is_consistent() -> None:
    # words w/x/y with punctuation, two documents, two frames
    texts = {"p": "w x, y. x y w", "q": "y y. x"}
    rows = []
    for doc_id, text in texts.items():
        sentence = 0
        for index, mt in enumerate(re.finditer(r"\w+|\S", text)):
            kind = "word" if mt.group().isalpha() else "punct"
            rows.append((doc_id, sentence, index, mt.start(), mt.end(), mt.group(), kind))
            sentence += mt.group() == "."
    tokens = pd.DataFrame(
        rows, columns=["doc_id", "sentence", "index", "start", "end", "surface", "kind"]
    )
    tokens["bare"] = tokens.surface
    hits = tokens[tokens.surface.isin(["x", "y"])].copy()
    hits = hits.rename(columns={"index": "token_start"})
    hits["token_end"] = hits.token_start + 1
    hits["frame"] = np.where(hits.surface == "x", "F", "G")
    hits["term"] = hits.surface
    hits["voice"] = "narration"
    hits["speaker"] = ""
    hits["quote_id"] = pd.array([pd.NA] * len(hits), dtype="Int64")
    documents = pd.DataFrame({"doc_id": ["p", "q"], "outlet": ["X", "Y"]})
    # by reading: x = 2 in p + 1 in q = 3 (F); y = 2 in p + 2 in q = 4 (G)
    assert m.count_frames(hits).set_index("frame").n.to_dict() == {"F": 3, "G": 4}
    check_all_counts(hits, tokens, documents)
    check_kwic_against_text(m.kwic(hits, tokens, window=3), texts)


# --------------------------------------------------------------------------- #
# the seed article through the real text stage and frame matcher
# --------------------------------------------------------------------------- #

SEED = "algiers-sahrawi-solidarity-2009"


@pytest.fixture(scope="module")
def seed():
    from analysis.corpus import load_document, read_metadata
    from analysis.engine import analyse_document
    from analysis.lexicon import match_actors, match_frames

    tables = analyse_document(SEED)
    text = load_document(SEED).text
    documents = read_metadata()
    frames = match_frames(tables)
    actors = match_actors(tables)
    return tables.tokens, frames, actors, documents, text


def test_seed_article_counts_are_backed_by_kwic(seed) -> None:
    tokens, frames, actors, documents, text = seed
    assert len(frames) > 0 and len(actors) > 0
    check_all_counts(frames, tokens, documents)
    check_kwic_against_text(m.kwic(frames, tokens, window=5), {SEED: text})
    check_kwic_against_text(m.kwic(actors, tokens, window=5), {SEED: text})
    # actor hits: the count helpers use the actor column; counts backed by KWIC too
    kw_actors = m.kwic(actors, tokens)
    assert_counts_backed_by_kwic(m.count_by_voice(actors), kw_actors, ["actor", "voice"])
    assert_counts_backed_by_kwic(m.count_by_document(actors), kw_actors, ["doc_id", "actor"])
    # actor co-occurrence from KWIC = from hits; diagonal = sentences per actor
    kw = m.kwic(actors, tokens)
    co = m.cooccurrence(kw)
    pd.testing.assert_frame_equal(co, m.cooccurrence(actors))
    per_actor = actors.drop_duplicates(["sentence", "actor"]).actor.value_counts()
    assert dict(zip(co.index, np.diag(co), strict=True)) == per_actor.to_dict()
    # the outlet is unknown (empty) in the metadata: one group "", all hits in it
    groups = m.frame_rates_by_group(frames, tokens, documents, "outlet")
    assert set(groups.group) == {""} and groups.n.sum() == len(frames)
    assert set(groups.tokens) == {int((tokens.kind == "word").sum())}


def test_seed_article_kwic_read_by_hand(seed) -> None:
    tokens, frames, _, _, _ = seed
    kw = m.kwic(frames, tokens, window=5)
    # the article ends "… على وقوف فرنسا كحائل في الأممالمتحدة ومسألة تقرير المصير·".
    # Five words left of تقرير: ومسألة, المتحدة, الأمم (the run-together
    # الأممالمتحدة is two word tokens, shown as written), في, كحائل; right: the
    # final "·" and the end of the text.
    line = kw[kw.match == "تقرير المصير"].iloc[-1]
    assert (line.left, line.right) == ("كحائل في الأممالمتحدة ومسألة", "·")


def test_seed_article_collocation_read_by_hand(seed) -> None:
    tokens = seed[0]
    res = m.collocations(tokens, "الشعب", span=3, min_freq=1).set_index("collocate")
    # Reading the article: الشعب occurs 6 times (مع الشعب الصحراوي ×2, والشعب
    # الصحراوي, لمعاناة الشعب الصحراوي, ومعاناة الشعب التي, وليحيا الشعب
    # الصحراوي); الصحراوي (bare صحراوي) occurs 5 times, each right after الشعب,
    # so O = 5 (الصحراوية and الصحراويين are other forms). No occurrence is within
    # 3 words of the text's edges and windows may cross sentences, so
    # W = 6 · (3 + 3) = 36 and E = 36 · 5 / N.
    n_words = int((tokens.kind == "word").sum())
    row = res.loc["صحراوي"]
    assert (row.n, row.f_node, row.f_collocate) == (5, 6, 5)
    assert row.expected == pytest.approx(36 * 5 / n_words)
    assert row.log_dice == pytest.approx(14 + np.log2(2 * 5 / (6 + 5)))  # 13.862496
    assert res.n.sum() == 36  # Σ O = W
