"""Worked examples for analysis.measures.

Each expected value is either taken from its published source (named beside it)
or computed by hand in the comment next to it ("hand-computed"), and where a
formula is involved it is also re-derived by an independent direct formula in the
test (with ``fractions``/``math``, not with the code under test). The token tables
are built from short texts by a tiny tokenizer in this file (independent of
analysis.engine), so the true counts can be read off the texts.
"""

from __future__ import annotations

import math
import re
import statistics
from fractions import Fraction

import numpy as np
import pandas as pd
import pytest

from analysis.errors import AnalysisError
from analysis.measures import (
    HIT_KEYS,
    chi2_p_value,
    collocations,
    cooccurrence,
    count_by,
    count_by_document,
    count_by_sentence,
    count_by_voice,
    count_frames,
    count_terms,
    date_range_groups,
    dispersion,
    dispersion_positions,
    dp,
    frame_rates_by_group,
    juilland_d,
    keyness,
    kwic,
    log_likelihood,
    log_ratio,
    rates_per_1000,
    word_totals,
)

# --------------------------------------------------------------------------- #
# tiny, independent builders of the design.md tables
# --------------------------------------------------------------------------- #

TOKEN_RE = re.compile(r"''|\w+|\S")
SENTENCE_END = {".", "·", "؟", "!"}


def make_tokens(doc_id: str, text: str, latin: frozenset[str] = frozenset()) -> pd.DataFrame:
    """Tokens table for ``text``: \\w+ runs are words (digits: numbers; forms in
    ``latin``: latin), '' is a quote mark, every other non-space char is punct;
    a sentence ends after . · ؟ !  ``bare`` = ``normalized`` = surface."""
    rows = []
    sentence = 0
    for index, m in enumerate(TOKEN_RE.finditer(text)):
        s = m.group()
        if s == "''":
            kind = "quote"
        elif s.isdigit():
            kind = "number"
        elif s in latin:
            kind = "latin"
        elif re.fullmatch(r"\w+", s):
            kind = "word"
        else:
            kind = "punct"
        rows.append(
            {
                "doc_id": doc_id,
                "sentence": sentence,
                "index": index,
                "start": m.start(),
                "end": m.end(),
                "surface": s,
                "kind": kind,
                "normalized": s,
                "bare": s,
                "bares": (s,),
                "proclitics": "",
                "enclitic": "",
                "in_quote": False,
                "quote_id": pd.NA,
                "repaired": False,
            }
        )
        if s in SENTENCE_END:
            sentence += 1
    out = pd.DataFrame(rows)
    out["quote_id"] = out["quote_id"].astype("Int64")
    return out


def make_hit(
    tokens: pd.DataFrame,
    doc_id: str,
    token_start: int,
    token_end: int,
    frame: str,
    term: str | None = None,
    voice: str = "narration",
    speaker: str = "",
) -> dict:
    t = tokens[(tokens.doc_id == doc_id) & tokens["index"].between(token_start, token_end - 1)]
    return {
        "doc_id": doc_id,
        "sentence": int(t["sentence"].iloc[0]),
        "token_start": token_start,
        "token_end": token_end,
        "start": int(t["start"].iloc[0]),
        "end": int(t["end"].iloc[-1]),
        "surface": " ".join(t["surface"]),
        "frame": frame,
        "term": term if term is not None else " ".join(t["surface"]),
        "entry_id": f"{frame}:{term}",
        "gloss": "",
        "voice": voice,
        "speaker": speaker,
        "quote_id": pd.NA,
    }


# "a b c, d e. f g h i j": index: 0 a, 1 b, 2 c, 3 ",", 4 d, 5 e, 6 ".", 7 f, 8 g,
# 9 h, 10 i, 11 j; sentence 0 = indices 0-6, sentence 1 = 7-11; 10 words.
TEXT1 = "a b c, d e. f g h i j"
# "x y 5": x, y words, 5 a number; 2 words.
TEXT2 = "x y 5"


@pytest.fixture()
def toks() -> pd.DataFrame:
    return pd.concat([make_tokens("d1", TEXT1), make_tokens("d2", TEXT2)], ignore_index=True)


@pytest.fixture()
def hits(toks: pd.DataFrame) -> pd.DataFrame:
    rows = [
        make_hit(toks, "d1", 0, 1, "P", "a"),  # sentence 0
        make_hit(toks, "d1", 4, 5, "P", "d", voice="quoted", speaker="S"),  # sentence 0
        make_hit(toks, "d1", 9, 11, "Q", "h i"),  # sentence 1, two tokens
        make_hit(toks, "d1", 11, 12, "P", "j"),  # sentence 1
        make_hit(toks, "d2", 0, 1, "P", "x"),  # d2 sentence 0
    ]
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------- #
# builders are what the comments say
# --------------------------------------------------------------------------- #


