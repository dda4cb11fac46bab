"""The fonts charts are drawn with: pinned files, found by path, never by family name.

Charts draw every text with **Amiri** (PyPI ``fontpkg-amiri``, a dependency of
the project): it covers Arabic letters, harakat, the Arabic presentation forms
(needed where matplotlib cannot shape, see :mod:`analysis.charts.text`) and
Latin letters, digits and brackets. **DejaVu Sans**, the file bundled inside
matplotlib's own package, is the fallback for a text with a character Amiri
lacks (arrows, for instance). Nothing is downloaded.

Fonts are given to matplotlib by *file*, never by family name:
:func:`pin_fonts` sets every text of a figure (titles, tick labels, legends,
colour bars, annotations) to ``FontProperties(fname=...)``. A family name
would be looked up among the host's fonts, where another file may carry the
same name (Debian's ``fonts-hosny-amiri`` installs an "Amiri" of another
version); the figure would then depend on what the machine has installed.

If Amiri is missing (a broken install), :func:`chart_fonts` warns with
:class:`FontWarning` and charts are drawn with DejaVu Sans alone.
"""

from __future__ import annotations

import functools
import warnings
from dataclasses import dataclass
from pathlib import Path

import matplotlib as mpl
from matplotlib import font_manager
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.ft2font import FT2Font
from matplotlib.text import Text

PRIMARY_FAMILY = "Amiri"
FALLBACK_FAMILIES: tuple[str, ...] = ("DejaVu Sans",)

# Basic Arabic letters every Arabic-capable font must map; the presentation forms
# (initial beh, medial beh, lam-alef ligature, …) are what the reshaping path draws.
ARABIC_PROBE = "ءابتثجحخدذرزسشصضطظعغفقكلمنهوي"
PRESENTATION_PROBE = "\ufe8d\ufe91\ufe92\ufe90\ufefb\ufefc\ufef7"


class FontWarning(UserWarning):
    """No font able to draw Arabic was found; charts will show boxes instead of letters."""


@dataclass(frozen=True)
class PinnedFont:
    """One font of the charts: its family name and its regular and bold files."""

    family: str
    regular: Path
    bold: Path

    def file(self, bold: bool = False) -> Path:
        """Return the bold file if *bold* and it exists, else the regular one."""
        return self.bold if bold and self.bold.is_file() else self.regular


def amiri_font_files() -> list[Path]:
    """Return the Amiri TTF files shipped by the installed ``fontpkg-amiri`` package.

    An empty list means the package is missing (a broken install); the charts
    then use DejaVu Sans alone and warn.
    """
    try:
        import fontpkg_amiri
    except ImportError:
        return []
    return sorted((Path(fontpkg_amiri.ROOT) / "files").glob("*.ttf"))


def dejavu_font_files() -> list[Path]:
    """Return DejaVu Sans regular and bold, the files inside matplotlib's own package."""
    folder = Path(mpl.get_data_path()) / "fonts" / "ttf"
    return [folder / "DejaVuSans.ttf", folder / "DejaVuSans-Bold.ttf"]


def _pinned(family: str, files: list[Path]) -> PinnedFont | None:
    """Return *family*'s regular and bold files among *files*, or None without a regular."""
    by_name = {p.name: p for p in files}
    stem = family.replace(" ", "")
    regular = by_name.get(f"{stem}-Regular.ttf") or by_name.get(f"{stem}.ttf")
    if regular is None:
        return None
    return PinnedFont(family, regular, by_name.get(f"{stem}-Bold.ttf", regular))


@functools.cache
def chart_fonts() -> tuple[PinnedFont, ...]:
    """Return the charts' fonts in order of preference: Amiri, then DejaVu Sans.

    Both come from installed Python packages (``fontpkg-amiri``, matplotlib), by
    path. Warns with :class:`FontWarning` if Amiri is missing.
    """
    fonts = [f for f in (_pinned("Amiri", amiri_font_files()),) if f is not None]
    if not fonts:
        warnings.warn(
            "the Amiri font files (Python package fontpkg-amiri) are missing: charts fall "
            "back to DejaVu Sans. Reinstall the project (`make setup`).",
            FontWarning,
            stacklevel=2,
        )
    dejavu = _pinned("DejaVu Sans", dejavu_font_files())
    assert dejavu is not None and dejavu.regular.is_file(), "matplotlib ships DejaVu Sans"
    return (*fonts, dejavu)


