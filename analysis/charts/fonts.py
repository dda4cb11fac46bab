"""Arabic-capable fonts for matplotlib, registered offline from installed packages.

Charts use Amiri (PyPI ``fontpkg-amiri``, a dependency of the project) as the
primary family: it covers Arabic letters, harakat, the Arabic presentation forms
(needed where matplotlib cannot shape, see :mod:`analysis.plotting`) and also
Latin letters, digits and brackets. DejaVu Sans, which every matplotlib bundles,
follows as fallback for anything Amiri lacks. Nothing is ever downloaded: the
font files are taken from the installed package's directory.

If no family in the list can draw Arabic, :func:`register_fonts` warns with
:class:`FontWarning` instead of failing, so that a chart still appears (with
boxes where letters should be) and the reader is told why.
"""

from __future__ import annotations

import functools
import warnings
from pathlib import Path

from matplotlib import font_manager
from matplotlib.ft2font import FT2Font

PRIMARY_FAMILY = "Amiri"
FALLBACK_FAMILIES: tuple[str, ...] = ("DejaVu Sans",)

# Basic Arabic letters every Arabic-capable font must map; the presentation forms
# (initial beh, medial beh, lam-alef ligature, …) are what the reshaping path draws.
ARABIC_PROBE = "ءابتثجحخدذرزسشصضطظعغفقكلمنهوي"
PRESENTATION_PROBE = "\ufe8d\ufe91\ufe92\ufe90\ufefb\ufefc\ufef7"


class FontWarning(UserWarning):
    """No font able to draw Arabic was found; charts will show boxes instead of letters."""


def amiri_font_files() -> list[Path]:
    """Return the Amiri TTF files shipped by the installed ``fontpkg-amiri`` package.

    An empty list means the package is missing (a broken install); the caller
    then relies on the fallback families and warns.
    """
    try:
        import fontpkg_amiri
    except ImportError:
        return []
    return sorted((Path(fontpkg_amiri.ROOT) / "files").glob("*.ttf"))


def font_file(family: str) -> Path | None:
    """Return the regular font file matplotlib uses for *family*, or None if it has none."""
    prop = font_manager.FontProperties(family=family)
    try:
        return Path(font_manager.fontManager.findfont(prop, fallback_to_default=False))
    except ValueError:
        return None


def covers(path: str | Path, text: str) -> bool:
    """Return True if the font file at *path* maps every character of *text* to a glyph."""
    charmap = FT2Font(str(path)).get_charmap()
    return all(ord(ch) in charmap for ch in text)


@functools.cache
def register_fonts(need_presentation_forms: bool = False) -> tuple[str, ...]:
    """Register Amiri with matplotlib and return the family list to use, primary first.

    *need_presentation_forms* is True where matplotlib cannot shape Arabic itself
    and draws the reshaped presentation-form characters one by one: a font
    without them (Noto Kufi, Scheherazade) would then draw boxes.

    Idempotent and cached: the font files are added once per process. Warns with
    :class:`FontWarning` if no family in the list covers Arabic.
    """
    for path in amiri_font_files():
        font_manager.fontManager.addfont(str(path))
    families = [f for f in (PRIMARY_FAMILY, *FALLBACK_FAMILIES) if font_file(f) is not None]
    probe = ARABIC_PROBE + (PRESENTATION_PROBE if need_presentation_forms else "")
    capable = [f for f in families if covers(font_file(f), probe)]  # type: ignore[arg-type]
    if not capable:
        warnings.warn(
            "no Arabic-capable font found (tried "
            + ", ".join((PRIMARY_FAMILY, *FALLBACK_FAMILIES))
            + "): Arabic text in charts will be drawn as boxes. Reinstall the project "
            "(`make setup`) so that the fontpkg-amiri package is present.",
            FontWarning,
            stacklevel=2,
        )
    elif capable[0] != families[0]:
        # Put the first Arabic-capable family first so Arabic is not drawn with a
        # Latin-only font that happens to be earlier in the list.
        families.remove(capable[0])
        families.insert(0, capable[0])
    return tuple(families)
