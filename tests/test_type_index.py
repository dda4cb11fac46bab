"""The compiled type index (``analysis._scan.Index``) against its dict reference.

``analysis.scan.TypeIndex(compiled=False)`` (a plain dict) is the
specification; the compiled index must give the same ids, the same keys in the
same order and the same errors after every operation. Checked on random
sequences of operations (Hypothesis) over keys of all three PEP 393 kinds, the
empty string, astral characters and equal strings that are different objects;
also with the hash cut down to a few bits or to nothing (``hash_mask``), so that
every key collides and the comparison and probing code decides alone; on
hand-worked examples; on reference counts; and on bad arguments. Speed is
measured in benchmarks/bench_type_index.py.
"""

from __future__ import annotations

import gc
import sys

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis.scan import COMPILED, TypeIndex

needs_c = pytest.mark.skipif(not COMPILED, reason="analysis._scan is not built")

# The compiled variants compared with the dict: the real hash; a hash of 2 bits
# in the slot index and 2 in the tag (many probes, false tag matches); no hash
# at all (every key collides with every other one).
MASKS = [None, 0x0000000300000003, 0]


def fresh(s: str) -> str:
    """An equal string that is, for two characters or more, a different object."""
    return (s + "\x00")[:-1]


def compiled_variants() -> list[TypeIndex]:
    return [TypeIndex(compiled=True, hash_mask=mask) for mask in MASKS]


def assert_same_state(got: TypeIndex, want: TypeIndex, probes: list[str]) -> None:
    """Same size, same (key, id) pairs in the same order, same look-ups."""
    assert len(got) == len(want)
    got_items, want_items = got.items(), want.items()
    assert got_items == want_items
    assert all(type(k) is str for k, _ in got_items)
    assert got.keys() == want.keys() == [k for k, _ in want_items]
    fresh_probes = [fresh(p) for p in probes]
    for keys in (probes, fresh_probes):
        a, b = got.lookup(keys), want.lookup(keys)
        assert a.dtype == b.dtype == np.int64
        assert a.flags.writeable and b.flags.writeable  # the vocabulary writes new ids in
        assert np.array_equal(a, b)


def apply(index: TypeIndex, op: tuple) -> type[BaseException] | None:
    """Run one operation; the exception class it raised, or None."""
    try:
        if op[0] == "add":
            index.add(list(op[1]), np.asarray(op[2], dtype=np.int64))
        elif op[0] == "keep":
            index.keep(np.asarray(op[1], dtype=np.int64))
        elif op[0] == "clear":
            index.clear()
        elif op[0] == "lookup":
            index.lookup(list(op[1]))
    except (TypeError, ValueError) as error:
        return type(error)
    return None


# Characters of every kind: ASCII, Latin-1 (kind 1), Arabic and other BMP
# characters (kind 2), astral characters (kind 4), plus NUL and the extremes.
CHARS = st.one_of(
    st.sampled_from("ab\x00\xe9\xff"),
    st.characters(min_codepoint=0x0621, max_codepoint=0x064A),
    st.sampled_from("\u0100\u6261\u6463\uffff\U00010000\U0001f600\U00016261\U0010ffff"),
    st.characters(min_codepoint=1, max_codepoint=0x10FFFF, exclude_categories=("Cs",)),
)
KEYS = st.text(CHARS, min_size=0, max_size=6)


@st.composite
def operations(draw: st.DrawFn) -> list[tuple]:
    """A sequence of operations on one index, mostly valid, some erroneous."""
    size = draw(st.integers(1, 150))
    pool = draw(st.lists(KEYS, min_size=size, max_size=size, unique=True))
    ops: list[tuple] = []
    held: dict[str, int] = {}  # what the reference would hold if every op succeeded
    next_id = 0
    for _ in range(draw(st.integers(1, 25))):
        kind = draw(st.sampled_from(["add", "add", "add", "lookup", "keep", "keep", "clear"]))
        if kind == "add":
            if draw(st.booleans()):  # every key of the pool not held yet: the table grows
                keys = [k for k in pool if k not in held]
            else:
                keys = draw(st.lists(st.sampled_from(pool), max_size=40, unique=True))
            if keys and draw(st.integers(0, 9)) == 0:
                keys.append(keys[0])  # twice in one call
            keys = [fresh(k) for k in keys]  # equal content, other objects than earlier
            if draw(st.booleans()):
                ids = list(range(next_id, next_id + len(keys)))  # as the vocabulary does
            else:
                ids = draw(st.lists(st.integers(-1, 30), min_size=len(keys), max_size=len(keys)))
            if draw(st.integers(0, 9)) == 0:
                ids = ids + [7]  # length mismatch
            ops.append(("add", keys, ids))
            if len(ids) == len(keys) and len(set(keys)) == len(keys):
                if not set(keys) & set(held) and min(ids, default=0) >= 0:
                    held.update(zip(keys, ids, strict=True))
                    next_id += len(keys)
        elif kind == "keep":
            values = sorted(set(held.values()))
            ids = draw(st.lists(st.sampled_from(values), unique=True)) if values else []
            ids = draw(st.permutations(ids))
            spoil = draw(st.integers(0, 9))
            if spoil == 0:
                ids = [*ids, 1000]  # not held
            elif spoil == 1 and ids:
                ids = [*ids, ids[0]]  # given twice
            ops.append(("keep", ids))
            if spoil > 1 or (spoil == 1 and not ids):
                position = {v: k for k, v in enumerate(ids)}
                held = {k: position[v] for k, v in held.items() if v in position}
                next_id = len(ids)
        elif kind == "clear":
            ops.append(("clear",))
            held = {}
            next_id = 0
        else:
            ops.append(("lookup", [fresh(k) for k in draw(st.lists(st.sampled_from(pool)))]))
    return [("pool", pool), *ops]


