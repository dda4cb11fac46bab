"""Reading a corpus file's bytes as Arabic text, safely, or refusing with a clear reason.

* Files are opened for reading in binary mode only; nothing here ever writes.
* Encodings: UTF-8 with or without BOM is read as is (the BOM is dropped, so
  offsets count from the first real character). These are *converted with a*
  :class:`~analysis.errors.TextWarning`: UTF-32 and UTF-16 (with a BOM, or without
  one when the byte pattern is unmistakable: UTF-32 is tried first, since its
  zero bytes also look like UTF-16), and the single-byte Arabic code pages
  Windows-1256, ISO-8859-6 and Mac-Arabic. A single-byte file is decoded with each
  code page and kept only if exactly one reading is Arabic made of common words
  (:func:`single_byte_readings`): the code pages put different letters on the same
  bytes, and a wrong one gives Arabic letters that spell nothing. Text that is
  mostly UTF-8 but has invalid bytes is refused with the byte offset and line,
  because guessing would silently corrupt words.
* Refused with :class:`~analysis.errors.CorpusError` naming the file: an empty or
  whitespace-only file, NUL bytes (binary data) or, after decoding, NUL characters,
  a saved HTML page (extract the article first), a text whose letters are mostly
  not Arabic (English or French article, or a wrong decoding), undecodable bytes,
  a single-byte file that no code page, or more than one, reads as Arabic.
  Every decoded text passes the same checks as a UTF-8 one
  (:func:`refuse_unusable`).
* Repaired with a warning (by normalization, the original text is kept for
  offsets): bidi controls, zero-width characters, presentation forms,
  Persian/Urdu letter variants, long tatweel runs. Text in visual order (copied
  from a PDF) is put back in reading order by :mod:`analysis.corpus.visual`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from analysis.errors import CorpusError
from analysis.text.normalize import describe_repairs

_HTML_RE = re.compile(r"<!doctype\s+html|<html[\s>]|<head[\s>]|<body[\s>]", re.IGNORECASE)
_TAG_RE = re.compile(r"</?[a-zA-Z][a-zA-Z0-9]*(\s[^<>]*)?/?>")
_UTF8_ARABIC_PAIR = re.compile(rb"[\xd8-\xdb][\x80-\xbf]")
_HIGH_BYTE = re.compile(rb"[\x80-\xff]")
_ARABIC_LETTER_RE = re.compile(
    "[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufefe]"
)
_WORD_RE = re.compile(r"[^\W\d_]+")
_C1_CONTROL_RE = re.compile("[\x80-\x9f]")

#: BOMs, longest first (the UTF-32-LE BOM starts with the UTF-16-LE one).
_BOMS = (
    (b"\xff\xfe\x00\x00", "utf-32-le", "utf-32"),
    (b"\x00\x00\xfe\xff", "utf-32-be", "utf-32"),
    (b"\xff\xfe", "utf-16-le", "utf-16"),
    (b"\xfe\xff", "utf-16-be", "utf-16"),
)
#: Single-byte Arabic code pages: Python codec and the name a user knows.
SINGLE_BYTE_CODE_PAGES = (
    ("cp1256", "Windows-1256 (cp1256)"),
    ("iso8859_6", "ISO-8859-6"),
    ("mac_arabic", "Mac-Arabic"),
)
#: A reading is Arabic if this share of its letters is in common Arabic words.
COMMON_WORD_SHARE = 0.5
#: ... and it is chosen over other such readings if it leads them by this much.
CLEAR_LEAD = 0.25
#: Zipf frequency from which a word counts as common (3: once per million words).
COMMON_ZIPF = 3.0
_SCORED_CHARACTERS = 50_000


def line_of(data: bytes | str, offset: int) -> int:
    """1-based line of a byte (or character) offset."""
    newline = b"\n" if isinstance(data, bytes) else "\n"
    return data.count(newline, 0, offset) + 1  # type: ignore[arg-type]


def _looks_utf32(data: bytes) -> str | None:
    """``"utf-32-le"``/``"utf-32-be"`` when the bytes are clearly BOM-less UTF-32.

    Every 4-byte unit is a code point below U+110000: its highest byte is zero and
    the next one at most 0x10.
    """
    if len(data) < 4 or len(data) % 4:
        return None
    if not any(data[3::4]) and max(data[2::4]) <= 0x10 and any(data[0::4]):
        return "utf-32-le"
    if not any(data[0::4]) and max(data[1::4]) <= 0x10 and any(data[3::4]):
        return "utf-32-be"
    return None


def _looks_utf16(data: bytes) -> str | None:
    """``"utf-16-le"``/``"utf-16-be"`` when the bytes are clearly BOM-less UTF-16."""
    if len(data) < 4 or len(data) % 2:
        return None
    odd, even = data[1::2], data[0::2]
    for high, codec in ((odd, "utf-16-le"), (even, "utf-16-be")):
        share = (high.count(0) + high.count(6)) / len(high)
        if share > 0.9:
            return codec
    return None


def _decode_wide(data: bytes, codec: str, path: str | Path, how: str) -> str:
    """``data`` decoded as UTF-16 or UTF-32, or a CorpusError saying it is not valid."""
    try:
        return data.decode(codec)
    except UnicodeDecodeError as exc:
        raise CorpusError(
            f"looks like {codec} ({how}) but is not valid {codec} at byte {exc.start} "
            f"({exc.reason}); re-save the file as UTF-8",
            path,
        ) from None


def _decode_with_bom(data: bytes, path: str | Path) -> tuple[str, str, list[str]] | None:
    """A UTF-32 or UTF-16 file with its BOM, converted; None without such a BOM.

    ``FF FE 00 00`` starts UTF-32-LE, or UTF-16-LE whose first character is
    U+0000: UTF-32 is tried first, then UTF-16 (whose NUL is refused later).
    """
    failure: CorpusError | None = None
    for bom, codec, family in _BOMS:
        if not data.startswith(bom):
            continue
        try:
            text = _decode_wide(data[len(bom) :], codec, path, "with BOM")
        except CorpusError as error:
            failure = failure or error
            continue
        note = f"converted from {family.upper()} ({codec}, with BOM); save as UTF-8 to silence"
        return text, family, [note]
    if failure is not None:
        raise failure
    return None


def _decode_wide_without_bom(data: bytes, path: str | Path) -> tuple[str, str, list[str]] | None:
    """A BOM-less UTF-32 or UTF-16 file, converted; None if the bytes do not look like one."""
    codec = _looks_utf32(data) or _looks_utf16(data)
    if codec is None:
        return None
    text = _decode_wide(data, codec, path, "without BOM")
    return text, codec, [f"converted from {codec} without BOM; save as UTF-8 to silence"]


def decode_bytes(data: bytes, path: str | Path) -> tuple[str, str, list[str]]:
    """Decode a corpus file's bytes: ``(text, encoding, warnings)``.

    Raises :class:`CorpusError` naming ``path`` when the bytes cannot be read
    safely (see the module docstring for the policy). The text still has to pass
    :func:`refuse_unusable`, whatever the encoding.
    """
    if not data:
        raise CorpusError("the file is empty (0 bytes)", path)
    if data.startswith(b"\xef\xbb\xbf"):
        return _decode_utf8(data[3:], path, "utf-8-sig")
    decoded = _decode_with_bom(data, path)
    if decoded is None and b"\x00" in data:
        decoded = _decode_wide_without_bom(data, path)
        if decoded is None:
            first = data.index(b"\x00")
            raise CorpusError(
                f"contains NUL bytes (first at byte {first}, line {line_of(data, first)}): "
                "binary data or a damaged file, not a text file",
                path,
            )
    return decoded or _decode_utf8(data, path, "utf-8")


def _decode_utf8(data: bytes, path: str | Path, encoding: str) -> tuple[str, str, list[str]]:
    """UTF-8 as is; otherwise BOM-less UTF-16/32 or a single-byte Arabic code page."""
    try:
        return data.decode("utf-8"), encoding, []
    except UnicodeDecodeError as exc:
        where = f"byte {exc.start} (0x{data[exc.start]:02x}), line {line_of(data, exc.start)}"
    wide = _decode_wide_without_bom(data, path)
    if wide is not None:
        return wide
    high = len(_HIGH_BYTE.findall(data))
    if 2 * len(_UTF8_ARABIC_PAIR.findall(data)) / max(high, 1) > 0.5:
        raise CorpusError(
            f"invalid UTF-8 at {where}: the file is mostly UTF-8 but damaged; "
            "fix or re-save it as UTF-8",
            path,
        )
    return _decode_single_byte(data, path, where)


@dataclass(frozen=True)
class Reading:
    """The text of a single-byte file in one code page, and how Arabic it reads."""

    codec: str
    name: str
    text: str | None  # None: the bytes are not valid in this code page
    common: float  # share of letters in common Arabic words (0 when text is None)

    def describe(self) -> str:
        """``ISO-8859-6: 80% of the letters in common words`` (for messages)."""
        if self.text is None:
            return f"{self.name}: bytes not defined in it"
        return f"{self.name}: {100 * self.common:.0f}% of the letters in common Arabic words"


def common_word_share(text: str) -> float:
    """Share of the letters of ``text`` that are in common Arabic words (Zipf ≥ 3).

    Right Arabic text scores about 0.8 (names and rare words make the rest); a
    wrong code page gives letters that spell mostly nothing, or Latin letters
    inside Arabic words, and scores far lower. The first 50,000 characters are
    enough to tell.
    """
    from analysis.text.normalize import normalize_word
    from analysis.text.wordlist import zipf

    if _C1_CONTROL_RE.search(text):
        return 0.0  # C1 control characters: a code page that does not fit the bytes
    words = _WORD_RE.findall(text[:_SCORED_CHARACTERS])
    letters = sum(map(len, words))
    if not letters:
        return 0.0
    common = sum(len(w) for w in words if zipf(normalize_word(w)) >= COMMON_ZIPF)
    return common / letters


def single_byte_readings(data: bytes) -> list[Reading]:
    """The bytes read in every single-byte Arabic code page, scored."""
    readings = []
    for codec, name in SINGLE_BYTE_CODE_PAGES:
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            readings.append(Reading(codec, name, None, 0.0))
            continue
        readings.append(Reading(codec, name, text, common_word_share(text)))
    return readings


def choose_reading(readings: list[Reading]) -> tuple[Reading | None, list[Reading]]:
    """The one Arabic reading (or None), and the Arabic readings that compete with it.

    Readings that give the same words (they differ only in which space character
    separates them) count as one; the one with the most plain spaces is taken.
    A reading also wins if it leads every other Arabic reading by
    :data:`CLEAR_LEAD`. Otherwise the competing readings are returned.
    """
    arabic = [r for r in readings if r.text is not None and r.common >= COMMON_WORD_SHARE]
    if not arabic:
        return None, []
    best = max(arabic, key=lambda r: (r.common, r.text.count(" ")))  # type: ignore[union-attr]
    others = [r for r in arabic if r.text.split() != best.text.split()]  # type: ignore[union-attr]
    if all(best.common - r.common >= CLEAR_LEAD for r in others):
        return best, []
    return None, [best, *others]


def _decode_single_byte(data: bytes, path: str | Path, where: str) -> tuple[str, str, list[str]]:
    readings = single_byte_readings(data)
    chosen, competing = choose_reading(readings)
    if chosen is not None and chosen.text is not None:
        same = [
            r.name
            for r in readings
            if r is not chosen and r.text is not None and r.text.split() == chosen.text.split()
        ]
        also = f"; {' and '.join(same)} gives the same words" if same else ""
        note = (
            f"not UTF-8 (first non-UTF-8 {where}); decoded as {chosen.name}: "
            f"{100 * chosen.common:.0f}% of its letters are in common Arabic words{also}, "
            "other Arabic code pages give letters that spell nothing. Save as UTF-8 to silence"
        )
        return chosen.text, chosen.codec, [note]
    if competing:
        raise CorpusError(
            f"not UTF-8 ({where}); it reads as Arabic in more than one code page, with "
            f"different words ({'; '.join(r.describe() for r in competing)}): re-save the "
            "file as UTF-8 from the program that wrote it",
            path,
        )
    raise CorpusError(
        f"not valid UTF-8 ({where}) and not recognisable as UTF-16, UTF-32 or an Arabic "
        f"code page ({'; '.join(r.describe() for r in readings)}); re-save the file as UTF-8",
        path,
    )


@lru_cache(maxsize=1)
def _bmp_classes() -> tuple[np.ndarray, np.ndarray]:
    """Per BMP code point: is it a letter (``str.isalpha``), is it in an Arabic block."""
    chars = "".join(map(chr, range(0x10000)))
    alpha = np.frombuffer(bytearray(map(str.isalpha, chars)), dtype=bool)
    arabic = np.zeros(0x10000, dtype=bool)
    arabic[[m.start() for m in _ARABIC_LETTER_RE.finditer(chars)]] = True
    return alpha, arabic


def _letter_counts(text: str) -> tuple[int, int]:
    """``(Arabic-block characters, alphabetic characters)`` in ``text``.

    The same counts as a loop over every character with ``str.isalpha()`` and a
    ``findall`` of single Arabic characters, by table look-ups in numpy (every
    Arabic block is in the BMP; characters beyond it are tested one by one).
    """
    codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    alpha, arabic = _bmp_classes()
    beyond = codes >= 0x10000
    small = codes[~beyond] if beyond.any() else codes
    letters = int(np.count_nonzero(alpha[small]))
    letters += sum(1 for c in codes[beyond].tolist() if chr(c).isalpha())
    return int(np.count_nonzero(arabic[small])), letters


def _decoded_as(encoding: str | None) -> str:
    """`` (decoded as X)`` for a text that was converted, empty for UTF-8."""
    if encoding in (None, "utf-8", "utf-8-sig"):
        return ""
    return f" (decoded as {encoding})"


def refuse_unusable(
    text: str, path: str | Path, language: str = "ar", encoding: str | None = None
) -> None:
    """Raise :class:`CorpusError` if ``text`` cannot be an article to analyse.

    Refused: whitespace only, NUL characters (binary data, or a wrong decoding),
    a saved HTML page, and (when ``language`` is ``"ar"``) text whose letters are
    mostly not Arabic. ``encoding`` names the conversion the text came from, if
    any, so that the message says so.
    """
    if not text.strip():
        raise CorpusError("the file contains only whitespace" + _decoded_as(encoding), path)
    if "\x00" in text:
        first = text.index("\x00")
        raise CorpusError(
            f"contains NUL characters (U+0000; {text.count(chr(0))} of them, first at "
            f"character {first}, line {line_of(text, first)}){_decoded_as(encoding)}: "
            "binary data, a damaged file or a wrong encoding, not a text",
            path,
        )
    head = text[:20000]
    if _HTML_RE.search(head) or len(_TAG_RE.findall(head)) >= 10:
        raise CorpusError(
            "looks like a saved HTML page (HTML tags found); extract the article text "
            "into a plain UTF-8 .txt file first",
            path,
        )
    if language == "ar":
        _refuse_non_arabic(text, path, encoding)


def _refuse_non_arabic(text: str, path: str | Path, encoding: str | None) -> None:
    arabic, letters = _letter_counts(text)
    if letters == 0:
        raise CorpusError(
            "contains no letters at all (only digits/punctuation)" + _decoded_as(encoding), path
        )
    if arabic / letters < 0.5:
        if _decoded_as(encoding):
            raise CorpusError(
                f"decoded as {encoding}, only {100 * arabic / letters:.0f}% of its letters are "
                "Arabic: not an Arabic text in that encoding; re-save the file as UTF-8",
                path,
            )
        raise CorpusError(
            f"only {100 * arabic / letters:.0f}% of its letters are Arabic: this looks "
            "like a non-Arabic article (e.g. English or French); the pipeline analyses "
            "Arabic text",
            path,
        )


def check_text(
    text: str, path: str | Path, language: str = "ar", encoding: str | None = None
) -> list[str]:
    """Refuse text that cannot be an Arabic article; return warnings for repairs.

    :func:`refuse_unusable`, then the repairs normalization will make
    (:func:`analysis.text.normalize.describe_repairs`).
    """
    refuse_unusable(text, path, language, encoding)
    return describe_repairs(text)
