"""The corpus is byte-exact input: checksums, metadata rows, the seed's provenance."""

from __future__ import annotations

import csv
import hashlib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "corpus"
METADATA = CORPUS / "metadata.csv"
SEED = ROOT.parent / "shared" / "seed" / "000_c2b425ba0ab15a26.txt"

COLUMNS = [
    "doc_id",
    "file",
    "language",
    "title",
    "outlet",
    "date",
    "date_precision",
    "notes",
    "sha256",
]


def rows() -> list[dict[str, str]]:
    with METADATA.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_metadata_has_the_documented_columns() -> None:
    with METADATA.open(encoding="utf-8", newline="") as handle:
        header = next(csv.reader(handle))
    assert header == COLUMNS


@pytest.mark.parametrize("row", rows(), ids=lambda r: r["doc_id"])
def test_every_corpus_file_matches_its_recorded_sha256(row: dict[str, str]) -> None:
    data = (CORPUS / row["file"]).read_bytes()
    assert hashlib.sha256(data).hexdigest() == row["sha256"], row["file"]


def test_every_text_file_has_exactly_one_metadata_row() -> None:
    files = sorted(p.name for p in CORPUS.glob("*.txt"))
    listed = sorted(r["file"] for r in rows())
    assert files == listed
    ids = [r["doc_id"] for r in rows()]
    assert len(ids) == len(set(ids))


def test_seed_article_is_byte_identical_to_the_shared_seed() -> None:
    # The hash is the one of ../shared/seed/000_c2b425ba0ab15a26.txt as delivered
    # (computed with coreutils sha256sum when the corpus was set up).
    expected = "11fc261d72b0804f36a46fce6c867328cf2b44e3137356c6076f2b75a54fe30a"
    copy = CORPUS / "algiers-sahrawi-solidarity-2009.txt"
    assert hashlib.sha256(copy.read_bytes()).hexdigest() == expected
    if SEED.exists():  # the shared folder sits beside the checkout here and in CI
        assert copy.read_bytes() == SEED.read_bytes()


def test_seed_metadata_says_what_is_unknown() -> None:
    (seed,) = [r for r in rows() if r["doc_id"] == "algiers-sahrawi-solidarity-2009"]
    assert seed["outlet"] == ""  # not known: left empty rather than invented
    assert seed["date_precision"] == "range"
    assert seed["date"].startswith("2009-11") and seed["date"].endswith("2009-12-17")
    assert "unknown" in seed["notes"].lower()


def test_checksum_test_detects_a_one_byte_change(tmp_path: Path) -> None:
    # The checksum comparison above must be able to fail: flip one byte of a copy.
    data = bytearray((CORPUS / "algiers-sahrawi-solidarity-2009.txt").read_bytes())
    data[100] ^= 0x01
    (tmp_path / "x.txt").write_bytes(bytes(data))
    (seed,) = [r for r in rows() if r["doc_id"] == "algiers-sahrawi-solidarity-2009"]
    assert hashlib.sha256((tmp_path / "x.txt").read_bytes()).hexdigest() != seed["sha256"]
