"""The comparative study's tables, on a small corpus whose counts are worked out by reading.

Four short articles, two outlets, two months. Hits by reading (lexicon terms):

* a1 (A, 2018-03, international news), 9 words: دعت الأمم المتحدة إلى حماية
  اللاجئين في غزة وفلسطين → الأمم المتحدة (international), اللاجئين
  (humanitarian), both narration; topic mentions غزة, وفلسطين: 2.
* a2 (A, 2018-04, sport), 4 words: no hit, no mention.
* b1 (B, 2018-03, Middle East), 10 words: قال الوزير: "نرفض الاحتلال في غزة".
  وتضامن الشعب مع فلسطين → الاحتلال (colonialism) inside the minister's
  quotation (quoted), وتضامن (solidarity, narration); mentions غزة, فلسطين: 2.
* b2 (B, 2018-04, international news), 5 words: رحب اللاجئون بقرار الأمم
  المتحدة → اللاجئون (humanitarian), الأمم المتحدة (international); no mention.
"""

from __future__ import annotations

import hashlib
import math
from pathlib import Path

import pandas as pd
import pytest

from analysis.comparison import compare_outlets

ARTICLES = {
    "a1": ("A", "2018-03-05", "internationalNews",
           "دعت الأمم المتحدة إلى حماية اللاجئين في غزة وفلسطين."),
    "a2": ("A", "2018-04-10", "sport", "فاز الفريق في المباراة."),
    "b1": ("B", "2018-03-20", "middleEast",
           'قال الوزير: "نرفض الاحتلال في غزة". وتضامن الشعب مع فلسطين.'),
    "b2": ("B", "2018-04-02", "internationalNews", "رحب اللاجئون بقرار الأمم المتحدة."),
}  # fmt: skip


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("outlets")
    rows = ["doc_id,file,language,title,outlet,date,date_precision,notes,sha256,category"]
    for doc_id, (outlet, date, category, text) in ARTICLES.items():
        data = text.encode("utf-8")
        (folder / f"{doc_id}.txt").write_bytes(data)
        digest = hashlib.sha256(data).hexdigest()
        rows.append(f"{doc_id},{doc_id}.txt,ar,,{outlet},{date},day,,{digest},{category}")
    (folder / "metadata.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    return folder / "metadata.csv"


@pytest.fixture(scope="module")
def study(small: Path, tmp_path_factory: pytest.TempPathFactory):
    return compare_outlets("palestine", metadata=small, workers=1,
                           output_dir=tmp_path_factory.mktemp("run"))  # fmt: skip


def test_selection_counts_articles_political_news_and_topic(study) -> None:
    table = study.selection.set_index("outlet")
    assert table.loc["A"].tolist() == [2, 1, 1]  # documents, political, about the topic
    assert table.loc["B"].tolist() == [2, 2, 1]


def _rate(table: pd.DataFrame, **keys) -> pd.Series:
    rows = table
    for column, value in keys.items():
        rows = rows[rows[column] == value]
    assert len(rows) == 1, keys
    return rows.iloc[0]


def test_topic_rates_worked_by_hand(study) -> None:
    topic = study.rates[study.rates["scope"] == "topic"]
    a_intl = _rate(topic, outlet="A", frame="international")
    assert (a_intl["n"], a_intl["words"], a_intl["documents"]) == (1, 9, 1)
    assert a_intl["rate"] == pytest.approx(1000 / 9)
    assert math.isnan(a_intl["low"])  # one article: no interval
    assert _rate(topic, outlet="B", frame="colonialism")["rate"] == pytest.approx(100.0)
    assert _rate(topic, outlet="B", frame="humanitarian")["n"] == 0
    every = study.rates[study.rates["scope"] == "all articles"]
    b_hum = _rate(every, outlet="B", frame="humanitarian")
    assert (b_hum["n"], b_hum["words"], b_hum["documents"]) == (1, 15, 2)


def test_voice_and_months_worked_by_hand(study) -> None:
    voice = study.voice[study.voice["scope"] == "topic"]
    colonialism = _rate(voice, outlet="B", frame="colonialism")
    assert (colonialism["narration"], colonialism["quoted"]) == (0, 1)
    assert colonialism["quoted_share"] == 1.0
    month = _rate(study.monthly, outlet="B", month="2018-04", frame="international")
    assert month["rate"] == pytest.approx(1000 / 5)  # b2: one hit in five words
    assert set(study.monthly["month"]) == {"2018-03", "2018-04"}  # a2 is sport


def test_the_study_is_deterministic(small: Path, study, tmp_path: Path) -> None:
    again = compare_outlets("palestine", metadata=small, workers=1, output_dir=tmp_path)
    for name in ("corpus", "selection", "rates", "monthly", "voice", "keyness", "dispersion"):
        pd.testing.assert_frame_equal(getattr(study, name), getattr(again, name))


@pytest.mark.slow
def test_dask_gives_the_tables_of_one_process(small: Path, study, tmp_path: Path) -> None:
    dask = compare_outlets("palestine", metadata=small, scheduler="local", output_dir=tmp_path)
    for name in ("rates", "monthly", "voice", "keyness", "dispersion"):
        pd.testing.assert_frame_equal(getattr(study, name), getattr(dask, name))
