"""Per-type values spread to tokens: ``values[codes]`` for object columns.

The text stage keeps one value per word type (normalized form, bare form,
clitics, …) and gives every token its type's value with ``values[codes]``. For
object arrays numpy's take waits on memory for most of each element (it
increments the reference count of an object scattered among ~100k others);
:func:`take` does the same in one C pass that fetches those objects ahead
(``analysis._columns``, NumPy C API, built by ``make setup``; optional, with
numpy's own take as the fallback and the reference in
``tests/test_columns.py``). Measured on the 50 MB benchmark corpus: five
columns 0.46 s → 0.24 s. The same extension cuts the sentence and quote texts
(:func:`substrings`), finds the line breaks (:func:`char_positions`) and paints
nested spans (:func:`paint`, the innermost quote
of each token), each checked against its plain-Python definition.
"""

from __future__ import annotations

import numpy as np

try:
    from analysis import _columns
except ImportError:  # pragma: no cover - depends on the installation
    _columns = None

COMPILED: bool = _columns is not None


def take(values: list | np.ndarray, codes: np.ndarray) -> np.ndarray:
    """``values[codes]`` as a new object array (``values``: a list or 1-d object array).

    Codes must lie in ``range(len(values))`` (IndexError otherwise; negative
    codes are not counted from the end, unlike numpy's).
    """
    codes = np.ascontiguousarray(codes, dtype=np.int64)
    if _columns is not None:  # checks the codes itself
        if type(values) is list:
            return _columns.take(values, codes)
        if isinstance(values, np.ndarray) and values.dtype == object and values.ndim == 1:
            return _columns.take(np.ascontiguousarray(values), codes)
    if len(codes) and codes.min() < 0:
        raise IndexError(f"take(): negative code for {len(values)} values")
    array = np.empty(len(values), dtype=object)
    array[:] = values
    return array[codes]  # IndexError for a code >= len(values)


def substrings(text: str, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """``text[starts[i]:ends[i]]`` for every span, as an object array.

    Spans must lie inside the text (``0 <= start <= end <= len(text)``;
    IndexError otherwise, where Python's slicing would silently clip).
    """
    starts = np.ascontiguousarray(starts, dtype=np.int64)
    ends = np.ascontiguousarray(ends, dtype=np.int64)
    if len(starts) != len(ends):
        raise ValueError("substrings(): starts and ends differ in length")
    if _columns is not None:
        return _columns.substrings(text, starts, ends)
    if len(starts) and (starts.min() < 0 or ends.max() > len(text) or (starts > ends).any()):
        raise IndexError("substrings(): a span is outside the text")
    out = np.empty(len(starts), dtype=object)
    out[:] = [text[a:b] for a, b in zip(starts.tolist(), ends.tolist(), strict=True)]
    return out


def paint(target: np.ndarray, starts: np.ndarray, ends: np.ndarray, values: np.ndarray) -> None:
    """``target[starts[k]:ends[k]] = values[k]`` for each span in order, in place.

    A later span overwrites an earlier one where they overlap (so painting the
    longest first leaves each position with its shortest span's value).
    ``target`` is a writable contiguous int64 array; spans must lie inside it
    (IndexError otherwise, before anything is written).
    """
    starts = np.ascontiguousarray(starts, dtype=np.int64)
    ends = np.ascontiguousarray(ends, dtype=np.int64)
    values = np.ascontiguousarray(values, dtype=np.int64)
    if not len(starts) == len(ends) == len(values):
        raise ValueError("paint(): starts, ends and values differ in length")
    if _columns is not None:
        _columns.paint(target, starts, ends, values)
        return
    if len(starts) and (starts.min() < 0 or ends.max() > len(target) or (starts > ends).any()):
        raise IndexError("paint(): a span is outside the target")
    for a, b, v in zip(starts.tolist(), ends.tolist(), values.tolist(), strict=True):
        target[a:b] = v


def char_positions(text: str, ch: str) -> np.ndarray:
    """The positions of the character ``ch`` in ``text``, as an int64 array in order."""
    if len(ch) != 1:
        raise ValueError("char_positions(): ch must be one character")
    if _columns is not None:
        return _columns.char_positions(text, ch)
    return np.array([k for k, c in enumerate(text) if c == ch], dtype=np.int64)
