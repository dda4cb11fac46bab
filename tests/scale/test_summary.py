"""The reducer of the corpus-scale path: what workers send and how it is folded into Parquet.

Small inputs whose counts are worked out by hand (reasoning beside each expected
value), and random inputs checked against a plain Counter.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.engine import Vocabulary
from analysis.engine.batch import analyse_batch
from analysis.scale.summary import CorpusSummary, Reducer, _Totals
from analysis.scale.worker import COUNT_COLUMNS, ChunkResult, _term_counts

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "corpus" / "algiers-sahrawi-solidarity-2009.txt"


def chunk(docs, frames, hits, terms) -> ChunkResult:
    """A chunk as a worker would send it: docs are (seq, doc_id, group, date, n_words)."""
    rows = []
    for seq, doc_id, group, date, words in docs:
        counts = dict.fromkeys(COUNT_COLUMNS, 0) | {"n_words": words}
        rows.append((seq, doc_id, group, (group, date), *counts.values(), ""))
    columns = tuple(list(c) for c in zip(*terms, strict=True))
    return ChunkResult(documents=rows, frame_counts=frames, term_hits=hits, term_counts=columns)


SOL = ("solidarity", "تضامن", "solidarity/تضامن")
COL = ("colonialism", "احتلال", "colonialism/احتلال")
HAND = [
    chunk(
        [(2, "d2", "beta", "2009", 3)],
        [(2, "d2", "solidarity", "narration", 1), (2, "d2", "colonialism", "quoted", 1)],
        [("beta", *SOL, "narration", 1), ("beta", *COL, "quoted", 1)],
        [("beta", "شعب", 1)],
    ),
    chunk(
        [(0, "d0", "alpha", "2009-11-20", 5)],
        [(0, "d0", "solidarity", "narration", 2)],
        [("alpha", *SOL, "narration", 2)],
        [("alpha", "شعب", 2), ("alpha", "تضامن", 3)],
    ),
    chunk(
        [(1, "d1", "alpha", "2009-12-05", 4)],
        [(1, "d1", "colonialism", "narration", 1)],
        [("alpha", *COL, "narration", 1)],
        [("alpha", "شعب", 1), ("alpha", "احتلال", 3)],
    ),
]


def test_reducer_tables_by_hand(tmp_path: Path) -> None:
    results = []
    for k, chunks in enumerate((HAND, HAND[::-1])):  # arrival order must not matter
        reducer = Reducer(tmp_path / f"run{k}", "outlet")
        for c in chunks:
            reducer.add(c)
        results.append(reducer.result("bare", "test"))
    first, second = results
    assert first.equals(second)
    docs = first.documents
    assert docs["doc_id"].tolist() == ["d0", "d1", "d2"]  # metadata order (seq 0, 1, 2)
    assert docs["outlet"].tolist() == ["alpha", "alpha", "beta"]
    assert docs["date"].tolist() == ["2009-11-20", "2009-12-05", "2009"]
    assert docs["n_words"].tolist() == [5, 4, 3]
    # frame_counts: per document in metadata order, then frame, then voice
    assert list(first.frame_counts.itertuples(index=False, name=None)) == [
        ("d0", "solidarity", "narration", 2),
        ("d1", "colonialism", "narration", 1),
        ("d2", "colonialism", "quoted", 1),
        ("d2", "solidarity", "narration", 1),
    ]
    # term_counts: alpha شعب 2 + 1 = 3, تضامن 3, احتلال 3; beta شعب 1; forms sorted by
    # code point within a group: ا U+0627 < ت U+062A < ش U+0634.
    assert list(first.term_counts.itertuples(index=False, name=None)) == [
        ("alpha", "احتلال", 3),
        ("alpha", "تضامن", 3),
        ("alpha", "شعب", 3),
        ("beta", "شعب", 1),
    ]
    assert first.term_hits.groupby("outlet")["n"].sum().to_dict() == {"alpha": 3, "beta": 2}


def test_the_folder_holds_the_tables_and_reads_back(tmp_path: Path) -> None:
    reducer = Reducer(tmp_path, "outlet")
    for c in HAND:
        reducer.add(c)
    written = reducer.result("bare", "test")
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "documents.parquet",
        "frame_counts.parquet",
        "summary.json",
        "term_counts.parquet",
        "term_hits.parquet",
    ]  # the parts written while chunks arrived are gone
    assert CorpusSummary.read(tmp_path).equals(written)


ROWS = st.lists(
    st.tuples(st.sampled_from("ab"), st.sampled_from(["قال", "شعب", "ا"]), st.integers(1, 5)),
    max_size=6,
)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(ROWS, st.booleans()), max_size=12))
def test_totals_equal_a_counter(chunks) -> None:
    totals = _Totals()
    expected: Counter = Counter()
    for rows, merge_now in chunks:
        totals.add(tuple(list(c) for c in zip(*rows, strict=True)) if rows else ([], [], []))
        for g, t, n in rows:
            expected[(g, t)] += n
        if merge_now:
            totals._merge()  # merging early or late changes nothing
    table = totals.table("g").to_pandas()
    keys = zip(table["g"], table["term"], strict=True)
    assert dict(zip(keys, table["n"], strict=True)) == dict(expected)


def test_chunk_term_counts_equal_a_counter_over_the_seed() -> None:
    class Job:
        def __init__(self, doc_id, group):
            self.doc_id, self.group = doc_id, group

    text = SEED.read_text(encoding="utf-8")
    half = len(text) // 2
    batch = analyse_batch([("a", text[:half]), ("b", text[half:])], Vocabulary())
    counts = _term_counts([Job("a", "g1"), Job("b", "g2")], batch, "bare")
    types = batch.vocabulary.types
    expected: Counter = Counter()
    for doc, type_id in zip(batch.doc.tolist(), batch.type_id.tolist(), strict=True):
        if types[type_id].kind == "word":
            expected[(("g1", "g2")[doc], types[type_id].bare)] += 1
    got: Counter = Counter()
    for group, form, n in zip(*counts, strict=True):
        got[(group, form)] += n  # a form recurs when several types share it
    assert got == expected
