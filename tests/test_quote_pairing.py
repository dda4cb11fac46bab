"""Directional quotation marks: the array pairing equals the stack rule."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis import quotes

MARKS = "«»“”„‟‹›x"  # x: a mark that is neither an opener nor a closer


def _stack_rule(tokens, first, doc):
    """The module docstring's rule, written out plainly: a stack per kind and document."""
    closer_to_opener = {v: k for k, v in quotes.DIRECTIONAL.items()}
    pairs = []
    stacks: dict[tuple[int, str], list[int]] = {}
    for t, f in zip(tokens, first, strict=True):
        if f in quotes.DIRECTIONAL:
            stacks.setdefault((doc[t], f), []).append(t)
        elif f in closer_to_opener and stacks.get((doc[t], closer_to_opener[f])):
            pairs.append((stacks[(doc[t], closer_to_opener[f])].pop(), t))
    return sorted(pairs)


@given(st.lists(st.tuples(st.sampled_from(MARKS), st.booleans()), max_size=60))
@settings(max_examples=500, deadline=None)
def test_array_pairing_equals_the_stack_rule(marks):
    # Token i is mark i; a True starts a new document at that mark.
    doc = np.cumsum([new for _, new in marks], dtype=np.int64)
    tokens = np.arange(len(marks), dtype=np.int64)
    first = [m for m, _ in marks]
    o, c = quotes._pair_directional(tokens, first, doc)
    assert sorted(zip(o.tolist(), c.tolist(), strict=True)) == _stack_rule(
        tokens.tolist(), first, doc
    )


def test_worked_examples():
    # « « » » : nested, the inner pair first closes; “ ” inside is its own kind.
    first = list("««“”»»")
    got = quotes._pair_directional(np.arange(6), first, np.zeros(6, dtype=np.int64))
    assert sorted(zip(*(a.tolist() for a in got), strict=True)) == [(0, 5), (1, 4), (2, 3)]
    # » « » : the first closer has no opener (left alone), then a pair.
    got = quotes._pair_directional(np.arange(3), list("»«»"), np.zeros(3, dtype=np.int64))
    assert sorted(zip(*(a.tolist() for a in got), strict=True)) == [(1, 2)]
    # « | » : an opener never pairs with a closer of another document.
    got = quotes._pair_directional(np.arange(2), list("«»"), np.array([0, 1]))
    assert len(got[0]) == 0