def test_builder_matches_hand_reading(toks: pd.DataFrame) -> None:
    d1 = toks[toks.doc_id == "d1"]
    assert list(d1.surface) == ["a", "b", "c", ",", "d", "e", ".", "f", "g", "h", "i", "j"]
    assert list(d1.sentence) == [0] * 7 + [1] * 5
    assert all(TEXT1[s:e] == x for s, e, x in zip(d1.start, d1.end, d1.surface, strict=True))
    assert (d1.kind == "word").sum() == 10
    assert list(toks[toks.doc_id == "d2"].kind) == ["word", "word", "number"]


# --------------------------------------------------------------------------- #
# counts and rates (hand-counted from the five hits above)
# --------------------------------------------------------------------------- #


def test_count_frames_and_terms(hits: pd.DataFrame) -> None:
    # frames: P = a, d, j, x = 4 hits; Q = "h i" = 1 hit.
    frames = count_frames(hits)
    assert frames.to_dict("records") == [{"frame": "P", "n": 4}, {"frame": "Q", "n": 1}]
    terms = count_terms(hits)
    # every term once; ties sorted by (frame, term)
    assert list(terms.term) == ["a", "d", "j", "x", "h i"]
    assert list(terms.n) == [1, 1, 1, 1, 1]


def test_count_by_sentence_voice_document(hits: pd.DataFrame) -> None:
    sent = count_by_sentence(hits).set_index(["doc_id", "sentence", "frame"])["n"].to_dict()
    # d1 s0: a, d (P) = 2; d1 s1: j (P) = 1, "h i" (Q) = 1; d2 s0: x (P) = 1
    assert sent == {("d1", 0, "P"): 2, ("d1", 1, "P"): 1, ("d1", 1, "Q"): 1, ("d2", 0, "P"): 1}
    voice = count_by_voice(hits).set_index(["frame", "voice"])["n"].to_dict()
    # only d is quoted
    assert voice == {("P", "narration"): 3, ("P", "quoted"): 1, ("Q", "narration"): 1}
    doc = count_by_document(hits).set_index(["doc_id", "frame"])["n"].to_dict()
    assert doc == {("d1", "P"): 3, ("d1", "Q"): 1, ("d2", "P"): 1}


def test_count_by_keeps_missing_values_and_empty_input(hits: pd.DataFrame) -> None:
    # quote_id is <NA> in all five hits: one group of 5, not dropped
    assert count_by(hits, "quote_id")["n"].tolist() == [5]
    empty = count_by(hits.iloc[:0], ["frame"])
    assert list(empty.columns) == ["frame", "n"] and empty.empty
    with pytest.raises(AnalysisError, match="lacks column"):
        count_by(hits, ["no_such_column"])


def test_rates_per_1000_use_word_tokens(toks: pd.DataFrame, hits: pd.DataFrame) -> None:
    by_doc = rates_per_1000(count_by(hits[hits.frame == "P"], ["doc_id"]), toks)
    got = by_doc.set_index("doc_id")[["n", "tokens", "rate_per_1000"]].to_dict("index")
    # d1: 3 P hits / 10 words (the comma and full stop are not words) = 300 per 1000
    # d2: 1 P hit / 2 words (the number 5 is not a word) = 500 per 1000
    assert got == {
        "d1": {"n": 3, "tokens": 10, "rate_per_1000": 300.0},
        "d2": {"n": 1, "tokens": 2, "rate_per_1000": 500.0},
    }
    corpus = rates_per_1000(count_frames(hits), toks)
    # corpus: P 4 hits / 12 words = 333.33…; Q 1 / 12 = 83.33…
    assert corpus.set_index("frame")["rate_per_1000"].to_dict() == pytest.approx(
        {"P": 4000 / 12, "Q": 1000 / 12}
    )
    assert word_totals(toks, []).iloc[0, 0] == 12
    with pytest.raises(AnalysisError, match="absent from the tokens"):
        rates_per_1000(pd.DataFrame({"doc_id": ["nope"], "n": [1]}), toks)


# --------------------------------------------------------------------------- #
# KWIC (strings read off TEXT1 by hand)
# --------------------------------------------------------------------------- #


