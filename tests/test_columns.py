"""``columns.take`` (compiled) equals numpy's ``values[codes]`` for object columns."""

from __future__ import annotations

import sys

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis import columns


def _reference(values, codes) -> np.ndarray:
    array = np.empty(len(values), dtype=object)
    array[:] = values
    return array[np.asarray(codes, dtype=np.int64)]


def _same(a: np.ndarray, b: np.ndarray) -> bool:
    """Same length, dtype object, and the very same objects in every slot."""
    return (
        a.dtype == object == b.dtype
        and len(a) == len(b)
        and all(x is y for x, y in zip(a.tolist(), b.tolist(), strict=True))
    )


def test_the_extension_is_built():
    assert columns.COMPILED, "analysis._columns not built: run `make setup`"


values_strategy = st.lists(
    st.one_of(st.text(max_size=5), st.tuples(st.text(max_size=3)), st.none(), st.integers()),
    min_size=1,
    max_size=30,
)


@given(values_strategy, st.data())
@settings(max_examples=300, deadline=None)
def test_equals_numpy_take(values, data):
    codes = data.draw(st.lists(st.integers(0, len(values) - 1), max_size=200))
    codes = np.array(codes, dtype=np.int64)
    expected = _reference(values, codes)
    assert _same(columns.take(values, codes), expected)  # from a list
    assert _same(columns.take(_reference(values, range(len(values))), codes), expected)


def test_empty_and_non_contiguous_inputs():
    assert len(columns.take(["a"], np.zeros(0, dtype=np.int64))) == 0
    values = np.array(["a", "b", "c", "d"], dtype=object)
    strided = values[::2]  # a view: not contiguous
    codes = np.array([1, 0, 1, 1])[::2]  # neither are the codes (and not int64)
    assert _same(columns.take(strided, codes), _reference(["a", "c"], [1, 1]))


def test_references_are_counted():
    word = "".join(["ك", "ت", "ب"])  # a fresh object
    before = sys.getrefcount(word)
    out = columns.take([word, "x"], np.array([0, 1, 0, 0], dtype=np.int64))
    assert sys.getrefcount(word) == before + 3
    del out
    assert sys.getrefcount(word) == before


def test_null_slots_of_an_object_array_read_as_none():
    values = np.empty(3, dtype=object)  # numpy fills it with None
    values[1] = "b"
    assert columns.take(values, np.array([0, 1, 2])).tolist() == [None, "b", None]


@pytest.mark.parametrize("codes", [[0, 3], [-1], [2**40]])
def test_codes_out_of_range_raise(codes):
    with pytest.raises(IndexError):
        columns.take(["a", "b", "c"], np.array(codes, dtype=np.int64))


def test_wrong_values_fall_back_to_numpy():
    # a 2-d or non-object array is not the C path's business: numpy answers
    values = np.array([10, 20, 30])
    assert columns.take(values, np.array([2, 0])).tolist() == [30, 10]


# --- substrings: the sentence and quote texts of the tables -----------------------


@given(st.text(max_size=40), st.data())
@settings(max_examples=300, deadline=None)
def test_substrings_equal_slicing(text, data):
    n = len(text)
    spans = data.draw(
        st.lists(st.tuples(st.integers(0, n), st.integers(0, n)), max_size=30).map(
            lambda pairs: [(min(a, b), max(a, b)) for a, b in pairs]
        )
    )
    starts = np.array([a for a, _ in spans], dtype=np.int64)
    ends = np.array([b for _, b in spans], dtype=np.int64)
    got = columns.substrings(text, starts, ends)
    assert got.dtype == object
    assert got.tolist() == [text[a:b] for a, b in spans]
    assert all(type(piece) is str for piece in got.tolist())


def test_substrings_of_every_string_kind():
    # Latin-1, BMP and astral characters: the pieces keep the right code points.
    text = "abc" + "الشعب" + "\U0001f600" + "é"
    starts, ends = np.array([0, 3, 8, 0]), np.array([3, 8, 10, 10])
    assert columns.substrings(text, starts, ends).tolist() == [
        "abc",
        "الشعب",
        "\U0001f600é",
        text,
    ]


