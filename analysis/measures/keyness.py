"""Keyness between two corpora: G² and log ratio.

Dunning 1993, in the two-cell form of Rayson & Garside 2000 (G²); Hardie 2014 (log ratio).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from analysis.errors import AnalysisError
from analysis.measures.common import require_columns, word_tokens


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
    require_columns(tokens_a, [form, "kind", "doc_id", "index"], "tokens_a")
    require_columns(tokens_b, [form, "kind", "doc_id", "index"], "tokens_b")
    fa = word_tokens(tokens_a)[form].astype(str).value_counts()
    fb = word_tokens(tokens_b)[form].astype(str).value_counts()
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
