"""The measures: counts, rates, KWIC, collocations, dispersion, keyness, group comparisons.

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
* Only :mod:`analysis.charts` reshapes Arabic; every string here is logical.

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

from analysis.measures.collocations import association_scores, collocations
from analysis.measures.common import HIT_KEYS, POSITION_KEYS, WORD_KIND
from analysis.measures.counts import (
    count_by,
    count_by_document,
    count_by_sentence,
    count_by_voice,
    count_frames,
    count_terms,
    rates_per_1000,
    word_totals,
)
from analysis.measures.dispersion import dispersion, dispersion_positions, dp, juilland_d
from analysis.measures.groups import (
    cooccurrence,
    date_range_groups,
    frame_rates_by_group,
    group_rates_table,
)
from analysis.measures.keyness import (
    chi2_p_value,
    keyness,
    keyness_table,
    log_likelihood,
    log_ratio,
)
from analysis.measures.kwic import kwic

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
