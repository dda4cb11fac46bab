"""Show tables with Arabic text right to left, in JupyterLab and in the HTML export.

JupyterLab has no right-to-left support of its own, and pandas renders every cell
left to right. These helpers return a pandas ``Styler`` that

* escapes every cell, row and column label and the caption (corpus and
  lexicon text never becomes markup),
* removes bidi embedding/override/isolate characters and marks (U+200E/F,
  U+061C, U+202A–U+202E, U+2066–U+2069) from every shown string, with a
  :class:`~analysis.errors.TextWarning`: an override copied from a web page would
  otherwise reverse the rest of a cell (the loader has already warned about them;
  the tables themselves keep the original strings, as offsets require),
* sets each cell that holds Arabic to ``direction: rtl`` with
  ``unicode-bidi: plaintext`` so mixed Arabic/Latin/digit strings are ordered by
  the browser's own bidi algorithm from their first strong letter,
* lays concordance (KWIC) tables out as a right-to-left table, so the preceding
  context stands to the right of the match, as an Arabic reader expects,
* uses a stable table id (derived from the caption/content), so re-executing a
  notebook gives byte-identical HTML.

Only logical Unicode strings are shown: nothing here reshapes or reorders text
(that is for matplotlib only, see :mod:`analysis.plotting`).
"""

from __future__ import annotations

import hashlib
import html
import re
import warnings

import pandas as pd
from pandas.io.formats.style import Styler

from analysis.errors import TextWarning
from analysis.text.normalize import BIDI_CONTROLS

ARABIC_LETTER = re.compile(r"[\u0600-\u06FF\u0750-\u077F\u08A0-\u08FF\uFB50-\uFDFF\uFE70-\uFEFF]")
RTL_CELL = "direction: rtl; unicode-bidi: plaintext; text-align: right"
LTR_CELL = "direction: ltr; unicode-bidi: plaintext; text-align: left"


def has_arabic(value: object) -> bool:
    """Return True if ``value`` is a string containing at least one Arabic letter."""
    return isinstance(value, str) and ARABIC_LETTER.search(value) is not None


_BIDI_TABLE = {ord(c): None for c in BIDI_CONTROLS}


def strip_bidi(value: object) -> object:
    """``value`` without bidi controls if it is a string; anything else unchanged."""
    return value.translate(_BIDI_TABLE) if isinstance(value, str) else value


def _count_bidi(values: object) -> int:
    return sum(
        len(v) - len(v.translate(_BIDI_TABLE))
        for v in values
        if isinstance(v, str)  # type: ignore[attr-defined]
    )


