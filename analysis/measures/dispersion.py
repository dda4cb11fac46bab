"""Dispersion of items across parts of a corpus: Gries' DP (and DPnorm) and Juilland's D."""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pandas as pd

from analysis.errors import AnalysisError
from analysis.measures.common import POSITION_KEYS, require_columns, word_tokens


def dp(freqs: Sequence[float], sizes: Sequence[float]) -> tuple[float, float]:
    """Gries' DP and its normalised form DPnorm over corpus parts.

    ``freqs[i]`` is how often the item occurs in part i, ``sizes[i]`` the size
    of part i (in words). With v_i = freqs[i]/Σfreqs and s_i = sizes[i]/Σsizes,
    DP = ½ Σ |v_i − s_i| (Gries 2008: 0 = spread exactly in proportion to the
    part sizes, values towards 1 = concentrated in few parts), and
    DPnorm = DP / (1 − min s_i) (Lijffijt & Gries 2012), which reaches 1 when
    all occurrences are in the smallest part. Returns ``(nan, nan)`` if the item
    never occurs; DPnorm is ``nan`` with a single part.
    """
    f = np.asarray(freqs, dtype="float64")
    s = np.asarray(sizes, dtype="float64")
    if f.shape != s.shape or f.ndim != 1 or len(f) == 0:
        raise AnalysisError("dp needs two equally long, non-empty sequences")
    if (s <= 0).any() or (f < 0).any():
        raise AnalysisError("dp needs positive part sizes and non-negative frequencies")
    if f.sum() == 0:
        return math.nan, math.nan
    v = f / f.sum()
    sp = s / s.sum()
    value = 0.5 * float(np.abs(v - sp).sum())
    denom = 1.0 - float(sp.min())
    return value, (value / denom if denom > 0 else math.nan)


def juilland_d(freqs: Sequence[float], sizes: Sequence[float] | None = None) -> float:
    """Juilland's D = 1 − V / √(n − 1) over n corpus parts (as given in Gries 2008).

    V is the coefficient of variation (population standard deviation / mean) of
    the item's frequency in each part. When part sizes are given, frequencies
    are first divided by the part sizes (relative frequencies), the usual
    adjustment for parts of unequal size; with ``sizes=None`` the parts are
    taken as equal. D = 1 means perfectly even, 0 all in one part. ``nan`` for
    fewer than two parts or an item that never occurs.
    """
    f = np.asarray(freqs, dtype="float64")
    if sizes is not None:
        s = np.asarray(sizes, dtype="float64")
        if s.shape != f.shape or (s <= 0).any():
            raise AnalysisError("juilland_d needs one positive size per part")
        f = f / s
    n = len(f)
    if n < 2 or f.mean() == 0:
        return math.nan
    variation = float(f.std(ddof=0) / f.mean())
    return 1.0 - variation / math.sqrt(n - 1)


def _word_ranks(tokens: pd.DataFrame) -> dict[object, np.ndarray]:
    """Per document, the sorted ``index`` values of its word tokens."""
    words = word_tokens(tokens)
    return {d: g["index"].to_numpy() for d, g in words.groupby("doc_id", sort=False)}