def test_kwic_windows_count_words_and_keep_punctuation(
    toks: pd.DataFrame, hits: pd.DataFrame
) -> None:
    k = kwic(hits, toks, window=2).set_index(["doc_id", "token_start"])
    # d: two words left = "b c" with the comma touching c; right = e, f with the
    # full stop touching e
    assert tuple(k.loc[("d1", 4), ["left", "match", "right"]]) == ("b c,", "d", "e. f")
    # a: nothing to the left; right = b c, and the comma after c is not reached
    assert tuple(k.loc[("d1", 0), ["left", "match", "right"]]) == ("", "a", "b c")
    # "h i": left g, f; right j then end of document
    assert tuple(k.loc[("d1", 9), ["left", "match", "right"]]) == ("f g", "h i", "j")
    # x in d2: context never leaks from d1; the number counts as a word in the window
    assert tuple(k.loc[("d2", 0), ["left", "match", "right"]]) == ("", "x", "y 5")
    assert len(k) == len(hits)
    assert list(kwic(hits, toks).columns[:9]) == [
        "doc_id",
        "sentence",
        "start",
        "end",
        "token_start",
        "token_end",
        "left",
        "match",
        "right",
    ]
    assert set(HIT_KEYS) <= set(k.reset_index().columns)


def test_kwic_within_sentence_and_zero_window(toks: pd.DataFrame, hits: pd.DataFrame) -> None:
    k = kwic(hits, toks, window=2, within_sentence=True).set_index(["doc_id", "token_start"])
    # d: the right context stops at the sentence's full stop
    assert tuple(k.loc[("d1", 4), ["left", "match", "right"]]) == ("b c,", "d", "e.")
    # j: left two words inside sentence 1 = h i
    assert tuple(k.loc[("d1", 11), ["left", "match", "right"]]) == ("h i", "j", "")
    # a hit on the final full stop (after the last word) with window 0
    stop = pd.DataFrame([make_hit(make_tokens("z", "a ."), "z", 1, 2, "F", ".")])
    assert kwic(stop, make_tokens("z", "a ."), window=0).match.tolist() == ["."]
    k0 = kwic(hits, toks, window=0)
    assert (k0.left == "").all() and (k0.right == "").all()
    assert list(k0.match) == ["a", "d", "h i", "j", "x"]


def test_kwic_logical_order_arabic_and_touching_tokens() -> None:
    text = "انتهت الندوة الدولية في الجزائر، بالإعلان"
    t = make_tokens("ar", text)
    hit = pd.DataFrame([make_hit(t, "ar", 2, 3, "F", "الدولية")])
    line = kwic(hit, t, window=2).iloc[0]
    # logical (reading) order: left = the two words read before the match
    assert line.left == "انتهت الندوة"
    assert line.match == "الدولية"
    # the window ends with its second word: the Arabic comma after it is not shown
    assert line.right == "في الجزائر"
    assert f"{line.left} {line.match} {line.right}" == text[: text.index("،")]
    # a run-together word split by a repair: the parts touch in the original,
    # so KWIC shows the original spelling
    run = make_tokens("r", "في الولاياتالمتحدة اليوم")
    run = run.drop(index=1)
    parts = pd.DataFrame(
        [
            {**make_tokens("r", "x").iloc[0].to_dict(), "index": 1, "start": 3, "end": 11},
            {**make_tokens("r", "x").iloc[0].to_dict(), "index": 2, "start": 11, "end": 18},
        ]
    )
    parts["surface"] = ["الولايات", "المتحدة"]
    run["index"] = run["index"].replace({2: 3})
    run = pd.concat([run, parts]).sort_values("index", ignore_index=True)
    line = kwic(pd.DataFrame([make_hit(run, "r", 1, 3, "F", "الولايات المتحدة")]), run).iloc[0]
    assert (line.left, line.match, line.right) == ("في", "الولاياتالمتحدة", "اليوم")


def test_kwic_keeps_a_colliding_match_column(toks: pd.DataFrame, hits: pd.DataFrame) -> None:
    # analysis.lexicon puts the lexicon's match mode ("bare"/"exact") in a column
    # named "match"; KWIC's match is the hit's text, the mode moves to hit_match
    k = kwic(hits.assign(match="bare"), toks, window=1)
    assert list(k.match) == ["a", "d", "h i", "j", "x"]
    assert (k.hit_match == "bare").all()
    # actor hits have "actor" instead of "frame"; KWIC still works
    actors = hits.rename(columns={"frame": "actor"})
    assert list(kwic(actors, toks, window=1).columns[9:11]) == ["actor", "term"]


def test_kwic_rejects_bad_spans(toks: pd.DataFrame, hits: pd.DataFrame) -> None:
    bad = hits.copy()
    bad.loc[0, "token_end"] = 99
    with pytest.raises(AnalysisError, match="token span"):
        kwic(bad, toks)
    with pytest.raises(AnalysisError, match="absent from the tokens"):
        kwic(hits, toks[toks.doc_id == "d1"])


