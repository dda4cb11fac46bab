r"""Arabic text for matplotlib: shaped and ordered right to left on every matplotlib version.

Every string a chart draws goes through :func:`prepare_text`, and notebooks never
reshape anything themselves. Tables keep logical Unicode strings; only the
strings handed to matplotlib are changed here. There are two paths:

* **matplotlib shapes** (3.11+ wheels built with libraqm, detected through
  ``matplotlib.ft2font.__libraqm_version__``, not a version number): HarfBuzz
  joins the letters and SheenBidi orders them, so the *logical* string is passed
  through unchanged. The old recipe ``get_display(reshape(s))`` on top of that
  would be reversed a second time and draw every label backwards.
* **matplotlib does not shape** (3.10 and older, or a build without libraqm):
  ``arabic_reshaper`` replaces letters with their contextual presentation forms
  (harakat kept, lam-alef ligatures kept), then each line is put in visual order
  by the Unicode bidi algorithm (python-bidi's resolved levels, rules L1, L2) with
  brackets mirrored on right-to-left levels (rule L4), which python-bidi 0.6's
  ``get_display`` does not do.

On both paths, bidi control characters (embeddings, overrides, isolates, marks)
are removed first, with a :class:`~analysis.errors.TextWarning`, so that a stray
U+202E cannot reverse a label; and every ``$`` is escaped as ``\$`` last, so a
label containing two dollar signs never falls into mathtext, which draws Arabic
as isolated letters on every version.
"""

from __future__ import annotations

import re
import unicodedata
import warnings

import arabic_reshaper
import bidi
import matplotlib.ft2font
import numpy as np
from bidi.mirror import MIRRORED

from analysis.errors import TextWarning

# Explicit bidi formatting characters (LRE, RLE, PDF, LRO, RLO, LRI, RLI, FSI, PDI)
# and the implicit marks (LRM, RLM, ALM). Removing them lets the letters alone
# decide the direction of a label.
BIDI_CONTROLS = frozenset(
    "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"
)


_RESHAPER = arabic_reshaper.ArabicReshaper(
    configuration={
        "delete_harakat": False,
        "use_unshaped_instead_of_isolated": True,
        # Only the obligatory lam-alef ligatures (what HarfBuzz's rlig does); the
        # optional "Allah" word ligature would replace a word by a single sign.
        "ARABIC LIGATURE ALLAH": False,
    }
)


def matplotlib_shapes_text() -> bool:
    """Return True if this matplotlib shapes and orders complex scripts itself.

    The capability is detected, not inferred from a version number: matplotlib
    built with libraqm (HarfBuzz + SheenBidi) exposes
    ``matplotlib.ft2font.__libraqm_version__``.
    """
    return hasattr(matplotlib.ft2font, "__libraqm_version__")


def strip_bidi_controls(text: str) -> str:
    """Remove bidi embeddings, overrides, isolates and marks, warning if any were present."""
    cleaned = "".join(ch for ch in text if ch not in BIDI_CONTROLS)
    if len(cleaned) != len(text):
        warnings.warn(
            f"removed {len(text) - len(cleaned)} bidi control character(s) from chart "
            f"text {cleaned!r}: they could reverse the label",
            TextWarning,
            stacklevel=3,
        )
    return cleaned


def _resolved_levels(line: str) -> list[int]:
    """Return the bidi embedding level of each character of *line* (rules P–I, then L1).

    python-bidi 0.6 (Rust ``unicode-bidi``) resolves the levels, bracket pairs
    included, but only exposes them in its debug dump, one level per UTF-8 byte;
    the level of a character is the level of its first byte.
    """
    dump = bidi.get_display(line, debug=True)
    start = dump.find("\n    levels: [")
    end = dump.find("\n    paragraphs: [", start)
    byte_levels = [int(x) for x in re.findall(r"Level\(\s*(\d+),?\s*\)", dump[start:end])]
    if start < 0 or len(byte_levels) != len(line.encode("utf-8")):
        raise RuntimeError(f"cannot read bidi levels from python-bidi {bidi.VERSION} for {line!r}")
    levels = []
    offset = 0
    for ch in line:
        levels.append(byte_levels[offset])
        offset += len(ch.encode("utf-8"))
    # L1: segment separators, and whitespace before them or at the end of the line,
    # go back to the paragraph level.
    base = bidi.get_base_level(line) if line else 0
    trailing = True
    for i in range(len(line) - 1, -1, -1):
        kind = unicodedata.bidirectional(line[i])
        if kind in ("S", "B"):
            levels[i] = base
            trailing = True
        elif trailing and kind in ("WS", "BN"):
            levels[i] = base
        else:
            trailing = False
    return levels


def _visual_line(line: str) -> str:
    """Return one line in visual (left-to-right drawing) order, brackets mirrored."""
    if not line:
        return line
    levels = _resolved_levels(line)
    chars = list(line)
    # L4 (mirroring) before L2 (reordering): same result, simpler bookkeeping.
    chars = [MIRRORED.get(c, c) if lvl % 2 else c for c, lvl in zip(chars, levels, strict=True)]
    order = list(range(len(chars)))
    lowest_odd = min((lvl for lvl in levels if lvl % 2), default=None)
    if lowest_odd is not None:
        for level in range(max(levels), lowest_odd - 1, -1):
            i = 0
            while i < len(order):
                if levels[order[i]] >= level:
                    j = i
                    while j < len(order) and levels[order[j]] >= level:
                        j += 1
                    order[i:j] = order[i:j][::-1]
                    i = j
                else:
                    i += 1
    return "".join(chars[k] for k in order)


def prepare_text(text: object, *, shaping: bool | None = None) -> str:
    """Return *text* as a string matplotlib will draw correctly (joined, right to left).

    *shaping* says whether matplotlib shapes text itself; None detects it with
    :func:`matplotlib_shapes_text`. Where it does, the logical string passes
    through unchanged; where it does not, it is reshaped and put in visual order
    line by line (see the module docstring). Bidi controls are removed on both
    paths, and ``$`` is escaped last so that a label is never parsed as mathtext.
    The result is for matplotlib only: never store it in a table.
    """
    s = strip_bidi_controls(str(text))
    if shaping is None:
        shaping = matplotlib_shapes_text()
    if not shaping:
        s = "\n".join(_visual_line(_RESHAPER.reshape(line)) for line in s.split("\n"))
    return s.replace("$", r"\$")


def bilingual_label(term: object, gloss: object = None) -> str:
    """Return a logical two-line label: the Arabic *term*, then its English *gloss*.

    Two lines rather than ``term (gloss)`` keep each line in one direction, so
    neither reader has to untangle a mixed right-to-left/left-to-right line.
    """
    term_s = "" if term is None or (isinstance(term, float) and np.isnan(term)) else str(term)
    if gloss is None or (isinstance(gloss, float) and np.isnan(gloss)) or str(gloss) == "":
        return term_s
    return f"{term_s}\n{gloss}"
