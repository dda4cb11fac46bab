"""Collocates of a node word: PMI, t-score and logDice.

Church & Hanks 1990 (PMI); Church et al. 1991 (t-score); Rychlý 2008 (logDice).
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

from analysis.errors import AnalysisError
from analysis.measures.common import require_columns, word_tokens


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
    from analysis.text.clitics import preferred
    from analysis.text.normalize import normalize_word

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
    require_columns(tokens, [form, "sentence"], "tokens")
    words = word_tokens(tokens)
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