# --------------------------------------------------------------------------- #
# collocations: PMI (Church & Hanks 1990), t-score (Church et al. 1991),
# logDice (Rychlý 2008); numbers hand-computed
# --------------------------------------------------------------------------- #


def test_collocations_hand_computed() -> None:
    # words w x y w z x y (positions 0-6), N = 7; node x at 1 and 5; span 1:
    # windows {0,2} = w, y and {4,6} = z, y -> W = 4, O(y) = 2, O(w) = 1, O(z) = 1.
    # f: w 2, x 2, y 2, z 1.  E = W·f_y/N  (= f_x·f_y·S/N = 2·f_y·2/7, no clipping)
    t = make_tokens("c", "w x y w z x y")
    res = collocations(t, "x", span=1, min_freq=1).set_index("collocate")
    assert res.loc["y", "n"] == 2 and res.loc["w", "n"] == 1 and res.loc["z", "n"] == 1
    assert res.loc["y", "expected"] == pytest.approx(8 / 7)  # 4·2/7
    assert res.loc["z", "expected"] == pytest.approx(4 / 7)  # 4·1/7
    # PMI(y) = log2(2 / (8/7)) = log2(1.75) = 0.807355
    assert res.loc["y", "pmi"] == pytest.approx(0.807355, abs=1e-6)
    # PMI(w) = log2(1 / (8/7)) = log2(0.875) = -0.192645
    assert res.loc["w", "pmi"] == pytest.approx(-0.192645, abs=1e-6)
    # t(y) = (2 - 8/7)/√2 = 0.857143/1.414214 = 0.606092
    assert res.loc["y", "t_score"] == pytest.approx(0.606092, abs=1e-6)
    # t(z) = (1 - 4/7)/√1 = 0.428571
    assert res.loc["z", "t_score"] == pytest.approx(0.428571, abs=1e-6)
    # logDice(y) = 14 + log2(2·2/(2+2)) = 14 (Rychlý's maximum)
    assert res.loc["y", "log_dice"] == pytest.approx(14.0)
    # logDice(z) = 14 + log2(2·1/(2+1)) = 14 - 0.584963 = 13.415037
    assert res.loc["z", "log_dice"] == pytest.approx(13.415037, abs=1e-6)
    # logDice(w) = 14 + log2(2/4) = 13
    assert res.loc["w", "log_dice"] == pytest.approx(13.0)
    assert list(res.index) == ["y", "z", "w"]  # sorted by logDice
    assert set(res.f_node) == {2}
    # min_freq = 2 keeps only y
    assert list(collocations(t, "x", span=1).collocate) == ["y"]


def test_collocation_formulas_independent_check() -> None:
    # textbook (unclipped) E = f_x·f_y·S/N with S = 2·span, written out directly
    t = make_tokens("c", "p q r x s t u v x w q r s")  # x at 3 and 8, span 2, no clipping
    res = collocations(t, "x", span=2, min_freq=1).set_index("collocate")
    n_words, f_x, s = 13, 2, 4
    f = {"q": 2, "r": 2, "s": 2, "t": 1, "u": 1, "v": 1, "w": 1}
    # windows: x@3 -> q r s t; x@8 -> u v w q  => O(q) = 2, others 1
    o = {"q": 2, "r": 1, "s": 1, "t": 1, "u": 1, "v": 1, "w": 1}
    assert res["n"].to_dict() == o
    for y, oy in o.items():
        e = f_x * f[y] * s / n_words
        assert res.loc[y, "expected"] == pytest.approx(e)
        assert res.loc[y, "pmi"] == pytest.approx(math.log2(oy / e))
        assert res.loc[y, "t_score"] == pytest.approx((oy - e) / math.sqrt(oy))
        assert res.loc[y, "log_dice"] == pytest.approx(14 + math.log2(2 * oy / (f_x + f[y])))


