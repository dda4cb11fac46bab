"""Conventions and small helpers shared by every measure (see :mod:`analysis.measures`)."""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from analysis.errors import AnalysisError

#: Token kind that counts as a word in every denominator and window.
WORD_KIND = "word"


#: Columns that locate a hit; every hit table (frame or actor hits) has them.
POSITION_KEYS = ["doc_id", "sentence", "token_start", "token_end", "start", "end"]


#: Hit columns that identify a frame hit and are carried into KWIC lines.
HIT_KEYS = [
    "doc_id",
    "sentence",
    "token_start",
    "token_end",
    "start",
    "end",
    "frame",
    "term",
    "voice",
    "speaker",
]


def as_list(cols: str | Iterable[str]) -> list[str]:
    """Return ``cols`` as a list (a single column name becomes a one-item list)."""
    return [cols] if isinstance(cols, str) else list(cols)


def require_columns(df: pd.DataFrame, cols: Iterable[str], table: str) -> None:
    """Raise :class:`AnalysisError` naming ``table`` if columns are missing.

    The tables come from notebooks, where a user may pass the wrong table; the
    message says which table lacks which columns and where they are defined.
    """
    missing = [c for c in cols if c not in df.columns]
    if missing:
        raise AnalysisError(
            f"the {table} table lacks column(s) {missing} "
            f"(columns present: {list(df.columns)}); see docs/design.md"
        )


def word_tokens(tokens: pd.DataFrame) -> pd.DataFrame:
    """Word tokens (``kind == "word"``) in document and token order."""
    require_columns(tokens, ["doc_id", "index", "kind"], "tokens")
    words = tokens[tokens["kind"] == WORD_KIND]
    return words.sort_values(["doc_id", "index"], kind="stable")


def sort_counts(df: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """Sort by ``n`` (descending), ties by the key columns, for stable output."""
    df = df.sort_values(keys, kind="stable")
    return df.sort_values("n", ascending=False, kind="stable").reset_index(drop=True)


def category_column(hits: pd.DataFrame) -> str:
    """The category column of a hits table: ``frame``, or ``actor`` for actor hits."""
    return "actor" if "frame" not in hits.columns and "actor" in hits.columns else "frame"
