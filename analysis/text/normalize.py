"""Normalization of Arabic text that keeps a map back to the original offsets.

Every step is a per-character rule, so the whole normalization is one
:meth:`str.translate` call (fast, and idempotent because every replacement is
itself a fixed point of the table). The steps, in the order a scholar should read
them:

1. **Diacritics removed**: tashkeel U+064B–U+065F (fatha, damma, kasra, tanwin,
   shadda, sukun, hamza/madda marks), the dagger alef U+0670, Quranic annotation
   marks U+06D6–U+06ED.
2. **Tatweel removed** (U+0640, any run length).
3. **Invisible controls removed**: bidi marks and embeddings/overrides/isolates
   (U+200E/F, U+061C, U+202A–U+202E, U+2066–U+2069), zero-width joiner and
   non-joiner, word joiner, soft hyphen, a BOM inside the text. The zero-width
   *space* U+200B becomes an ordinary space, because scraped text uses it as a
   word separator.
4. **Alef forms unified**: أ إ آ ٱ → ا. Only these: pyarabic's
   ``normalize_hamza`` default also turns them into ء (إسبانيا → ءسبانيا), which
   breaks matching; hamza on waw/ya (ؤ ئ) and the lone hamza ء are kept.
5. **Alef maqsura** ى → ي.
6. **Persian and Urdu variants**: ی ې ے → ي; ک ڪ → ك; ہ ھ ە → ه; ۃ → ة; ۀ → ه;
   ؤ/ئ variants are left alone.
7. **Digits**: Arabic-Indic (٠–٩) and Persian (۰–۹) digits → ASCII 0–9.
8. **Presentation forms** (U+FB50–U+FDFF, U+FE70–U+FEFF) folded back to base
   letters with NFKC and then steps 1–7 (ﻷ → لا, two characters). Ligatures that
   stand for whole phrases (ﷺ, ﷽) are kept as they are, so one character never
   becomes several words.

Teh marbuta is *not* folded here, because it merges شعبة (branch) with شعبه (his
people); :func:`fold_teh_marbuta` is a separate step for matching only.

Offsets: :class:`NormalizedText` holds, for each normalized character, the index
of the original character it came from; :meth:`NormalizedText.span` turns a
normalized span into an original span that also covers diacritics and tatweel
trailing the last letter, so that ``original[start:end]`` is the written word.
The text stage normalizes each distinct written word once (``analysis.engine``),
so this runs once per word type, not once per character of the corpus.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

import numpy as np

TATWEEL = "\u0640"
TEH_MARBUTA = "\u0629"
HEH = "\u0647"

# Step 1: diacritics (combining marks that decorate a letter).
_DIACRITICS = (
    [chr(c) for c in range(0x064B, 0x0660)]
    + ["\u0670"]
    + [chr(c) for c in range(0x06D6, 0x06DD)]
    + [chr(c) for c in range(0x06DF, 0x06E5)]
    + ["\u06e7", "\u06e8"]
    + [chr(c) for c in range(0x06EA, 0x06EE)]
)
# Step 3: invisible controls.
BIDI_CONTROLS = (
    ["\u200e", "\u200f", "\u061c"]
    + [chr(c) for c in range(0x202A, 0x202F)]
    + [chr(c) for c in range(0x2066, 0x206A)]
)
ZERO_WIDTH = ["\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad"]
ZERO_WIDTH_SPACE = "\u200b"

_ONE_TO_ONE: dict[str, str] = {
    # Step 4: alef forms.
    "\u0623": "\u0627",  # أ
    "\u0625": "\u0627",  # إ
    "\u0622": "\u0627",  # آ
    "\u0671": "\u0627",  # ٱ wasla
    # Step 5: alef maqsura.
    "\u0649": "\u064a",  # ى → ي
    # Step 6: Persian / Urdu variants.
    "\u06cc": "\u064a",  # ی Farsi yeh
    "\u06d0": "\u064a",  # ې
    "\u06d2": "\u064a",  # ے yeh barree
    "\u06a9": "\u0643",  # ک keheh
    "\u06aa": "\u0643",  # ڪ swash kaf
    "\u06c1": "\u0647",  # ہ heh goal
    "\u06be": "\u0647",  # ھ heh doachashmee
    "\u06d5": "\u0647",  # ە ae
    "\u06c0": "\u0647",  # ۀ heh with yeh above
    "\u06c3": "\u0629",  # ۃ teh marbuta goal
    ZERO_WIDTH_SPACE: " ",
}
PERSIAN_URDU_VARIANTS = "".join(
    k for k, v in _ONE_TO_ONE.items() if k not in "\u0623\u0625\u0622\u0671\u0649\u200b"
)
# Step 7: digits.
for _i in range(10):
    _ONE_TO_ONE[chr(0x0660 + _i)] = str(_i)
    _ONE_TO_ONE[chr(0x06F0 + _i)] = str(_i)

_DELETE = _DIACRITICS + [TATWEEL] + BIDI_CONTROLS + ZERO_WIDTH


def _base_table() -> dict[int, str]:
    table: dict[int, str] = {ord(c): "" for c in _DELETE}
    table.update({ord(k): v for k, v in _ONE_TO_ONE.items()})
    return table


def _is_presentation_form(code: int) -> bool:
    return 0xFB50 <= code <= 0xFDFF or 0xFE70 <= code <= 0xFEFE


def _build_table() -> dict[int, str]:
    base = _base_table()
    table = dict(base)
    for code in [*range(0xFB50, 0xFE00), *range(0xFE70, 0xFEFF)]:
        ch = chr(code)
        folded = unicodedata.normalize("NFKC", ch)
        if folded == ch:
            continue
        folded = folded.translate(base).strip()
        if " " in folded:
            continue  # a phrase ligature (ﷺ, ﷽): one character must not become words
        table[code] = folded  # "" for isolated diacritic forms (U+FE70–U+FE7F)
    return table


_TABLE = _build_table()
#: The whole normalization as one ``str.translate`` table (code point -> replacement).
NORMALIZATION_TABLE = _TABLE
# Characters whose replacement is not exactly one character change offsets.
_LENGTH_CHANGING = "".join(chr(c) for c, v in _TABLE.items() if len(v) != 1)
_LENGTH_CHANGING_RE = re.compile("[" + re.escape(_LENGTH_CHANGING) + "]")
# Characters that stay attached to the letter before them in the original text.
_TRAILING = "".join(_DIACRITICS) + TATWEEL
TRAILING_CHARS = frozenset(_TRAILING)


@dataclass(frozen=True)
class NormalizedText:
    """A normalized string and the way back to the string it came from.

    ``index[i]`` is the offset in ``original`` of the character that produced
    normalized character ``i``; ``index`` is None when normalization kept every
    offset (only one-to-one replacements), the common case.
    """

    text: str
    original: str
    index: tuple[int, ...] | None = None

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Original ``(start, end)`` of the normalized span ``[start, end)``.

        The end moves past diacritics and tatweel that follow the span's last
        letter in the original, so that ``original[start:end]`` is the word as
        written (``خلّفت``, ``كتابٌ``).
        """
        if self.index is None:
            return start, end
        original, index = self.original, self.index
        first = index[start] if start < len(index) else len(original)
        if end <= start:
            return first, first
        last = index[end - 1] + 1
        while last < len(original) and original[last] in TRAILING_CHARS:
            last += 1
        return first, last


