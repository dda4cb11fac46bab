"""The evaluation's comparison with a gold annotation, on texts worked out by hand."""

from __future__ import annotations

import pytest

from analysis.evaluation.agreement import agreement
from analysis.evaluation.gold import Article
from analysis.evaluation.metrics import errors, evaluate, scores

TEXT = "قال الوزير: «الاستعمار انتهى». ورفض الشعب الاحتلال، ثم غادر."


def _span(word: str, after: int = 0) -> tuple[int, int]:
    start = TEXT.index(word, after)
    return start, start + len(word)


def _gold(**changes) -> dict:
    quote = _span("الاستعمار انتهى")
    gold = {
        "sentence_ends": [TEXT.index("».") + 2, len(TEXT)],
        "quotes": [{"start": quote[0], "end": quote[1], "kind": "speech", "speaker": "الوزير"}],
        "frames": [
            {
                "start": _span("الاستعمار")[0],
                "end": _span("الاستعمار")[1],
                "frame": "colonialism",
                "voice": "quoted",
            },
            {
                "start": _span("الاحتلال")[0],
                "end": _span("الاحتلال")[1],
                "frame": "colonialism",
                "voice": "narration",
            },
        ],  # fmt: skip
        "lookalikes": [],
        "run_together": [],
    }
    gold.update(changes)
    return gold


def _article(gold: dict, docno: str = "d1") -> Article:
    return Article(docno, "X", "politics", "t", "dev", TEXT, gold)


def _by_component(gold: dict):
    return scores(evaluate([_article(gold)])).set_index("component")


def test_a_text_the_analysis_reads_right_scores_one() -> None:
    table = _by_component(_gold())
    for component in ("sentences", "quotes", "quote kind", "speaker", "frames", "voice"):
        row = table.loc[component]
        assert row["fp"] == 0 and row["fn"] == 0, component
    assert table.loc["frames", "tp"] == 2 and table.loc["quotes", "tp"] == 1


def test_each_kind_of_disagreement_is_counted_and_listed() -> None:
    missed = _span("غادر")
    gold = _gold(
        quotes=[{**_gold()["quotes"][0], "speaker": "الرئيس"}],
        frames=[*_gold()["frames"][:1], {"start": missed[0], "end": missed[1],
                                          "frame": "struggle", "voice": "narration"}],
        lookalikes=[{"start": _span("الاحتلال")[0], "end": _span("الاحتلال")[1]}],
    )  # fmt: skip
    table = _by_component(gold)
    assert (table.loc["frames", "tp"], table.loc["frames", "fp"], table.loc["frames", "fn"]) == (
        1, 1, 1,
    )  # fmt: skip
    assert table.loc["speaker", "fn"] == 1
    listed = errors(evaluate([_article(gold)]))
    kinds = set(zip(listed["component"], listed["error"], strict=True))
    assert {("frames", "look-alike"), ("frames", "occurrence missed"),
            ("speaker", "wrong speaker")} <= kinds  # fmt: skip
    row = listed[listed["error"] == "look-alike"].iloc[0]
    assert "⟦الاحتلال⟧" in row["context"]


def test_agreement_of_identical_and_of_differing_annotations(monkeypatch) -> None:
    gold = _gold()
    second = {**_gold(), "frames": gold["frames"][:1]}
    monkeypatch.setattr("analysis.evaluation.agreement.second_annotation", lambda d: second)
    table = agreement([_article(gold)]).set_index("component")
    # one of two occurrences shared: F1 = 2 x 1 / (2 + 1)
    assert table.loc["frame occurrences", "f1"] == pytest.approx(2 / 3)
    assert table.loc["sentences", "f1"] == 1.0 and table.loc["speaker", "agreement"] == 1.0
    assert table.loc["frames (words)", "alpha"] < 1.0
    monkeypatch.setattr("analysis.evaluation.agreement.second_annotation", lambda d: gold)
    assert agreement([_article(gold)]).set_index("component").loc["frames (words)", "alpha"] == 1
