"""Load and validate the frame and actor lexicons that scholars edit.

A lexicon is two CSV files in ``lexicons/`` (schema in ``docs/lexicon.md``):

* a **declaration** file (``frames.csv`` / ``actors.csv``) listing the valid
  category ids with an English and an Arabic label, a description and a source, so
  that a term filed under a misspelt frame is an error rather than a new frame;
* a **terms** file (``frame_terms.csv`` / ``actor_terms.csv``): one row per term
  with its category, the Arabic term (one or several words), an English gloss, the
  match mode, optional suffix variants, optional sense guards and a note.

Everything a scholar can get wrong is checked when the file is loaded, and every
problem raises :class:`analysis.errors.LexiconError` naming the file, the line and
the problem, so a malformed lexicon never silently changes the counts.

Terms are normalized with :func:`analysis.normalize.normalize_word`, the function
the text stage applies to the corpus, so both sides of a comparison went through
the same rules. Matching itself is in :mod:`analysis.lexicon.matching`.
"""

from __future__ import annotations

import csv
import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from analysis.errors import LexiconError
from analysis.lexicon.guards import parse_guards, read_wordclasses, script_problem
from analysis.lexicon.inflection import accusative, attach, construct_forms, inflections
from analysis.paths import LEXICON_DIR

if TYPE_CHECKING:  # pandas is imported where tables are made (see analysis.exports)
    import pandas as pd
from analysis.text.normalize import fold_teh_marbuta, normalize_word

MATCH_MODES = ("bare", "exact")
"""``bare``: clitics allowed (و ف ب ل ك ال before, pronouns after), compared on
the token's bare forms; ``exact``: the whole written word (normalized) must equal
the term."""

AUTO = "auto"
"""In a ``suffixes`` cell: add the inflected forms the dictionary gives for the last word."""

CATEGORY_ID = re.compile(r"^[a-z][a-z0-9_]*$")


@dataclass(frozen=True)
class LexiconKind:
    """Which lexicon: the name of its category column, its two files, and its list of names.

    ``names`` (optional file) lists proper names that contain the lexicon's words
    but are not occurrences of its categories (``منظمة التحرير الفلسطينية``).
    """

    column: str
    declarations: str
    terms: str
    names: str = ""


FRAMES = LexiconKind(
    column="frame", declarations="frames.csv", terms="frame_terms.csv", names="not_frames.csv"
)
ACTORS = LexiconKind(column="actor", declarations="actors.csv", terms="actor_terms.csv")

DECLARATION_COLUMNS = ("label_en", "label_ar", "description", "source")
TERM_COLUMNS = ("term", "gloss", "match", "suffixes", "guard", "note")


@dataclass(frozen=True)
class Lexicon:
    """A validated lexicon.

    ``categories`` has one row per declared id (column named after ``kind.column``
    plus ``label_en``, ``label_ar``, ``description``, ``source``). ``entries`` has
    one row per term: ``entry_id``, the category column, ``term`` (as written),
    ``gloss``, ``match``, ``suffixes`` (tuple), ``guard`` (as written), ``note``,
    ``line`` (in the terms file), ``words`` (tuple of normalized words), ``forms``
    (tuple of word tuples: the term and its suffix variants, normalized) and
    ``guards`` (tuple of :class:`analysis.lexicon.guards.Guard`).
    """

    kind: LexiconKind
    categories: pd.DataFrame
    entries: pd.DataFrame
    declarations_path: Path
    terms_path: Path
    checksum: str = ""  # sha256 of the files' bytes: which lexicon a result came from
    names: tuple[tuple[str, ...], ...] = ()  # normalized words of each name that is no hit

    @property
    def column(self) -> str:
        """Name of the category column (``frame`` or ``actor``)."""
        return self.kind.column


def match_key(word: str) -> str:
    """Comparison form of an already normalized word: teh marbuta folded into heh.

    Scraped Arabic often writes final ة as ه (القضيه); folding both sides at
    comparison time makes such spellings match without changing any table.
    """
    return fold_teh_marbuta(word)


def load_frame_lexicon(directory: str | Path | None = None) -> Lexicon:
    """Load ``frames.csv`` + ``frame_terms.csv`` from ``directory`` (default ``lexicons/``)."""
    return load_lexicon(FRAMES, directory)


def load_actor_lexicon(directory: str | Path | None = None) -> Lexicon:
    """Load ``actors.csv`` + ``actor_terms.csv`` from ``directory`` (default ``lexicons/``)."""
    return load_lexicon(ACTORS, directory)