def normalize(text: str) -> NormalizedText:
    """Normalize ``text`` (steps 1–8 of the module docstring), keeping offsets."""
    out = text.translate(_TABLE)
    if len(out) == len(text) and not _LENGTH_CHANGING_RE.search(text):
        return NormalizedText(out, text, None)
    index: list[int] = []
    for position, char in enumerate(text):
        index.extend([position] * len(_TABLE.get(ord(char), char)))
    return NormalizedText(out, text, tuple(index))


def normalize_word(word: str) -> str:
    """Normalize a lexicon term or word list entry exactly as corpus text is normalized.

    Surrounding whitespace is stripped; teh marbuta is kept (use
    :func:`fold_teh_marbuta` where matching needs it).
    """
    return word.translate(_TABLE).strip()


_KEEP_HAMZA_TABLE = {c: v for c, v in _TABLE.items() if chr(c) not in "\u0623\u0625\u0622\u0671"}


def normalize_word_keep_hamza(word: str) -> str:
    """Like :func:`normalize_word` but keeping أ إ آ ٱ, which morphology uses as evidence.

    The clitic analyser needs to know whether a word starts with a written hamza
    (إلغاء, ألمانيا: no article) before the alef forms are unified.
    """
    return word.translate(_KEEP_HAMZA_TABLE).strip()


