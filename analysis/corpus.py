"""Loading corpus documents and the metadata table, read-only and with clear errors.

Decisions (see docs/design.md, "API"):

* Files are opened for reading in binary mode only; nothing here ever writes.
* Encodings: UTF-8 with or without BOM is read as is (the BOM is dropped, so
  offsets count from the first real character). UTF-16 (with a BOM, or without
  one when the byte pattern is unmistakable) and Windows-1256 are *converted with
  a* :class:`~analysis.errors.TextWarning`, and :attr:`Document.encoding` records
  what was read. Text that is mostly UTF-8 but has invalid bytes is refused with
  the byte offset and line, because guessing would silently corrupt words.
* Refused with :class:`~analysis.errors.CorpusError` naming the file: an empty or
  whitespace-only file, NUL bytes (binary data), a saved HTML page (extract the
  article first), a text whose letters are mostly not Arabic (English or French
  article), undecodable bytes.
* Repaired with a warning (by normalization, the original text is kept for
  offsets): bidi controls, zero-width characters, presentation forms,
  Persian/Urdu letter variants, long tatweel runs.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
import warnings
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.dates import date_bounds, precision_of
from analysis.errors import CorpusError, TextWarning
from analysis.normalize import describe_repairs
from analysis.paths import METADATA_FILE

METADATA_COLUMNS = [
    "doc_id",
    "file",
    "language",
    "title",
    "outlet",
    "date",
    "date_precision",
    "notes",
    "sha256",
]
DATE_PRECISIONS = {"day", "month", "year", "range", "unknown"}
_SHA_RE = re.compile(r"^[0-9a-f]{64}$")
_HTML_RE = re.compile(r"<!doctype\s+html|<html[\s>]|<head[\s>]|<body[\s>]", re.IGNORECASE)
_TAG_RE = re.compile(r"</?[a-zA-Z][a-zA-Z0-9]*(\s[^<>]*)?/?>")
_UTF8_ARABIC_PAIR = re.compile(rb"[\xd8-\xdb][\x80-\xbf]")
_HIGH_BYTE = re.compile(rb"[\x80-\xff]")
_ARABIC_LETTER_RE = re.compile(
    "[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufefe]"
)
# Runs of the same classes, counted by length: far fewer matches than one per character.
_ARABIC_RUN_RE = re.compile(_ARABIC_LETTER_RE.pattern + "+")
# Every character with str.isalpha() matches [^\W\d_] (checked over all of Unicode);
# a few that match are not alphabetic (², ½), hence the isalpha check per run.
_LETTER_RUN_RE = re.compile(r"[^\W\d_]+")


@dataclass
class Document:
    """One loaded article.

    ``text`` is the file decoded to ``str`` with a leading BOM removed and nothing
    else changed: every offset in every table points into it.
    """

    doc_id: str
    path: Path
    text: str
    encoding: str
    warnings: list[str] = field(default_factory=list)


def _line_of(data: bytes, offset: int) -> int:
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
            f"contains NUL bytes (first at byte {first}, line {_line_of(data, first)}): "
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
        where = f"byte {exc.start} (0x{data[exc.start]:02x}), line {_line_of(data, exc.start)}"
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


def load_file(path: Path, doc_id: str, language: str = "ar", data: bytes | None = None) -> Document:
    """A document from its file: decoded, checked, repairs warned about.

    ``data``: the file's bytes when the caller has read them already (the
    corpus-scale path reads each file once, for its checksum and its text).
    ``language`` is the metadata row's: only ``"ar"`` documents must be mostly
    Arabic letters (:func:`check_text`).
    """
    if data is None:
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            raise CorpusError("file not found", path) from None
        except OSError as exc:
            raise CorpusError(f"cannot be read ({exc.strerror})", path) from None
    text, encoding, notes = decode_bytes(data, path)
    notes += check_text(text, path, language)
    for note in notes:
        warnings.warn(f"{path}: {note}", TextWarning, stacklevel=3)
    return Document(doc_id=doc_id, path=path, text=text, encoding=encoding, warnings=notes)


def _check_date(value: str, precision: str, where: tuple[Path, int]) -> None:
    if precision not in DATE_PRECISIONS:
        raise CorpusError(
            f"date_precision {precision!r} is not one of {sorted(DATE_PRECISIONS)}", *where
        )
    if value == "":
        if precision != "unknown":
            raise CorpusError(f"date is empty but date_precision is {precision!r}", *where)
        return
    try:
        date_bounds(value)
    except ValueError as exc:
        raise CorpusError(f"bad date {value!r}: {exc}", *where) from None
    expected = precision_of(value)
    if precision not in (expected, "unknown"):
        raise CorpusError(
            f"date {value!r} has precision {expected!r} but date_precision says {precision!r}",
            *where,
        )


def _metadata_rows(path: Path) -> list[tuple[int, dict[str, str]]]:
    """Parse and check the metadata table; rows with their 1-based line numbers."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise CorpusError("metadata table not found", path) from None
    except OSError as exc:
        raise CorpusError(f"metadata table cannot be read ({exc.strerror})", path) from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        # Spreadsheets save "CSV" as Windows-1256 or UTF-16 unless told otherwise.
        raise CorpusError(
            f"not UTF-8 (byte {exc.start}, 0x{data[exc.start]:02x}): save the table as 'CSV UTF-8'",
            path,
            _line_of(data, exc.start),
        ) from None
    rows: list[tuple[int, dict[str, str]]] = []
    with io.StringIO(text, newline="") as handle:
        reader = csv.DictReader(handle)
        missing = [c for c in METADATA_COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            raise CorpusError(f"missing column(s) {missing}", path, 1)
        line = 2
        seen: dict[str, int] = {}
        for record in reader:
            where = (path, line)
            if None in record or any(v is None for v in record.values()):
                raise CorpusError("wrong number of fields", *where)
            row = {k: (record[k] or "").strip() for k in METADATA_COLUMNS}
            doc_id = row["doc_id"]
            if not doc_id:
                raise CorpusError("empty doc_id", *where)
            if doc_id in seen:
                raise CorpusError(
                    f"duplicate doc_id {doc_id!r} (first on line {seen[doc_id]})", *where
                )
            seen[doc_id] = line
            if not row["file"]:
                raise CorpusError(f"empty file name for {doc_id!r}", *where)
            _check_date(row["date"], row["date_precision"], where)
            if row["sha256"] and not _SHA_RE.match(row["sha256"].lower()):
                raise CorpusError(f"sha256 {row['sha256']!r} is not 64 hex digits", *where)
            rows.append((line, row))
            line = reader.line_num + 1
    return rows


def _check_file(row: dict[str, str], corpus_dir: Path, where: tuple[Path, int]) -> Path:
    file = corpus_dir / row["file"]
    if not file.is_file():
        raise CorpusError(f"file {row['file']!r} for {row['doc_id']!r} not found", *where)
    if row["sha256"]:
        digest = hashlib.sha256(file.read_bytes()).hexdigest()
        if digest != row["sha256"].lower():
            raise CorpusError(
                f"sha256 of {row['file']!r} is {digest}, the table says {row['sha256']} "
                "(the file changed since it was registered)",
                *where,
            )
    return file


def read_metadata(path: str | Path = METADATA_FILE, verify: bool = True) -> pd.DataFrame:
    """Read and check the metadata table (columns: see docs/design.md, "documents").

    Every row is checked (unique ``doc_id``, ISO 8601 date consistent with
    ``date_precision``, file present, sha256 matching the file's bytes when
    ``verify``); the first problem raises :class:`CorpusError` with file and line.
    """
    path = Path(path)
    rows = _metadata_rows(path)
    for line, row in rows:
        if verify:
            _check_file(row, path.parent, (path, line))
    frame = pd.DataFrame([row for _, row in rows], columns=METADATA_COLUMNS)
    return frame.astype(str)


def load_document(doc_id_or_path: str | Path, metadata: str | Path = METADATA_FILE) -> Document:
    """Load one document by its ``doc_id`` in the metadata table, or by file path.

    A ``Path``, or a string naming an existing file, is read directly (its
    ``doc_id`` is the file name without extension); anything else is looked up
    in ``metadata`` and the file's sha256 is checked.
    """
    candidate = Path(doc_id_or_path)
    if isinstance(doc_id_or_path, Path) or candidate.is_file():
        return load_file(candidate, candidate.stem)
    metadata = Path(metadata)
    for line, row in _metadata_rows(metadata):
        if row["doc_id"] == str(doc_id_or_path):
            file = _check_file(row, metadata.parent, (metadata, line))
            return load_file(file, row["doc_id"], row["language"] or "ar")
    raise CorpusError(
        f"no document {str(doc_id_or_path)!r}: not a file and not a doc_id in the table",
        metadata,
    )


def iter_documents(
    selection: Iterable[str] | pd.DataFrame | None = None,
    metadata: str | Path = METADATA_FILE,
) -> Iterator[Document]:
    """Yield documents one at a time (streaming: only one text is in memory).

    ``selection`` is ``None`` (every row of the metadata table, in table order), an
    iterable of ``doc_id`` values, or a subset of :func:`read_metadata`'s frame.
    """
    metadata = Path(metadata)
    rows = _metadata_rows(metadata)
    if selection is None:
        wanted = [row["doc_id"] for _, row in rows]
    elif isinstance(selection, pd.DataFrame):
        wanted = list(selection["doc_id"])
    else:
        wanted = [str(s) for s in selection]
    by_id = {row["doc_id"]: (line, row) for line, row in rows}
    for doc_id in wanted:
        if doc_id not in by_id:
            raise CorpusError(f"selection names unknown doc_id {doc_id!r}", metadata)
        line, row = by_id[doc_id]
        file = _check_file(row, metadata.parent, (metadata, line))
        yield load_file(file, doc_id, row["language"] or "ar")
