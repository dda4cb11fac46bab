"""Reading a corpus file's bytes as Arabic text, safely, or refusing with a clear reason.

* Files are opened for reading in binary mode only; nothing here ever writes.
* Encodings: UTF-8 with or without BOM is read as is (the BOM is dropped, so
  offsets count from the first real character). UTF-16 (with a BOM, or without
  one when the byte pattern is unmistakable) and Windows-1256 are *converted with
  a* :class:`~analysis.errors.TextWarning`. Text that is mostly UTF-8 but has
  invalid bytes is refused with the byte offset and line, because guessing would
  silently corrupt words.
* Refused with :class:`~analysis.errors.CorpusError` naming the file: an empty or
  whitespace-only file, NUL bytes (binary data), a saved HTML page (extract the
  article first), a text whose letters are mostly not Arabic (English or French
  article), undecodable bytes.
* Repaired with a warning (by normalization, the original text is kept for
  offsets): bidi controls, zero-width characters, presentation forms,
  Persian/Urdu letter variants, long tatweel runs.
"""

from __future__ import annotations

import re
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


def line_of(data: bytes, offset: int) -> int:
    """1-based line of a byte offset."""
    return data.count(b"\n", 0, offset) + 1


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


def _decode_utf16(data: bytes, path: str | Path, notes: list[str]) -> tuple[str, str, list[str]]:
    codec = _looks_utf16(data) or "utf-16-le"
    try:
        text = data.decode(codec)
    except UnicodeDecodeError as exc:
        raise CorpusError(f"looks like {codec} but is not valid ({exc.reason})", path) from None
    notes.append(f"converted from {codec} without BOM; save as UTF-8 to silence")
    return text, codec, notes


def decode_bytes(data: bytes, path: str | Path) -> tuple[str, str, list[str]]:
    """Decode a corpus file's bytes: ``(text, encoding, warnings)``.

    Raises :class:`CorpusError` naming ``path`` when the bytes cannot be read
    safely (see the module docstring for the policy).
    """
    notes: list[str] = []
    if not data:
        raise CorpusError("the file is empty (0 bytes)", path)
    if data.startswith(b"\xef\xbb\xbf"):
        data, encoding = data[3:], "utf-8-sig"
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        codec = "utf-16-le" if data.startswith(b"\xff\xfe") else "utf-16-be"
        try:
            text = data[2:].decode(codec)
        except UnicodeDecodeError as exc:
            raise CorpusError(
                f"has a UTF-16 BOM but is not valid UTF-16 ({exc.reason})", path
            ) from None
        notes.append(f"converted from UTF-16 ({codec}, with BOM); save as UTF-8 to silence")
        return text, "utf-16", notes
    else:
        encoding = "utf-8"
    if b"\x00" in data:
        if _looks_utf16(data):
            return _decode_utf16(data, path, notes)
        first = data.index(b"\x00")
        raise CorpusError(
            f"contains NUL bytes (first at byte {first}, line {line_of(data, first)}): "
            "binary data or a damaged file, not a text file",
            path,
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        if _looks_utf16(data):
            return _decode_utf16(data, path, notes)
        high = len(_HIGH_BYTE.findall(data))
        utf8_share = 2 * len(_UTF8_ARABIC_PAIR.findall(data)) / max(high, 1)
        where = f"byte {exc.start} (0x{data[exc.start]:02x}), line {line_of(data, exc.start)}"
        if utf8_share > 0.5:
            raise CorpusError(
                f"invalid UTF-8 at {where}: the file is mostly UTF-8 but damaged; "
                "fix or re-save it as UTF-8",
                path,
            ) from None
        candidate = data.decode("cp1256", errors="replace")
        letters = sum(1 for c in candidate if c.isalpha())
        arabic = len(_ARABIC_LETTER_RE.findall(candidate))
        if letters and arabic / letters >= 0.5 and "\ufffd" not in candidate:
            notes.append(
                f"not UTF-8 (first non-UTF-8 {where}); decoded as Windows-1256 (cp1256). "
                "Save as UTF-8 to silence"
            )
            return candidate, "cp1256", notes
        raise CorpusError(
            f"not valid UTF-8 ({where}) and not recognisable as UTF-16 or Windows-1256; "
            "re-save the file as UTF-8",
            path,
        ) from None
    return text, encoding, notes


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


def check_text(text: str, path: str | Path, language: str = "ar") -> list[str]:
    """Refuse text that cannot be an Arabic article; return warnings for repairs.

    Raises :class:`CorpusError` for whitespace-only text, a saved HTML page, or
    (when ``language`` is ``"ar"``) text whose letters are mostly not Arabic.
    """
    if not text.strip():
        raise CorpusError("the file contains only whitespace", path)
    head = text[:20000]
    if _HTML_RE.search(head) or len(_TAG_RE.findall(head)) >= 10:
        raise CorpusError(
            "looks like a saved HTML page (HTML tags found); extract the article text "
            "into a plain UTF-8 .txt file first",
            path,
        )
    arabic, letters = _letter_counts(text)
    if language == "ar":
        if letters == 0:
            raise CorpusError("contains no letters at all (only digits/punctuation)", path)
        if arabic / letters < 0.5:
            raise CorpusError(
                f"only {100 * arabic / letters:.0f}% of its letters are Arabic: this looks "
                "like a non-Arabic article (e.g. English or French); the pipeline analyses "
                "Arabic text",
                path,
            )
    return describe_repairs(text)
