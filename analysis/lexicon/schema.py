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
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from analysis.errors import LexiconError
from analysis.paths import LEXICON_DIR

if TYPE_CHECKING:  # pandas is imported where tables are made (see analysis.exports)
    import pandas as pd
from analysis.text.normalize import fold_teh_marbuta, normalize_word

MATCH_MODES = ("bare", "exact")
"""``bare``: clitics allowed (و ف ب ل ك ال before, pronouns after), compared on
the token's bare forms; ``exact``: the whole written word (normalized) must equal
the term."""

GUARD_DIRECTIONS = ("prev", "next")
MAX_GUARD_WINDOW = 10
CATEGORY_ID = re.compile(r"^[a-z][a-z0-9_]*$")
_GUARD_WHERE = re.compile(r"^(prev|next)([0-9]*)$")

# Letters (and the diacritics / tatweel that normalization removes) that may appear
# in a term, a suffix or a guard word. Everything else (Latin, digits, punctuation,
# Hebrew, …) is "wrong script".
_ARABIC_CHARS = re.compile(
    r"^[\u0621-\u063a\u0640-\u0652\u0670\u0671-\u06d3\u06d5\u06fa-\u06fc"
    r"\u064b-\u065f\u06d6-\u06ed]+$"
)


@dataclass(frozen=True)
class LexiconKind:
    """Which lexicon: the name of its category column and its two files."""

    column: str
    declarations: str
    terms: str


FRAMES = LexiconKind(column="frame", declarations="frames.csv", terms="frame_terms.csv")
ACTORS = LexiconKind(column="actor", declarations="actors.csv", terms="actor_terms.csv")

DECLARATION_COLUMNS = ("label_en", "label_ar", "description", "source")
TERM_COLUMNS = ("term", "gloss", "match", "suffixes", "guard", "note")


@dataclass(frozen=True)
class Guard:
    """One sense guard: a hit is excluded if a listed word occurs in the window.

    ``direction`` is ``prev`` or ``next``; ``window`` counts word tokens (not
    punctuation) within the same sentence; ``words`` are normalized, teh-marbuta
    folded forms compared with the tokens' bare forms; ``text`` is the rule as
    written in the file (for the audit tables).
    """

    direction: str
    window: int
    words: frozenset[str]
    text: str


@dataclass(frozen=True)
class Lexicon:
    """A validated lexicon.

    ``categories`` has one row per declared id (column named after ``kind.column``
    plus ``label_en``, ``label_ar``, ``description``, ``source``). ``entries`` has
    one row per term: ``entry_id``, the category column, ``term`` (as written),
    ``gloss``, ``match``, ``suffixes`` (tuple), ``guard`` (as written), ``note``,
    ``line`` (in the terms file), ``words`` (tuple of normalized words), ``forms``
    (tuple of word tuples: the term and its suffix variants, normalized) and
    ``guards`` (tuple of :class:`Guard`).
    """

    kind: LexiconKind
    categories: pd.DataFrame
    entries: pd.DataFrame
    declarations_path: Path
    terms_path: Path
    checksum: str = ""  # sha256 of the two files' bytes: which lexicon a result came from

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
    categories = _read_declarations(declarations_path, kind.column)
    entries = _read_terms(terms_path, kind.column, categories, declarations_path)
    digest = hashlib.sha256(declarations_path.read_bytes() + b"\0" + terms_path.read_bytes())
    return Lexicon(kind, categories, entries, declarations_path, terms_path, digest.hexdigest())


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


def _script_problem(text: str) -> str | None:
    """Describe the first character of ``text`` that is not Arabic script, if any."""
    for ch in text:
        if ch.isspace():
            continue
        if not _ARABIC_CHARS.match(ch):
            name = unicodedata.name(ch, "unnamed character")
            return f"{ch!r} (U+{ord(ch):04X} {name})"
    return None


def _parse_suffixes(value: str, path: Path, line: int) -> tuple[str, ...]:
    if not value:
        return ()
    result = []
    for raw in value.split("|"):
        suffix = normalize_word(raw)
        if not suffix:
            raise LexiconError(
                f"empty suffix in '{value}' (suffixes are separated by '|', e.g. ة|ون|ين)",
                path,
                line,
            )
        problem = _script_problem(raw.strip())
        if problem or " " in suffix:
            raise LexiconError(
                f"suffix '{raw.strip()}' is not Arabic letters"
                + (f": {problem}" if problem else ""),
                path,
                line,
            )
        result.append(suffix)
    return tuple(dict.fromkeys(result))


def parse_guards(value: str, path: Path, line: int) -> tuple[Guard, ...]:
    """Parse a guard cell such as ``next:رسالة|رسائل; prev2:رئيس``.

    Rules are separated by ``;``. Each is ``prev`` or ``next`` (optionally followed
    by a window of 1–10 word tokens, default 1), a colon and words separated by
    ``|``. A rule that can never match a token (a word with a space, a word that is
    not Arabic letters, a word that normalizes to nothing) is an error, because a
    guard that silently never fires gives false confidence in the counts.
    """
    if not value:
        return ()
    guards = []
    for rule in value.split(";"):
        rule = rule.strip()
        if not rule:
            continue
        where, colon, words_text = rule.partition(":")
        if not colon:
            raise LexiconError(
                f"guard '{rule}' has no ':' (expected e.g. next:رسالة|رسائل)", path, line
            )
        m = _GUARD_WHERE.match(where.strip())
        if not m:
            raise LexiconError(
                f"guard '{rule}': '{where.strip()}' is not prev, next, prevN or nextN", path, line
            )
        window = int(m.group(2)) if m.group(2) else 1
        if not 1 <= window <= MAX_GUARD_WINDOW:
            raise LexiconError(
                f"guard '{rule}' can never match: window {window} must be 1 to "
                f"{MAX_GUARD_WINDOW} word tokens",
                path,
                line,
            )
        words = set()
        for raw in words_text.split("|"):
            raw = raw.strip()
            word = normalize_word(raw)
            if not word:
                raise LexiconError(
                    f"guard '{rule}' can never match: it has an empty word"
                    + (f" ('{raw}' is only diacritics)" if raw else " (stray '|'?)"),
                    path,
                    line,
                )
            if any(ch.isspace() for ch in word):
                raise LexiconError(
                    f"guard '{rule}' can never match: '{raw}' has a space, but guard "
                    "words are compared with one token at a time",
                    path,
                    line,
                )
            problem = _script_problem(raw)
            if problem:
                raise LexiconError(
                    f"guard '{rule}' can never match: '{raw}' is not an Arabic word ({problem})",
                    path,
                    line,
                )
            words.add(match_key(word))
        guards.append(Guard(m.group(1), window, frozenset(words), rule))
    return tuple(guards)


def _read_terms(
    path: Path, column: str, categories: pd.DataFrame, declarations_path: Path
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
        problem = _script_problem(term)
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
        guards = parse_guards(row["guard"], path, line)
        forms = (words,) + tuple((*words[:-1], words[-1] + s) for s in suffixes)
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
    front = ["entry_id", column, "term", "gloss", "match", "suffixes", "guard", "note", "line"]
    import pandas as pd

    frame = pd.DataFrame(rows)
    return frame[front + [c for c in frame.columns if c not in front]]
