"""The metadata table (``corpus/metadata.csv``): one row per document, checked row by row.

Columns: ``docs/design.md`` ("documents"). Every problem raises
:class:`~analysis.errors.CorpusError` naming the table and the line.

The rules, as the README states them for scholars:

* the table is UTF-8 CSV; columns may be separated by commas, or by semicolons or
  tabs as spreadsheet programs save "CSV" in many locales (the separator is the
  one that splits the header line into the most columns); each column is named
  once; columns beyond the required ones are kept;
* ``doc_id`` and ``file`` are required; a ``doc_id`` is any text without a comma
  (commas separate ids in the ``doc_ids`` parameter), a line break or another
  control character, and is unique;
* any other field may be left empty when it is not known: an empty ``language``
  is ``ar``; an empty ``date`` has precision ``unknown``; an empty
  ``date_precision`` is the precision the date itself states (``2009-12`` is a
  month); an empty ``sha256`` is not checked;
* dates are ISO 8601 (``2009``, ``2009-12``, ``2009-12-01``, ``2009-11-14/2009-12-17``).
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from pathlib import Path
from typing import TYPE_CHECKING

from analysis.corpus.dates import date_bounds, precision_of
from analysis.corpus.decode import line_of
from analysis.corpus.files import FileProblem, read_file, sha256_mismatch
from analysis.errors import CorpusError
from analysis.paths import METADATA_FILE

if TYPE_CHECKING:
    import pandas as pd

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
#: Column separators recognised in the header line (the first is preferred on a tie).
SEPARATORS = (",", ";", "\t")
_SEPARATOR_NAMES = {",": "','", ";": "';'", "\t": "a tab"}
_SHA_RE = re.compile(r"^[0-9a-f]{64}$")
_CONTROL_RE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
Where = tuple[Path, int]


def _check_date(row: dict[str, str], where: Where) -> None:
    """Check ``date`` and ``date_precision``; fill an empty precision from the date."""
    value, precision = row["date"], row["date_precision"]
    if precision and precision not in DATE_PRECISIONS:
        raise CorpusError(
            f"date_precision {precision!r} is not one of {sorted(DATE_PRECISIONS)} "
            "(or empty: the date's own precision)",
            *where,
        )
    if value == "":
        if precision not in ("", "unknown"):
            raise CorpusError(f"date is empty but date_precision is {precision!r}", *where)
        row["date_precision"] = "unknown"
        return
    try:
        date_bounds(value)
    except ValueError as exc:
        raise CorpusError(f"bad date {value!r}: {exc}", *where) from None
    expected = precision_of(value)
    if precision not in (expected, "unknown", ""):
        raise CorpusError(
            f"date {value!r} has precision {expected!r} but date_precision says {precision!r}",
            *where,
        )
    row["date_precision"] = precision or expected


def _check_doc_id(doc_id: str, seen: dict[str, int], where: Where) -> None:
    if not doc_id:
        raise CorpusError("empty doc_id", *where)
    if "," in doc_id:
        raise CorpusError(
            f"doc_id {doc_id!r} contains a comma, which separates ids in the doc_ids "
            "parameter; choose an id without one",
            *where,
        )
    if _CONTROL_RE.search(doc_id):
        raise CorpusError(f"doc_id {doc_id!r} contains a line break or control character", *where)
    if doc_id in seen:
        raise CorpusError(f"duplicate doc_id {doc_id!r} (first on line {seen[doc_id]})", *where)


def _check_row(record: dict[str | None, str | None], seen: dict[str, int], where: Where) -> dict:
    """One data row, stripped and checked (see the module docstring for the rules)."""
    if None in record or any(v is None for v in record.values()):
        raise CorpusError("wrong number of fields", *where)
    row = {k: (record[k] or "").strip() for k in METADATA_COLUMNS}
    if any("\x00" in value for value in row.values()):
        raise CorpusError("a field contains a NUL character (a damaged table?)", *where)
    _check_doc_id(row["doc_id"], seen, where)
    if not row["file"]:
        raise CorpusError(f"empty file name for {row['doc_id']!r}", *where)
    _check_date(row, where)
    if row["sha256"] and not _SHA_RE.match(row["sha256"].lower()):
        raise CorpusError(f"sha256 {row['sha256']!r} is not 64 hex digits", *where)
    return row


def _table_text(path: Path) -> str:
    """The table decoded from UTF-8 (with or without BOM), or a clear CorpusError."""
    try:
        data = read_file(path)
    except FileProblem as problem:
        reason = problem.reason.replace("not found", "metadata table not found")
        if reason.startswith("cannot be read"):
            reason = "metadata table " + reason
        raise CorpusError(reason, path) from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        # Spreadsheets save "CSV" as Windows-1256 or UTF-16 unless told otherwise.
        raise CorpusError(
            f"not UTF-8 (byte {exc.start}, 0x{data[exc.start]:02x}): save the table as 'CSV UTF-8'",
            path,
            line_of(data, exc.start),
        ) from None


def _separator(header: str) -> str:
    """The separator that splits the header line into the most columns."""
    counts = {s: len(next(csv.reader([header], delimiter=s), [])) for s in SEPARATORS}
    return max(SEPARATORS, key=lambda s: (counts[s], -SEPARATORS.index(s)))


def _check_header(names: list[str], separator: str, path: Path) -> None:
    """Every required column present, and no column named twice."""
    first: dict[str, int] = {}
    for number, name in enumerate(names, start=1):
        if name and name in first:
            raise CorpusError(
                f"column {name!r} is named twice in the header (columns {first[name]} and "
                f"{number}); which one holds the data is not clear",
                path,
                1,
            )
        first[name] = number
    missing = [c for c in METADATA_COLUMNS if c not in first]
    if missing:
        read_as = f"read with {_SEPARATOR_NAMES[separator]} between columns"
        raise CorpusError(
            f"missing column(s) {missing} (the header, {read_as}, names {names}); "
            f"the columns are {', '.join(METADATA_COLUMNS)}, separated by commas, "
            "semicolons or tabs",
            path,
            1,
        )


def metadata_rows(path: Path) -> list[tuple[int, dict[str, str]]]:
    """Parse and check the metadata table; rows with their 1-based line numbers."""
    text = _table_text(path)
    separator = _separator(text.split("\n", 1)[0].rstrip("\r"))
    rows: list[tuple[int, dict[str, str]]] = []
    with io.StringIO(text, newline="") as handle:
        reader = csv.DictReader(handle, delimiter=separator)
        line = 1
        try:
            _check_header(list(reader.fieldnames or []), separator, path)
            line = reader.line_num + 1
            seen: dict[str, int] = {}
            for record in reader:
                row = _check_row(record, seen, (path, line))
                seen[row["doc_id"]] = line
                rows.append((line, row))
                line = reader.line_num + 1
        except csv.Error as exc:
            raise CorpusError(
                f"cannot be read as CSV ({exc}): a quote that is never closed makes the rest "
                "of the table one field",
                path,
                line,
            ) from None
    return rows


_SLUG_SAFE = re.compile(r"[a-z0-9][a-z0-9_-]*")


def doc_slug(doc_id: str) -> str:
    """A form of ``doc_id`` fit for a file name: lower-case ASCII letters, digits, ``-``, ``_``.

    An id of that form already is its own slug (the seed's figures keep their
    names); any other id (capitals, dots, spaces, Arabic) is turned into one
    and followed by 8 hex digits of its sha256, so that two ids never share a
    slug (``Doc-A`` → ``doc-a-…``, ``مقال`` → ``doc-…``).
    """
    if _SLUG_SAFE.fullmatch(doc_id):
        return doc_id
    readable = re.sub(r"[^a-z0-9_]+", "-", doc_id.lower()).strip("-_") or "doc"
    return f"{readable[:60]}-{hashlib.sha256(doc_id.encode('utf-8')).hexdigest()[:8]}"


def read_checked(row: dict[str, str], corpus_dir: Path, where: Where) -> tuple[Path, bytes]:
    """The file of a metadata row and its bytes, checked against the row's sha256.

    The bytes returned are the ones checked, so a file that changes between the
    check and its use cannot be analysed unverified. Only regular files are read
    (:func:`analysis.corpus.files.read_file`).
    """
    file = corpus_dir / row["file"]
    try:
        data = read_file(file)
    except FileProblem as problem:
        raise CorpusError(
            f"file {row['file']!r} for {row['doc_id']!r} {problem.reason}", *where
        ) from None
    if row["sha256"]:
        digest = sha256_mismatch(data, row["sha256"])
        if digest is not None:
            raise CorpusError(
                f"sha256 of {row['file']!r} is {digest}, the table says {row['sha256']} "
                "(the file changed since it was registered)",
                *where,
            )
    return file, data


def read_metadata(path: str | Path = METADATA_FILE, verify: bool = True) -> pd.DataFrame:
    """Read and check the metadata table (columns: see docs/design.md, "documents").

    Every row is checked (see the module docstring; unique ``doc_id``, ISO 8601
    date consistent with ``date_precision``, file present, sha256 matching the
    file's bytes when ``verify``); the first problem raises :class:`CorpusError`
    with file and line. An empty ``date_precision`` is filled in from the date.
    """
    path = Path(path)
    rows = metadata_rows(path)
    for line, row in rows:
        if verify:
            read_checked(row, path.parent, (path, line))
    import pandas as pd

    frame = pd.DataFrame([row for _, row in rows], columns=METADATA_COLUMNS)
    return frame.astype(str)
