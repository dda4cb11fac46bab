"""The corpus-scale reducer (analysis.scale): what chunks send and how it is folded.

Small inputs whose counts are worked out by hand (reasoning beside each expected
value), and random inputs checked against a reference built the obvious way
(Counter per group, pandas tables sorted by their text columns), which is how the
reducer built its tables before it was made compact.
"""

from __future__ import annotations

import csv
import pickle
import random
from collections import Counter
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import analysis.scale as scale
from analysis.errors import CorpusError
from analysis.pipeline import analyse_text
from analysis.scale import (
    COUNT_COLUMNS,
    ChunkResult,
    DocumentSummary,
    TermCounts,
    _Reducer,
    _SparseCounts,
    _term_counts_of,
    _term_counts_of_types,
)

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "corpus" / "algiers-sahrawi-solidarity-2009.txt"
HEADER = ["doc_id", "file", "language", "title", "outlet", "date", "date_precision", "notes"]


def rows_of(terms: TermCounts) -> dict[tuple[str, str], int]:
    """(group, form) -> n, decoded from the parallel arrays."""
    return {
        (terms.groups[int(g)], terms.forms[int(f)]): int(n)
        for g, f, n in zip(terms.group, terms.form, terms.n, strict=True)
    }


def test_chunk_term_counts_by_hand() -> None:
    values = np.array(["قال", "", "شعب", "قال", "شعب", "قال", None], dtype=object)
    groups = np.array([0, 0, 1, 1, 1, 0, 1])
    terms = _term_counts_of(values, groups, ["alpha", "beta"])
    # alpha (positions 0, 1, 5): قال twice (0, 5); "" (1) is not a form.
    # beta (positions 2, 3, 4, 6): شعب twice (2, 4), قال once (3); None (6) is missing.
    assert rows_of(terms) == {("alpha", "قال"): 2, ("beta", "شعب"): 2, ("beta", "قال"): 1}
    assert sorted(terms.forms) == ["شعب", "قال"]  # each form once, though قال is in both groups
    assert list(terms.group) == sorted(terms.group)  # rows sorted by group
    assert _term_counts_of(np.array(["", ""], dtype=object), np.zeros(2, int), ["a"]) is None


def test_chunk_term_counts_by_type_by_hand() -> None:
    # Five word types; types 1 and 3 share the form قال, type 2 has none (""),
    # type 4 is never used. Words: types 0 1 2 3 1 0 (groups 0 0 1 1 1 0).
    type_values = np.array(["شعب", "قال", "", "قال", "نضال"], dtype=object)
    type_ids = np.array([0, 1, 2, 3, 1, 0])
    groups = np.array([0, 0, 1, 1, 1, 0])
    terms = _term_counts_of_types(type_values, type_ids, groups, ["alpha", "beta"])
    # alpha: شعب twice (words 0, 5), قال once (word 1); beta: قال twice (3, 4);
    # word 2 has the empty form; نضال has no word.
    assert rows_of(terms) == {("alpha", "شعب"): 2, ("alpha", "قال"): 1, ("beta", "قال"): 2}
    assert sorted(terms.forms) == ["شعب", "قال"]  # قال once, though two types have it
    assert _term_counts_of_types(type_values, np.array([2]), np.array([0]), ["a"]) is None


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.sampled_from(["", "قال", "شعب", "نضال", "ال"]), min_size=1, max_size=8),
    st.data(),
)
def test_chunk_term_counts_by_type_equal_by_word(forms, data) -> None:
    type_values = np.array(forms, dtype=object)
    n = data.draw(st.integers(0, 30))
    type_ids = np.array(data.draw(st.lists(st.integers(0, len(forms) - 1), min_size=n, max_size=n)))
    groups = np.array(data.draw(st.lists(st.integers(0, 2), min_size=n, max_size=n)))
    names = ["g0", "g1", "g2"]
    by_word = _term_counts_of(type_values[type_ids.astype(np.int64)], groups, names)
    by_type = _term_counts_of_types(type_values, type_ids.astype(np.int64), groups, names)
    if by_word is None:
        assert by_type is None
    else:
        assert rows_of(by_type) == rows_of(by_word)
        assert sorted(by_type.forms) == sorted(by_word.forms)