def test_collocation_windows_stop_at_document_and_sentence() -> None:
    # doc A "w x", doc B "y w": node x at the end of A; span 1 -> only w (left);
    # y in doc B is not in the window. W = 1, N = 4, f(w) = 2 -> E(w) = 1·2/4 = 0.5
    t = pd.concat([make_tokens("A", "w x"), make_tokens("B", "y w")], ignore_index=True)
    res = collocations(t, "x", span=1, min_freq=1)
    assert res[["collocate", "n"]].to_dict("records") == [{"collocate": "w", "n": 1}]
    assert res.expected.iloc[0] == pytest.approx(0.5)
    # sentences: "w x. y w": x ends sentence 0; within_sentence drops y
    t2 = make_tokens("S", "w x. y w")
    assert set(collocations(t2, "x", span=1, min_freq=1).collocate) == {"w", "y"}
    assert set(collocations(t2, "x", span=1, min_freq=1, within_sentence=True).collocate) == {"w"}
    # several forms as one node; unknown node -> empty table
    both = collocations(make_tokens("c", "x1 a x2 a"), ["x1", "x2"], span=1, min_freq=1)
    assert both.node.iloc[0] == "x1|x2" and both.set_index("collocate").loc["a", "n"] == 3
    assert collocations(t, "absent").empty
    with pytest.raises(AnalysisError):
        collocations(t, "x", span=0)


# --------------------------------------------------------------------------- #
# dispersion: Gries (2008) DP, Lijffijt & Gries (2012) DPnorm, Juilland's D
# --------------------------------------------------------------------------- #

# Gries (2008, IJCL 13(4), section introducing DP; page not recalled exactly): a
# corpus of 50 words in five parts of sizes 9, 10, 10, 10, 11, in which the word
# "a" occurs 1, 2, 3, 4, 5 times (15 in all). Observed proportions v = 1/15 …
# 5/15 = .067 .133 .2 .267 .333; expected s = .18 .2 .2 .2 .22; DP = 0.18.
# Only the part sizes and the counts of "a" and "b" matter for the numbers below.
GRIES_PARTS = [
    "b a m n i b e u p",
    "b a s a t b e w q n",
    "b c a g a b e s t a",
    "b a g h a b e a a t",
    "b a h a a b e a x a t",
]


def test_dp_gries_2008_worked_example() -> None:
    value, norm = dp([1, 2, 3, 4, 5], [9, 10, 10, 10, 11])
    # published: DP = 0.18 (hand: ½(.1133+.0667+0+.0667+.1133) = ½·.36)
    assert value == pytest.approx(0.18, abs=1e-12)
    # DPnorm = DP/(1 - min s) = 0.18/(1 - 0.18) = 0.219512 (Lijffijt & Gries 2012
    # formula; hand-computed)
    assert norm == pytest.approx(0.18 / 0.82, abs=1e-12)
    # exact re-derivation with fractions
    v = [Fraction(i, 15) for i in range(1, 6)]
    s = [Fraction(k, 50) for k in (9, 10, 10, 10, 11)]
    assert value == pytest.approx(float(sum(abs(a - b) for a, b in zip(v, s, strict=True)) / 2))


def test_dp_limits() -> None:
    # four equal parts, everything in one: DP = ½(.75 + 3·.25) = .75, DPnorm = .75/.75 = 1
    assert dp([8, 0, 0, 0], [5, 5, 5, 5]) == pytest.approx((0.75, 1.0))
    # proportional to part sizes: DP = 0
    assert dp([2, 4, 6], [10, 20, 30]) == pytest.approx((0.0, 0.0))
    assert all(math.isnan(x) for x in dp([0, 0], [1, 1]))
    with pytest.raises(AnalysisError):
        dp([1, 2], [3])


def test_juilland_d_hand_computed() -> None:
    # Gries' five parts, relative frequencies 1/9, 2/10, 3/10, 4/10, 5/11;
    # V = pstdev/mean; D = 1 - V/√4. Hand: mean .293131, sd .125958, V .429699,
    # D = 1 - .429699/2 = 0.785150. Re-derived with the statistics module:
    r = [1 / 9, 2 / 10, 3 / 10, 4 / 10, 5 / 11]
    expected = 1 - (statistics.pstdev(r) / statistics.fmean(r)) / 2
    assert expected == pytest.approx(0.785150, abs=1e-6)
    assert juilland_d([1, 2, 3, 4, 5], [9, 10, 10, 10, 11]) == pytest.approx(expected)
    # equal parts: all in one of 4 parts -> V = √3 -> D = 0; perfectly even -> D = 1
    assert juilland_d([4, 0, 0, 0]) == pytest.approx(0.0)
    assert juilland_d([3, 3, 3]) == pytest.approx(1.0)
    assert math.isnan(juilland_d([5]))