def dispersion(
    occurrences: pd.DataFrame,
    tokens: pd.DataFrame,
    item: str = "frame",
    parts: str = "sentence",
    n_segments: int = 10,
) -> pd.DataFrame:
    """DP, DPnorm and Juilland's D of each ``item`` across corpus parts.

    ``occurrences`` is a hits table (position = ``token_start``) or a subset of
    the tokens table (position = ``index``), e.g.
    ``tokens[tokens.bare.isin(forms)]`` with ``item="bare"``. Parts:

    * ``"document"``: each document of ``tokens`` is a part; one row per item.
    * ``"sentence"``: the sentences of each document; one row per (doc, item).
    * ``"segment"``: ``n_segments`` consecutive equal-size slices of each
      document's words (sizes differ by at most one word); one row per (doc, item).

    Part sizes are word counts (``kind == "word"``); parts with no words are
    left out. Columns: [``doc_id``,] ``<item>, n, n_parts, range, dp, dp_norm,
    juilland_d`` where ``range`` is the number of parts with at least one
    occurrence. See :func:`dp` and :func:`juilland_d` for the formulas.
    """
    if parts not in ("document", "sentence", "segment"):
        raise AnalysisError(f"parts must be 'document', 'sentence' or 'segment', got {parts!r}")
    if n_segments < 1:
        raise AnalysisError(f"n_segments must be >= 1, got {n_segments}")
    pos_col = "token_start" if "token_start" in occurrences.columns else "index"
    require_columns(occurrences, ["doc_id", "sentence", item, pos_col], "occurrences")
    require_columns(tokens, ["doc_id", "sentence", "index", "kind"], "tokens")
    words = word_tokens(tokens)
    occ = occurrences[["doc_id", "sentence", item, pos_col]].reset_index(drop=True)
    # Each occurrence and each word gets a group (the unit a DP is computed in:
    # a document, or the whole corpus) and a part inside that group.
    if parts == "document":
        occ["_group"], occ["_part"] = "", occ["doc_id"]
        sizes = words.groupby("doc_id", sort=True).size().rename("_size").reset_index()
        sizes = sizes.rename(columns={"doc_id": "_part"}).assign(_group="")
    elif parts == "sentence":
        occ["_group"], occ["_part"] = occ["doc_id"], occ["sentence"]
        sizes = words.groupby(["doc_id", "sentence"], sort=True).size().rename("_size")
        sizes = sizes.reset_index().rename(columns={"doc_id": "_group", "sentence": "_part"})
    else:
        n_in_doc = words.groupby("doc_id", sort=False)["index"].transform("size").to_numpy()
        rank = words.groupby("doc_id", sort=False).cumcount().to_numpy()
        k = np.minimum(n_segments, n_in_doc)
        seg = pd.DataFrame({"_group": words["doc_id"].to_numpy(), "_part": rank * k // n_in_doc})
        sizes = seg.groupby(["_group", "_part"], sort=True).size().rename("_size").reset_index()
        ranks = _word_ranks(tokens)
        part = np.zeros(len(occ), dtype="int64")
        for d, g in occ.groupby("doc_id", sort=False):
            widx = ranks.get(d)
            if widx is None:
                raise AnalysisError(f"document {d!r} has no word tokens to segment")
            kd = min(n_segments, len(widx))
            r = np.minimum(np.searchsorted(widx, g[pos_col].to_numpy()), len(widx) - 1)
            part[g.index.to_numpy()] = r * kd // len(widx)
        occ["_group"], occ["_part"] = occ["doc_id"], part
    totals = sizes.groupby("_group", sort=False).agg(
        _total=("_size", "sum"), n_parts=("_size", "size"), _min=("_size", "min")
    )
    f = occ.groupby(["_group", item, "_part"], sort=True).size().rename("_f").reset_index()
    f = f.merge(sizes, on=["_group", "_part"], how="left")
    if f["_size"].isna().any():
        bad = f.loc[f["_size"].isna()].iloc[0]
        raise AnalysisError(
            f"occurrences of {bad[item]!r} lie in a {parts} without word tokens "
            f"({'document ' + repr(bad['_group']) if parts != 'document' else bad['_part']!r}; "
            "kind == 'word'); part sizes are counted in words"
        )
    f = f.join(totals, on="_group")
    f["_v"] = f["_f"] / f.groupby(["_group", item], sort=False)["_f"].transform("sum")
    f["_s"] = f["_size"] / f["_total"]
    f["_abs"] = (f["_v"] - f["_s"]).abs()
    f["_r"] = f["_f"] / f["_size"]
    f["_r2"] = f["_r"] ** 2
    out = f.groupby(["_group", item], sort=True).agg(
        n=("_f", "sum"),
        n_parts=("n_parts", "first"),
        range=("_f", "size"),
        _abs=("_abs", "sum"),
        _s=("_s", "sum"),
        _r=("_r", "sum"),
        _r2=("_r2", "sum"),
        _total=("_total", "first"),
        _min=("_min", "first"),
    )
    # DP = ½ Σ|v_i − s_i|; a part without occurrences contributes |0 − s_i| = s_i,
    # and those s_i add up to 1 − Σ s_i over the parts with occurrences.
    out["dp"] = 0.5 * (out["_abs"] + (1.0 - out["_s"]).clip(lower=0.0))
    denom = 1.0 - out["_min"] / out["_total"]
    out["dp_norm"] = out["dp"] / denom.where(denom > 0)
    # Juilland's D from the relative frequencies r_i = f_i / size_i (0 where absent)
    n_parts = out["n_parts"].astype("float64")
    mean = out["_r"] / n_parts
    sd = np.sqrt((out["_r2"] / n_parts - mean**2).clip(lower=0.0))
    d = 1.0 - (sd / mean) / np.sqrt(n_parts - 1)
    out["juilland_d"] = d.where(n_parts > 1)
    out = out.reset_index()
    group_keys = [] if parts == "document" else ["doc_id"]
    out = out.rename(columns={"_group": "doc_id"})
    for col in ("n", "n_parts", "range"):
        out[col] = out[col].astype("int64")
    cols = group_keys + [item, "n", "n_parts", "range", "dp", "dp_norm", "juilland_d"]
    return out[cols]


def dispersion_positions(hits: pd.DataFrame, tokens: pd.DataFrame) -> pd.DataFrame:
    """Position of every hit in its document, for a dispersion (barcode) plot.

    ``word_offset`` is the number of word tokens before the hit's first token,
    ``n_words`` the document's word count and ``relative_position`` =
    word_offset / n_words, in [0, 1). One row per hit, with the hit keys
    (``frame`` or ``actor``, ``term``, ``voice``, ``speaker`` where present).
    """
    require_columns(hits, POSITION_KEYS, "hits")
    ranks = _word_ranks(tokens)
    keys = POSITION_KEYS + [
        c for c in ("frame", "actor", "term", "voice", "speaker") if c in hits.columns
    ]
    out = hits[keys].copy().reset_index(drop=True)
    offset = np.zeros(len(out), dtype="int64")
    n_words = np.zeros(len(out), dtype="int64")
    for d, g in out.groupby("doc_id", sort=False):
        widx = ranks.get(d)
        if widx is None:
            raise AnalysisError(f"hits refer to document {d!r}, which has no word tokens")
        offset[g.index] = np.searchsorted(widx, g["token_start"].to_numpy())
        n_words[g.index] = len(widx)
    out["word_offset"] = offset
    out["n_words"] = n_words
    out["relative_position"] = offset / n_words
    return out.sort_values(["doc_id", "start"], kind="stable").reset_index(drop=True)
