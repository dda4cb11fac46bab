"""Read ANT corpus articles straight from the published archives (standard library only).

The document text of an article is the content of its ``<TEXT>`` element with the
surrounding whitespace stripped (the title, abstract and other fields are metadata);
``analysis`` reads ANT the same way, and ``evaluation/articles.csv`` records each
text's sha256 so that any difference shows.
"""

from __future__ import annotations

import hashlib
import os
import re
import tarfile
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ANT_DIR = Path(os.environ.get("ANT_CORPUS_DIR", ROOT.parent / "shared" / "ant-corpus"))
ARCHIVES = ("antcorpus-multisource-v2.1.tar.xz", "antcorpus-jawharafm-v1.1.tar.xz")
FIELD = re.compile(r"<(DOCNO|URL|SRC|CAT|TITLE|TIME|AUTHOR|ABSTRACT|TEXT)>(.*?)</\1>", re.S)


def parse(xml: str) -> dict[str, str]:
    """The fields of one article; ``TEXT`` is the document text."""
    fields = {name: value.strip() for name, value in FIELD.findall(xml)}
    return fields


def articles(wanted: set[str] | None = None) -> Iterator[dict[str, str]]:
    """Every article of both archives (or those whose DOCNO is in ``wanted``)."""
    for name in ARCHIVES:
        path = ANT_DIR / name
        if not path.is_file():
            raise FileNotFoundError(f"{path}: ANT archive not found (see evaluation/README.md)")
        with tarfile.open(path) as tar:
            for member in tar:
                if not member.isfile() or not member.name.endswith((".xml", ".txt")):
                    continue
                docno = os.path.basename(member.name)[:-4]
                if wanted is not None and docno not in wanted:
                    continue
                fields = parse(tar.extractfile(member).read().decode("utf-8"))
                fields["member"] = member.name
                yield fields


def sha256(text: str) -> str:
    """The sha256 of a text's UTF-8 bytes (as recorded in articles.csv)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