def test_dispersion_table_on_gries_corpus() -> None:
    t = pd.concat(
        [make_tokens(f"p{i}", text) for i, text in enumerate(GRIES_PARTS, 1)], ignore_index=True
    )
    assert word_totals(t).tokens.tolist() == [9, 10, 10, 10, 11]
    occ = t[t.bare.isin(["a", "b"])]
    res = dispersion(occ, t, item="bare", parts="document").set_index("bare")
    assert res.loc["a", "n"] == 15 and res.loc["a", "range"] == 5 and res.loc["a", "n_parts"] == 5
    assert res.loc["a", "dp"] == pytest.approx(0.18)  # Gries 2008
    # b: twice in every part, v = .2 each vs s = .18 .2 .2 .2 .22:
    # DP = ½(.02 + .02) = 0.02 (hand-computed)
    assert res.loc["b", "dp"] == pytest.approx(0.02)
    assert res.loc["b", "n"] == 10


def test_dispersion_sentences_and_segments() -> None:
    # four sentences of two words; "k" twice in sentence 0 only:
    # v = (1,0,0,0), s = .25 each -> DP .75, DPnorm 1, Juilland's D 0 (see test_dp_limits)
    t = make_tokens("d", "k k. a b. c d. e f.")
    occ = t[t.bare == "k"]
    res = dispersion(occ, t, item="bare", parts="sentence").iloc[0]
    assert (res.doc_id, res.n, res.n_parts, res.range) == ("d", 2, 4, 1)
    assert (res.dp, res.dp_norm, res.juilland_d) == pytest.approx((0.75, 1.0, 0.0))
    # segments: 10 words, 2 segments of 5 words (word ranks 0-4, 5-9); the commas
    # are not words. "k" at word ranks 1 and 8 -> one per segment -> DP 0, D 1
    t2 = make_tokens("s", "a k, b c d, e f g k h")
    res2 = dispersion(t2[t2.bare == "k"], t2, item="bare", parts="segment", n_segments=2)
    assert (res2.n_parts.iloc[0], res2.dp.iloc[0], res2.juilland_d.iloc[0]) == pytest.approx(
        (2, 0.0, 1.0)
    )
    # both "k" in the first half -> v = (1, 0), s = (.5, .5): DP = .5, DPnorm = .5/.5 = 1
    t3 = make_tokens("s", "k k, b c d, e f g a h")
    res3 = dispersion(t3[t3.bare == "k"], t3, item="bare", parts="segment", n_segments=2)
    assert (res3.dp.iloc[0], res3.dp_norm.iloc[0]) == pytest.approx((0.5, 1.0))
    with pytest.raises(AnalysisError):
        dispersion(occ, t, item="bare", parts="chapter")


def test_dispersion_positions(toks: pd.DataFrame, hits: pd.DataFrame) -> None:
    pos = dispersion_positions(hits, toks).set_index(["doc_id", "token_start"])
    # d1 has 10 words; j (index 11) has 9 words before it (a b c d e f g h i) -> 0.9
    assert pos.loc[("d1", 11), "word_offset"] == 9
    assert pos.loc[("d1", 11), "relative_position"] == pytest.approx(0.9)
    # d (index 4): words a b c before it -> 3/10
    assert pos.loc[("d1", 4), "relative_position"] == pytest.approx(0.3)
    # x first of d2's 2 words -> 0
    assert pos.loc[("d2", 0), ["word_offset", "n_words"]].tolist() == [0, 2]


# --------------------------------------------------------------------------- #
# keyness: G² (Rayson & Garside 2000 / Dunning 1993), log ratio (Hardie 2014)
# --------------------------------------------------------------------------- #


def g2_direct(a: float, b: float, c: float, d: float) -> float:
    """G² = 2 Σ O ln(O/E) over the two cells, E_i = N_i · (a+b) / (c+d): written
    independently of analysis.measures."""
    total = 0.0
    for o, size in ((a, c), (b, d)):
        e = size * (a + b) / (c + d)
        if o:
            total += o * math.log(o / e)
    return 2 * total


def test_log_likelihood_hand_computed() -> None:
    # a = 30 in 1000 words, b = 10 in 1000: E1 = E2 = 1000·40/2000 = 20;
    # G² = 2(30 ln 1.5 + 10 ln 0.5) = 2(12.163953 - 6.931472) = 10.464963
    assert log_likelihood(np.array([30]), np.array([10]), 1000, 1000)[0] == pytest.approx(
        10.464963, abs=1e-6
    )
    # unequal sizes, a zero: a = 5 in 1000, b = 0 in 3000: E1 = 1000·5/4000 = 1.25;
    # G² = 2·5·ln(5/1.25) = 10 ln 4 = 13.862944
    assert log_likelihood(np.array([5]), np.array([0]), 1000, 3000)[0] == pytest.approx(
        13.862944, abs=1e-6
    )
    rng = np.random.default_rng(0)
    a, b = rng.integers(0, 50, 20), rng.integers(0, 50, 20)
    got = log_likelihood(a, b, 5000, 12000)
    want = [g2_direct(x, y, 5000, 12000) for x, y in zip(a, b, strict=True)]
    assert got == pytest.approx(want)