def test_chunk_term_counts_equal_a_counter_over_the_seed_tokens() -> None:
    tokens = analyse_text(SEED.read_text(encoding="utf-8"), "seed").tokens
    words = tokens[tokens["kind"] == "word"]
    half = np.arange(len(words)) % 2  # two groups: even and odd word positions
    terms = _term_counts_of(words["bare"].to_numpy(object), half, ["even", "odd"])
    expected = Counter(
        (("even", "odd")[h], form) for h, form in zip(half, words["bare"], strict=True) if form
    )
    assert rows_of(terms) == dict(expected)
    assert sum(expected.values()) == len(words)  # no empty bare form in the seed
    assert len(terms.forms) == words["bare"].nunique()


@pytest.mark.parametrize("merge_rows", [1, 1 << 16])
def test_sparse_counts_by_hand(monkeypatch: pytest.MonkeyPatch, merge_rows: int) -> None:
    monkeypatch.setattr(scale, "_MERGE_ROWS", merge_rows)  # 1: merge at every addition
    counts = _SparseCounts()
    counts.add(np.array([5, 1], np.int32), np.array([2, 3]))
    counts.add(np.array([1, 7], np.int32), np.array([4, 1]))
    counts.add(np.array([5], np.int32), np.array([10]))
    counts.merge()
    # id 1: 3 + 4 = 7; id 5: 2 + 10 = 12; id 7: 1
    assert counts.ids.tolist() == [1, 5, 7]
    assert counts.n.tolist() == [7, 12, 1]
    assert counts.ids.dtype == np.int32 and counts.n.dtype == np.int64


def write_metadata(path: Path, rows: list[tuple[str, str, str]]) -> Path:
    """A metadata table of (doc_id, outlet, date) rows."""
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        for doc_id, outlet, date in rows:
            writer.writerow([doc_id, f"{doc_id}.txt", "ar", doc_id, outlet, date, "day", ""])
    return path


def summary(seq: int, doc_id: str, group: str, words: int, hits: dict) -> DocumentSummary:
    counts = (10 * words, words + 1, words, 1, 0, 0, sum(hits.values()), 0)
    return DocumentSummary(seq, doc_id, group, counts, hits, [])


def terms_of(rows: dict[tuple[str, str], int]) -> TermCounts:
    """A TermCounts from (group, form) -> n (rows in any order)."""
    groups = list(dict.fromkeys(g for g, _ in rows))
    forms = list(dict.fromkeys(f for _, f in rows))
    return TermCounts(
        forms=forms,
        groups=groups,
        group=np.array([groups.index(g) for g, _ in rows], np.uint8),
        form=np.array([forms.index(f) for _, f in rows], np.uint16),
        n=np.array(list(rows.values()), np.uint8),
    )


SOL = ("solidarity", "تضامن", "solidarity/تضامن")
COL = ("colonialism", "استعمار", "colonialism/استعمار")
HAND_CHUNKS = [
    ChunkResult(
        [
            summary(0, "d0", "alpha", 5, {(*SOL, "narration"): 2}),
            summary(2, "d2", "beta", 3, {(*COL, "quoted"): 1, (*SOL, "narration"): 1}),
        ],
        terms_of({("alpha", "شعب"): 2, ("alpha", "تضامن"): 3, ("beta", "شعب"): 1}),
    ),
    ChunkResult(
        [summary(1, "d1", "alpha", 4, {(*COL, "narration"): 1})],
        terms_of({("alpha", "شعب"): 1, ("alpha", "احتلال"): 3}),
    ),
]


