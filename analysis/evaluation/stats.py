"""Statistics of agreement and error: Wilson intervals and Krippendorff's alpha.

* Wilson score interval for a proportion (Wilson 1927, J. Am. Stat. Assoc. 22):
  better behaved than the normal approximation for small samples and for
  proportions near 0 or 1, as in a precision measured on a few dozen hits.
* Krippendorff's alpha for nominal data (Krippendorff 2011, "Computing
  Krippendorff's alpha-reliability"), computed by the ``krippendorff`` package:
  agreement between coders corrected for chance, with missing codes allowed.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import krippendorff
import numpy as np

Z95 = 1.959963984540054  # the standard normal quantile for a two-sided 95 % interval


def wilson(successes: int, trials: int, z: float = Z95) -> tuple[float, float]:
    """The Wilson score interval of ``successes / trials`` (NaN, NaN when there are no trials)."""
    if trials == 0:
        return float("nan"), float("nan")
    p = successes / trials
    centre = (p + z * z / (2 * trials)) / (1 + z * z / trials)
    half = (
        z * math.sqrt(p * (1 - p) / trials + z * z / (4 * trials * trials)) / (1 + z * z / trials)
    )
    return max(0.0, centre - half), min(1.0, centre + half)


def nominal_alpha(codes: Sequence[Sequence[object]]) -> float:
    """Krippendorff's alpha of nominal ``codes``: one row per coder, one column per unit.

    ``None`` marks a unit a coder did not code. Values may be any hashable labels.
    """
    labels = {v for row in codes for v in row if v is not None}
    index = {label: k for k, label in enumerate(sorted(labels, key=str))}
    data = np.array(
        [[np.nan if v is None else index[v] for v in row] for row in codes], dtype=float
    )
    if len(labels) < 2:
        return 1.0 if len(labels) == 1 else float("nan")
    return float(krippendorff.alpha(reliability_data=data, level_of_measurement="nominal"))
