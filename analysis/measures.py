"""Measures stage: counts, rates, KWIC, collocations, dispersion, keyness.

Every function takes the tidy tables of ``docs/design.md`` (``tokens``, ``hits``,
``documents``) and returns a new tidy :class:`pandas.DataFrame`; nothing here
changes its inputs. Counts tables carry a count column ``n`` and can be re-derived
from the KWIC table (``kwic``), which is the audit trail: one line per hit, with
its left context, match and right context in logical Unicode order.

Conventions shared by all measures (stated once here, repeated where it matters):

* A *word* is a token with ``kind == "word"``. Numbers, Latin-script words,
  punctuation and quotation marks are not words for rates, collocations,
  dispersion and keyness, so every denominator and every window is counted in
  the same unit.
* Collocations, dispersion of word forms and keyness use the ``bare`` column
  (the preferred bare form after clitic analysis) unless told otherwise.
* Only :mod:`analysis.plotting` reshapes Arabic; every string here is logical.

Sources (formulas restated in each docstring):

* Church, K. W. & Hanks, P. (1990). Word association norms, mutual information,
  and lexicography. *Computational Linguistics* 16(1), 22-29 (PMI).
* Church, K., Gale, W., Hanks, P. & Hindle, D. (1991). Using statistics in
  lexical analysis. In U. Zernik (ed.), *Lexical Acquisition*, 115-164 (t-score).
* Rychlý, P. (2008). A lexicographer-friendly association score. *RASLAN 2008*,
  6-9 (logDice).
* Evert, S. (2008). Corpora and collocations. In A. Lüdeling & M. Kytö (eds.),
  *Corpus Linguistics: An International Handbook*, vol. 2, 1212-1248 (expected
  frequency of surface co-occurrence corrected for window size).
* Gries, S. Th. (2008). Dispersions and adjusted frequencies in corpora.
  *International Journal of Corpus Linguistics* 13(4), 403-437 (DP; Juilland's D).
* Lijffijt, J. & Gries, S. Th. (2012). Correction to Stefan Th. Gries'
  "Dispersions and adjusted frequencies in corpora". *IJCL* 17(1), 147-149 (DPnorm).
* Dunning, T. (1993). Accurate methods for the statistics of surprise and
  coincidence. *Computational Linguistics* 19(1), 61-74; in the two-cell form of
  Rayson, P. & Garside, R. (2000). Comparing corpora using frequency profiling.
  *Proceedings of the Workshop on Comparing Corpora*, ACL 2000 (G²).
* Hardie, A. (2014). Log Ratio: an informal introduction. ESRC Centre for
  Corpus Approaches to Social Science (CASS) (log ratio).
"""

from __future__ import annotations

import datetime as _dt
import math
from collections.abc import Iterable, Mapping, Sequence

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

from analysis.dates import date_bounds
from analysis.errors import AnalysisError

__all__ = [
    "WORD_KIND",
    "HIT_KEYS",
    "POSITION_KEYS",
    "count_by",
    "count_terms",
    "count_frames",
    "count_by_sentence",
    "count_by_voice",
    "count_by_document",
    "word_totals",
    "rates_per_1000",
    "kwic",
    "collocations",
    "association_scores",
    "dp",
    "juilland_d",
    "dispersion",
    "dispersion_positions",
    "log_likelihood",
    "log_ratio",
    "chi2_p_value",
    "keyness",
    "keyness_table",
    "date_range_groups",
    "frame_rates_by_group",
    "group_rates_table",
    "cooccurrence",
]

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

#: Token kinds counted by the KWIC window (punctuation and quote marks inside
#: the window are shown but do not use up the window).
_KWIC_COUNTED_KINDS = ("word", "number", "latin")


# --------------------------------------------------------------------------- #
# helpers
# --------------------------------------------------------------------------- #


