"""The ANT corpus (Arabic News Texts), where the evaluation and the comparative study find it.

ANT (Chouigui, Ben Khiroun & Elayeb 2017, 2021; https://antcorpus.github.io;
Apache-2.0 with a citation licence) is never copied into the project. It is
read from ``../shared/ant-corpus/`` or the folder named by ``ANT_CORPUS_DIR``,
which holds either its two archives or a clone of its two public repositories
(``evaluation/README.md``). :func:`multisource_corpus` imports the five-outlet
archive once into ``build/ant/multisource/`` as a corpus folder (a text file per
article and ``metadata.csv``), with ``import.json`` saying how many articles the
source held and which were left out, and why.
"""

from __future__ import annotations

import fcntl
import json
import os
from pathlib import Path

from analysis.corpus.importers import import_trec
from analysis.errors import CorpusError
from analysis.paths import BUILD_DIR, PROJECT_ROOT

ARCHIVES = ("antcorpus-multisource-v2.1.tar.xz", "antcorpus-jawharafm-v1.1.tar.xz")
CLONES = ("antcorpus.multisource.data", "antcorpus.data")
MULTISOURCE_TARGET = BUILD_DIR / "ant" / "multisource"
#: The outlets as the archive's <SRC> names them, and as tables and charts name them.
OUTLETS = {"alarabia": "Al Arabiya", "BBC": "BBC Arabic", "CNN": "CNN Arabic",
           "france24": "France 24", "skynews": "Sky News Arabia"}  # fmt: skip
IMPORT_VERSION = 2  # bumped when the import changes, so an older import is redone


class CorpusMissing(CorpusError):
    """The ANT corpus is not where the project looks for it."""


def ant_dir() -> Path:
    """Where the ANT corpus is: ``ANT_CORPUS_DIR``, else ``../shared/ant-corpus``."""
    return Path(os.environ.get("ANT_CORPUS_DIR", PROJECT_ROOT.parent / "shared" / "ant-corpus"))


def multisource_source() -> Path:
    """The five-outlet part of ANT: its archive, or the folder of its cloned repository."""
    folder = ant_dir()
    for candidate in (folder / ARCHIVES[0], folder / CLONES[0]):
        if candidate.exists():
            return candidate
    raise CorpusMissing(
        f"the ANT corpus is not in {folder}: neither {ARCHIVES[0]} nor a clone "
        f"{CLONES[0]}/ (set ANT_CORPUS_DIR; evaluation/README.md says where to get it)"
    )


def available() -> bool:
    """Whether the five-outlet part of ANT can be found (archive or clone)."""
    try:
        multisource_source()
    except CorpusMissing:
        return False
    return True


def multisource_corpus(target: Path = MULTISOURCE_TARGET) -> dict:
    """Import the five-outlet archive once; what ``import.json`` records about the import.

    Keys: ``metadata`` (path of the table), ``source``, ``documents`` (articles in
    the source), ``written``, ``skipped`` (list of ``[where, why]``).
    """
    source = multisource_source()
    target.mkdir(parents=True, exist_ok=True)
    with open(target.parent / f".{target.name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # two runs at once: the second waits, then reuses
        return _import_once(source, target)


def _import_once(source: Path, target: Path) -> dict:
    record = target / "import.json"
    if record.exists():
        about = json.loads(record.read_text(encoding="utf-8"))
        same = about.get("source") == str(source) and about.get("version") == IMPORT_VERSION
        if same and (target / "metadata.csv").exists():
            return {**about, "metadata": str(target / "metadata.csv")}
    report = import_trec(source, target, OUTLETS)
    about = {
        "source": str(source),
        "version": IMPORT_VERSION,
        "documents": report.written + len(report.skipped),
        "written": report.written,
        "skipped": [list(s) for s in report.skipped],
    }
    record.write_text(json.dumps(about, ensure_ascii=False, indent=1), encoding="utf-8")
    return {**about, "metadata": str(report.metadata)}
