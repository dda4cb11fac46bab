"""Counts of hits by any columns, word totals, and rates per 1,000 words."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from analysis.errors import AnalysisError
from analysis.measures.common import (
    WORD_KIND,
    as_list,
    category_column,
    require_columns,
    sort_counts,
)


def count_by(hits: pd.DataFrame, by: str | Sequence[str]) -> pd.DataFrame:
    """Count hits per combination of the columns ``by``.

    Returns one row per observed combination with a count column ``n`` (the
    number of hit rows, i.e. of KWIC lines, behind it), sorted by ``n``
    descending and then by the keys. Missing values (e.g. an empty ``quote_id``)
    form their own group rather than being dropped, so the counts always add up
    to ``len(hits)``.
    """
    keys = as_list(by)
    require_columns(hits, keys, "hits")
    if hits.empty:
        out = pd.DataFrame({k: hits[k].iloc[:0] for k in keys})
        out["n"] = pd.Series([], dtype="int64")
        return out
    out = hits.groupby(keys, dropna=False, sort=True, observed=True).size()
    out = out.reset_index(name="n")
    out["n"] = out["n"].astype("int64")
    return sort_counts(out, keys)


def count_terms(hits: pd.DataFrame) -> pd.DataFrame:
    """Hits per lexicon term and its frame: columns ``frame, term, n``.

    Like every ``count_*`` helper, it also takes actor hits
    (:func:`analysis.frames.match_actors`), whose ``actor`` column then stands
    in for ``frame``.
    """
    return count_by(hits, [category_column(hits), "term"])


def count_frames(hits: pd.DataFrame) -> pd.DataFrame:
    """Hits per frame over all documents: columns ``frame, n``."""
    return count_by(hits, [category_column(hits)])


def count_by_sentence(hits: pd.DataFrame) -> pd.DataFrame:
    """Hits per sentence and frame: columns ``doc_id, sentence, frame, n``."""
    return count_by(hits, ["doc_id", "sentence", category_column(hits)])


def count_by_voice(hits: pd.DataFrame) -> pd.DataFrame:
    """Hits per frame and voice (``narration``/``quoted``): ``frame, voice, n``."""
    return count_by(hits, [category_column(hits), "voice"])


def count_by_document(hits: pd.DataFrame) -> pd.DataFrame:
    """Hits per document and frame: columns ``doc_id, frame, n``."""
    return count_by(hits, ["doc_id", category_column(hits)])


def word_totals(tokens: pd.DataFrame, by: str | Sequence[str] = "doc_id") -> pd.DataFrame:
    """Number of word tokens (``kind == "word"``) per group: ``<by>, tokens``.

    Groups with no word token (e.g. a sentence made of a number only) are
    omitted. With ``by=[]`` the result is one row holding the corpus total.
    """
    keys = as_list(by)
    require_columns(tokens, keys + ["kind"], "tokens")
    words = tokens[tokens["kind"] == WORD_KIND]
    if not keys:
        return pd.DataFrame({"tokens": [len(words)]}, dtype="int64")
    out = words.groupby(keys, sort=True, observed=True).size().reset_index(name="tokens")
    out["tokens"] = out["tokens"].astype("int64")
    return out


def rates_per_1000(
    counts: pd.DataFrame,
    tokens: pd.DataFrame,
    per: str | Sequence[str] | None = None,
) -> pd.DataFrame:
    """Add ``tokens`` and ``rate_per_1000`` = 1000 · n / tokens to a counts table.

    The denominator is the number of **word tokens** (``kind == "word"``; not
    numbers, Latin words, punctuation or quote marks) in the unit named by
    ``per`` — by default ``doc_id`` when the counts table has it (a rate per
    document), else the whole ``tokens`` table (a corpus rate). Pass e.g.
    ``per=["doc_id", "sentence"]`` for sentence rates, or ``per=[]`` to force
    the corpus total. Units with no words get a missing rate.
    """
    require_columns(counts, ["n"], "counts")
    if per is None:
        keys = ["doc_id"] if "doc_id" in counts.columns else []
    else:
        keys = as_list(per)
    require_columns(counts, keys, "counts")
    out = counts.copy()
    if not keys:
        out["tokens"] = int(word_totals(tokens, []).iloc[0, 0])
    else:
        require_columns(tokens, keys, "tokens")
        units = tokens[keys].drop_duplicates()
        totals = units.merge(word_totals(tokens, keys), on=keys, how="left")
        out = out.merge(totals, on=keys, how="left", validate="many_to_one", indicator=True)
        unknown = out["_merge"] == "left_only"
        if unknown.any():
            bad = out.loc[unknown, keys].drop_duplicates().head(5).to_dict("records")
            raise AnalysisError(
                f"counts refer to {keys} values absent from the tokens table, e.g. {bad}"
            )
        out = out.drop(columns="_merge")
        out["tokens"] = out["tokens"].fillna(0).astype("int64")
    denom = out["tokens"].astype("float64").where(out["tokens"] > 0)
    out["rate_per_1000"] = 1000.0 * out["n"] / denom
    return out
