"""Group comparisons on a corpus summary: frame rates per group, keyness, dispersion.

They reuse the formulas of :mod:`analysis.measures`, so a small corpus gives the
same numbers through the notebook path and the corpus-scale path.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

from analysis import measures
from analysis.errors import AnalysisError
from analysis.scale.summary import CorpusSummary


def _documents_with(
    summary: CorpusSummary, by: str, documents: pd.DataFrame | None
) -> pd.DataFrame:
    """``doc_id, n_words, group`` for every processed document."""
    docs = summary.documents[["doc_id", "n_words"]]
    source = summary.documents if documents is None else documents
    if by not in source.columns or "doc_id" not in source.columns:
        raise AnalysisError(
            f"no column {by!r} to group by (columns: {list(source.columns)}); pass a "
            "documents table with doc_id and that column, e.g. from "
            "measures.date_range_groups"
        )
    labels = pd.DataFrame({"doc_id": source["doc_id"], "group": source[by]})
    labels = labels.drop_duplicates("doc_id")
    out = docs.merge(labels, on="doc_id", how="left", validate="one_to_one")
    out["group"] = out["group"].fillna("").astype(str)
    return out


def group_frame_rates(
    summary: CorpusSummary, by: str = "outlet", documents: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Frame rates per 1000 words for groups of documents, from a corpus summary.

    Same columns and meaning as :func:`analysis.measures.frame_rates_by_group`
    (``frame, group, n, tokens, rate_per_1000, n_documents,
    n_documents_with_hits``; frames absent from a group appear with n = 0), but
    computed from per-document counts, so it works on any corpus size. Groups are
    the values of column ``by`` of ``summary.documents``, or of ``documents`` (a
    table with ``doc_id`` and ``by``, e.g. a country per outlet or a period from
    :func:`analysis.measures.date_range_groups`); documents it does not label form
    the group ``""``.
    """
    docs = _documents_with(summary, by, documents)
    groups = (
        docs.groupby("group", sort=True)
        .agg(n_documents=("doc_id", "size"), tokens=("n_words", "sum"))
        .reset_index()
    )
    per_doc = summary.frame_counts.groupby(["doc_id", "frame"], sort=True)["n"].sum().reset_index()
    per_doc = per_doc.merge(docs[["doc_id", "group"]], on="doc_id", how="inner")
    counts = (
        per_doc.groupby(["frame", "group"], sort=True)
        .agg(n=("n", "sum"), n_documents_with_hits=("doc_id", "nunique"))
        .reset_index()
    )
    return measures.group_rates_table(counts, groups)


def _side(values: str | Sequence[str]) -> list[str]:
    return [values] if isinstance(values, str) else [str(v) for v in values]


def group_keyness(
    summary: CorpusSummary,
    a: str | Sequence[str],
    b: str | Sequence[str],
    min_freq: int = 1,
    zero_adjust: float = 0.5,
) -> pd.DataFrame:
    """Keyness of word forms between two groups (or sets of groups) of documents.

    ``a`` and ``b`` are values of the summary's ``group_by`` column (e.g. outlets),
    or lists of them. Word-form frequencies come from ``summary.term_counts`` and
    the result has the columns of :func:`analysis.measures.keyness`: ``term, a, b,
    n, size_a, size_b, expected_a, expected_b, G2, p_value, log_ratio, key_in``,
    with G² of Rayson & Garside (2000) / Dunning (1993) and Hardie's (2014) log
    ratio (a zero frequency replaced by ``zero_adjust``), sorted by G2
    descending. The sizes are the groups' word-token totals.
    """
    if summary.term_form is None:
        raise AnalysisError("this corpus summary has no term counts (term_form=None)")
    tc = summary.term_counts
    g = summary.group_by
    side_a, side_b = _side(a), _side(b)
    known = set(tc[g])
    for side in (side_a, side_b):
        for value in side:
            if value not in known:
                raise AnalysisError(
                    f"group {value!r} has no words in the summary (groups of {g!r}: "
                    f"{sorted(known)[:10]})"
                )
    if set(side_a) & set(side_b):
        raise AnalysisError(f"groups {sorted(set(side_a) & set(side_b))} are on both sides")
    fa = tc[tc[g].isin(side_a)].groupby("term")["n"].sum()
    fb = tc[tc[g].isin(side_b)].groupby("term")["n"].sum()
    return measures.keyness_table(fa, fb, min_freq=min_freq, zero_adjust=zero_adjust)


def frame_dispersion(
    summary: CorpusSummary, by: str | None = None, documents: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Gries' DP of each frame across documents (within each group if ``by``).

    Parts are documents, part sizes their word counts (documents without words are
    left out), frequencies the frame's hits per document; see
    :func:`analysis.measures.dp` (DP = ½ Σ |v_i − s_i|, Gries 2008; DPnorm,
    Lijffijt & Gries 2012). Columns: [``group``,] ``frame, n, n_parts, range, dp,
    dp_norm`` where ``range`` is the number of documents with at least one hit.
    """
    docs = _documents_with(summary, by or "doc_id", documents if by else None)
    docs = docs[docs["n_words"] > 0]
    per_doc = summary.frame_counts.groupby(["doc_id", "frame"], sort=True)["n"].sum()
    rows = []
    grouped: Iterable[tuple[object, pd.DataFrame]] = (
        docs.groupby("group", sort=True) if by else [(None, docs)]
    )
    frames = sorted(summary.frame_counts["frame"].unique())
    for label, part in grouped:
        sizes = part["n_words"].to_numpy()
        ids = part["doc_id"].to_numpy()
        for frame in frames:
            series = per_doc.xs(frame, level="frame") if frame in per_doc.index.levels[1] else None
            freqs = (
                np.zeros(len(ids))
                if series is None
                else series.reindex(ids, fill_value=0).to_numpy()
            )
            value, norm = measures.dp(freqs, sizes)
            row = {
                "frame": frame,
                "n": int(freqs.sum()),
                "n_parts": len(ids),
                "range": int((freqs > 0).sum()),
                "dp": value,
                "dp_norm": norm,
            }
            rows.append(row if by is None else {"group": label, **row})
    columns = (["group"] if by else []) + ["frame", "n", "n_parts", "range", "dp", "dp_norm"]
    return pd.DataFrame(rows, columns=columns)
