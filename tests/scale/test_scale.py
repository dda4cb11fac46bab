"""Corpus-scale processing (analysis.scale): group comparisons and backends.

The group-comparison tests run on a hand-made corpus of four short documents
whose words and frame hits were counted by reading them (counts written beside
each expected value). The backend tests check that a process pool and a Dask
LocalCluster give tables identical to the single-process run.
"""

from __future__ import annotations

import csv
import hashlib
import math
import random
from pathlib import Path

import pandas as pd
import pytest

from analysis import measures
from analysis.corpus import iter_documents
from analysis.engine import analyse_text
from analysis.errors import AnalysisError, ConfigError, CorpusError, TextWarning
from analysis.lexicon import match_frames
from analysis.scale import (
    frame_dispersion,
    group_frame_rates,
    group_keyness,
    iter_jobs,
    process_corpus,
)

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "corpus" / "algiers-sahrawi-solidarity-2009.txt"
COLUMNS = ["doc_id", "file", "language", "title", "outlet", "date", "date_precision", "notes"]

# Four documents, three outlets (two "countries"), two periods.
# Words (kind "word") and frame hits counted by reading each text:
HAND = [
    # d1: words نضال الشعب مستمر التضامن واجب = 5 (two "." are punctuation);
    #     hits: نضال (struggle), التضامن (solidarity, article) -> struggle 1, solidarity 1
    ("d1", "alpha", "2009-11-20", "نضال الشعب مستمر. التضامن واجب."),
    # d2: words الاحتلال ظلم والاستعمار ظلم = 4;
    #     hits: الاحتلال, والاستعمار (و + ال + استعمار) -> colonialism 2
    ("d2", "alpha", "2009-12-05", "الاحتلال ظلم والاستعمار ظلم"),
    # d3: words قال الوزير التضامن مع الشعب دعم للسلام = 7 (« » are quote marks);
    #     hits: التضامن, دعم, both inside the minister's quotation -> solidarity 2, quoted
    ("d3", "beta", "2009-11-25", "قال الوزير «التضامن مع الشعب دعم للسلام»"),
    # d4: words الشعب يريد السلام = 3; no hit
    ("d4", "gamma", "2010-01-10", "الشعب يريد السلام"),
]
COUNTRY = {"alpha": "DZ", "beta": "MA", "gamma": "MA"}


def write_corpus(directory: Path, docs: list[tuple[str, str, str, str]]) -> Path:
    """Write texts and a metadata table (with sha256) into ``directory``."""
    directory.mkdir(parents=True, exist_ok=True)
    rows = []
    for doc_id, outlet, date, text in docs:
        data = text.encode("utf-8")
        (directory / f"{doc_id}.txt").write_bytes(data)
        precision = {1: "year", 2: "month", 3: "day"}[date.count("-") + 1]
        rows.append(
            [doc_id, f"{doc_id}.txt", "ar", doc_id, outlet, date, precision, ""]
            + [hashlib.sha256(data).hexdigest()]
        )
    path = directory / "metadata.csv"
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS + ["sha256"])
        writer.writerows(rows)
    return path


@pytest.fixture(scope="module")
def hand(tmp_path_factory: pytest.TempPathFactory):
    metadata = write_corpus(tmp_path_factory.mktemp("hand"), HAND)
    return metadata, process_corpus(metadata=metadata, progress=False)


def test_document_counts_read_off_the_texts(hand) -> None:
    _, summary = hand
    docs = summary.documents.set_index("doc_id")
    assert list(docs.index) == ["d1", "d2", "d3", "d4"]  # metadata order
    assert docs["n_words"].to_dict() == {"d1": 5, "d2": 4, "d3": 7, "d4": 3}
    # d1: 5 words + 2 full stops; d3: 7 words + « and »
    assert docs["n_tokens"].to_dict() == {"d1": 7, "d2": 4, "d3": 9, "d4": 3}
    assert docs["n_hits"].to_dict() == {"d1": 2, "d2": 2, "d3": 2, "d4": 0}
    assert docs["n_quotes"].to_dict() == {"d1": 0, "d2": 0, "d3": 1, "d4": 0}
    assert docs["n_chars"]["d4"] == len("الشعب يريد السلام")  # 5 + 1 + 4 + 1 + 6 = 17
    assert docs["outlet"].to_dict() == {"d1": "alpha", "d2": "alpha", "d3": "beta", "d4": "gamma"}


