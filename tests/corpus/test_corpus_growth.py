"""Adding an article is: drop the file into corpus/, add a metadata row (README).

Works on a temporary copy of the real corpus (never on corpus/ itself): the seed is
processed, a new article and its row are added, and processing again picks the new
article up with the counts worked out by reading it, while the seed's rows do not
change.
"""

from __future__ import annotations

import csv
import hashlib
import shutil
from pathlib import Path

import pytest

from analysis.corpus import read_metadata
from analysis.scale import group_frame_rates, process_corpus

ROOT = Path(__file__).resolve().parents[2]
SEED_ID = "algiers-sahrawi-solidarity-2009"

# The new article: 2 sentences, 10 words, 4 frame hits (counted by reading it).
# Sentence 1: ندعم الصحراء في حقها لنيل الاستقلال .
#   words: ندعم, الصحراء, في, حقها, لنيل, الاستقلال = 6
#   hits:  ندعم (solidarity, lexicon verb form), الاستقلال (self_determination: ال + استقلال;
#          its guard only fires before القضاء/الصحافة/القرار/الإعلام, here a full stop follows)
# Sentence 2: قال ناشط «الاحتلال مرفوض» .   (the quotation is speech introduced by قال)
#   words: قال, ناشط, الاحتلال, مرفوض = 4
#   hits:  ناشط (struggle, narration: an activist carries the struggle under the
#          annotation guidelines; its guard only fires before بركاني/بركان),
#          الاحتلال (colonialism, quoted)
NEW_TEXT = "ندعم الصحراء في حقها لنيل الاستقلال. قال ناشط «الاحتلال مرفوض».\n"


@pytest.fixture()
def corpus_copy(tmp_path: Path) -> Path:
    target = tmp_path / "corpus"
    shutil.copytree(ROOT / "corpus", target)
    return target


def add_article(corpus: Path, doc_id: str, text: str, outlet: str, date: str) -> None:
    """What the README asks of a scholar: save the file, append a metadata row."""
    data = text.encode("utf-8")
    (corpus / f"{doc_id}.txt").write_bytes(data)
    with open(corpus / "metadata.csv", "a", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerow(
            [
                doc_id,
                f"{doc_id}.txt",
                "ar",
                "test article",
                outlet,
                date,
                "day",
                "",
                hashlib.sha256(data).hexdigest(),
            ]
        )


def test_adding_an_article_is_a_file_and_a_row(corpus_copy: Path, tmp_path: Path) -> None:
    metadata = corpus_copy / "metadata.csv"
    before = process_corpus(metadata=metadata, output_dir=tmp_path / "before", progress=False)
    assert list(before.documents["doc_id"]) == [SEED_ID]

    add_article(corpus_copy, "new-article", NEW_TEXT, "Test Outlet", "2009-12-01")
    assert list(read_metadata(metadata)["doc_id"]) == [SEED_ID, "new-article"]  # a valid row
    after = process_corpus(metadata=metadata, output_dir=tmp_path / "after", progress=False)

    docs = after.documents.set_index("doc_id")
    assert list(docs.index) == [SEED_ID, "new-article"]
    new = docs.loc["new-article"]
    assert new["n_words"] == 10  # 6 + 4, see NEW_TEXT
    assert new["n_sentences"] == 2
    assert new["n_quotes"] == 1  # «الاحتلال مرفوض»
    assert new["n_hits"] == 4
    assert new["n_chars"] == len(NEW_TEXT)
    assert (new["outlet"], new["date"]) == ("Test Outlet", "2009-12-01")
    fc = after.frame_counts[after.frame_counts["doc_id"] == "new-article"]
    assert {(r.frame, r.voice): r.n for r in fc.itertuples()} == {
        ("solidarity", "narration"): 1,
        ("self_determination", "narration"): 1,
        ("struggle", "narration"): 1,
        ("colonialism", "quoted"): 1,
    }
    # the seed's own rows are unchanged by the addition
    assert after.documents.iloc[[0]].equals(before.documents)
    seed_fc = after.frame_counts[after.frame_counts["doc_id"] == SEED_ID].reset_index(drop=True)
    assert seed_fc.equals(before.frame_counts)
    # and the new outlet is a group of its own in the comparisons
    rates = group_frame_rates(after, by="outlet").set_index(["frame", "group"])
    assert rates.loc[("colonialism", "Test Outlet"), ["n", "tokens", "n_documents"]].tolist() == [
        1,
        10,
        1,
    ]


def test_a_row_without_its_file_is_named(corpus_copy: Path, tmp_path: Path) -> None:
    add_article(corpus_copy, "missing", NEW_TEXT, "Test Outlet", "2009-12-01")
    (corpus_copy / "missing.txt").unlink()
    with pytest.raises(Exception, match=r"metadata.csv, line 3.*not found|not found.*line 3"):
        process_corpus(
            metadata=corpus_copy / "metadata.csv", output_dir=tmp_path / "out", progress=False
        )