def _as_list(cols: str | Iterable[str]) -> list[str]:
    """Return ``cols`` as a list (a single column name becomes a one-item list)."""
    return [cols] if isinstance(cols, str) else list(cols)


def _require(df: pd.DataFrame, cols: Iterable[str], table: str) -> None:
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


def _words(tokens: pd.DataFrame) -> pd.DataFrame:
    """Word tokens (``kind == "word"``) in document and token order."""
    _require(tokens, ["doc_id", "index", "kind"], "tokens")
    words = tokens[tokens["kind"] == WORD_KIND]
    return words.sort_values(["doc_id", "index"], kind="stable")


def _sort_counts(df: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """Sort by ``n`` (descending), ties by the key columns, for stable output."""
    df = df.sort_values(keys, kind="stable")
    return df.sort_values("n", ascending=False, kind="stable").reset_index(drop=True)


# --------------------------------------------------------------------------- #
# counts and rates
# --------------------------------------------------------------------------- #


def count_by(hits: pd.DataFrame, by: str | Sequence[str]) -> pd.DataFrame:
    """Count hits per combination of the columns ``by``.

    Returns one row per observed combination with a count column ``n`` (the
    number of hit rows, i.e. of KWIC lines, behind it), sorted by ``n``
    descending and then by the keys. Missing values (e.g. an empty ``quote_id``)
    form their own group rather than being dropped, so the counts always add up
    to ``len(hits)``.
    """
    keys = _as_list(by)
    _require(hits, keys, "hits")
    if hits.empty:
        out = pd.DataFrame({k: hits[k].iloc[:0] for k in keys})
        out["n"] = pd.Series([], dtype="int64")
        return out
    out = hits.groupby(keys, dropna=False, sort=True, observed=True).size()
    out = out.reset_index(name="n")
    out["n"] = out["n"].astype("int64")
    return _sort_counts(out, keys)


def _category(hits: pd.DataFrame) -> str:
    """The category column of a hits table: ``frame``, or ``actor`` for actor hits."""
    return "actor" if "frame" not in hits.columns and "actor" in hits.columns else "frame"


def count_terms(hits: pd.DataFrame) -> pd.DataFrame:
    """Hits per lexicon term and its frame: columns ``frame, term, n``.

    Like every ``count_*`` helper, it also takes actor hits
    (:func:`analysis.frames.match_actors`), whose ``actor`` column then stands
    in for ``frame``.
    """
    return count_by(hits, [_category(hits), "term"])


def count_frames(hits: pd.DataFrame) -> pd.DataFrame:
    """Hits per frame over all documents: columns ``frame, n``."""
    return count_by(hits, [_category(hits)])


def count_by_sentence(hits: pd.DataFrame) -> pd.DataFrame:
    """Hits per sentence and frame: columns ``doc_id, sentence, frame, n``."""
    return count_by(hits, ["doc_id", "sentence", _category(hits)])


def count_by_voice(hits: pd.DataFrame) -> pd.DataFrame:
    """Hits per frame and voice (``narration``/``quoted``): ``frame, voice, n``."""
    return count_by(hits, [_category(hits), "voice"])


def count_by_document(hits: pd.DataFrame) -> pd.DataFrame:
    """Hits per document and frame: columns ``doc_id, frame, n``."""
    return count_by(hits, ["doc_id", _category(hits)])


def word_totals(tokens: pd.DataFrame, by: str | Sequence[str] = "doc_id") -> pd.DataFrame:
    """Number of word tokens (``kind == "word"``) per group: ``<by>, tokens``.

    Groups with no word token (e.g. a sentence made of a number only) are
    omitted. With ``by=[]`` the result is one row holding the corpus total.
    """
    keys = _as_list(by)
    _require(tokens, keys + ["kind"], "tokens")
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
    _require(counts, ["n"], "counts")
    if per is None:
        keys = ["doc_id"] if "doc_id" in counts.columns else []
    else:
        keys = _as_list(per)
    _require(counts, keys, "counts")
    out = counts.copy()
    if not keys:
        out["tokens"] = int(word_totals(tokens, []).iloc[0, 0])
    else:
        _require(tokens, keys, "tokens")
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


# --------------------------------------------------------------------------- #
# KWIC
# --------------------------------------------------------------------------- #


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
    _require(hits, POSITION_KEYS, "hits")
    _require(tokens, ["doc_id", "sentence", "index", "start", "end", "surface", "kind"], "tokens")
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


# --------------------------------------------------------------------------- #
# collocations
# --------------------------------------------------------------------------- #


def _span(span: int | tuple[int, int]) -> tuple[int, int]:
    """Normalise a span given as ``k`` or ``(left, right)`` to two ints >= 0."""
    left, right = (span, span) if isinstance(span, int) else span
    if left < 0 or right < 0 or left + right == 0:
        raise AnalysisError(f"collocation span must be non-negative and not empty, got {span}")
    return int(left), int(right)


def _resolve_forms(words: Iterable[str], present: set[str], form: str) -> set[str]:
    """Map forms a user typed to the corpus' comparison forms in column ``form``.

    For ``normalized`` and ``bare``, a word is normalized like the text stage
    does (:func:`analysis.normalize.normalize_word`: إلى → الي). For ``bare``, a
    normalized word absent from the corpus' bare forms is replaced by its
    preferred bare form (:func:`analysis.clitics.preferred`, the analysis the text
    stage gives tokens), so ``الشعب`` finds the bare form ``شعب``; a word that
    is already a bare form of the corpus is never re-segmented.
    """
    if form not in ("normalized", "bare"):
        return set(words)
    from analysis.clitics import preferred
    from analysis.normalize import normalize_word

    out = set()
    for word in words:
        norm = normalize_word(word)
        out.add(norm if form == "normalized" or norm in present else preferred(word).bare)
    return out


def collocations(
    tokens: pd.DataFrame,
    node: str | Iterable[str],
    span: int | tuple[int, int] = 4,
    min_freq: int = 2,
    form: str = "bare",
    within_sentence: bool = False,
) -> pd.DataFrame:
    """Collocates of ``node`` within ``span`` words, with PMI, t-score and logDice.

    The text is the sequence of word tokens (``kind == "word"``) of each
    document, identified by the column ``form`` (``bare`` by default).
    ``node`` is a word or several words counted as one node; each is mapped to
    the corpus' form as the text stage would (``الشعب`` → bare ``شعب``, see
    :func:`_resolve_forms`), and the ``node`` column shows the forms used.
    ``span`` is ``k`` (k words left and right) or ``(left, right)``.
    Windows never cross documents, nor sentences when ``within_sentence``.

    Definitions (N = number of word tokens in ``tokens``):

    * ``f_node`` = occurrences of the node; ``f_collocate`` = f_y, occurrences
      of the collocate y anywhere.
    * ``n`` = O, the observed co-occurrence frequency: the number of (node
      occurrence, word position in its window) pairs whose word is y. A word
      inside the windows of two nearby node occurrences counts twice.
    * W = the total number of word positions in all node windows (clipped at
      document/sentence edges; the node's own position excluded), so Σ_y O = W.
    * ``expected`` = E = W · f_y / N: how often y would fall in those W
      positions if words were placed at random. Without clipping W = f_node · S
      with S = left + right, which is the window-size-corrected
      E = f_node · f_y · S / N for surface co-occurrence (Evert 2008); the plain
      f_x · f_y / N of Church & Hanks would understate E by the factor S.
    * ``pmi`` = log2(O / E) (Church & Hanks 1990: I(x; y) = log2 P(x,y)/(P(x)P(y))).
    * ``t_score`` = (O − E) / √O (Church et al. 1991).
    * ``log_dice`` = 14 + log2(2 · O / (f_node + f_collocate)) (Rychlý 2008);
      at most 14 when O = f_node = f_collocate (for O counted in windows it can
      exceed 14 only if node windows overlap).

    Rows with O < ``min_freq`` and empty forms are dropped; sorted by logDice,
    then O, descending. Columns: ``node, collocate, n, expected, f_node,
    f_collocate, pmi, t_score, log_dice``.
    """
    left, right = _span(span)
    nodes = {node} if isinstance(node, str) else set(node)
    if not nodes:
        raise AnalysisError("collocations need at least one node form")
    _require(tokens, [form, "sentence"], "tokens")
    words = _words(tokens)
    forms = words[form].astype(str).to_numpy(dtype=object)
    nodes = _resolve_forms(nodes, set(forms), form)
    n_words = len(forms)
    node_label = "|".join(sorted(nodes))
    cols = [
        "node",
        "collocate",
        "n",
        "expected",
        "f_node",
        "f_collocate",
        "pmi",
        "t_score",
        "log_dice",
    ]
    is_node = np.isin(forms, list(nodes))
    node_pos = np.flatnonzero(is_node)
    if len(node_pos) == 0:
        return pd.DataFrame({c: [] for c in cols})
    doc = words["doc_id"].to_numpy()
    change = np.zeros(n_words, dtype=bool)
    change[1:] = doc[1:] != doc[:-1]
    if within_sentence:
        sent = words["sentence"].to_numpy()
        change[1:] |= sent[1:] != sent[:-1]
    seg = np.cumsum(change)  # non-decreasing segment id per word position
    seg_lo = np.searchsorted(seg, seg[node_pos], side="left")
    seg_hi = np.searchsorted(seg, seg[node_pos], side="right")
    hits_pos = []
    for off in range(-left, right + 1):
        if off == 0:
            continue
        q = node_pos + off
        ok = (q >= seg_lo) & (q < seg_hi)
        hits_pos.append(q[ok])
    in_window = np.concatenate(hits_pos)
    total_window = len(in_window)  # W
    observed = pd.Series(forms[in_window]).value_counts()
    freq = pd.Series(forms).value_counts()
    f_node = int(is_node.sum())
    out = pd.DataFrame({"collocate": observed.index.astype(object), "n": observed.to_numpy()})
    out = out[(out["collocate"] != "") & (out["n"] >= min_freq)]
    out["f_collocate"] = freq.reindex(out["collocate"]).to_numpy().astype("int64")
    out["n"] = out["n"].astype("int64")
    out["f_node"] = f_node
    out["expected"] = total_window * out["f_collocate"] / n_words
    scores = association_scores(out["n"], out["expected"], f_node, out["f_collocate"])
    out["pmi"], out["t_score"], out["log_dice"] = (
        scores["pmi"],
        scores["t_score"],
        scores["log_dice"],
    )
    out["node"] = node_label
    out = out.sort_values("collocate", kind="stable")
    out = out.sort_values(["log_dice", "n"], ascending=False, kind="stable")
    return out[cols].reset_index(drop=True)


def association_scores(
    observed: ArrayLike, expected: ArrayLike, f_node: ArrayLike, f_collocate: ArrayLike
) -> dict[str, np.ndarray]:
    """PMI, t-score and logDice from observed and expected co-occurrence counts.

    * ``pmi`` = log2(O / E) (Church & Hanks 1990);
    * ``t_score`` = (O − E) / √O (Church et al. 1991; the form Manning & Schütze
      1999, §5.3.1, derive from the t test with the Bernoulli variance);
    * ``log_dice`` = 14 + log2(2 O / (f_node + f_collocate)) (Rychlý 2008).

    Kept apart from :func:`collocations` so the formulas can be checked against
    published worked examples, whatever the window that produced O and E.
    """
    o = np.asarray(observed, dtype="float64")
    e = np.asarray(expected, dtype="float64")
    fx = np.asarray(f_node, dtype="float64")
    fy = np.asarray(f_collocate, dtype="float64")
    return {
        "pmi": np.log2(o / e),
        "t_score": (o - e) / np.sqrt(o),
        "log_dice": 14.0 + np.log2(2.0 * o / (fx + fy)),
    }


# --------------------------------------------------------------------------- #
# dispersion
# --------------------------------------------------------------------------- #


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
    words = _words(tokens)
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
    _require(occurrences, ["doc_id", "sentence", item, pos_col], "occurrences")
    _require(tokens, ["doc_id", "sentence", "index", "kind"], "tokens")
    words = _words(tokens)
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
    _require(hits, POSITION_KEYS, "hits")
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


# --------------------------------------------------------------------------- #
# keyness
# --------------------------------------------------------------------------- #


def log_likelihood(a: np.ndarray, b: np.ndarray, c: float, d: float) -> np.ndarray:
    """Log-likelihood G² of frequencies a (in corpus A of c words) and b (B, d words).

    G² = 2 Σ O ln(O/E) over the two observed frequencies, with
    E₁ = c(a+b)/(c+d) and E₂ = d(a+b)/(c+d) (Rayson & Garside 2000, the form
    used by the UCREL log-likelihood calculator, of Dunning 1993). A zero
    observed frequency contributes 0 (the limit of O ln O as O → 0).
    """
    a = np.asarray(a, dtype="float64")
    b = np.asarray(b, dtype="float64")
    e1 = c * (a + b) / (c + d)
    e2 = d * (a + b) / (c + d)
    with np.errstate(divide="ignore", invalid="ignore"):
        t1 = np.where(a > 0, a * np.log(a / e1), 0.0)
        t2 = np.where(b > 0, b * np.log(b / e2), 0.0)
    return 2.0 * (t1 + t2)


def log_ratio(
    a: np.ndarray, b: np.ndarray, c: float, d: float, zero_adjust: float = 0.5
) -> np.ndarray:
    """Hardie's (2014) log ratio = log2((a/c) / (b/d)) of relative frequencies.

    Each unit is a doubling: 1 = twice as frequent in A, −1 = twice as frequent
    in B. A zero frequency would make it infinite, so a zero ``a`` or ``b`` is
    replaced by ``zero_adjust`` (0.5 by default — a project choice, stated in
    every keyness table's docstring; non-zero frequencies are left unchanged).
    """
    a = np.asarray(a, dtype="float64")
    b = np.asarray(b, dtype="float64")
    a = np.where(a == 0, zero_adjust, a)
    b = np.where(b == 0, zero_adjust, b)
    return np.log2((a / c) / (b / d))


def chi2_p_value(g2: np.ndarray) -> np.ndarray:
    """p-value of G² under χ² with one degree of freedom: P(X ≥ g) = erfc(√(g/2)).

    Exact for one degree of freedom (the χ²₁ variable is the square of a
    standard normal), so no statistics library is needed.
    """
    g = np.atleast_1d(np.asarray(g2, dtype="float64"))
    return np.array([math.erfc(math.sqrt(max(x, 0.0) / 2.0)) for x in g])


def keyness(
    tokens_a: pd.DataFrame,
    tokens_b: pd.DataFrame,
    form: str = "bare",
    min_freq: int = 1,
    zero_adjust: float = 0.5,
) -> pd.DataFrame:
    """Keyness of every word form between corpus A and corpus B.

    ``a`` and ``b`` are the frequencies of a form among the word tokens
    (``kind == "word"``) of A and B, ``size_a`` = c and ``size_b`` = d their
    word counts, ``n`` = a + b. ``G2`` is the log-likelihood of
    :func:`log_likelihood` (Rayson & Garside 2000 / Dunning 1993), ``p_value`` its
    χ²₁ p-value (critical values 3.84, 6.63, 10.83, 15.13 for p = .05, .01,
    .001, .0001), ``log_ratio`` Hardie's (2014) log2((a/c)/(b/d)) with a zero
    frequency replaced by ``zero_adjust`` (0.5), and ``key_in`` says which
    corpus the form is relatively more frequent in (``"a"``, ``"b"`` or ``""``).
    Forms with n < ``min_freq`` are dropped. Sorted by G2 descending.

    The p-values are per form, not corrected for testing thousands of forms at
    once, and G² grows with corpus size: read ``log_ratio`` (effect size) beside
    ``G2`` (evidence), as Hardie (2014) recommends.
    """
    _require(tokens_a, [form, "kind", "doc_id", "index"], "tokens_a")
    _require(tokens_b, [form, "kind", "doc_id", "index"], "tokens_b")
    fa = _words(tokens_a)[form].astype(str).value_counts()
    fb = _words(tokens_b)[form].astype(str).value_counts()
    c, d = int(fa.sum()), int(fb.sum())
    if c == 0 or d == 0:
        raise AnalysisError(f"keyness needs word tokens in both corpora (A has {c}, B has {d})")
    return keyness_table(fa, fb, min_freq=min_freq, zero_adjust=zero_adjust)


def keyness_table(
    freq_a: pd.Series, freq_b: pd.Series, *, min_freq: int = 1, zero_adjust: float = 0.5
) -> pd.DataFrame:
    """Keyness of every term from two frequency lists (term → count).

    The sizes of the two corpora are the sums of the lists (their word tokens).
    Columns: ``term, a, b, n, size_a, size_b, expected_a, expected_b, G2,
    p_value, log_ratio, key_in`` (``a``/``b``: where the term is relatively more
    frequent), sorted by G² descending, ties by term. Shared by :func:`keyness`
    (token tables) and :func:`analysis.scale.group_keyness` (streamed counts).
    """
    c, d = int(freq_a.sum()), int(freq_b.sum())
    cols = ["term", "a", "b", "n", "size_a", "size_b", "expected_a", "expected_b"]
    cols += ["G2", "p_value", "log_ratio", "key_in"]
    terms = freq_a.index.union(freq_b.index)
    out = pd.DataFrame({"term": terms.astype(object)})
    out["a"] = freq_a.reindex(terms, fill_value=0).to_numpy().astype("int64")
    out["b"] = freq_b.reindex(terms, fill_value=0).to_numpy().astype("int64")
    out["n"] = out["a"] + out["b"]
    out = out[(out["term"] != "") & (out["n"] >= min_freq)].reset_index(drop=True)
    out["size_a"] = c
    out["size_b"] = d
    out["expected_a"] = c * out["n"] / (c + d)
    out["expected_b"] = d * out["n"] / (c + d)
    out["G2"] = log_likelihood(out["a"].to_numpy(), out["b"].to_numpy(), c, d)
    out["p_value"] = chi2_p_value(out["G2"].to_numpy()) if len(out) else []
    out["log_ratio"] = log_ratio(out["a"].to_numpy(), out["b"].to_numpy(), c, d, zero_adjust)
    rel = out["a"] * d - out["b"] * c  # sign of a/c − b/d, in exact integers
    out["key_in"] = np.where(rel > 0, "a", np.where(rel < 0, "b", ""))
    out = out.sort_values("term", kind="stable")
    out = out.sort_values("G2", ascending=False, kind="stable").reset_index(drop=True)
    return out[cols]


# --------------------------------------------------------------------------- #
# group comparisons
# --------------------------------------------------------------------------- #


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
    _require(documents, ["doc_id", "date"], "documents")
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
    _require(hits, ["doc_id", "frame"], "hits")
    _require(documents, ["doc_id", group_col], "documents")
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


# --------------------------------------------------------------------------- #
# actor co-occurrence
# --------------------------------------------------------------------------- #


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
    _require(actor_hits, keys + [actor], "actor hits")
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
