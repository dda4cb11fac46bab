"""Sense guards: the contexts in which a lexicon term is not counted.

A guard cell (``docs/lexicon.md``) holds rules separated by ``;``. Each rule is a
scope, a colon and words separated by ``|``:

* ``prev`` / ``next`` (optionally with a window, ``next3``): the words just
  before or after the candidate, in its sentence (punctuation skipped);
* ``sentence``: any other word of the candidate's sentence.

A rule written with ``only`` in front (``only sentence:@distress``) works the
other way round: the candidate is counted only if one of the words *is* in its
scope. It states the one context in which a word belongs to a frame (migrants
count as ``humanitarian`` only where the text presents them as suffering).

A word may be a **word class**, ``@name``: every word listed in
``lexicons/wordclasses/<name>.txt``. Classes name a domain once (technology,
prices and the economy, illness, places) so that a rule says what the scholar
means — ``next2:@economy`` for "support of prices, of the economy, of projects"
— and a word added to the class reaches every guard that uses it.

A rule that can never fire (a word with a space, a word that is not Arabic
letters, an unknown class) is an error: a guard that silently never fires gives
false confidence in the counts.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from analysis.errors import LexiconError
from analysis.text.normalize import fold_teh_marbuta, normalize_word

SCOPES = ("prev", "next", "sentence")
MAX_GUARD_WINDOW = 10
WORDCLASS_DIR = "wordclasses"
_SCOPE = re.compile(r"^(prev|next|sentence)([0-9]*)$")
ONLY = "only"

# Letters (and the diacritics / tatweel that normalization removes) that may appear
# in a term, a suffix or a guard word. Everything else (Latin, digits, punctuation,
# Hebrew, …) is "wrong script".
_ARABIC_CHARS = re.compile(
    r"^[\u0621-\u063a\u0640-\u0652\u0670\u0671-\u06d3\u06d5\u06fa-\u06fc"
    r"\u064b-\u065f\u06d6-\u06ed]+$"
)


@dataclass(frozen=True)
class Guard:
    """One sense guard: a candidate is excluded if one of ``words`` is in its scope.

    ``direction`` is ``prev``, ``next`` or ``sentence``; ``window`` counts word
    tokens (not punctuation) within the same sentence (0 for ``sentence``: all of
    it); ``words`` are normalized, teh-marbuta folded forms compared with the
    tokens' bare forms; ``text`` is the rule as written in the file. With
    ``required`` (a rule written ``only …``) the candidate is excluded when *none*
    of ``words`` is in its scope.
    """

    direction: str
    window: int
    words: frozenset[str]
    text: str
    required: bool = False


def script_problem(text: str) -> str | None:
    """Describe the first character of ``text`` that is not Arabic script, if any."""
    for ch in text:
        if ch.isspace():
            continue
        if not _ARABIC_CHARS.match(ch):
            name = unicodedata.name(ch, "unnamed character")
            return f"{ch!r} (U+{ord(ch):04X} {name})"
    return None


def read_wordclasses(directory: Path) -> dict[str, frozenset[str]]:
    """The word classes in ``directory/wordclasses/*.txt`` (one word a line, ``#`` comments)."""
    classes = {}
    for path in sorted((directory / WORDCLASS_DIR).glob("*.txt")):
        words = set()
        for line, raw in enumerate(path.read_text(encoding="utf-8-sig").splitlines(), start=1):
            text = raw.split("#", 1)[0].strip()
            if text:
                words.add(_guard_word(text, f"word class '{path.stem}'", path, line))
        classes[path.stem] = frozenset(words)
    return classes


def parse_guards(
    value: str, path: Path, line: int, classes: dict[str, frozenset[str]] | None = None
) -> tuple[Guard, ...]:
    """Parse a guard cell such as ``next:رسالة|رسائل; prev2:رئيس; only sentence:@distress``."""
    rules = [rule.strip() for rule in value.split(";")] if value else []
    return tuple(_parse_rule(rule, path, line, classes or {}) for rule in rules if rule)


def _parse_rule(rule: str, path: Path, line: int, classes: dict[str, frozenset[str]]) -> Guard:
    where, colon, words_text = rule.partition(":")
    first, _, rest = where.strip().partition(" ")
    required = first == ONLY and bool(rest.strip())
    if required:
        where = rest
    if not colon:
        raise LexiconError(
            f"guard '{rule}' has no ':' (expected e.g. next:رسالة|رسائل)", path, line
        )
    scope = _SCOPE.match(where.strip())
    if not scope:
        raise LexiconError(
            f"guard '{rule}': '{where.strip()}' is not prev, next, sentence, prevN or nextN"
            " (optionally after 'only ')",
            path,
            line,
        )
    direction, digits = scope.groups()
    if direction == "sentence" and digits:
        raise LexiconError(f"guard '{rule}': a sentence guard takes no window", path, line)
    window = 0 if direction == "sentence" else int(digits or 1)
    if direction != "sentence" and not 1 <= window <= MAX_GUARD_WINDOW:
        raise LexiconError(
            f"guard '{rule}' can never match: window {window} must be 1 to "
            f"{MAX_GUARD_WINDOW} word tokens",
            path,
            line,
        )
    words: set[str] = set()
    for raw in words_text.split("|"):
        raw = raw.strip()
        if raw.startswith("@"):
            if raw[1:] not in classes:
                known = ", ".join(sorted(classes)) or "none"
                raise LexiconError(
                    f"guard '{rule}': no word class '{raw[1:]}' "
                    f"(lexicons/{WORDCLASS_DIR}/{raw[1:]}.txt; known: {known})",
                    path,
                    line,
                )
            words |= classes[raw[1:]]
        else:
            words.add(_guard_word(raw, f"guard '{rule}'", path, line))
    return Guard(direction, window, frozenset(words), rule, required)


def _guard_word(raw: str, what: str, path: Path, line: int) -> str:
    """The comparison form of one guard word, or an error saying why it can never match."""
    word = normalize_word(raw)
    if not word:
        raise LexiconError(
            f"{what} can never match: it has an empty word"
            + (f" ('{raw}' is only diacritics)" if raw else " (stray '|'?)"),
            path,
            line,
        )
    if any(ch.isspace() for ch in word):
        raise LexiconError(
            f"{what} can never match: '{raw}' has a space, but guard words are "
            "compared with one token at a time",
            path,
            line,
        )
    problem = script_problem(raw)
    if problem:
        raise LexiconError(
            f"{what} can never match: '{raw}' is not an Arabic word ({problem})", path, line
        )
    return fold_teh_marbuta(word)
