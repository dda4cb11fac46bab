"""Show tables with Arabic text right to left, in JupyterLab and in the HTML export.

JupyterLab has no right-to-left support of its own, and pandas renders every cell
left to right. These helpers return a pandas ``Styler`` that

* escapes every cell (corpus text never becomes markup),
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
import re

import pandas as pd
from pandas.io.formats.style import Styler

ARABIC_LETTER = re.compile(r"[\u0600-\u06FF\u0750-\u077F\u08A0-\u08FF\uFB50-\uFDFF\uFE70-\uFEFF]")
RTL_CELL = "direction: rtl; unicode-bidi: plaintext; text-align: right"
LTR_CELL = "direction: ltr; unicode-bidi: plaintext; text-align: left"


def has_arabic(value: object) -> bool:
    """Return True if ``value`` is a string containing at least one Arabic letter."""
    return isinstance(value, str) and ARABIC_LETTER.search(value) is not None


def _cell_style(value: object) -> str:
    return RTL_CELL if has_arabic(value) else ""


def _stable_id(frame: pd.DataFrame, caption: str | None) -> str:
    """A table id that depends only on the table's content, never on chance."""
    digest = hashlib.sha256()
    digest.update((caption or "").encode("utf-8"))
    digest.update("\x1f".join(map(str, frame.columns)).encode("utf-8"))
    digest.update(str(frame.shape).encode("utf-8"))
    head = frame.head(5).astype(str).to_numpy().ravel().tolist()
    digest.update("\x1f".join(head).encode("utf-8"))
    return "t" + digest.hexdigest()[:12]


def show(
    frame: pd.DataFrame,
    caption: str | None = None,
    *,
    max_rows: int | None = 60,
    precision: int = 2,
    hide_index: bool = True,
) -> Styler:
    """Return a Styler that shows ``frame`` escaped, with Arabic cells right to left.

    Long tables are cut to ``max_rows`` rows (the caption then says how many rows
    the full table has), so notebooks and the HTML export stay readable; the full
    table is always available as the DataFrame itself.
    """
    total = len(frame)
    shown = frame if max_rows is None or total <= max_rows else frame.head(max_rows)
    if caption is not None and shown is not frame:
        caption = f"{caption} (first {max_rows} of {total} rows)"
    styler = shown.style
    styler.set_uuid(_stable_id(shown, caption))
    styler.format(precision=precision, escape="html", na_rep="")
    styler.format_index(escape="html")
    styler.map(_cell_style)
    if hide_index:
        styler.hide(axis="index")
    if caption is not None:
        styler.set_caption(caption)
    return styler


def show_kwic(
    kwic: pd.DataFrame,
    caption: str | None = None,
    *,
    max_rows: int | None = 60,
    columns: tuple[str, str, str] = ("left", "match", "right"),
    extra: list[str] | None = None,
) -> Styler:
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
    styler.set_properties(subset=["preceding"], **{"text-align": "left"})
    styler.set_properties(subset=["following"], **{"text-align": "right"})
    styler.set_properties(subset=["match"], **{"font-weight": "bold", "text-align": "center"})
    return styler
