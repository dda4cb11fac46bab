"""Comparisons between groups of documents: periods, frame rates per group, co-occurrence."""

from __future__ import annotations

import datetime as _dt
from collections.abc import Mapping

import numpy as np
import pandas as pd

from analysis.corpus.dates import date_bounds
from analysis.errors import AnalysisError
from analysis.measures.common import require_columns
from analysis.measures.counts import word_totals


def _date_bounds(value: str) -> tuple[_dt.date, _dt.date] | None:
    """First and last day covered by a document's date, or ``None`` if it has none.

    An empty or unreadable date (``unknown`` precision) belongs to no period.
    """
    value = str(value).strip()
    if not value:
        return None
    try:
        return date_bounds(value)
    except ValueError:
        return None


def date_range_groups(
    documents: pd.DataFrame,
    ranges: Mapping[str, tuple[str, str]],
    column: str = "period",
) -> pd.DataFrame:
    """Label each document with the named date range that contains its date.

    ``ranges`` maps a label to ``(first, last)`` ISO dates (inclusive; a year
    or month stands for all its days). A document gets a label only if its
    whole date (a day, month, year or interval ``A/B``) lies inside that range,
    so an article dated only "2009" is not put in a November 2009 period; a
    document fitting no range, or several, gets ``""``. Returns a copy of
    ``documents`` with the new ``column``, ready for
    :func:`frame_rates_by_group`.
    """
    require_columns(documents, ["doc_id", "date"], "documents")
    bounds = {}
    for label, (first, last) in ranges.items():
        lo, hi = _date_bounds(first), _date_bounds(last)
        if lo is None or hi is None or lo[0] > hi[1]:
            raise AnalysisError(f"date range {label!r} = ({first!r}, {last!r}) is not valid")
        bounds[label] = (lo[0], hi[1])
    labels = []
    for value in documents["date"]:
        span = _date_bounds(value)
        fits = (
            []
            if span is None
            else [k for k, (lo, hi) in bounds.items() if lo <= span[0] and span[1] <= hi]
        )
        labels.append(fits[0] if len(fits) == 1 else "")
    out = documents.copy()
    out[column] = labels
    return out


def group_rates_table(counts: pd.DataFrame, groups: pd.DataFrame) -> pd.DataFrame:
    """Frame × group rates from hit counts and group sizes (every frame in every group).

    ``counts`` has ``frame, group, n, n_documents_with_hits``; ``groups`` has
    ``group, tokens`` (word tokens) and ``n_documents``. Frames missing from a
    group appear with n = 0; ``rate_per_1000`` = 1000 · n / tokens (NaN for a
    group without words). Shared by :func:`frame_rates_by_group` (token tables)
    and :func:`analysis.scale.group_frame_rates` (streamed per-document counts).
    """
    frames = sorted(counts["frame"].unique())
    grid = pd.MultiIndex.from_product([frames, groups["group"]], names=["frame", "group"])
    out = counts.set_index(["frame", "group"]).reindex(grid, fill_value=0).reset_index()
    out = out.merge(groups, on="group", how="left")
    for col in ("n", "tokens", "n_documents", "n_documents_with_hits"):
        out[col] = out[col].astype("int64")
    denom = out["tokens"].astype("float64").where(out["tokens"] > 0)
    out["rate_per_1000"] = 1000.0 * out["n"] / denom
    cols = ["frame", "group", "n", "tokens", "rate_per_1000", "n_documents"]
    return out[cols + ["n_documents_with_hits"]]