def test_frame_counts_per_document_and_voice(hand) -> None:
    _, summary = hand
    got = {(r.doc_id, r.frame, r.voice): r.n for r in summary.frame_counts.itertuples()}
    assert got == {
        ("d1", "struggle", "narration"): 1,
        ("d1", "solidarity", "narration"): 1,
        ("d2", "colonialism", "narration"): 2,
        ("d3", "solidarity", "quoted"): 2,
    }
    th = summary.term_hits
    assert th.groupby("outlet")["n"].sum().to_dict() == {"alpha": 4, "beta": 2}
    row = th[(th.outlet == "alpha") & (th.frame == "colonialism")]
    assert sorted(row["term"]) == ["احتلال", "استعمار"] and list(row["n"]) == [1, 1]


def test_frame_rates_per_outlet_by_hand(hand) -> None:
    _, summary = hand
    rates = group_frame_rates(summary, by="outlet").set_index(["frame", "group"])
    # alpha = d1 + d2: 9 words, 2 documents; beta = d3: 7 words; gamma = d4: 3 words.
    assert rates.loc[("colonialism", "alpha"), "n"] == 2
    assert rates.loc[("colonialism", "alpha"), "tokens"] == 9
    assert rates.loc[("colonialism", "alpha"), "rate_per_1000"] == pytest.approx(2000 / 9)
    assert rates.loc[("colonialism", "alpha"), "n_documents"] == 2
    assert rates.loc[("colonialism", "alpha"), "n_documents_with_hits"] == 1  # only d2
    assert rates.loc[("solidarity", "beta"), "rate_per_1000"] == pytest.approx(2000 / 7)
    # frames absent from a group are listed with n = 0 (3 frames x 3 outlets)
    assert len(rates) == 9
    assert rates.loc[("solidarity", "gamma"), "n"] == 0
    assert rates.loc[("solidarity", "gamma"), "rate_per_1000"] == 0.0
    assert rates.loc[("solidarity", "gamma"), "n_documents"] == 1


def test_frame_rates_per_country_and_period(hand) -> None:
    _, summary = hand
    countries = summary.documents.assign(country=summary.documents["outlet"].map(COUNTRY))
    rates = group_frame_rates(summary, by="country", documents=countries)
    rates = rates.set_index(["frame", "group"])
    # MA = d3 + d4: 10 words, 2 documents, solidarity 2 (both in d3)
    assert rates.loc[("solidarity", "MA"), ["n", "tokens", "n_documents"]].tolist() == [2, 10, 2]
    assert rates.loc[("solidarity", "MA"), "n_documents_with_hits"] == 1
    assert rates.loc[("solidarity", "MA"), "rate_per_1000"] == pytest.approx(200.0)
    # DZ = d1 + d2: solidarity 1 of 9 words
    assert rates.loc[("solidarity", "DZ"), "rate_per_1000"] == pytest.approx(1000 / 9)

    periods = measures.date_range_groups(
        summary.documents,
        {"nov": ("2009-11-01", "2009-11-30"), "dec-jan": ("2009-12-01", "2010-01-31")},
    )
    by_period = group_frame_rates(summary, by="period", documents=periods)
    by_period = by_period.set_index(["frame", "group"])
    # nov = d1 + d3: 12 words, solidarity 1 + 2 = 3; dec-jan = d2 + d4: 7 words, colonialism 2
    assert by_period.loc[("solidarity", "nov"), ["n", "tokens"]].tolist() == [3, 12]
    assert by_period.loc[("colonialism", "dec-jan"), ["n", "tokens"]].tolist() == [2, 7]
    assert by_period.loc[("colonialism", "dec-jan"), "rate_per_1000"] == pytest.approx(2000 / 7)


