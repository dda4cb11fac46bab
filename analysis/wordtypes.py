"""Per-word-type columns of the text stage, for a whole list of types in one call.

The text stage analyses every new *written* word type once: its clitic columns
(what :func:`analysis.clitics.analyse_clitics` gives) and, for its normalized
form, whether the run-together repair splits it (:func:`analysis.repair.find_split`).
Called once per type from Python that costs ~10 µs a type, more than the whole
bare-regex pass over the text on a large corpus (issue #3). This module does
the same for a list of types at once:

* :func:`word_rows` — ``(bare, bares, proclitics, enclitic)`` columns, exactly
  the values ``found = analyse_clitics(surface)`` gives as ``found[0].bare``,
  ``tuple(dict.fromkeys(a.bare for a in found))``, ``found[0].proclitic_string``
  and ``found[0].enclitic``;
* :func:`splittable` — ``len(w) >= repair.MIN_LENGTH and find_split(w) is not None``
  for each normalized form; :func:`split_points` — ``find_split(w)`` itself.

Two implementations give identical results (``tests/test_wordtypes.py`` checks
them on wordfreq's whole Arabic list, its clitic variants and run-together
pairs, and on random strings):

* the compiled ``analysis._wordtypes`` extension (C, built by ``pip install`` /
  ``make setup`` next to ``analysis._scan``), which follows
  ``analyse_clitics`` / ``find_split`` step by step with the *same* tables:
  this module hands it the frequency dict, the exceptions set, the grammar
  tables of :func:`analysis.clitics._build_plans`, the normalization table,
  the split part table and every letter and threshold, so :mod:`analysis.clitics`
  and :mod:`analysis.repair` stay the only definition of the grammar. Words
  its fast path does not cover go back to those Python functions: a written
  form with whitespace inside once normalized (not a token), and for the split
  test a form that normalization would still change (not a normalized token);
  none of the synthetic benchmark corpus's types do (``fallback_counts``);
* the Python functions themselves, used when the extension is not built, or
  when the normalization tables are not letter-wise (``clitics._LETTERWISE``
  False: the C fast path relies on it, as ``analyse_clitics``'s own does).

:data:`COMPILED` says whether the extension is built (``tests/test_wordtypes.py``
fails in the project environment if it is not, or cannot take the tables). The
tables are handed over on first use and again whenever one of them is a
different object (``clitics.exceptions.cache_clear()`` after the scholars' list
was edited, a test's monkeypatch), checked on every call: a few attribute reads
per call, not per type. Tables the extension cannot take (a normalization
table beyond its format) make it answer through Python instead.

Speed (``benchmarks/bench_wordtypes.py``, 10 MB synthetic corpus, 65k written
word types, 29 November 2026): 0.62 µs per type for both columns compiled
against 6.6 µs in Python (the bare regex pass over the same text costs
2.8 µs per type). The extension copies the frequency list's keys into a
compact table of its own once per process (0.11 s, ~13 MB resident besides the
~97 MB of the Python tables), because a look-up in the Python dict alone costs
~0.4 µs on these machines.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from analysis import clitics, repair
from analysis.normalize import _KEEP_HAMZA_TABLE, _TABLE

try:
    from analysis import _wordtypes
except ImportError:  # pragma: no cover - depends on the installation
    _wordtypes = None

COMPILED: bool = _wordtypes is not None

Row = tuple[str, tuple[str, ...], str, str]

# Entry of the light-form table for a character the table leaves alone, and the
# flag of a replacement string (the format of analysis.scan._compiled_tables).
_NOT_IN_TABLE = 0xFFFFFFFF
_REPLACE = 0x80000000
# zipf(word) = log10(freq) + 9 (per billion words), as clitics.zipf computes it.
_ZIPF_OFFSET = 9.0


def python_row(surface: str) -> Row:
    """The clitic columns of one written word type, from :func:`analyse_clitics`.

    The reference definition (``pipeline._clitic_row`` for a word), and the
    compiled code's fallback for the strings its fast path does not take.
    """
    found = clitics.analyse_clitics(surface)
    first = found[0]
    return (
        first.bare,
        tuple(dict.fromkeys(a.bare for a in found)),
        first.proclitic_string,
        first.enclitic,
    )


def _light_table() -> tuple[bytes, bytes] | None:
    """``normalize._KEEP_HAMZA_TABLE`` as the extension reads it, or None.

    One uint32 per BMP code point: ``_NOT_IN_TABLE``, the code point it becomes,
    or ``_REPLACE | len << 16 | offset`` into the replacement code points. None
    when the table does not fit that format (then the Python path is used).
    """
    table = np.full(0x10000, _NOT_IN_TABLE, dtype=np.uint32)
    replacements: list[int] = []
    for code, value in _KEEP_HAMZA_TABLE.items():
        if code >= 0x10000:
            return None
        if len(value) == 1:
            table[code] = ord(value)
        else:
            if len(value) > 0xFF or len(replacements) + len(value) > 0xFFFF:
                return None
            table[code] = _REPLACE | (len(value) << 16) | len(replacements)
            replacements.extend(map(ord, value))
    return table.tobytes(), np.asarray(replacements, dtype=np.uint32).tobytes()


def _tables_in_use() -> tuple:
    """The Python objects the compiled code was (or is to be) configured with.

    Compared by identity on every call: a different object means a table was
    rebuilt or replaced, and the extension is configured again.
    """
    if not clitics._HEAD_PLANS:
        clitics._build_plans()
    return (
        clitics._frequencies(),
        clitics.exceptions(),
        repair._part_table(),
        clitics._HEAD_PLANS,
        clitics._TAIL_ENCLITICS,
        _KEEP_HAMZA_TABLE,
        _TABLE,
        clitics._ALEF_FORMS,
        clitics._PROCLITIC_LETTERS,
        clitics._ENCLITIC_LETTERS,
        clitics._CONJUNCTION_LETTERS,
        clitics.ARTICLE,
        clitics.TEH,
        clitics.TEH_MARBUTA,
        clitics.MARGIN,
        clitics.ARTICLE_MIN_ZIPF,
        clitics.ARTICLE_SHORT_MIN_ZIPF,
        clitics.ARTICLE_SHORT_WHOLE_MIN_ZIPF,
        clitics.MIN_BARE,
        clitics.MIN_RISKY_STEM,
        repair.MIN_LENGTH,
        repair.MAX_PARTS,
        repair.MIN_PART_LENGTH,
        clitics.analyse_clitics,
        repair.find_split,
    )


_configured: tuple | None = None
_usable = False


def _configure(tables: tuple) -> bool:
    """Hand ``tables`` (:func:`_tables_in_use`) to the extension; whether it can be used."""
    global _configured, _usable
    light = _light_table()
    alef = {_TABLE.get(ord(ch)) for ch in clitics._ALEF_FORMS}
    usable = light is not None and len(alef) == 1 and all(a and len(a) == 1 for a in alef)
    if usable:
        try:
            _configure_extension(light, alef.pop())
        except (ValueError, OverflowError):
            usable = False  # tables beyond the extension's format: Python answers
    _configured, _usable = tables, usable
    return usable


def _configure_extension(light: tuple[bytes, bytes], alef: str) -> None:
    """``_wordtypes.configure`` with the current tables of clitics and repair."""
    part_table, longest = repair._part_table()
    # Each proclitic reading as (proclitic string, number of proclitics,
    # stem start, article, conj_bare, conj_enclitic); equal plans stay shared.
    converted: dict[tuple, tuple] = {}
    head_plans = {}
    for run, plan in clitics._HEAD_PLANS.items():
        if plan not in converted:
            converted[plan] = tuple(
                ("+".join(procs), len(procs), start, article, conj_bare, conj_enclitic)
                for procs, start, article, conj_bare, conj_enclitic in plan
            )
        head_plans[run] = converted[plan]
    _wordtypes.configure(
        frequencies=clitics._frequencies(),
        exceptions=clitics.exceptions(),
        light_table=light[0],
        light_replacements=light[1],
        alef_forms=clitics._ALEF_FORMS,
        alef=alef,
        head_plans=head_plans,
        tail_enclitics=dict(clitics._TAIL_ENCLITICS),
        proclitic_letters=clitics._PROCLITIC_LETTERS,
        enclitic_letters=clitics._ENCLITIC_LETTERS,
        conjunction_letters=clitics._CONJUNCTION_LETTERS,
        article=clitics.ARTICLE,
        teh=clitics.TEH,
        teh_marbuta=clitics.TEH_MARBUTA,
        margin=clitics.MARGIN,
        article_min_zipf=clitics.ARTICLE_MIN_ZIPF,
        article_short_min_zipf=clitics.ARTICLE_SHORT_MIN_ZIPF,
        article_short_whole_min_zipf=clitics.ARTICLE_SHORT_WHOLE_MIN_ZIPF,
        min_bare=clitics.MIN_BARE,
        min_risky_stem=clitics.MIN_RISKY_STEM,
        zipf_offset=_ZIPF_OFFSET,
        part_table=part_table,
        longest=longest,
        min_length=repair.MIN_LENGTH,
        max_parts=repair.MAX_PARTS,
        min_part_length=repair.MIN_PART_LENGTH,
        row_fallback=python_row,
        split_fallback=repair.find_split,
    )


def _compiled_ready() -> bool:
    """Whether the extension is to be used for this call (configured if needed)."""
    if _wordtypes is None or not clitics._LETTERWISE:
        return False
    tables = _tables_in_use()
    if _configured is not None and all(a is b for a, b in zip(tables, _configured, strict=True)):
        return _usable
    return _configure(tables)


def prepare() -> bool:
    """Load the word list and grammar tables and configure the extension now.

    Otherwise the first call of :func:`word_rows`, :func:`splittable` or
    :func:`split_points` does it (about 0.25 s per process). Returns whether
    the compiled code will answer.
    """
    clitics._frequencies()
    repair._part_table()
    if not clitics._HEAD_PLANS:
        clitics._build_plans()
    return _compiled_ready()


def word_rows(
    surfaces: Sequence[str],
) -> tuple[list[str], list[tuple[str, ...]], list[str], list[str]]:
    """The clitic columns ``(bare, bares, proclitics, enclitic)`` of written word types.

    One item per string of ``surfaces`` in each of the four lists, equal to
    :func:`python_row` of it (see the module docstring).
    """
    if _compiled_ready():
        return _wordtypes.rows(surfaces)
    if not surfaces:
        return [], [], [], []
    bare, bares, proclitics, enclitic = zip(*map(python_row, surfaces), strict=True)
    return list(bare), list(bares), list(proclitics), list(enclitic)


def split_points(normalized: Sequence[str]) -> list[tuple[int, ...] | None]:
    """``[repair.find_split(w) for w in normalized]`` (cut points, or None)."""
    if _compiled_ready():
        return _wordtypes.splits(normalized)
    return [repair.find_split(w) for w in normalized]


def splittable(normalized: Sequence[str]) -> np.ndarray:
    """Whether the run-together repair splits each normalized word type (bool array).

    ``len(w) >= repair.MIN_LENGTH and repair.find_split(w) is not None`` for each.
    """
    if _compiled_ready():
        return np.frombuffer(_wordtypes.splittable(normalized), dtype=np.bool_).copy()
    return np.fromiter(
        (len(w) >= repair.MIN_LENGTH and repair.find_split(w) is not None for w in normalized),
        dtype=np.bool_,
        count=len(normalized),
    )


def fallback_counts() -> tuple[int, int]:
    """Words the compiled code handed to the Python functions so far (rows, splits).

    ``(0, 0)`` without the extension (everything is Python then).
    """
    return _wordtypes.fallbacks() if _wordtypes is not None else (0, 0)
