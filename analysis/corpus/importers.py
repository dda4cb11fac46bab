"""Importing article collections into a corpus folder: texts plus a metadata table.

Scholars' corpora rarely come as one text file per article. These importers read
a collection, streaming, and write what the rest of the project reads: one UTF-8
text file per article under ``<target>/texts/`` and ``<target>/metadata.csv``
(the columns of :data:`analysis.corpus.metadata.METADATA_COLUMNS`, with
``category`` and ``url`` added). Every text goes through the same checks as a
plain-text document (:func:`analysis.corpus.decode.check_text`); an article whose
text is empty is left out and counted in the returned report, never silently.

* :func:`import_trec`: TREC/CLEF-style XML, one ``<DOC>`` per file or several,
  as in the ANT corpus (``<DOCNO>``, ``<URL>``, ``<SRC>``, ``<CAT>``,
  ``<TITLE>``, ``<TIME>``, ``<TEXT>``), from a folder or a ``.tar``/``.tar.gz``/
  ``.tar.xz`` archive. The document text is the ``<TEXT>`` element, whitespace
  around it stripped; the date comes from ``<TIME>`` (RFC 2822 or ISO 8601), or
  from a ``YYYYMMDD`` ending of the DOCNO when the time cannot be read.
* :func:`import_table`: a CSV file or a JSON Lines file of articles, one per row
  (a ``text`` column and, optionally, ``doc_id``, ``title``, ``outlet``, ``date``,
  ``category``, ``url``).

The target folder is written afresh; the source is only read.
"""

from __future__ import annotations

import csv
import datetime as dt
import email.utils
import hashlib
import html
import json
import re
import shutil
import tarfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from analysis.corpus.decode import check_text, decode_bytes
from analysis.corpus.metadata import METADATA_COLUMNS
from analysis.errors import CorpusError

EXTRA_COLUMNS = ("category", "url")
_DOC = re.compile(r"<DOC>(.*?)</DOC>", re.S)
_FIELD = re.compile(r"<(DOCNO|URL|SRC|CAT|TITLE|TIME|TEXT)>(.*?)</\1>", re.S)
_DOCNO_DATE = re.compile(r"(\d{4})(\d{2})(\d{2})$")
_SAFE_ID = re.compile(r"[^A-Za-z0-9._-]+")


@dataclass
class ImportReport:
    """What an import wrote and what it left out (with the reason for each)."""

    metadata: Path
    written: int = 0
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (where, why)


def import_trec(
    source: str | Path, target: str | Path, outlet_names: dict[str, str] | None = None
) -> ImportReport:
    """Import a TREC/CLEF-style XML collection (folder or tar archive) into ``target``.

    ``outlet_names`` maps ``<SRC>`` values to the outlet names to record
    (``{"alarabia": "Al Arabiya"}``); other values are kept as they are.
    """
    names = outlet_names or {}
    rows = (
        _trec_row(fields, where, names)
        for where, xml in _xml_documents(Path(source))
        for fields in _docs(xml, where)
    )
    return _write(rows, Path(target))


def import_table(source: str | Path, target: str | Path) -> ImportReport:
    """Import a CSV (``.csv``) or JSON Lines (``.jsonl``) file of articles into ``target``."""
    source = Path(source)
    if source.suffix.lower() == ".jsonl":
        records = _jsonl_records(source)
    elif source.suffix.lower() == ".csv":
        records = _csv_records(source)
    else:
        raise CorpusError("expected a .csv or .jsonl file of articles", source)
    return _write((_table_row(record, where) for where, record in records), Path(target))


def trec_date(time: str, docno: str) -> tuple[str, str]:
    """``(date, date_precision)`` from a ``<TIME>`` value, or from the DOCNO's ending."""
    time = time.strip()
    try:
        return email.utils.parsedate_to_datetime(time).date().isoformat(), "day"
    except (TypeError, ValueError, IndexError):
        pass
    match = re.match(r"(\d{4})-(\d{2})-(\d{2})T", time)
    if match:
        return "-".join(match.groups()), "day"
    match = _DOCNO_DATE.search(docno)
    if match:
        try:
            return dt.date(*map(int, match.groups())).isoformat(), "day"
        except ValueError:
            pass
    return "", "unknown"


