"""The scholar's validation workflow: sample, coding sheet, coders' decisions, summary."""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
import pytest

from analysis.engine import analyse_texts
from analysis.errors import AnalysisError
from analysis.evaluation.coding import coding_sheet, coding_summary, read_coding
from analysis.lexicon import Matcher, Tokens, load_frame_lexicon

TEXTS = [
    ("a", "رفض الشعب الاستعمار. وطالب بحق تقرير المصير. ثم عاد الناس إلى بيوتهم."),
    ("b", "قال الوزير إن الاحتلال يجب أن ينتهي. الطقس جميل اليوم. ارتفعت الأسعار."),
]


@pytest.fixture(scope="module")
def analysed():
    text = analyse_texts(TEXTS)
    matcher = Matcher(load_frame_lexicon())
    hits = matcher.match(Tokens.of(text.tokens), text.vocabulary.types, text.quotes).hits
    return text, hits


def test_sheet_is_a_spreadsheet_csv_with_arabic_intact(analysed, tmp_path: Path) -> None:
    text, hits = analysed
    path = tmp_path / "sheet.csv"
    coding_sheet(hits, text.tokens, text.sentences, path, per_frame=5, without_hits=10)
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # the byte-order mark Excel needs for UTF-8
    with open(path, encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    matches = {r["match"] for r in rows if r["kind"] == "hit"}
    assert {"الاستعمار", "الاحتلال"} <= matches and any("تقرير المصير" in m for m in matches)
    # the sentences without hits, read off the texts: the last of a, the last two of b
    plain = {r["match"] for r in rows if r["kind"] == "sentence"}
    assert plain == {"ثم عاد الناس إلى بيوتهم.", "الطقس جميل اليوم.", "ارتفعت الأسعار."}
    assert {r["population"] for r in rows if r["kind"] == "sentence"} == {"3"}
    assert all(r["correct"] == "" for r in rows)


def test_sample_is_reproducible_and_bounded(analysed, tmp_path: Path) -> None:
    text, hits = analysed
    many = pd.concat([hits] * 10, ignore_index=True)
    one = coding_sheet(many, text.tokens, text.sentences, tmp_path / "1.csv", per_frame=4)
    two = coding_sheet(many, text.tokens, text.sentences, tmp_path / "2.csv", per_frame=4)
    assert (tmp_path / "1.csv").read_bytes() == (tmp_path / "2.csv").read_bytes()
    counts = one[one["kind"] == "hit"].groupby("frame").size()
    assert counts.max() == 4 and len(one) == len(two)
    other = coding_sheet(many, text.tokens, text.sentences, tmp_path / "3.csv", per_frame=4, seed=1)
    assert len(other) == len(one)


def _write(path: Path, rows: list[dict]) -> Path:
    pd.DataFrame(rows).to_csv(path, index=False, encoding="utf-8-sig")
    return path


def _sheet(codes: list[str]) -> list[dict]:
    kinds = ["hit"] * 3 + ["sentence"] * 4
    frames = ["colonialism"] * 3 + [""] * 4
    population = [10] * 3 + [100] * 4
    columns = zip(kinds, frames, population, codes, strict=True)
    return [{"item": i + 1, "kind": k, "population": p, "frame": f, "correct": c}
            for i, (k, f, p, c) in enumerate(columns)]  # fmt: skip


def test_summary_worked_by_hand(tmp_path: Path) -> None:
    a = _write(tmp_path / "a.csv", _sheet(["1", "1", "0", "0", "0", "1", "0"]))
    b = _write(tmp_path / "b.csv", _sheet(["1", "0", "0", "0", "0", "1", "0"]))
    summary = coding_summary(read_coding({"a": a, "b": b})).set_index("measure")
    precision = summary.loc["precision"]
    # item 2 is a tie (1 against 0) and is left out: 1 correct of 2 decided
    assert (precision["coded"], precision["positive"], precision["estimate"]) == (2, 1, 0.5)
    missed = summary.loc["sentences with a missed frame"]
    assert (missed["coded"], missed["positive"], missed["estimate"]) == (4, 1, 0.25)
    # 0.5 x 10 hits right against 0.25 x 100 sentences with a miss: 5 / (5 + 25)
    assert summary.loc["recall", "estimate"] == pytest.approx(5 / 30)
    low, high = summary.loc["recall", ["low", "high"]]
    assert low < 5 / 30 < high


def test_one_coder_has_no_alpha_and_empty_cells_are_uncoded(tmp_path: Path) -> None:
    a = _write(tmp_path / "a.csv", _sheet(["1", "", "1", "0", "", "", ""]))
    summary = coding_summary(read_coding({"a": a})).set_index("measure")
    assert summary.loc["precision", "coded"] == 2 and summary.loc["precision", "estimate"] == 1.0
    assert summary["alpha"].isna().all()


def test_a_code_that_is_not_0_or_1_names_the_file_and_row(tmp_path: Path) -> None:
    bad = _write(tmp_path / "bad.csv", _sheet(["1", "نعم", "0", "0", "0", "0", "0"]))
    with pytest.raises(AnalysisError, match=r"bad\.csv, row 3: 'correct' must be 1, 0 or empty"):
        read_coding({"a": bad})


def test_sheets_of_different_items_are_refused(tmp_path: Path) -> None:
    a = _write(tmp_path / "a.csv", _sheet(["1"] * 7))
    b = _write(tmp_path / "b.csv", _sheet(["1"] * 7)[:5])
    with pytest.raises(AnalysisError, match="b.csv: its items are not those"):
        read_coding({"a": a, "b": b})
    with pytest.raises(AnalysisError, match="not a coding sheet"):
        read_coding({"a": _write(tmp_path / "c.csv", [{"x": 1}])})