@pytest.mark.parametrize("span", [(-1, 2), (2, 1), (0, 7)])
def test_substrings_outside_the_text_raise(span):
    with pytest.raises(IndexError):
        columns.substrings("abcdef", np.array([span[0]]), np.array([span[1]]))


def test_substrings_need_as_many_ends_as_starts():
    with pytest.raises(ValueError):
        columns.substrings("abc", np.array([0, 1]), np.array([1]))


# --- paint: the innermost quote of each token --------------------------------------


@given(st.integers(0, 30), st.data())
@settings(max_examples=300, deadline=None)
def test_paint_equals_slice_assignment_in_order(n, data):
    spans = data.draw(
        st.lists(
            st.tuples(st.integers(0, n), st.integers(0, n), st.integers(-5, 5)), max_size=20
        ).map(lambda rows: [(min(a, b), max(a, b), v) for a, b, v in rows])
    )
    starts = np.array([a for a, _, _ in spans], dtype=np.int64)
    ends = np.array([b for _, b, _ in spans], dtype=np.int64)
    values = np.array([v for _, _, v in spans], dtype=np.int64)
    expected = np.full(n, -1, dtype=np.int64)
    for a, b, v in spans:  # the definition: later spans overwrite earlier ones
        expected[a:b] = v
    target = np.full(n, -1, dtype=np.int64)
    columns.paint(target, starts, ends, values)
    assert target.tolist() == expected.tolist()


def test_paint_nested_spans_longest_first():
    # Quotes over tokens 0-9 (number 0), 2-5 (number 1) and 3-4 (number 2),
    # painted longest first: each token keeps its innermost quote.
    target = np.full(11, -1, dtype=np.int64)
    columns.paint(target, np.array([0, 2, 3]), np.array([10, 6, 5]), np.array([0, 1, 2]))
    assert target.tolist() == [0, 0, 1, 2, 2, 1, 0, 0, 0, 0, -1]


@pytest.mark.parametrize("span", [(-1, 2), (2, 1), (0, 7)])
def test_paint_outside_the_target_raises_before_writing(span):
    target = np.zeros(6, dtype=np.int64)
    with pytest.raises(IndexError):
        columns.paint(target, np.array([0, span[0]]), np.array([3, span[1]]), np.array([7, 8]))
    assert target.tolist() == [0] * 6


def test_paint_needs_matching_lengths_and_a_writable_int64_target():
    with pytest.raises(ValueError):
        columns.paint(np.zeros(3, dtype=np.int64), np.array([0, 1]), np.array([1]), np.array([1]))
    frozen = np.zeros(3, dtype=np.int64)
    frozen.flags.writeable = False
    with pytest.raises(ValueError):
        columns.paint(frozen, np.array([0]), np.array([1]), np.array([1]))
    with pytest.raises(TypeError):
        columns.paint(np.zeros(3, dtype=np.int32), np.array([0]), np.array([1]), np.array([1]))


# --- char_positions: the line breaks of a batch -------------------------------------


@given(st.text(alphabet="\nab\u0627\U0001f600", max_size=60))
@settings(max_examples=300, deadline=None)
def test_char_positions_equal_enumerate(text):
    # Strings of every kind (Latin-1, BMP, astral): positions are code points.
    for ch in ("\n", "\u0627", "\U0001f600"):
        got = columns.char_positions(text, ch)
        assert got.dtype == np.int64
        assert got.tolist() == [k for k, c in enumerate(text) if c == ch]


def test_char_positions_by_hand():
    text = "قال\nنعم\n\nلا"  # breaks after the 3rd and 7th letters, then one more
    assert columns.char_positions(text, "\n").tolist() == [3, 7, 8]
    assert columns.char_positions("", "\n").tolist() == []
    with pytest.raises(ValueError):
        columns.char_positions("ab", "ab")