def _xml_documents(source: Path) -> Iterator[tuple[str, str]]:
    """``(where, xml text)`` of every file of a folder or tar archive, in name order."""
    if source.is_dir():
        for path in sorted(p for p in source.rglob("*") if p.is_file()):
            yield str(path), _decoded(path.read_bytes(), path)
    elif tarfile.is_tarfile(source):
        with tarfile.open(source) as archive:
            for member in archive:  # streamed: the archive is read once, in order
                if member.isfile() and not member.name.lower().endswith((".md", "license")):
                    data = archive.extractfile(member).read()
                    yield f"{source}:{member.name}", _decoded(data, f"{source}:{member.name}")
    else:
        raise CorpusError("not a folder or a tar archive of XML articles", source)


def _decoded(data: bytes, where: str | Path) -> str:
    text, _, _ = decode_bytes(data, where)
    return text


def trec_fields(xml: str) -> dict[str, str]:
    """The fields of one ``<DOC>`` (its body), whitespace around each value stripped."""
    return {name: html.unescape(value.strip()) for name, value in _FIELD.findall(xml)}


def _docs(xml: str, where: str) -> Iterator[dict[str, str]]:
    found = _DOC.findall(xml)
    if not found and "<DOCNO>" in xml:
        raise CorpusError("a <DOCNO> outside any <DOC> element (malformed XML?)", where)
    for body in found:
        fields = trec_fields(body)
        if "DOCNO" not in fields or "TEXT" not in fields:
            raise CorpusError("a <DOC> without <DOCNO> or <TEXT>", where)
        yield fields


def _trec_row(fields: dict[str, str], where: str, names: dict[str, str]) -> dict[str, str]:
    date, precision = trec_date(fields.get("TIME", ""), fields["DOCNO"])
    source = fields.get("SRC", "")
    return {
        "doc_id": fields["DOCNO"],
        "text": fields["TEXT"],
        "title": fields.get("TITLE", ""),
        "outlet": names.get(source, source),
        "date": date,
        "date_precision": precision,
        "category": fields.get("CAT", ""),
        "url": fields.get("URL", ""),
        "where": where,
    }


def _jsonl_records(path: Path) -> Iterator[tuple[str, dict]]:
    with open(path, encoding="utf-8-sig") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as error:
                raise CorpusError(f"not JSON ({error.msg})", path, number) from None
            if not isinstance(record, dict):
                raise CorpusError("each line must be a JSON object", path, number)
            yield f"{path}, line {number}", record


def _csv_records(path: Path) -> Iterator[tuple[str, dict]]:
    with open(path, encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        if "text" not in (reader.fieldnames or []):
            raise CorpusError(f"needs a 'text' column (columns: {reader.fieldnames})", path, 1)
        for record in reader:
            yield f"{path}, line {reader.line_num}", record


def _table_row(record: dict, where: str) -> dict[str, str]:
    row = {k: str(record.get(k) or "").strip() for k in ("doc_id", "title", "outlet", "date")}
    row.update({k: str(record.get(k) or "").strip() for k in EXTRA_COLUMNS})
    row["text"] = str(record.get("text") or "")
    row["date_precision"] = _precision(row["date"])
    row["where"] = where
    return row


def _precision(date: str) -> str:
    if not date:
        return "unknown"
    if "/" in date:
        return "range"
    return {1: "year", 2: "month", 3: "day"}.get(date.count("-") + 1, "unknown")


def _write(rows: Iterator[dict[str, str]], target: Path) -> ImportReport:
    """Write the texts and the metadata table (afresh) and report what was left out."""
    if target.exists():
        shutil.rmtree(target)
    (target / "texts").mkdir(parents=True)
    report = ImportReport(target / "metadata.csv")
    seen: set[str] = set()
    with open(report.metadata, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow([*METADATA_COLUMNS, *EXTRA_COLUMNS])
        for number, row in enumerate(rows, start=1):
            doc_id = _SAFE_ID.sub("_", row["doc_id"]) or f"doc-{number:06d}"
            text = row["text"].strip()
            if not text:
                report.skipped.append((row["where"], "empty text"))
                continue
            if doc_id in seen:
                raise CorpusError(f"document id {doc_id!r} occurs twice", row["where"])
            seen.add(doc_id)
            check_text(text, row["where"])
            data = text.encode("utf-8")
            (target / "texts" / f"{doc_id}.txt").write_bytes(data)
            writer.writerow(
                [doc_id, f"texts/{doc_id}.txt", "ar", row["title"], row["outlet"], row["date"],
                 row["date_precision"], "", hashlib.sha256(data).hexdigest(),
                 row["category"], row["url"]]
            )  # fmt: skip
            report.written += 1
    return report