def display_copy(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` for display: bidi controls removed from every string.

    Cells, column names and index labels are cleaned; a :class:`TextWarning`
    says how many controls were removed. The caller's frame is not changed.
    """
    cells = frame.to_numpy(dtype=object).ravel() if frame.size else []
    labels = [*frame.columns, *frame.index]
    removed = _count_bidi(cells) + _count_bidi(labels)
    if not removed:
        return frame
    warnings.warn(
        f"removed {removed} bidi control character(s) from the displayed table: "
        "they could reverse the text of a cell (the data keep them)",
        TextWarning,
        stacklevel=3,
    )
    out = frame.map(strip_bidi)
    out.columns = frame.columns.map(strip_bidi)
    out.index = frame.index.map(strip_bidi)
    return out


def _cell_style(value: object) -> str:
    return RTL_CELL if has_arabic(value) else ""


def _stable_id(frame: pd.DataFrame, caption: str | None) -> str:
    """A table id that depends only on the table's content, never on chance."""
    digest = hashlib.sha256()
    digest.update((caption or "").encode("utf-8"))
    digest.update("\x1f".join(map(str, frame.columns)).encode("utf-8"))
    digest.update(str(frame.shape).encode("utf-8"))
    # str() of each cell: astype(str) leaves missing values (NaN, <NA>) as floats.
    head = [str(value) for value in frame.head(5).to_numpy(dtype=object).ravel()]
    digest.update("\x1f".join(head).encode("utf-8"))
    return "t" + digest.hexdigest()[:12]


#: Tables longer than this are shown folded: a line to open them, then the table.
FOLD_ROWS = 15


class Folded:
    """A long table shown folded (``<details>``): its caption and size, then the table.

    Every Styler method and attribute is reached through it, so code that styles
    the table further (:func:`show_kwic`) works unchanged.
    """

    def __init__(self, styler: Styler, summary: str) -> None:
        self.styler = styler
        self.summary = summary

    def __getattr__(self, name: str) -> object:
        return getattr(self.styler, name)

    def _repr_html_(self) -> str:
        summary = html.escape(self.summary, quote=False)
        return (f'<details class="long-table"><summary dir="auto">{summary}</summary>'
                f"{self.styler.to_html()}</details>")  # fmt: skip


def show(
    frame: pd.DataFrame,
    caption: str | None = None,
    *,
    max_rows: int | None = 60,
    precision: int = 2,
    hide_index: bool = True,
    fold: bool | None = None,
) -> Styler | Folded:
    """Return a Styler that shows ``frame`` escaped, with Arabic cells right to left.

    Long tables are cut to ``max_rows`` rows (the caption then says how many rows
    the full table has), so notebooks and the HTML export stay readable; the full
    table is always available as the DataFrame itself. A table of more than
    ``FOLD_ROWS`` rows is folded (``fold=False`` shows it open).
    """
    total = len(frame)
    shown = frame if max_rows is None or total <= max_rows else frame.head(max_rows)
    if caption is not None and shown is not frame:
        caption = f"{caption} (first {max_rows} of {total} rows)"
    shown = display_copy(shown)
    styler = shown.style
    styler.set_uuid(_stable_id(shown, caption))
    styler.format(precision=precision, escape="html", na_rep="")
    styler.format_index(escape="html", axis=0)
    styler.format_index(escape="html", axis=1)
    styler.map(_cell_style)
    if hide_index:
        styler.hide(axis="index")
    if caption is not None:
        # pandas inserts the caption as markup: escape it (labels come from lexicons).
        styler.set_caption(html.escape(str(strip_bidi(caption)), quote=False))
    if fold is False or (fold is None and total <= FOLD_ROWS):
        return styler
    title = str(strip_bidi(caption)) if caption else "Table"
    return Folded(styler, f"{title}: {total} rows (click to show)")


def show_kwic(
    kwic: pd.DataFrame,
    caption: str | None = None,
    *,
    max_rows: int | None = 60,
    columns: tuple[str, str, str] = ("left", "match", "right"),
    extra: list[str] | None = None,
) -> Styler | Folded:
    """Show a concordance as an Arabic reader reads it.

    ``kwic`` holds, in logical order, the text before the match (``left`` in the
    measures table), the match, and the text after it (``right``). The table is
    set ``dir="rtl"``: the preceding context appears to the right of the match and
    the following context to its left, each aligned towards the match.
    """
    before, match, after = columns
    keep = [before, match, after] + list(extra or [])
    table = kwic.loc[:, keep].rename(
        columns={before: "preceding", match: "match", after: "following"}
    )
    styler = show(table, caption, max_rows=max_rows)
    styler.set_table_attributes('dir="rtl"')
    # The caption would inherit the table's right-to-left direction, which garbles
    # an English caption that ends in a count ("…: 8 hit(s)"); it takes its own
    # direction from its first strong letter instead.
    styler.set_table_styles(
        [{"selector": "caption", "props": "unicode-bidi: plaintext; text-align: start"}],
        overwrite=False,
    )
    styler.set_properties(subset=["preceding"], **{"text-align": "left"})
    styler.set_properties(subset=["following"], **{"text-align": "right"})
    styler.set_properties(subset=["match"], **{"font-weight": "bold", "text-align": "center"})
    return styler