def frame_rates_by_group(
    hits: pd.DataFrame,
    tokens: pd.DataFrame,
    documents: pd.DataFrame,
    group_col: str,
) -> pd.DataFrame:
    """Frame frequencies and rates per 1000 words for groups of documents.

    Groups are the values of the metadata column ``group_col`` of ``documents``
    (``outlet``, a country column, or a period from :func:`date_range_groups`;
    an empty value is a group of its own, meaning unknown). Only documents
    present in ``tokens`` (i.e. analysed) count. For every frame seen in
    ``hits`` and every group: ``n`` hits, ``tokens`` = word tokens
    (``kind == "word"``) of the group's documents, ``rate_per_1000`` =
    1000 · n / tokens, ``n_documents`` = analysed documents in the group,
    ``n_documents_with_hits`` = those with at least one hit of the frame.
    Frames absent from a group appear with n = 0.
    """
    require_columns(hits, ["doc_id", "frame"], "hits")
    require_columns(documents, ["doc_id", group_col], "documents")
    docs = documents[["doc_id", group_col]].rename(columns={group_col: "group"})
    if docs["doc_id"].duplicated().any():
        dup = docs.loc[docs["doc_id"].duplicated(), "doc_id"].iloc[0]
        raise AnalysisError(f"documents table lists doc_id {dup!r} more than once")
    analysed = set(tokens["doc_id"].unique())
    unknown = set(hits["doc_id"]) - set(docs["doc_id"])
    if unknown:
        raise AnalysisError(
            f"hits refer to documents missing from the documents table: {sorted(unknown)[:5]}"
        )
    docs = docs[docs["doc_id"].isin(analysed)]
    per_doc = word_totals(tokens, "doc_id").merge(docs, on="doc_id", how="inner")
    groups = (
        docs.groupby("group", sort=True, dropna=False)
        .agg(n_documents=("doc_id", "nunique"))
        .join(per_doc.groupby("group", dropna=False)["tokens"].sum())
        .fillna({"tokens": 0})
        .reset_index()
    )
    h = hits[["doc_id", "frame"]].merge(docs, on="doc_id", how="inner")
    counts = h.groupby(["frame", "group"], dropna=False).agg(
        n=("doc_id", "size"), n_documents_with_hits=("doc_id", "nunique")
    )
    return group_rates_table(counts.reset_index(), groups)


def cooccurrence(
    actor_hits: pd.DataFrame, unit: str = "sentence", actor: str | None = None
) -> pd.DataFrame:
    """Square actor × actor table: in how many units two actors both occur.

    ``actor_hits`` is a hits (or KWIC) table for an actor lexicon
    (:func:`analysis.frames.match_actors`); ``actor`` names the column
    identifying the actor: by default ``actor`` if the table has it, else
    ``term``; or e.g. ``entry_id``. ``unit`` is ``"sentence"`` (``doc_id`` + ``sentence``) or
    ``"document"``. Cell (x, y) = number of units mentioning both x and y; the
    diagonal = number of units mentioning x at all (several mentions in one unit
    count once). Symmetric, labels sorted. ``table.stack()`` gives a tidy form.
    """
    keys = {"sentence": ["doc_id", "sentence"], "document": ["doc_id"]}.get(unit)
    if keys is None:
        raise AnalysisError(f"unit must be 'sentence' or 'document', got {unit!r}")
    if actor is None:
        actor = "actor" if "actor" in actor_hits.columns else "term"
    require_columns(actor_hits, keys + [actor], "actor hits")
    pairs = actor_hits[keys + [actor]].drop_duplicates()
    labels = sorted(pairs[actor].unique())
    if pairs.empty:
        empty = pd.DataFrame(np.zeros((0, 0), dtype="int64"))
        empty.index.name = actor
        empty.columns.name = actor
        return empty
    unit_id = pairs.groupby(keys, sort=True).ngroup().to_numpy()
    col = pd.Categorical(pairs[actor], categories=labels).codes
    incidence = np.zeros((unit_id.max() + 1, len(labels)), dtype="int64")
    incidence[unit_id, col] = 1
    matrix = incidence.T @ incidence
    out = pd.DataFrame(matrix, index=pd.Index(labels, name=actor), columns=labels)
    out.columns.name = actor
    return out