@needs_c
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(operations())
def test_random_operations_match_dict(ops: list[tuple]) -> None:
    pool = ops[0][1]
    probes = [*pool, "", "a", "zz", "\U0001f600"]
    want = TypeIndex(compiled=False)
    variants = compiled_variants()
    for op in ops[1:]:
        error = apply(want, op)
        for got in variants:
            assert apply(got, op) is error, op
            assert_same_state(got, want, probes)


@needs_c
@pytest.mark.parametrize("mask", MASKS)
def test_growth_keeps_every_key(mask: int | None) -> None:
    """Keys added in many small batches (the table doubles many times) stay found.

    With the real hash 20 000 keys; with no hash at all every look-up walks the
    whole table, so 600 keys there (slots double from 8 to 2048).
    """
    n = 20_000 if mask is None else 600
    keys = [f"كلمة{i}" if i % 3 else f"w{i}\U0001f600" for i in range(n)]
    got, want = TypeIndex(compiled=True, hash_mask=mask), TypeIndex(compiled=False)
    for start in range(0, n, 7):
        batch = keys[start : start + 7]
        ids = np.arange(start, start + len(batch))
        got.add(batch, ids)
        want.add(batch, ids)
    assert len(got) == n
    # Each key's id is the position it was added at (ids = range(n) in order).
    assert np.array_equal(got.lookup([fresh(k) for k in keys]), np.arange(n))
    assert np.array_equal(got.lookup([k + "x" for k in keys]), np.full(n, -1))
    assert_same_state(got, want, keys[:50])


@needs_c
@pytest.mark.parametrize("mask", MASKS)
def test_keep_renumbers_in_given_order(mask: int | None) -> None:
    """Worked by hand: a, b, c, d have ids 0-3; keep([2, 0]) keeps c (id 2) as
    0 and a (id 0) as 1, and forgets b and d."""
    for index in (TypeIndex(compiled=True, hash_mask=mask), TypeIndex(compiled=False)):
        index.add(["a", "b", "c", "d"], np.arange(4))
        index.keep(np.array([2, 0]))
        assert np.array_equal(index.lookup(["a", "b", "c", "d"]), [1, -1, 0, -1])
        assert index.keys() == ["c", "a"]
        assert index.items() == [("c", 0), ("a", 1)]
        index.add(["b"], np.array([2]))  # b may come back under a new id
        assert np.array_equal(index.lookup(["b", "d"]), [2, -1])
        index.keep(np.array([], dtype=np.int64))
        assert len(index) == 0 and index.keys() == []


@needs_c
@pytest.mark.parametrize("mask", MASKS)
def test_equal_bytes_of_other_kinds_are_other_keys(mask: int | None) -> None:
    """Strings whose bytes overlap but whose kinds differ are different keys.

    Little-endian bytes: "ab" (kind 1) is 61 62; U+6261 U+6463 (kind 2) is
    61 62 63 64, same length 2, so a comparison of 2 bytes that ignored the
    kind would call them equal. U+6261 (kind 2: 61 62) and U+16261 (kind 4:
    61 62 01 00), length 1 each, likewise. With mask 0 every pair collides.
    """
    pairs = [("ab", "\u6261\u6463"), ("\u6261", "\U00016261"), ("\xe9", "\u00e9\u0000"[:1])]
    for first, second in pairs[:2]:
        for stored, other in ((first, second), (second, first)):
            index = TypeIndex(compiled=True, hash_mask=mask)
            index.add([stored], np.array([5]))
            assert np.array_equal(index.lookup([other, fresh(stored)]), [-1, 5])
            index.add([other], np.array([6]))  # not a duplicate
            assert np.array_equal(index.lookup([fresh(other), stored]), [6, 5])


