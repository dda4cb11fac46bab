"""The engine gives the tables of the engine it replaced (frozen at commit a9580b4).

``tests/frozen/snapshot/`` holds every table the frozen engine (C extensions and
all) produced on the seed article and on a synthetic corpus of 126 documents
(``tests/frozen/make_snapshot.py`` wrote them, once). Each table here must equal
its snapshot, row for row and value for value.

One difference is deliberate and checked exactly: the frozen engine gave every
piece of a split run-together word the kind ``word``, even a Latin one (wordfreq's
Arabic list has English words, so ``المعلمةbeyond`` was cut into ``المعلمة`` and
``beyond``). A kind is a property of the written form, so here such a piece is
``latin``, and the document's word count and word-form counts differ by exactly
those pieces.
"""

from __future__ import annotations

import csv
import hashlib
import random
from pathlib import Path

import pandas as pd
import pytest

from analysis import measures, scale, study
from analysis.engine import analyse_texts
from analysis.lexicon import Matcher, Tokens, coverage, load_actor_lexicon, load_frame_lexicon

SNAPSHOT = Path(__file__).resolve().parents[1] / "frozen" / "snapshot"
ROOT = Path(__file__).resolve().parents[2]


def frozen(name: str) -> pd.DataFrame:
    return pd.read_parquet(SNAPSHOT / f"{name}.parquet")


def plain(table: pd.DataFrame, columns) -> list[tuple]:
    """Rows as tuples of plain Python values (categoricals, lists and NA made comparable)."""
    out = table[list(columns)].astype(object).reset_index(drop=True)
    rows = []
    for row in out.itertuples(index=False):
        rows.append(
            tuple(
                tuple(v)
                if hasattr(v, "__len__") and not isinstance(v, str)
                else (None if v is None or v is pd.NA or (isinstance(v, float) and v != v) else v)
                for v in row
            )
        )
    return rows


def assert_same(mine: pd.DataFrame, name: str, skip_rows: set[int] = frozenset()) -> None:
    reference = frozen(name)
    assert len(mine) == len(reference), name
    a, b = plain(mine, reference.columns), plain(reference, reference.columns)
    differing = [i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y]
    assert set(differing) <= set(skip_rows), (name, differing[:5], [a[i] for i in differing[:2]])


def latin_pieces(tokens: pd.DataFrame) -> pd.DataFrame:
    """The deliberate difference: pieces of split words whose kind is not word."""
    return tokens[tokens["repaired"] & (tokens["kind"] != "word")]


@pytest.fixture(scope="module")
def seed():
    return study.run(metadata=ROOT / "corpus" / "metadata.csv")


@pytest.fixture(scope="module")
def synthetic():
    texts = frozen("synthetic-texts")
    text = analyse_texts(zip(texts["doc_id"], texts["text"], strict=True))
    tokens = Tokens.of(text.tokens)
    types = text.vocabulary.types
    frame_matcher = Matcher(load_frame_lexicon())
    frames = frame_matcher.match(tokens, types, text.quotes)
    actors = Matcher(load_actor_lexicon()).match(tokens, types, text.quotes)
    cover = coverage.coverage_report(tokens, types, frame_matcher, frames)
    return text, frames, actors, cover


@pytest.mark.parametrize(
    "name", ["tokens", "sentences", "quotes", "repairs", "hits", "actor_hits", "exclusions"]
)
def test_seed_tables(seed, name):
    assert_same(getattr(seed, name), f"seed-{name}")


def test_seed_measures(seed):
    assert_same(seed.coverage, "seed-coverage")
    assert_same(measures.kwic(seed.hits, seed.tokens), "seed-kwic")
    assert_same(seed.term_collocations(), "seed-collocations")


def test_synthetic_text_tables(synthetic):
    text = synthetic[0]
    pieces = latin_pieces(text.tokens)
    assert len(pieces) == 2 and set(pieces["kind"]) == {"latin"}
    assert_same(text.tokens, "synthetic-tokens", skip_rows=set(pieces.index))
    reference = frozen("synthetic-tokens").loc[pieces.index]
    assert set(reference["kind"]) == {"word"}
    for name in ("sentences", "quotes", "repairs"):
        assert_same(getattr(text, name), f"synthetic-{name}")


def test_synthetic_matches(synthetic):
    text, frames, actors, cover = synthetic
    assert_same(frames.hits, "synthetic-hits")
    assert_same(frames.exclusions, "synthetic-exclusions")
    assert_same(actors.hits, "synthetic-actor_hits")
    assert_same(cover, "synthetic-coverage")
    assert_same(measures.kwic(frames.hits, text.tokens), "synthetic-kwic")


@pytest.fixture(scope="module")
def synthetic_corpus(tmp_path_factory) -> Path:
    """The synthetic texts as a corpus folder, with the snapshot's metadata."""
    folder = tmp_path_factory.mktemp("synthetic")
    rng = random.Random(5)
    rows = []
    for doc_id, text in zip(*frozen("synthetic-texts").to_dict("list").values(), strict=True):
        (folder / f"{doc_id}.txt").write_text(text, encoding="utf-8")
        digest = hashlib.sha256(text.encode()).hexdigest()
        outlet = rng.choice(["a", "b", "c"])
        rows.append([doc_id, f"{doc_id}.txt", "ar", doc_id, outlet, "2018", "year", "", digest])
    with open(folder / "metadata.csv", "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            ["doc_id", "file", "language", "title", "outlet", "date", "date_precision", "notes",
             "sha256"]
        )  # fmt: skip
        writer.writerows(rows)
    return folder


def test_synthetic_corpus_scale(synthetic, synthetic_corpus, tmp_path):
    text = synthetic[0]
    pieces = latin_pieces(text.tokens)
    with pytest.warns(Warning):
        summary = scale.process_corpus(
            metadata=synthetic_corpus / "metadata.csv", output_dir=tmp_path, progress=False
        )
    for name in ("frame_counts", "term_hits"):
        assert_same(getattr(summary, name), f"scale-{name}")
    documents = frozen("scale-documents")
    fewer_words = pieces.groupby("doc_id", observed=True).size()
    expected = documents["n_words"] - documents["doc_id"].map(fewer_words).fillna(0).astype(int)
    assert summary.documents["n_words"].tolist() == expected.tolist()
    rest = [c for c in documents.columns if c != "n_words"]
    assert plain(summary.documents, rest) == plain(documents, rest)
    counts = frozen("scale-term_counts").set_index(["outlet", "term"])["n"]
    mine = summary.term_counts.set_index(["outlet", "term"])["n"]
    outlet = frozen("scale-documents").set_index("doc_id")["outlet"].to_dict()
    removed = pieces.assign(outlet=pieces["doc_id"].astype(str).map(outlet))
    removed = removed.groupby(["outlet", "bare"], observed=True).size()
    expected_counts = counts.sub(removed.rename_axis(["outlet", "term"]), fill_value=0)
    expected_counts = expected_counts[expected_counts > 0].astype(int).sort_index()
    assert mine.sort_index().to_dict() == expected_counts.to_dict()
