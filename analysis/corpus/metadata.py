"""The metadata table (``corpus/metadata.csv``): one row per document, checked row by row.

Columns: ``docs/design.md`` ("documents"). Every problem raises
:class:`~analysis.errors.CorpusError` naming the table and the line.
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
_SHA_RE = re.compile(r"^[0-9a-f]{64}$")


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


def metadata_rows(path: Path) -> list[tuple[int, dict[str, str]]]:
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
            line_of(data, exc.start),
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


def read_checked(
    row: dict[str, str], corpus_dir: Path, where: tuple[Path, int]
) -> tuple[Path, bytes]:
    """The file of a metadata row and its bytes, checked against the row's sha256.

    The bytes returned are the ones checked, so a file that changes between the
    check and its use cannot be analysed unverified.
    """
    file = corpus_dir / row["file"]
    try:
        data = file.read_bytes()
    except FileNotFoundError:
        raise CorpusError(f"file {row['file']!r} for {row['doc_id']!r} not found", *where) from None
    except IsADirectoryError:
        raise CorpusError(f"{row['file']!r} for {row['doc_id']!r} is a folder", *where) from None
    except OSError as exc:
        raise CorpusError(f"file {row['file']!r} cannot be read ({exc.strerror})", *where) from None
    if row["sha256"]:
        digest = hashlib.sha256(data).hexdigest()
        if digest != row["sha256"].lower():
            raise CorpusError(
                f"sha256 of {row['file']!r} is {digest}, the table says {row['sha256']} "
                "(the file changed since it was registered)",
                *where,
            )
    return file, data


def read_metadata(path: str | Path = METADATA_FILE, verify: bool = True) -> pd.DataFrame:
    """Read and check the metadata table (columns: see docs/design.md, "documents").

    Every row is checked (unique ``doc_id``, ISO 8601 date consistent with
    ``date_precision``, file present, sha256 matching the file's bytes when
    ``verify``); the first problem raises :class:`CorpusError` with file and line.
    """
    path = Path(path)
    rows = metadata_rows(path)
    for line, row in rows:
        if verify:
            read_checked(row, path.parent, (path, line))
    import pandas as pd

    frame = pd.DataFrame([row for _, row in rows], columns=METADATA_COLUMNS)
    return frame.astype(str)