def full_tables(metadata: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Tokens and hits of every document, the non-streaming way."""
    tokens, hits = [], []
    for row in pd.read_csv(metadata, dtype=str).itertuples():
        text = (metadata.parent / row.file).read_text(encoding="utf-8")
        tables = analyse_text(text, row.doc_id, warn=False)
        tokens.append(tables.tokens)
        hits.append(match_frames(tables))
    return pd.concat(tokens, ignore_index=True), pd.concat(hits, ignore_index=True)


def test_group_rates_equal_measures_on_full_tables(hand) -> None:
    metadata, summary = hand
    tokens, hits = full_tables(metadata)
    expected = measures.frame_rates_by_group(hits, tokens, summary.documents, "outlet")
    got = group_frame_rates(summary, by="outlet")
    key = ["frame", "group"]
    expected = expected.sort_values(key).reset_index(drop=True)[got.columns]
    pd.testing.assert_frame_equal(
        got.sort_values(key).reset_index(drop=True), expected, check_dtype=False
    )


def test_keyness_between_outlets_by_hand(hand) -> None:
    _, summary = hand
    table = group_keyness(summary, "alpha", ["beta", "gamma"]).set_index("term")
    c, d = 9, 10  # words in alpha (d1 + d2) and in beta + gamma (d3 + d4)
    # شعب (bare of الشعب): once in d1 (alpha), in d3 and d4 (beta, gamma): a = 1, b = 2.
    # E1 = 9·3/19 = 27/19, E2 = 10·3/19 = 30/19;
    # G2 = 2·(1·ln(1/(27/19)) + 2·ln(2/(30/19))) = 2·(ln(19/27) + 2·ln(38/30)) ≈ 0.24276
    row = table.loc["شعب"]
    assert (row["a"], row["b"], row["size_a"], row["size_b"]) == (1, 2, c, d)
    assert row["G2"] == pytest.approx(2 * (math.log(19 / 27) + 2 * math.log(38 / 30)))
    assert row["G2"] == pytest.approx(0.24276, abs=1e-5)
    # log ratio = log2((1/9) / (2/10)) = log2(10/18) ≈ -0.848; relatively more frequent in B
    assert row["log_ratio"] == pytest.approx(math.log2(10 / 18))
    assert row["key_in"] == "b"
    # ظلم: twice in d2, never in B. E1 = 9·2/19 = 18/19; G2 = 2·2·ln(2/(18/19)) = 4·ln(38/18)
    # ≈ 2.98886; log ratio with the zero replaced by 0.5: log2((2/9)/(0.5/10)) ≈ 2.152
    row = table.loc["ظلم"]
    assert (row["a"], row["b"]) == (2, 0)
    assert row["G2"] == pytest.approx(4 * math.log(38 / 18))
    assert row["log_ratio"] == pytest.approx(math.log2((2 / 9) / (0.5 / 10)))
    assert table.index[0] == "ظلم"  # the largest G2 (every other form has n <= 3, G2 < 2.99)
    assert table["a"].sum() == c and table["b"].sum() == d


def test_keyness_equals_measures_on_full_tables(hand) -> None:
    metadata, summary = hand
    tokens, _ = full_tables(metadata)
    in_a = tokens["doc_id"].isin(["d1", "d2"])
    expected = measures.keyness(tokens[in_a], tokens[~in_a])
    got = group_keyness(summary, "alpha", ["beta", "gamma"])
    key = ["term"]
    pd.testing.assert_frame_equal(
        got.sort_values(key).reset_index(drop=True),
        expected.sort_values(key).reset_index(drop=True)[got.columns],
        check_dtype=False,
    )


def test_dispersion_of_frames_across_documents_by_hand(hand) -> None:
    _, summary = hand
    table = frame_dispersion(summary).set_index("frame")
    # solidarity per document 1, 0, 2, 0 (v = 1/3, 0, 2/3, 0) over sizes 5, 4, 7, 3
    # (s = 5/19, 4/19, 7/19, 3/19): Σ|v − s| = 4/57 + 12/57 + 17/57 + 9/57 = 42/57,
    # DP = 21/57 ≈ 0.3684; DPnorm = DP / (1 − 3/19) = 21/48 = 0.4375
    assert table.loc["solidarity", "dp"] == pytest.approx(21 / 57)
    assert table.loc["solidarity", "dp_norm"] == pytest.approx(21 / 48)
    assert table.loc["solidarity", ["n", "n_parts", "range"]].tolist() == [3, 4, 2]
    # colonialism only in d2 (4 of 19 words): DP = ½(|1 − 4/19| + 5/19 + 7/19 + 3/19) = 15/19
    assert table.loc["colonialism", "dp"] == pytest.approx(15 / 19)
    per_outlet = frame_dispersion(summary, by="outlet").set_index(["group", "frame"])
    # within alpha (d1: 5 words, d2: 4): struggle 1, 0 -> ½(|1 − 5/9| + 4/9) = 4/9
    assert per_outlet.loc[("alpha", "struggle"), "dp"] == pytest.approx(4 / 9)


def test_keyness_rejects_unknown_or_overlapping_groups(hand) -> None:
    _, summary = hand
    with pytest.raises(AnalysisError, match="delta"):
        group_keyness(summary, "alpha", "delta")
    with pytest.raises(AnalysisError, match="both sides"):
        group_keyness(summary, ["alpha", "beta"], "beta")


def test_selection_and_bad_input(hand, tmp_path: Path) -> None:
    metadata, summary = hand
    part = process_corpus(["d3", "d1"], metadata=metadata, progress=False)
    assert list(part.documents["doc_id"]) == ["d1", "d3"]  # metadata order
    pd.testing.assert_frame_equal(
        part.documents.reset_index(drop=True),
        summary.documents[summary.documents.doc_id.isin(["d1", "d3"])].reset_index(drop=True),
    )
    with pytest.raises(CorpusError, match="unknown doc_id"):
        process_corpus(["d9"], metadata=metadata, progress=False)
    with pytest.raises(ConfigError, match="country"):
        process_corpus(metadata=metadata, group_by="country", progress=False)
    with pytest.raises(ConfigError, match="workers"):
        process_corpus(metadata=metadata, workers=0, progress=False)
    # a file changed after it was registered: named with the metadata line
    copy = write_corpus(tmp_path / "c", HAND[:2])
    (copy.parent / "d2.txt").write_text("الاحتلال ظلم", encoding="utf-8")
    with pytest.raises(CorpusError, match=r"metadata.csv, line 3.*sha256"):
        process_corpus(metadata=copy, progress=False)
    assert process_corpus(metadata=copy, verify=False, progress=False).documents[
        "n_words"
    ].tolist() == [5, 2]


def test_the_metadata_language_decides_the_arabic_check_as_when_loading(tmp_path: Path) -> None:
    # A French article registered as "fr" loads with corpus.iter_documents, so the
    # corpus path must accept it too; registered as "ar" both refuse it, naming
    # the file. Its tokens: Le peuple sahraoui résiste (4 of kind "latin") and "."
    # = 5 tokens, 0 Arabic words (kind "word"), no frame hit.
    french = "Le peuple sahraoui résiste."
    metadata = write_corpus(tmp_path, [HAND[0], ("fr1", "alpha", "2009-11-21", french)])
    rows = metadata.read_text(encoding="utf-8").splitlines()
    rows[2] = rows[2].replace("fr1.txt,ar,", "fr1.txt,fr,")
    metadata.write_text("\n".join(rows) + "\n", encoding="utf-8")
    assert [d.doc_id for d in iter_documents(metadata=metadata)] == ["d1", "fr1"]
    summary = process_corpus(metadata=metadata, progress=False)
    assert summary.documents["n_tokens"].tolist() == [7, 5]  # d1: 5 words and 2 "."
    assert summary.documents["n_words"].tolist() == [5, 0]
    assert summary.documents["n_hits"].tolist() == [2, 0]
    as_arabic = write_corpus(tmp_path / "ar", [("fr1", "alpha", "2009-11-21", french)])
    with pytest.raises(CorpusError, match=r"fr1\.txt.*non-Arabic"):
        process_corpus(metadata=as_arabic, progress=False)


def test_load_repairs_are_counted_and_summarised_once(tmp_path: Path) -> None:
    # d1 with a tatweel run in الشعـــب (normalization removes it: still 5 words)
    docs = [("t1", "alpha", "2009-11-20", "نضال الشعـــب مستمر. التضامن واجب."), HAND[1]]
    metadata = write_corpus(tmp_path, docs)
    with pytest.warns(TextWarning) as record:
        summary = process_corpus(metadata=metadata, progress=False)
    assert len(record) == 1  # one summary, not one warning per file
    assert "1 of 2 documents" in str(record[0].message)
    assert "t1.txt" in str(record[0].message)
    assert summary.documents["n_text_warnings"].tolist() == [1, 0]
    assert summary.documents["n_words"].tolist() == [5, 4]


def test_jobs_are_streamed_not_listed(hand) -> None:
    metadata, _ = hand
    jobs = iter_jobs(None, metadata)
    first = next(jobs)  # a generator: the table is read row by row
    assert (first.doc_id, first.group, first.seq) == ("d1", "alpha", 0)
    assert [j.doc_id for j in jobs] == ["d2", "d3", "d4"]


# --------------------------------------------------------------------------- #
# backends: identical results
# --------------------------------------------------------------------------- #


def varied_corpus(directory: Path, n_docs: int = 12) -> Path:
    """Documents recombined from the seed's sentences (different for every document)."""
    seed = SEED.read_text(encoding="utf-8")
    sentences = [s.strip() for s in seed.split("·") if s.strip()]
    rng = random.Random(7)
    docs: list[tuple[str, str, str, str]] = []
    texts: set[str] = set()
    while len(docs) < n_docs:
        picked = rng.sample(sentences, rng.randint(2, len(sentences)))
        text = "· ".join(picked) + "·"
        if text in texts:
            continue  # never the same text twice (it would flatter caches)
        texts.add(text)
        i = len(docs)
        docs.append((f"s{i:02d}", ["alpha", "beta", "gamma"][i % 3], "2009-12-01", text))
    assert len({d[3] for d in docs}) == n_docs
    return write_corpus(directory, docs)


@pytest.fixture(scope="module")
def varied(tmp_path_factory: pytest.TempPathFactory):
    metadata = varied_corpus(tmp_path_factory.mktemp("varied"))
    return metadata, process_corpus(metadata=metadata, progress=False, chunksize=3)


def test_process_pool_equals_single_process(varied) -> None:
    metadata, serial = varied
    pooled = process_corpus(metadata=metadata, workers=2, chunksize=2, progress=False)
    assert pooled.backend == "processes:2"
    assert pooled.equals(serial)
    assert serial.documents["n_hits"].sum() > 0 and len(serial.term_counts) > 100


@pytest.mark.slow
@pytest.mark.xdist_group("dask")
def test_dask_local_cluster_equals_single_process(varied) -> None:
    metadata, serial = varied
    distributed = process_corpus(metadata=metadata, scheduler="local", chunksize=2, progress=False)
    assert distributed.backend == "dask:local"
    for name in ("documents", "frame_counts", "term_hits", "term_counts"):
        pd.testing.assert_frame_equal(getattr(distributed, name), getattr(serial, name))


def test_keyness_and_group_rates_chart_through_the_plotting_helper(hand) -> None:
    from analysis.charts import plot_frame_counts

    _, summary = hand
    top = group_keyness(summary, "alpha", ["beta", "gamma"]).head(3)
    fig = plot_frame_counts(top, value="log_ratio", label="term", gloss=None, title="keyness")
    bars = fig.axes[0].patches
    # one bar per term, its length the log ratio (sorted by value, largest first)
    assert sorted(round(b.get_width(), 9) for b in bars) == sorted(
        round(v, 9) for v in top["log_ratio"]
    )
    rates = group_frame_rates(summary, by="outlet")
    alpha = rates[rates["group"] == "alpha"]
    fig = plot_frame_counts(alpha, value="rate_per_1000", gloss=None, title="alpha")
    widths = sorted(round(b.get_width(), 6) for b in fig.axes[0].patches)
    # alpha (9 words): colonialism 2, solidarity 1, struggle 1 -> 222.22, 111.11, 111.11
    assert widths == [round(1000 / 9, 6), round(1000 / 9, 6), round(2000 / 9, 6)]


def test_counts_from_arrays_equal_counts_from_the_tables(varied) -> None:
    # summarise_chunk counts from the text stage's arrays; the same numbers must
    # come out of the tidy tables of each document, analysed on its own.
    metadata, serial = varied
    documents = serial.documents.set_index("doc_id")
    frame_counts = serial.frame_counts.set_index(["doc_id", "frame", "voice"])["n"]
    for row in pd.read_csv(metadata, dtype=str).itertuples():
        text = (metadata.parent / row.file).read_text(encoding="utf-8")
        tables = analyse_text(text, row.doc_id, warn=False)
        hits = match_frames(tables)
        got = documents.loc[row.doc_id]
        assert got["n_tokens"] == len(tables.tokens)
        assert got["n_words"] == (tables.tokens["kind"] == "word").sum()
        assert got["n_sentences"] == len(tables.sentences)
        assert got["n_quotes"] == len(tables.quotes)
        assert got["n_repairs"] == (~tables.repairs["vetoed"]).sum()
        assert got["n_hits"] == len(hits)
        for (frame, voice), n in hits.groupby(["frame", "voice"]).size().items():
            assert frame_counts.loc[(row.doc_id, frame, voice)] == n