def test_chi2_p_value_matches_published_critical_values() -> None:
    # χ²(1) critical values, as listed on the UCREL log-likelihood calculator page
    # and in any χ² table: 3.84 p<.05, 6.63 p<.01, 10.83 p<.001, 15.13 p<.0001
    p = chi2_p_value(np.array([3.841459, 6.634897, 10.827566, 15.136705]))
    assert p == pytest.approx([0.05, 0.01, 0.001, 0.0001], rel=1e-5)
    assert chi2_p_value(np.array([0.0]))[0] == pytest.approx(1.0)


def test_log_ratio_hardie() -> None:
    # A has 1000 words, B 2000: log2((30/1000)/(10/2000)) = log2 6 = 2.584963;
    # log2((5/1000)/(20/2000)) = log2 0.5 = -1 (half as frequent in A)
    assert log_ratio(np.array([30, 5]), np.array([10, 20]), 1000, 2000) == pytest.approx(
        [2.584963, -1.0], abs=1e-6
    )
    # zero b replaced by 0.5 (the documented adjustment): log2((5/1000)/(0.5/3000)) = log2 30
    assert log_ratio(np.array([5]), np.array([0]), 1000, 3000)[0] == pytest.approx(math.log2(30))


def test_keyness_table() -> None:
    # A: "s s s t u ." -> words s 3, t 1, u 1; c = 5
    # B: "s t t t t v ." -> words s 1, t 4, v 1; d = 6
    a = make_tokens("A", "s s s t u .")
    b = make_tokens("B", "s t t t t v .")
    res = keyness(a, b).set_index("term")
    assert res.loc["s", ["a", "b", "n", "size_a", "size_b"]].tolist() == [3, 1, 4, 5, 6]
    assert res.loc["t", ["a", "b"]].tolist() == [1, 4]
    assert res.loc["v", ["a", "b"]].tolist() == [0, 1]
    assert "." not in res.index  # punctuation is not a word
    # s: E_a = 5·4/11 = 1.818182, E_b = 6·4/11 = 2.181818
    assert res.loc["s", "expected_a"] == pytest.approx(20 / 11)
    assert res.loc["s", "G2"] == pytest.approx(g2_direct(3, 1, 5, 6))
    # hand: 2(3 ln 1.65 + 1 ln(11/24)) = 2(1.502326 - 0.780159) = 1.444335
    assert res.loc["s", "G2"] == pytest.approx(1.444335, abs=1e-5)
    assert res.loc["s", "log_ratio"] == pytest.approx(math.log2((3 / 5) / (1 / 6)))
    assert res.loc["s", "key_in"] == "a" and res.loc["t", "key_in"] == "b"
    # v: a = 0 -> 0.5: log2((0.5/5)/(1/6)) = log2(0.6)
    assert res.loc["v", "log_ratio"] == pytest.approx(math.log2(0.6))
    assert list(res.G2) == sorted(res.G2, reverse=True)
    assert set(keyness(a, b, min_freq=2).term) == {"s", "t"}


# --------------------------------------------------------------------------- #
# group comparisons and co-occurrence
# --------------------------------------------------------------------------- #


def test_frame_rates_by_group(toks: pd.DataFrame, hits: pd.DataFrame) -> None:
    docs = pd.DataFrame(
        {
            "doc_id": ["d1", "d2", "d3"],
            "outlet": ["X", "Y", "Y"],  # d3 is not analysed (not in tokens)
            "date": ["", "", ""],
        }
    )
    res = frame_rates_by_group(hits, toks, docs, "outlet").set_index(["frame", "group"])
    # X = d1 (10 words): P 3 hits -> 300 per 1000; Q 1 -> 100
    # Y = d2 only (2 words, d3 not analysed): P 1 -> 500; Q 0 -> 0
    assert res.loc[("P", "X"), ["n", "tokens", "n_documents"]].tolist() == [3, 10, 1]
    assert res.loc[("P", "X"), "rate_per_1000"] == pytest.approx(300.0)
    assert res.loc[("Q", "X"), "rate_per_1000"] == pytest.approx(100.0)
    assert res.loc[("P", "Y"), ["n", "tokens", "n_documents"]].tolist() == [1, 2, 1]
    assert res.loc[("Q", "Y"), ["n", "n_documents_with_hits"]].tolist() == [0, 0]
    assert res.loc[("Q", "Y"), "rate_per_1000"] == 0.0
    with pytest.raises(AnalysisError, match="missing from the documents"):
        frame_rates_by_group(hits, toks, docs[docs.doc_id != "d2"], "outlet")