def load_lexicon(kind: LexiconKind, directory: str | Path | None = None) -> Lexicon:
    """Load and validate one lexicon (declarations + terms) of the given kind.

    Raises :class:`LexiconError` (file, line, problem) on the first problem found.
    """
    base = Path(LEXICON_DIR if directory is None else directory)
    declarations_path = base / kind.declarations
    terms_path = base / kind.terms
    classes = read_wordclasses(base)
    categories = _read_declarations(declarations_path, kind.column)
    entries = _read_terms(terms_path, kind.column, categories, declarations_path, classes)
    names_path = base / kind.names if kind.names else None
    names = _read_names(names_path) if names_path and names_path.is_file() else ()
    sources = [declarations_path, terms_path, *sorted((base / "wordclasses").glob("*.txt"))]
    if names:
        sources.append(names_path)
    digest = hashlib.sha256(b"\0".join(path.read_bytes() for path in sources))
    return Lexicon(
        kind, categories, entries, declarations_path, terms_path, digest.hexdigest(), names
    )


# ---------------------------------------------------------------------------
# CSV reading with line numbers


def _rows(path: Path, required: tuple[str, ...]) -> Iterator[tuple[int, dict[str, str]]]:
    """Yield ``(line, row)`` for every non-blank data row of a UTF-8 CSV file.

    ``line`` is the 1-based physical line where the record starts. The header must
    name every column in ``required``; extra columns are kept (scholars may add
    their own) and passed through.
    """
    if not path.is_file():
        raise LexiconError("file not found", path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise LexiconError(
            f"not UTF-8 (byte {exc.start}): save the file as UTF-8 CSV", path
        ) from exc
    lines = text.splitlines(keepends=True)
    reader = csv.reader(lines, strict=True)
    try:
        header = next(reader, None)
    except csv.Error as exc:
        raise LexiconError(f"malformed CSV: {exc}", path, 1) from exc
    if header is None or not any(h.strip() for h in header):
        raise LexiconError("empty file: the first line must name the columns", path, 1)
    names = [h.strip() for h in header]
    seen: set[str] = set()
    for name in names:
        if name in seen:
            raise LexiconError(f"column '{name}' appears twice in the header", path, 1)
        seen.add(name)
    missing = [c for c in required if c not in names]
    if missing:
        raise LexiconError(
            f"missing column(s) {', '.join(repr(c) for c in missing)} in the header "
            f"(required: {', '.join(required)})",
            path,
            1,
        )
    line = reader.line_num + 1
    while True:
        try:
            record = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise LexiconError(f"malformed CSV: {exc}", path, line) from exc
        start, line = line, reader.line_num + 1
        if not any(cell.strip() for cell in record):
            continue
        if len(record) != len(names):
            raise LexiconError(
                f"{len(record)} fields but the header has {len(names)} "
                "(a comma inside a cell needs the cell in double quotes)",
                path,
                start,
            )
        yield start, {n: cell.strip() for n, cell in zip(names, record, strict=True)}


def _read_declarations(path: Path, column: str) -> pd.DataFrame:
    required = (column, *DECLARATION_COLUMNS)
    rows = []
    lines: dict[str, int] = {}
    for line, row in _rows(path, required):
        cid = row[column]
        if not cid:
            raise LexiconError(f"empty {column} id", path, line)
        if not CATEGORY_ID.match(cid):
            raise LexiconError(
                f"{column} id '{cid}' must be lower-case ASCII letters, digits and '_' "
                "(it is used in file names and code)",
                path,
                line,
            )
        if cid in lines:
            raise LexiconError(
                f"duplicate {column} id '{cid}' (first declared on line {lines[cid]})", path, line
            )
        if not row["label_en"]:
            raise LexiconError(f"{column} '{cid}' has an empty label_en", path, line)
        lines[cid] = line
        rows.append({**row, "line": line})
    if not rows:
        raise LexiconError(f"no {column} declared", path)
    import pandas as pd

    return pd.DataFrame(rows)


# ---------------------------------------------------------------------------
# Terms


def _parse_suffixes(value: str, path: Path, line: int) -> tuple[str, ...]:
    """The endings of a ``suffixes`` cell, normalized; ``auto`` is kept as it is."""
    if not value:
        return ()
    result = []
    for raw in value.split("|"):
        if raw.strip() == AUTO:
            result.append(AUTO)
            continue
        suffix = normalize_word(raw)
        if not suffix:
            raise LexiconError(
                f"empty suffix in '{value}' (suffixes are separated by '|', e.g. ة|ون|ين)",
                path,
                line,
            )
        problem = script_problem(raw.strip())
        if problem or " " in suffix:
            raise LexiconError(
                f"suffix '{raw.strip()}' is not Arabic letters"
                + (f": {problem}" if problem else ""),
                path,
                line,
            )
        result.append(suffix)
    return tuple(dict.fromkeys(result))


def _read_names(path: Path) -> tuple[tuple[str, ...], ...]:
    """The names of a names file (columns ``name, gloss, note``), normalized, in file order."""
    names = []
    for line, row in _rows(path, ("name", "gloss", "note")):
        problem = script_problem(row["name"])
        words = tuple(normalize_word(row["name"]).split())
        if problem or len(words) < 2:
            why = f"is not in Arabic script: {problem}" if problem else "needs two words or more"
            raise LexiconError(f"name {row['name']!r} {why}", path, line)
        names.append(words)
    return tuple(dict.fromkeys(names))


def _read_terms(
    path: Path,
    column: str,
    categories: pd.DataFrame,
    declarations_path: Path,
    classes: dict[str, frozenset[str]],
) -> pd.DataFrame:
    required = (column, *TERM_COLUMNS)
    valid = list(categories[column])
    rows = []
    seen_forms: dict[tuple[str, ...], tuple[int, str, str]] = {}
    for line, row in _rows(path, required):
        category, term = row[column], row["term"]
        if not term:
            raise LexiconError("empty term", path, line)
        if not category:
            raise LexiconError(f"empty {column} for term '{term}'", path, line)
        if category not in valid:
            raise LexiconError(
                f"unknown {column} '{category}' for term '{term}' (declared in "
                f"{declarations_path.name}: {', '.join(valid)})",
                path,
                line,
            )
        problem = script_problem(term)
        if problem:
            raise LexiconError(f"term {term!r} is not in Arabic script: {problem}", path, line)
        words = tuple(normalize_word(term).split())
        if not words:
            raise LexiconError(f"empty term ('{term}' is only diacritics)", path, line)
        if not row["gloss"]:
            raise LexiconError(f"term '{term}' has no English gloss", path, line)
        match = row["match"] or "bare"
        if match not in MATCH_MODES:
            raise LexiconError(
                f"match '{match}' for term '{term}' must be one of {', '.join(MATCH_MODES)}",
                path,
                line,
            )
        suffixes = _parse_suffixes(row["suffixes"], path, line)
        guards = parse_guards(row["guard"], path, line, classes)
        forms = (words,) + tuple((*words[:-1], attach(words[-1], s)) for s in suffixes if s != AUTO)
        for form in forms:
            key = tuple(match_key(w) for w in form)
            if key in seen_forms:
                first_line, first_term, first_cat = seen_forms[key]
                shown = " ".join(form)
                via = "" if form == words else f" (its suffix variant '{shown}')"
                raise LexiconError(
                    f"duplicate entry: term '{term}'{via} is already listed on line "
                    f"{first_line} ('{first_term}', {column} {first_cat})",
                    path,
                    line,
                )
            seen_forms[key] = (line, term, category)
        rows.append(
            {
                **row,
                "entry_id": f"{category}/{term}",
                column: category,
                "term": term,
                "match": match,
                "suffixes": suffixes,
                "line": line,
                "words": words,
                "forms": forms,
                "guards": guards,
            }
        )
    if not rows:
        raise LexiconError("no terms listed", path)
    _add_generated_forms(rows, {tuple(match_key(w) for w in f) for r in rows for f in r["forms"]})
    front = ["entry_id", column, "term", "gloss", "match", "suffixes", "guard", "note", "line"]
    import pandas as pd

    frame = pd.DataFrame(rows)
    return frame[front + [c for c in frame.columns if c not in front]]


def _add_generated_forms(rows: list[dict], taken: set[tuple[str, ...]]) -> None:
    """Add to each row the forms it implies beyond those written in the file.

    The construct forms of sound plural endings (ون → و, ين → ي: لاجئي المخيم),
    the indefinite accusative of a ``bare`` term (احتجاجا) and, for ``auto``,
    the dictionary's inflections of the last word
    (:func:`analysis.lexicon.inflection.inflections`). A generated form already
    written elsewhere in the file, or generated by an earlier row, is left to
    that row.
    """
    for row in rows:
        words, suffixes = row["words"], row["suffixes"]
        endings = [attach(words[-1], s) for s in construct_forms(suffixes)]
        if row["match"] == "bare":
            endings += [accusative(words[-1]) or words[-1]]
        if AUTO in suffixes:
            endings += inflections(words[-1])
        extra = []
        for last in endings:
            form = (*words[:-1], last)
            key = tuple(match_key(w) for w in form)
            if key not in taken:
                taken.add(key)
                extra.append(form)
        row["forms"] = row["forms"] + tuple(extra)
