"""The evaluation corpus: ANT articles (by DOCNO) and their hand annotation (by offsets).

``evaluation/articles.csv`` names each article (DOCNO, outlet, category, topic,
``dev`` or ``test``, the sha256 of its text); ``evaluation/gold/<DOCNO>.json``
holds its annotation (``docs/annotation.md``). The texts themselves are never in
the project: they are read from the ANT corpus — its two archives, or a clone of
its public repositories — in ``../shared/ant-corpus/`` or the folder named by
``ANT_CORPUS_DIR`` (``evaluation/README.md`` says where to get it), and checked
against the recorded sha256.
"""

from __future__ import annotations

import csv
import hashlib
import json
import tarfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from analysis.corpus.ant import ARCHIVES, CorpusMissing, ant_dir
from analysis.corpus.importers import trec_fields
from analysis.errors import AnalysisError
from analysis.paths import BUILD_DIR, PROJECT_ROOT

EVALUATION_DIR = PROJECT_ROOT / "evaluation"
TEXT_CACHE = BUILD_DIR / "evaluation" / "texts"


@dataclass(frozen=True)
class Article:
    """One evaluation article: its row of ``articles.csv``, its text and its gold annotation."""

    docno: str
    outlet: str
    category: str
    topic: str
    split: str
    text: str
    gold: dict

    @property
    def words(self) -> int:
        """Whitespace-separated words (the unit of the repair error rate)."""
        return len(self.text.split())


def articles(split: str | None = None, folder: Path = EVALUATION_DIR) -> list[Article]:
    """The evaluation articles (of one ``split``, or all), with texts and gold annotation.

    Raises :class:`CorpusMissing` when the ANT archives cannot be found, and
    :class:`AnalysisError` when a text differs from the one annotated.
    """
    with open(folder / "articles.csv", encoding="utf-8", newline="") as handle:
        rows = [r for r in csv.DictReader(handle) if split in (None, r["split"])]
    texts = _texts({r["docno"] for r in rows})
    out = []
    for row in rows:
        text = texts[row["docno"]]
        if hashlib.sha256(text.encode("utf-8")).hexdigest() != row["sha256"]:
            raise AnalysisError(f"the text of {row['docno']} is not the one annotated (sha256)")
        gold = json.loads((folder / "gold" / f"{row['docno']}.json").read_text(encoding="utf-8"))
        out.append(
            Article(row["docno"], row["outlet"], row["category"], row["topic"], row["split"],
                    text, gold)
        )  # fmt: skip
    return out


def second_annotation(docno: str, folder: Path = EVALUATION_DIR) -> dict | None:
    """The independent second annotation of an article, if it has one."""
    path = folder / "second" / f"{docno}.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else None


def _texts(docnos: set[str]) -> dict[str, str]:
    """The texts of ``docnos``, from the cache under ``build/``, else from the ANT source."""
    texts = {}
    for docno in docnos:
        cached = TEXT_CACHE / f"{docno}.txt"
        if cached.exists():
            texts[docno] = cached.read_text(encoding="utf-8")
    missing = docnos - set(texts)
    if missing:
        TEXT_CACHE.mkdir(parents=True, exist_ok=True)
        for docno, xml in _documents(ant_dir(), missing):
            texts[docno] = trec_fields(xml)["TEXT"]
            (TEXT_CACHE / f"{docno}.txt").write_text(texts[docno], encoding="utf-8")
    if docnos - set(texts):
        raise CorpusMissing(f"articles not in the ANT corpus at {ant_dir()}: "
                            f"{sorted(docnos - set(texts))}")  # fmt: skip
    return texts


def _documents(folder: Path, wanted: set[str]) -> Iterator[tuple[str, str]]:
    """``(docno, xml)`` of the wanted articles, from the archives or a clone.

    A clone of the public repositories holds one ``<DOCNO>.txt`` file per
    article, in sub-folders by outlet and category.
    """
    archives = [folder / name for name in ARCHIVES if (folder / name).exists()]
    if archives:
        for archive in archives:
            with tarfile.open(archive) as tar:
                for member in tar:
                    docno = Path(member.name).stem
                    if member.isfile() and docno in wanted:
                        yield docno, tar.extractfile(member).read().decode("utf-8")
        return
    files = (
        [path for path in folder.rglob("*.txt") if path.stem in wanted] if folder.is_dir() else []
    )
    if not files:
        raise CorpusMissing(
            f"the ANT corpus is not in {folder} (neither its archives nor a clone of its "
            "repositories; set ANT_CORPUS_DIR; evaluation/README.md says where to get it)"
        )
    for path in files:
        yield path.stem, path.read_text(encoding="utf-8")