def test_date_range_groups() -> None:
    docs = pd.DataFrame(
        {
            "doc_id": list("abcdef"),
            "date": ["2009-11-20", "2009-11", "2009", "2009-11-14/2009-12-17", "", "2010-01"],
        }
    )
    ranges = {"nov": ("2009-11-01", "2009-11-30"), "late09": ("2009-11-10", "2009-12")}
    got = date_range_groups(docs, ranges).set_index("doc_id")["period"].to_dict()
    # a: a day in both ranges -> ambiguous -> ""; b: whole November only in "nov"
    # (late09 starts on the 10th); c: the whole year fits neither; d: the interval
    # fits late09 only; e: unknown; f: after both
    assert got == {"a": "", "b": "nov", "c": "", "d": "late09", "e": "", "f": ""}
    got2 = date_range_groups(docs, {"2009": ("2009", "2009")}).set_index("doc_id")["period"]
    assert got2.tolist() == ["2009", "2009", "2009", "2009", "", ""]
    with pytest.raises(AnalysisError):
        date_range_groups(docs, {"bad": ("2009-13", "2009")})


def test_cooccurrence_by_sentence_and_document() -> None:
    rows = [
        ("d1", 0, "A"),
        ("d1", 0, "B"),
        ("d1", 0, "A"),  # a second A in the same sentence counts once
        ("d1", 1, "A"),
        ("d1", 1, "C"),
        ("d2", 0, "B"),
        ("d2", 0, "C"),
    ]
    actor_hits = pd.DataFrame(rows, columns=["doc_id", "sentence", "term"])
    m = cooccurrence(actor_hits)
    # sentences: d1/0 {A,B}, d1/1 {A,C}, d2/0 {B,C}
    assert m.to_numpy().tolist() == [[2, 1, 1], [1, 2, 1], [1, 1, 2]]
    assert list(m.index) == list(m.columns) == ["A", "B", "C"]
    d = cooccurrence(actor_hits, unit="document")
    # documents: d1 {A,B,C}, d2 {B,C}
    assert d.to_numpy().tolist() == [[1, 1, 1], [1, 2, 2], [1, 2, 2]]
    assert cooccurrence(actor_hits.iloc[:0]).shape == (0, 0)
    # an "actor" column (analysis.lexicon.match_actors) is used by default
    by_actor = actor_hits.rename(columns={"term": "actor"}).assign(term="t")
    assert cooccurrence(by_actor).to_numpy().tolist() == m.to_numpy().tolist()
    with pytest.raises(AnalysisError):
        cooccurrence(actor_hits, unit="paragraph")


def test_association_scores_equal_manning_schutze_worked_examples() -> None:
    # Manning, C. D. & Schütze, H. (1999). Foundations of Statistical Natural Language
    # Processing. MIT Press. Both examples use their New York Times corpus of
    # N = 14,307,668 tokens, counting bigrams (a window of one word to the right,
    # so E = f(w1)·f(w2)/N).
    from analysis.measures import association_scores

    n = 14_307_668
    # §5.3.1, the t test: "new companies", C(new) = 15,828, C(companies) = 4,675,
    # C(new companies) = 8; the book reports t ≈ 0.999932 (from rounded
    # probabilities), i.e. not significant at α = 0.005 (critical value 2.576).
    e = 15_828 * 4_675 / n
    t = association_scores([8], [e], [15_828], [4_675])["t_score"][0]
    assert t == pytest.approx(0.999932, abs=1e-4)
    # §5.4, Table 5.16, pointwise mutual information: "Ayatollah Ruhollah",
    # C(Ayatollah) = 42, C(Ruhollah) = 20, C(Ayatollah Ruhollah) = 20: I = 18.38.
    e = 42 * 20 / n
    assert association_scores([20], [e], [42], [20])["pmi"][0] == pytest.approx(18.38, abs=0.005)


def test_log_dice_bounds_from_rychly_2008() -> None:
    # Rychlý (2008): logDice = 14 + log2(Dice); its maximum, 14, is reached when the
    # two words only ever occur together (f_xy = f_x = f_y), and it falls by 1
    # each time the Dice coefficient halves.
    from analysis.measures import association_scores

    scores = association_scores([5, 5, 5], [1, 1, 1], [5, 10, 20], [5, 10, 20])["log_dice"]
    assert scores == pytest.approx([14.0, 13.0, 12.0])
