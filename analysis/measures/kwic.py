"""Key word in context: one line per hit, the audit trail of every count."""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.errors import AnalysisError
from analysis.measures.common import POSITION_KEYS, require_columns

#: Token kinds counted by the KWIC window (punctuation and quote marks inside
#: the window are shown but do not use up the window).
_KWIC_COUNTED_KINDS = ("word", "number", "latin")


def _join_surfaces(starts: np.ndarray, ends: np.ndarray, surfaces: list[str]) -> str:
    """Join token surfaces as they stood in the original text.

    A single space goes where the original had any gap (whitespace, a line
    break) between two tokens, nothing where the tokens touched (a word and its
    comma, or the parts of a run-together word split by a repair), so the string
    reads like the original with whitespace runs collapsed.
    """
    if not surfaces:
        return ""
    parts = [surfaces[0]]
    for i in range(1, len(surfaces)):
        if starts[i] > ends[i - 1]:
            parts.append(" ")
        parts.append(surfaces[i])
    return "".join(parts)


def kwic(
    hits: pd.DataFrame,
    tokens: pd.DataFrame,
    window: int = 5,
    within_sentence: bool = False,
) -> pd.DataFrame:
    """Key word in context: one line per hit, the audit trail of every count.

    ``left`` and ``right`` hold up to ``window`` words (tokens of kind word,
    number or latin) on each side of the hit, with any punctuation and quote
    marks lying between them, never crossing the hit's document (nor its
    sentence when ``within_sentence`` is true). ``match`` holds the hit's own
    tokens. All three are the original surfaces joined as in the original text
    (one space where there was whitespace), in **logical** order; display
    right-to-left is the viewer's job.

    Columns: ``doc_id, sentence, start, end, token_start, token_end, left,
    match, right``, then the other hit keys present (``frame`` — or ``actor``
    for actor hits — ``term``, ``voice``, ``speaker``) and every other hit column
    (``entry_id``, ``gloss``, ``quote_id``, ``surface`` …), sorted by document and
    position. A hit column already called ``left``, ``match`` or ``right`` (the
    frame matcher's ``match`` = the lexicon entry's match mode) is kept as
    ``hit_left``/``hit_match``/``hit_right``. ``count_by(kwic(...), by)`` equals
    ``count_by(hits, by)`` for every other column.
    """
    if window < 0:
        raise AnalysisError(f"kwic window must be >= 0, got {window}")
    require_columns(hits, POSITION_KEYS, "hits")
    require_columns(
        tokens, ["doc_id", "sentence", "index", "start", "end", "surface", "kind"], "tokens"
    )
    lead = ["doc_id", "sentence", "start", "end", "token_start", "token_end"]
    ctx = ["left", "match", "right"]
    hits = hits.rename(columns={c: f"hit_{c}" for c in ctx if c in hits.columns})
    keys = ["frame", "actor", "term", "voice", "speaker"]
    rest = [c for c in hits.columns if c not in lead]
    order = lead + ctx + [c for c in keys if c in rest] + [c for c in rest if c not in keys]
    hits = hits.sort_values(["doc_id", "start", "end", "token_start"], kind="stable")
    hits = hits.reset_index(drop=True)
    left = [""] * len(hits)
    match = [""] * len(hits)
    right = [""] * len(hits)
    toks_by_doc = {d: t for d, t in tokens.groupby("doc_id", sort=False)}
    for doc_id, doc_hits in hits.groupby("doc_id", sort=False):
        toks = toks_by_doc.get(doc_id)
        if toks is None:
            raise AnalysisError(f"hits refer to document {doc_id!r}, absent from the tokens table")
        toks = toks.sort_values("index", kind="stable")
        idx = toks["index"].to_numpy()
        starts = toks["start"].to_numpy()
        ends = toks["end"].to_numpy()
        surf = toks["surface"].astype(str).tolist()
        sent = toks["sentence"].to_numpy()
        counted = toks["kind"].isin(_KWIC_COUNTED_KINDS).to_numpy()
        cpos = np.flatnonzero(counted)
        cc = np.concatenate([[0], np.cumsum(counted)])  # cc[i]: counted tokens before i
        n_tok = len(idx)
        for row, ts, te in zip(
            doc_hits.index, doc_hits["token_start"], doc_hits["token_end"], strict=True
        ):
            p0 = int(np.searchsorted(idx, ts))
            p1 = int(np.searchsorted(idx, te))
            bad_end = idx[p1] != te if p1 < n_tok else te != idx[-1] + 1
            if p0 >= n_tok or idx[p0] != ts or te <= ts or bad_end:
                raise AnalysisError(
                    f"hit in {doc_id!r} has token span [{ts}, {te}) that does not match "
                    "the tokens table"
                )
            lo_bound, hi_bound = 0, n_tok
            if within_sentence:
                lo_bound = int(np.searchsorted(sent, sent[p0], side="left"))
                hi_bound = int(np.searchsorted(sent, sent[p1 - 1], side="right"))
            if window == 0:
                lo, hi = p0, p1
            else:
                # lo: the window-th counted token before the hit (or the boundary)
                target = int(cc[p0]) - window
                lo = lo_bound if target < cc[lo_bound] else max(lo_bound, int(cpos[target]))
                # hi: just after the window-th counted token after the hit
                last = int(cc[p1]) + window - 1
                hi = hi_bound if last >= cc[hi_bound] else min(hi_bound, int(cpos[last]) + 1)
            left[row] = _join_surfaces(starts[lo:p0], ends[lo:p0], surf[lo:p0])
            match[row] = _join_surfaces(starts[p0:p1], ends[p0:p1], surf[p0:p1])
            right[row] = _join_surfaces(starts[p1:hi], ends[p1:hi], surf[p1:hi])
    out = hits.copy()
    out["left"] = pd.Series(left, dtype=object)
    out["match"] = pd.Series(match, dtype=object)
    out["right"] = pd.Series(right, dtype=object)
    return out[order]
