"""Wilson intervals and Krippendorff's alpha against published worked examples."""

from __future__ import annotations

import math

import pytest

from analysis.evaluation.stats import nominal_alpha, wilson


def test_wilson_interval_of_published_examples() -> None:
    # Newcombe (1998), Statistics in Medicine 17, table I: 81/263 -> 0.2553 to 0.3662,
    # 15/148 -> 0.0624 to 0.1605, 0/20 -> 0 to 0.1611.
    for (k, n), (low, high) in {(81, 263): (0.2553, 0.3662), (15, 148): (0.0624, 0.1605),
                                (0, 20): (0.0, 0.1611)}.items():  # fmt: skip
        got = wilson(k, n)
        assert got == pytest.approx((low, high), abs=5e-5)


def test_wilson_without_trials_is_undefined() -> None:
    assert all(math.isnan(v) for v in wilson(0, 0))


def test_nominal_alpha_of_krippendorffs_worked_example() -> None:
    # Krippendorff (2011), "Computing Krippendorff's alpha-reliability", section C:
    # four observers, twelve units, nominal alpha = 0.743.
    n = None
    codes = [
        [1, 2, 3, 3, 2, 1, 4, 1, 2, n, n, n],
        [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, n, 3],
        [n, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, n],
        [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, n],
    ]
    assert nominal_alpha(codes) == pytest.approx(0.743, abs=5e-4)


def test_alpha_with_labels_that_are_text() -> None:
    assert nominal_alpha([["a", "b", "a", "b"], ["a", "b", "a", "b"]]) == 1.0
    assert nominal_alpha([["a", "a"], ["a", "a"]]) == 1.0