def test_reducer_tables_by_hand(tmp_path: Path) -> None:
    metadata = write_metadata(
        tmp_path / "m.csv",
        [("d0", "alpha", "2009-11-20"), ("d1", "alpha", "2009-12-05"), ("d2", "beta", "2009")],
    )
    results = []
    for chunks in (HAND_CHUNKS, HAND_CHUNKS[::-1]):  # arrival order must not matter
        reducer = _Reducer("outlet")
        for chunk in chunks:
            reducer.add_chunk(chunk)
        results.append(reducer.result(metadata, "bare", "test"))
    first, second = results
    assert first.equals(second)
    docs = first.documents
    assert docs["doc_id"].tolist() == ["d0", "d1", "d2"]  # metadata order (seq 0, 1, 2)
    assert docs["outlet"].tolist() == ["alpha", "alpha", "beta"]
    assert docs["date"].tolist() == ["2009-11-20", "2009-12-05", "2009"]
    assert docs["n_words"].tolist() == [5, 4, 3]
    assert docs["n_hits"].tolist() == [2, 1, 2]
    # frame_counts: per document in metadata order, then frame, then voice:
    # d0 solidarity/narration 2; d1 colonialism/narration 1;
    # d2 colonialism/quoted 1, solidarity/narration 1 ("colonialism" < "solidarity")
    assert list(first.frame_counts.itertuples(index=False, name=None)) == [
        ("d0", "solidarity", "narration", 2),
        ("d1", "colonialism", "narration", 1),
        ("d2", "colonialism", "quoted", 1),
        ("d2", "solidarity", "narration", 1),
    ]
    # term_counts: alpha شعب 2 + 1 = 3, تضامن 3, احتلال 3; beta شعب 1. Within a group
    # forms sort by code point: ا U+0627 < ت U+062A < ش U+0634.
    assert list(first.term_counts.itertuples(index=False, name=None)) == [
        ("alpha", "احتلال", 3),
        ("alpha", "تضامن", 3),
        ("alpha", "شعب", 3),
        ("beta", "شعب", 1),
    ]
    assert first.term_counts["term"].dtype == "str" and first.term_counts["n"].dtype == "int64"
    # term_hits per outlet: alpha solidarity 2 (d0), colonialism 1 (d1); beta 1 + 1 (d2)
    assert first.term_hits.groupby("outlet")["n"].sum().to_dict() == {"alpha": 3, "beta": 2}


def test_reducer_notices_a_metadata_table_edited_during_the_run(tmp_path: Path) -> None:
    metadata = write_metadata(
        tmp_path / "m.csv",
        [("d0", "alpha", "2009"), ("dX", "alpha", "2009"), ("d2", "beta", "2009")],
    )
    reducer = _Reducer("outlet")
    for chunk in HAND_CHUNKS:
        reducer.add_chunk(chunk)
    with pytest.raises(
        CorpusError, match=r"m\.csv, line 3: .*changed while the corpus was processed"
    ):
        reducer.result(metadata, "bare", "test")


# --------------------------------------------------------------------------- #
# random inputs against the reference
# --------------------------------------------------------------------------- #

FRAMES = ["colonialism", "solidarity", "struggle", "peace"]
VOICES = ["narration", "quoted"]
LETTERS = "ابتثجحخدذرزسشصضطظعغفقكلمنهوي"


def random_input(
    rng: random.Random, n_docs: int, groups: list[str], with_terms: bool, with_hits: bool
) -> tuple[list[ChunkResult], list[tuple[str, str, str]], dict[tuple[str, str], int]]:
    """Random chunks, their metadata rows and the true word-form counts.

    The metadata table has a third more rows than are processed (a selection), and
    the processed documents arrive in shuffled order.
    """
    vocabulary = ["".join(rng.choices(LETTERS, k=rng.randint(1, 6))) for _ in range(300)]
    n_rows = n_docs + n_docs // 3
    rows = [(f"doc{i:03d}", rng.choice(groups), f"20{rng.randint(10, 12)}") for i in range(n_rows)]
    order = rng.sample(range(n_rows), n_docs)  # the selected rows, in arrival order
    truth: Counter = Counter()
    chunks = []
    for start in range(0, n_docs, 7):
        docs, values, word_groups = [], [], []
        names = list(dict.fromkeys(rows[i][1] for i in order[start : start + 7]))
        for i in order[start : start + 7]:
            doc_id, group, _ = rows[i]
            words = rng.choices(vocabulary, k=rng.randint(0, 40)) + [""] * rng.randint(0, 2)
            hits: Counter = Counter()
            for _ in range(rng.randint(0, 4) if with_hits else 0):
                frame = rng.choice(FRAMES)
                hits[(frame, frame[:3], f"{frame}/{frame[:3]}", rng.choice(VOICES))] += 1
            docs.append(summary(i, doc_id, group, len(words), dict(hits)))
            values += words
            word_groups += [names.index(group)] * len(words)
            if with_terms:
                truth.update((group, w) for w in words if w)
        terms = None
        if with_terms and values:
            terms = _term_counts_of(np.array(values, dtype=object), np.array(word_groups), names)
        chunks.append(ChunkResult(docs, terms))
    return chunks, rows, dict(truth)