def fold_teh_marbuta(text: str) -> str:
    """Fold teh marbuta ة into heh ه (for matching only: it merges شعبة with شعبه)."""
    return text.replace(TEH_MARBUTA, HEH)


# What describe_repairs reports: runs of such characters, or a tatweel run of 3+.
_PRESENTATION_CHARS = [chr(c) for c in range(0xFB50, 0xFE00)] + [
    chr(c) for c in range(0xFE70, 0xFEFF)
]
_REPAIR_KIND = {
    **dict.fromkeys(BIDI_CONTROLS, "bidi"),
    **dict.fromkeys(ZERO_WIDTH + [ZERO_WIDTH_SPACE], "zero_width"),
    **dict.fromkeys(PERSIAN_URDU_VARIANTS, "variant"),
    **dict.fromkeys(_PRESENTATION_CHARS, "presentation"),
}
# Per BMP code point: 1 + the index of its kind in _REPAIR_MESSAGES, or 5 for
# tatweel, else 0 (no reported character lies beyond the BMP).
_REPAIR_ORDER = ("bidi", "zero_width", "variant", "presentation")
_TATWEEL_CODE = len(_REPAIR_ORDER) + 1
_REPAIR_CODE = np.zeros(0x10000, dtype=np.uint8)
for _char, _kind in _REPAIR_KIND.items():
    _REPAIR_CODE[ord(_char)] = 1 + _REPAIR_ORDER.index(_kind)
_REPAIR_CODE[ord(TATWEEL)] = _TATWEEL_CODE
assert _REPAIR_CODE[0xFFFF] == 0  # where code points beyond the BMP are looked up
_REPAIR_MESSAGES = {
    "bidi": "bidi control character(s) (U+200E/F, U+202A–E, U+2066–9) removed",
    "zero_width": "zero-width character(s) removed (U+200B → space)",
    "variant": "Persian/Urdu letter variant(s) mapped to Arabic letters",
    "presentation": "presentation-form character(s) folded to base letters "
    "(text copied from a PDF?)",
}


def describe_repairs(text: str) -> list[str]:
    """Messages for the invisible or unusual characters that normalization will change.

    Used by the loader to warn (:class:`analysis.errors.TextWarning`) about repairs
    a reader of the text cannot see: bidi controls, zero-width characters,
    presentation forms (typical of text copied from PDFs), Persian/Urdu letter
    variants and decorative tatweel runs. Ordinary diacritics and digits are
    normalized silently because they are normal Arabic typography. The loader
    asks this of every document, so it is answered with a table look-up per
    code point in numpy (about four times faster than a regular expression
    over the text).
    """
    codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    kinds = _REPAIR_CODE[np.minimum(codes, 0xFFFF)]
    at = np.flatnonzero(kinds)
    if len(at) == 0:
        return []  # the common case
    kinds = kinds[at]
    messages = []
    for code, kind in enumerate(_REPAIR_ORDER, start=1):
        where = at[kinds == code]
        if len(where):
            messages.append(
                f"{len(where)} {_REPAIR_MESSAGES[kind]}; first at offset {int(where[0])}"
            )
    tatweel = at[kinds == _TATWEEL_CODE]
    if len(tatweel) >= 3:
        # Runs of consecutive positions; the first one of 3 or more is reported.
        starts = np.flatnonzero(np.diff(tatweel, prepend=-2) != 1)
        lengths = np.diff(np.append(starts, len(tatweel)))
        long_runs = starts[lengths >= 3]
        if len(long_runs):
            messages.append(
                f"tatweel run(s) of 3 or more removed; first at offset {int(tatweel[long_runs[0]])}"
            )
    return messages
