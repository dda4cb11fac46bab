"""Select the documents of a corpus that are about a topic, by a keyword query.

A topic is a list of terms in ``lexicons/topics.csv`` (columns ``topic, term,
gloss, note``). A term matches, in the normalized text (the normalization of
the text stage, with teh marbuta folded), a word that **begins** with it after
optional proclitics (و ف ب ك ل and the article: فلسطين matches الفلسطينيين,
لفلسطين); a term of several words matches them in sequence, with one space
between. A document belongs to the topic when the terms occur at least
``min_mentions`` times in it (2 by default: one passing mention does not make an
article about a topic).

The query is plain keyword matching, not the frame lexicon: it decides which
articles to compare, and is documented with its counts (the notebook lists how
many documents each outlet contributes), so a reader can judge and rerun it.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

import pandas as pd

from analysis.errors import ConfigError
from analysis.paths import LEXICON_DIR
from analysis.scale.jobs import iter_jobs, read_job
from analysis.text.normalize import NORMALIZATION_TABLE, fold_teh_marbuta, normalize_word

TOPICS_FILE = LEXICON_DIR / "topics.csv"
_PROCLITICS = r"(?:[وف]?[بكل]?(?:ال|ل)?)"


def load_topics(path: str | Path = TOPICS_FILE) -> dict[str, list[str]]:
    """Each topic's terms, normalized (teh marbuta folded), in file order."""
    path = Path(path)
    if not path.is_file():
        raise ConfigError("topics file not found", path)
    topics: dict[str, list[str]] = {}
    with open(path, encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        if not reader.fieldnames or not {"topic", "term"} <= set(reader.fieldnames):
            raise ConfigError("the topics file needs the columns topic and term", path, 1)
        for line, row in enumerate(reader, start=2):
            term = fold_teh_marbuta(normalize_word((row["term"] or "").strip()))
            if not row["topic"] or not term:
                raise ConfigError("empty topic or term", path, line)
            topics.setdefault(row["topic"], []).append(term)
    return topics


@lru_cache(maxsize=16)
def topic_pattern(terms: tuple[str, ...]) -> re.Pattern[str]:
    """The expression that finds the terms at word starts, after optional proclitics."""
    longest_first = sorted(terms, key=len, reverse=True)
    alternatives = "|".join(re.escape(t).replace(r"\ ", " ") for t in longest_first)
    return re.compile(rf"(?<!\w){_PROCLITICS}(?:{alternatives})")


def mentions(text: str, terms: Iterable[str]) -> int:
    """How many times the terms occur in ``text`` (normalized here)."""
    normalized = fold_teh_marbuta(text.translate(NORMALIZATION_TABLE))
    return len(topic_pattern(tuple(terms)).findall(normalized))


def topic_mentions(metadata: str | Path, topics_file: str | Path = TOPICS_FILE) -> pd.DataFrame:
    """Mentions of every topic in every document: ``doc_id`` and one column per topic.

    One pass over the corpus (each file read once, its checksum verified).
    """
    topics = load_topics(topics_file)
    rows = []
    for job in iter_jobs(None, metadata, "doc_id"):
        text, _ = read_job(job, verify=True)
        normalized = fold_teh_marbuta(text.translate(NORMALIZATION_TABLE))
        counts = {t: len(topic_pattern(tuple(terms)).findall(normalized))
                  for t, terms in topics.items()}  # fmt: skip
        rows.append({"doc_id": job.doc_id, **counts})
    return pd.DataFrame(rows, columns=["doc_id", *topics])


def select_topic(mentioned: pd.DataFrame, topic: str, min_mentions: int = 2) -> pd.DataFrame:
    """The documents about ``topic`` (``doc_id, mentions``), from :func:`topic_mentions`."""
    if topic not in mentioned.columns:
        topics = [c for c in mentioned.columns if c != "doc_id"]
        raise ConfigError(f"no topic {topic!r} (topics: {topics})", TOPICS_FILE)
    chosen = mentioned[mentioned[topic] >= min_mentions]
    return chosen[["doc_id", topic]].rename(columns={topic: "mentions"}).reset_index(drop=True)