def reference(
    chunks: list[ChunkResult], rows: list[tuple[str, str, str]], g: str
) -> dict[str, pd.DataFrame]:
    """The four tables built the obvious way: Counters, lists of tuples, sort_values."""
    docs = sorted((s for c in chunks for s in c.documents), key=lambda s: s.seq)
    meta = {doc_id: (outlet, date) for doc_id, outlet, date in rows}
    documents = pd.DataFrame({"doc_id": np.array([s.doc_id for s in docs], dtype=object)})
    documents["outlet"] = [meta[s.doc_id][0] for s in docs]
    documents["date"] = [meta[s.doc_id][1] for s in docs]
    for k, column in enumerate(COUNT_COLUMNS):
        documents[column] = np.array([s.counts[k] for s in docs], dtype="int64")
    frame_rows = []
    term_hits: Counter = Counter()
    terms: dict[str, Counter] = {}
    for rank, s in enumerate(docs):
        per: Counter = Counter()
        for (frame, term, entry_id, voice), n in s.hits.items():
            per[(frame, voice)] += n
            term_hits[(s.group, frame, term, entry_id, voice)] += n
        frame_rows += [(rank, s.doc_id, f, v, n) for (f, v), n in per.items()]
    for c in chunks:
        if c.terms is not None:
            for (group, form), n in rows_of(c.terms).items():
                terms.setdefault(group, Counter())[form] += n
    frame_counts = pd.DataFrame(
        {
            "_rank": [r[0] for r in frame_rows],
            "doc_id": np.array([r[1] for r in frame_rows], dtype=object),
            "frame": np.array([r[2] for r in frame_rows], dtype=object),
            "voice": np.array([r[3] for r in frame_rows], dtype=object),
            "n": np.array([r[4] for r in frame_rows], dtype=np.int64),
        }
    )
    frame_counts = (
        frame_counts.sort_values(["_rank", "frame", "voice"])
        .drop(columns="_rank")
        .reset_index(drop=True)
    )
    hits = pd.DataFrame(
        [(*k, n) for k, n in term_hits.items()],
        columns=[g, "frame", "term", "entry_id", "voice", "n"],
    )
    hits = hits.sort_values([g, "frame", "term", "entry_id", "voice"]).reset_index(drop=True)
    if terms:
        table = [(group, form, n) for group, c in terms.items() for form, n in c.items()]
        term_counts = pd.DataFrame(
            {
                g: [r[0] for r in table],
                "term": [r[1] for r in table],
                "n": np.array([r[2] for r in table], dtype=np.int64),
            }
        )
    else:
        term_counts = pd.DataFrame([], columns=[g, "term", "n"])
    term_counts = term_counts.sort_values([g, "term"]).reset_index(drop=True)
    for table in (frame_counts, hits, term_counts):
        table["n"] = table["n"].astype("int64")
    return {
        "documents": documents,
        "frame_counts": frame_counts,
        "term_hits": hits,
        "term_counts": term_counts,
    }


@pytest.mark.parametrize(
    ("seed", "n_docs", "groups", "with_terms", "with_hits"),
    [
        (1, 60, ["alpha", "beta", "gamma"], True, True),
        (2, 45, ["", "alpha"], True, True),  # the empty (unknown) outlet is a group too
        (3, 40, [f"g{i:02d}" for i in range(30)], True, True),  # many small groups
        (4, 20, ["alpha", "beta"], False, True),  # term_form=None
        (5, 20, ["alpha", "beta"], True, False),  # no frame hits at all
        (6, 0, ["alpha"], True, True),  # nothing processed
    ],
)
def test_reducer_equals_the_reference(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    seed: int,
    n_docs: int,
    groups: list[str],
    with_terms: bool,
    with_hits: bool,
) -> None:
    monkeypatch.setattr(scale, "_MERGE_ROWS", 16)  # merge often: exercise the merges
    monkeypatch.setattr(scale, "_TRIM_EVERY", 2)
    rng = random.Random(seed)
    chunks, rows, truth = random_input(rng, n_docs, groups, with_terms, with_hits)
    metadata = write_metadata(tmp_path / "m.csv", rows)
    reducer = _Reducer("outlet")
    for chunk in chunks:
        # each chunk pickled and unpickled, as between a worker and the parent
        reducer.add_chunk(pickle.loads(pickle.dumps(chunk)))
    got = reducer.result(metadata, "bare" if with_terms else None, "test")
    expected = reference(chunks, rows, "outlet")
    for name, table in expected.items():
        pd.testing.assert_frame_equal(getattr(got, name), table)
        assert getattr(got, name).equals(table), name
    # and the term counts are the true counts of the words generated
    counted = {(g, t): n for g, t, n in got.term_counts.itertuples(index=False, name=None)}
    assert counted == truth
    if n_docs and with_terms:
        assert len(got.term_counts) > 0