@needs_c
def test_keys_of_all_kinds_and_the_empty_string() -> None:
    """ "" and one-character keys of every kind; fresh copies find the same ids."""
    keys = ["", "a", "\xff", "\u0627", "\uffff", "\U00010000", "\U0010ffff", "سلام", "a\U0001f600"]
    for mask in MASKS:
        index = TypeIndex(compiled=True, hash_mask=mask)
        index.add(keys, np.arange(10, 10 + len(keys)))
        probe = [fresh(k) for k in reversed(keys)]
        assert probe[0] is not keys[-1]  # a different object with equal content
        assert np.array_equal(index.lookup(probe), np.arange(10 + len(keys) - 1, 9, -1))


@needs_c
def test_references_are_held_and_released() -> None:
    """Each key gains exactly one reference while held, and loses it on clear,
    keep (when dropped), failed adds and deletion of the index."""
    key = "".join(["كلمة", "-held"])  # a fresh object no one else refers to
    other = "".join(["كلمة", "-other"])
    base, base_other = sys.getrefcount(key), sys.getrefcount(other)

    index = TypeIndex(compiled=True)
    index.add([key, other], np.array([0, 1]))
    assert (sys.getrefcount(key), sys.getrefcount(other)) == (base + 1, base_other + 1)
    index.lookup([key, key])
    assert sys.getrefcount(key) == base + 1  # a look-up keeps nothing
    keys = index.keys()
    assert sys.getrefcount(key) == base + 2  # the list holds one more
    del keys
    with pytest.raises(ValueError):
        index.add([fresh(key)], np.array([3]))  # duplicate
    assert sys.getrefcount(key) == base + 1
    with pytest.raises(ValueError):
        index.add(["".join(["x", "y"]), other], np.array([4, 5]))  # rolled back
    assert sys.getrefcount(other) == base_other + 1
    index.keep(np.array([1]))  # drops key, keeps other
    assert (sys.getrefcount(key), sys.getrefcount(other)) == (base, base_other + 1)
    index.add([key], np.array([1]))
    index.clear()
    assert (sys.getrefcount(key), sys.getrefcount(other)) == (base, base_other)
    index.add([key, other], np.array([0, 1]))
    del index
    gc.collect()
    assert (sys.getrefcount(key), sys.getrefcount(other)) == (base, base_other)


class Text(str):
    """A str subclass: rejected (it could redefine equality)."""


@pytest.mark.parametrize("compiled", [pytest.param(True, marks=needs_c), False])
def test_errors(compiled: bool) -> None:
    index = TypeIndex(compiled=compiled)
    index.add(["a", "b"], np.array([0, 1]))
    for bad in (1, b"a", None, Text("a")):
        with pytest.raises(TypeError, match="not a str"):
            index.lookup(["a", bad])
        with pytest.raises(TypeError, match="not a str"):
            index.add(["c", bad], np.array([2, 3]))
    with pytest.raises(ValueError, match="already present"):
        index.add(["c", fresh("ab")[:1]], np.array([2, 3]))  # "a" is held
    with pytest.raises(ValueError, match="already present"):
        index.add(["c", "d", "c"], np.array([2, 3, 4]))  # twice in one call
    with pytest.raises(ValueError, match="2 keys but 3 ids"):
        index.add(["c", "d"], np.array([2, 3, 4]))
    with pytest.raises(ValueError, match="negative"):
        index.add(["c"], np.array([-1]))
    with pytest.raises(TypeError, match="integers"):
        index.add(["c"], np.array([2.0]))
    with pytest.raises(ValueError, match="not in the index"):
        index.keep(np.array([1, 7]))
    with pytest.raises(ValueError, match="twice"):
        index.keep(np.array([1, 1]))
    # Nothing above changed the index.
    assert index.items() == [("a", 0), ("b", 1)]
    assert np.array_equal(index.lookup(["c", "d", "b", "a"]), [-1, -1, 1, 0])


@needs_c
def test_compiled_index_checks_its_arguments() -> None:
    """The C type itself (not only the wrapper) refuses what it cannot read."""
    from analysis import _scan

    index = _scan.Index()
    with pytest.raises(TypeError, match="list"):
        index.lookup(("a",))
    with pytest.raises(TypeError, match="int64"):
        index.add(["a"], np.array([0], dtype=np.int32))
    with pytest.raises(TypeError, match="int64"):
        index.keep(np.array([0], dtype=np.float64))
    with pytest.raises(TypeError):
        index.add(["a"], [0])  # not a buffer
    index.add(["a"], np.array([9], dtype=np.int64))
    assert np.frombuffer(index.lookup(["a", "b"]), dtype=np.int64).tolist() == [9, -1]
