"""The language data the text rules read: word lists a scholar edits, in files.

Nothing here is a rule; every file is read, checked and held in one
:class:`LanguageData` object that the text stage is given:

* ``lexicons/clitic_exceptions.txt``: words the clitic analysis never segments;
* ``lexicons/speech_verbs.csv``: the verbs that attribute words to a speaker, one
  row per verb, made into their written forms by :mod:`analysis.text.verbs`;
* ``lexicons/speaker_stopwords.txt``: words that end a speaker's name;
* ``lexicons/continuation_words.txt``: words after which an ellipsis is a pause;
* ``lexicons/inflection_endings.txt`` and ``lexicons/pronoun_endings.txt``: the
  endings of inflected readings, which keep a word from being split as run-together;
* ``lexicons/not_word_pieces.txt``: affixes that are never a piece of a split;
* ``config/repair_settings.csv``: the thresholds of the run-together rule
  (optional: a missing file or row means the default of :class:`RepairSettings`);
* ``lexicons/attribution_words.csv``: the word classes the attribution rules read
  (titles, heads of institutions, nouns that introduce a name, prepositions …;
  :data:`WORD_CLASSES`);
* ``config/repair_vetoes.csv``: run-together repairs a scholar has refused;
* the word-frequency list (:mod:`analysis.text.wordlist`).

A problem in a file raises :class:`~analysis.errors.LexiconError` or
:class:`~analysis.errors.ConfigError` naming the file and line.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, fields
from functools import lru_cache
from pathlib import Path

from analysis.errors import ConfigError, LexiconError
from analysis.paths import CONFIG_DIR, LEXICON_DIR
from analysis.text.normalize import normalize_word, normalize_word_keep_hamza
from analysis.text.verbs import CLASSES, VerbForm, conjugate, with_clitics
from analysis.text.wordlist import frequencies

NAME_LINKS = ("عبد", "أبو", "بن", "ابن", "بنت", "أم")
"""Words that join the parts of one name (عبد الله, أبو مازن, بن سلمان)."""

WORD_CLASSES = {
    "title": "a title or function of a person (الرئيس، وزير، المتحدثة): not part of a name",
    "body": "the head of an institution, group or medium (وزارة، صحيفة، مجموعة)",
    "name_noun": "a noun after which a quotation is a name (فيلم، عملية، اسم)",
    "speech_noun": "a noun of speech whose quotation is someone's words (قوله، عبارته)",
    "document": "a document whose author is named after it (بيان، رسالة، تغريدة)",
    "adjective": "an adjective that may follow a title (المتحدة، الدائم، السابق)",
    "preposition": "a preposition written as a word of its own (في، لدى، خلال)",
    "pronoun_phrase": "a preposition with a pronoun attached (به، عنه، فيها)",
    "complementizer": "أن/إن and their forms, which open a reported clause",
    "source": "a word that names the source of words (بحسب، وفقا)",
    "anaphor": "a word that refers back to the speaker named before (ذاته، المصدر)",
    "clause_link": "a word that opens a new clause (لكن، بينما، وذلك)",
    "place": "a country or capital: a name without the article",
    "time": "a word of time or an adverb that may stand between a verb and its subject (آنذاك)",
}
"""The classes of ``lexicons/attribution_words.csv`` and what a word of each is."""
HAMZA_ALEFS = ("أ", "إ", "آ")
WITH_ARTICLE = ("adjective", "anaphor")
"""Classes whose entries are matched as written, article included (المصدر is not مصدر);
the others are matched with or without it."""


@dataclass(frozen=True)
class Veto:
    """One refused repair: ``original`` (normalized) in ``doc_id`` ("" = every document)."""

    doc_id: str
    original: str
    reason: str


@dataclass(frozen=True)
class RepairSettings:
    """Thresholds of the run-together rule (:mod:`analysis.text.repair`).

    Defaults here; ``config/repair_settings.csv`` (columns ``name``, ``value``,
    ``meaning``) may change any of them.
    """

    min_length: int = 6  # letters: a shorter word is never split into words
    max_parts: int = 4  # at most this many pieces
    min_zipf: float = 3.0  # a piece of 3+ letters is a word at least this common
    min_zipf_short: float = 5.0  # a piece of 2 letters (في, من, أو) at least this common
    min_stem_length: int = 3  # letters of the known stem of an inflected reading


@dataclass(frozen=True, eq=False)
class LanguageData:
    """Every word list the text rules use, loaded and normalized once.

    Compared (and hashed) by identity, so tables derived from it can be cached.
    """

    frequencies: dict[str, float]
    clitic_exceptions: frozenset[str]
    speech_verbs: dict[str, tuple[str, VerbForm]]
    speaker_stopwords: frozenset[str]
    continuation_words: frozenset[str]
    inflection_endings: frozenset[str]
    pronoun_endings: frozenset[str]
    not_word_pieces: frozenset[str]
    word_classes: dict[str, frozenset[str]]
    hamza_forms: dict[str, frozenset[str]]
    name_links: frozenset[str]
    repair_settings: RepairSettings
    vetoes: tuple[Veto, ...]

    @classmethod
    def load(cls, lexicon_dir: str | Path = LEXICON_DIR, config_dir: str | Path = CONFIG_DIR):
        """Read the files of ``lexicon_dir`` and ``config_dir`` (defaults: the project's)."""
        lexicon_dir, config_dir = Path(lexicon_dir), Path(config_dir)
        classes, hamza_forms = read_word_classes(lexicon_dir / "attribution_words.csv")
        return cls(
            frequencies=frequencies(),
            clitic_exceptions=read_word_list(lexicon_dir / "clitic_exceptions.txt"),
            speech_verbs=with_clitics(read_speech_verbs(lexicon_dir / "speech_verbs.csv")),
            speaker_stopwords=read_word_list(lexicon_dir / "speaker_stopwords.txt"),
            continuation_words=read_word_list(lexicon_dir / "continuation_words.txt"),
            inflection_endings=read_word_list(lexicon_dir / "inflection_endings.txt"),
            pronoun_endings=read_word_list(lexicon_dir / "pronoun_endings.txt"),
            not_word_pieces=read_word_list(lexicon_dir / "not_word_pieces.txt"),
            word_classes=classes,
            hamza_forms=hamza_forms,
            name_links=frozenset(normalize_word(w) for w in NAME_LINKS),
            repair_settings=read_repair_settings(config_dir / "repair_settings.csv"),
            vetoes=read_vetoes(config_dir / "repair_vetoes.csv"),
        )

    def is_vetoed(self, doc_id: str, original_normalized: str) -> bool:
        """Whether a repair of ``original_normalized`` in ``doc_id`` was refused."""
        return any(
            v.original == original_normalized and v.doc_id in ("", doc_id) for v in self.vetoes
        )


@lru_cache(maxsize=1)
def default_data() -> LanguageData:
    """The project's own word lists (``lexicons/``, ``config/``), read once per process."""
    return LanguageData.load()


def read_word_list(path: Path) -> frozenset[str]:
    """One word per line, normalized; ``#`` starts a comment."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        raise LexiconError("word list not found", path) from None
    words = set()
    for number, line in enumerate(lines, start=1):
        entry = line.split("#", 1)[0].strip()
        if not entry:
            continue
        if " " in entry:
            raise LexiconError(f"one word per line expected, got {entry!r}", path, number)
        words.add(normalize_word(entry))
    return frozenset(words)


def read_speech_verbs(path: Path) -> dict[str, VerbForm]:
    """The third-person forms (normalized) of the verbs in the speech-verb table.

    Each row gives a verb's past, present and participle, its class, the words one
    of which must follow an ambiguous form (separated by spaces), and forms not to
    make (:func:`analysis.text.verbs.conjugate`).
    """
    forms: dict[str, VerbForm] = {}
    for number, row in _csv_rows(path, ("past", "present", "participle", "class")):
        verb_class = (row["class"] or "").strip()
        if verb_class not in CLASSES:
            raise LexiconError(
                f"class {verb_class!r} is not one of {', '.join(CLASSES)}", path, number
            )
        given = [(row[c] or "").strip() for c in ("past", "present", "participle")]
        if not any(given) or any(" " in w for w in given):
            raise LexiconError(f"bad forms {given!r}", path, number)
        exclude = (row.get("exclude") or "").split()
        made = conjugate(*given, verb_class, (row.get("requires") or "").strip(), exclude)
        for form, verb in made.items():
            forms.setdefault(form, verb)
    return forms


def read_word_classes(
    path: Path,
) -> tuple[dict[str, frozenset[str]], dict[str, frozenset[str]]]:
    """The attribution word classes: class name → its words (normalized).

    Also, for a word written with a hamza on its first alef, the written forms
    (:func:`surface_hamza`) that it stands for, so that أمام does not take إمام along.

    Words of the noun classes are stored without the article ال, so that a word
    is found with or without it.
    """
    classes: dict[str, set[str]] = {name: set() for name in WORD_CLASSES}
    hamza: dict[str, set[str]] = {}
    for number, row in _csv_rows(path, ("word", "class")):
        name = (row["class"] or "").strip()
        word = normalize_word(row["word"] or "")
        if name not in WORD_CLASSES:
            raise LexiconError(f"unknown class {name!r}", path, number)
        if not word or " " in word:
            raise LexiconError(f"bad word {row['word']!r}", path, number)
        if name not in WITH_ARTICLE and word.startswith("ال") and len(word) > 4:
            word = word[2:]
        classes[name].add(word)
        written = surface_hamza(row["word"] or "")
        if written[:1] in HAMZA_ALEFS:
            hamza.setdefault(word, set()).update((written, word))
    return (
        {name: frozenset(words) for name, words in classes.items()},
        {word: frozenset(forms) for word, forms in hamza.items()},
    )


def surface_hamza(word: str) -> str:
    """A word normalized but with the hamza of its alef kept (أمام، إمام)."""
    return normalize_word_keep_hamza(word)


def _csv_rows(path: Path, columns: tuple[str, ...]):
    """The rows of a CSV file with their line numbers; the file must have ``columns``."""
    try:
        with open(path, encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            missing = [c for c in columns if c not in (reader.fieldnames or [])]
            if missing:
                raise LexiconError(f"needs the column(s) {', '.join(missing)}", path, 1)
            yield from enumerate(reader, start=2)
    except FileNotFoundError:
        raise LexiconError("word list not found", path) from None


def read_repair_settings(path: Path) -> RepairSettings:
    """The thresholds of ``path`` (rows ``name,value``) over the defaults; no file: defaults."""
    if not path.exists():
        return RepairSettings()
    kinds = {f.name: f.type for f in fields(RepairSettings)}
    values: dict[str, int | float] = {}
    with open(path, encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        if not reader.fieldnames or not {"name", "value"} <= set(reader.fieldnames):
            raise ConfigError("needs the columns name, value, meaning", path, 1)
        for line, row in enumerate(reader, start=2):
            name, value = (row.get("name") or "").strip(), (row.get("value") or "").strip()
            if name not in kinds:
                raise ConfigError(
                    f"unknown setting {name!r} (known: {', '.join(kinds)})", path, line
                )
            try:
                number = int(value) if kinds[name] == "int" else float(value)
            except ValueError:
                raise ConfigError(f"{name} needs a number, got {value!r}", path, line) from None
            if number < 0:
                raise ConfigError(f"{name} cannot be negative", path, line)
            values[name] = number
    return RepairSettings(**values)


def read_vetoes(path: Path) -> tuple[Veto, ...]:
    """The veto file's rows (a missing file means no vetoes)."""
    if not path.exists():
        return ()
    vetoes = []
    with open(path, encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        if not reader.fieldnames or "original" not in reader.fieldnames:
            raise ConfigError("needs the columns doc_id, original, reason", path, 1)
        line = 2
        for row in reader:
            original = normalize_word(row.get("original") or "")
            if not original:
                raise ConfigError("empty 'original'", path, line)
            doc_id = (row.get("doc_id") or "").strip()
            vetoes.append(Veto(doc_id, original, (row.get("reason") or "").strip()))
            line = reader.line_num + 1
    return tuple(vetoes)