@functools.cache
def _charmap(path: Path) -> frozenset[int]:
    """Return the code points the font file at *path* maps to a glyph."""
    return frozenset(FT2Font(str(path)).get_charmap())


def covers(path: str | Path, text: str) -> bool:
    """Return True if the font file at *path* maps every character of *text* to a glyph."""
    charmap = _charmap(Path(path))
    return all(ord(ch) in charmap for ch in text)


def font_file_for(text: str, *, bold: bool = False) -> Path:
    """Return the pinned font file a chart draws *text* with.

    The first of :func:`chart_fonts` that has a glyph for every character of
    *text* (line breaks and spaces aside); if none has them all, the one that
    lacks fewest (Amiri on a tie), so that as few boxes as possible are drawn.
    """
    needed = {ord(ch) for ch in text if not ch.isspace()}
    fonts = chart_fonts()
    missing = [len(needed - _charmap(f.file(bold))) for f in fonts]
    return fonts[missing.index(min(missing))].file(bold)


def font_for(text: str, size: float, *, weight: object = "normal") -> FontProperties:
    """Return ``FontProperties`` naming the pinned file for *text*, at *size* points.

    A *weight* of 600 or more (``"bold"``…) selects the font's bold file.
    """
    bold = _is_bold(weight)
    return FontProperties(fname=font_file_for(text, bold=bold), size=size, weight=weight)


def _is_bold(weight: object) -> bool:
    """Return True for a matplotlib font weight of 600 or more (semibold, bold, heavy…)."""
    if isinstance(weight, str):
        return font_manager.weight_dict.get(weight, 400) >= 600
    return float(weight) >= 600  # type: ignore[arg-type]


def pin_fonts(fig: Figure) -> Figure:
    """Set every text of *fig* to its pinned font file, keeping its size and weight.

    Covers titles, axis and tick labels, legends, colour bars and annotations:
    everything :meth:`Figure.findobj` reaches. Tick labels matplotlib adds later
    copy the font of the axis' first tick, so they are pinned too. Returns *fig*.
    """
    for text in fig.findobj(Text):
        prop = text.get_fontproperties()
        text.set_fontproperties(
            font_for(text.get_text(), prop.get_size_in_points(), weight=prop.get_weight())
        )
    return fig


def pinned_tight_layout(fig: Figure, **kwargs: object) -> Figure:
    """Pin every text of *fig* to its font file, then lay the figure out tightly.

    The layout measures the texts, so they must already be in their pinned
    fonts: measured in a font found by family name, the margins would depend on
    the host's fonts (the texts are pinned again when the figure is saved, but
    the layout would stay). *kwargs* go to :meth:`Figure.tight_layout`.
    """
    pin_fonts(fig)
    fig.tight_layout(**kwargs)
    return fig


def font_file(family: str) -> Path | None:
    """Return the regular font file matplotlib's font manager finds for *family*, or None.

    This is the host's answer, which may differ from the pinned file; charts
    never use it, it is here to inspect what the host would pick.
    """
    prop = font_manager.FontProperties(family=family)
    try:
        return Path(font_manager.fontManager.findfont(prop, fallback_to_default=False))
    except ValueError:
        return None


@functools.cache
def register_fonts(need_presentation_forms: bool = False) -> tuple[str, ...]:
    """Add the pinned files to matplotlib's font manager; return their family names.

    Only for text a notebook draws *itself* with ``font.family`` (see
    :func:`analysis.charts.arabic_style`): there a family name is looked up, and
    a host font of the same name may win. The charts never rely on it
    (:func:`pin_fonts`). *need_presentation_forms* is True where matplotlib
    cannot shape Arabic and draws presentation forms one by one; a family
    lacking them is then not put first. Warns with :class:`FontWarning` if no
    family covers Arabic.
    """
    for font in chart_fonts():
        for path in {font.regular, font.bold}:
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
        families.remove(capable[0])
        families.insert(0, capable[0])
    return tuple(families)
