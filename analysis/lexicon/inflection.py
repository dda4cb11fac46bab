"""The inflected forms of a lexicon word, from a dictionary rather than one by one.

A scholar who lists ``لاجئ`` (refugee) means refugees too: ``لاجئون``, ``لاجئين``,
the construct ``لاجئي`` (لاجئي المخيم), the feminine ``لاجئة``, ``لاجئات``, the
dual. Broken plurals cannot be derived by rule (``قتيل`` → ``قتلى``, ``سجين`` →
``سجناء``, ``ضحية`` → ``ضحايا``): they are read from **Arramooz**, the open Arabic
dictionary of Taha Zerrouki (``arramooz-pysqlite``, GPL), whose noun table gives
for each singular noun or adjective its broken plurals and whether it takes the
feminine ending, the sound plurals and the dual.

:func:`inflections` is what the lexicon loader uses when a term's ``suffixes``
cell says ``auto`` (``docs/lexicon.md``). For every ``bare`` term the loader also
adds the construct forms of its sound plural endings (:func:`construct_forms`)
and its indefinite accusative (:func:`accusative`: احتجاجا، دعما، تضامنا, the
adverbial use of news prose). :func:`attach` puts an ending on a word, writing a
final ة as ت before an ending (مظاهرة + ات → مظاهرات).
"""

from __future__ import annotations

import sqlite3
from functools import lru_cache
from importlib import resources

from analysis.text.normalize import normalize_word

ARTICLE = "ال"
TEH_MARBUTA = "ة"
SOUND_MASCULINE = ("ون", "ين", "و", "ي")  # plural, and its construct forms (لاجئو، لاجئي)
SOUND_FEMININE = ("ات",)
DUAL = ("ان", "ين")


def attach(word: str, ending: str) -> str:
    """``word`` with ``ending``; a final ة becomes ت before it (مظاهرة + ات → مظاهرات)."""
    if word.endswith(TEH_MARBUTA) and ending:
        stem = word[:-1]
        return stem + ending if ending.startswith("ا") and ending != "ان" else stem + "ت" + ending
    return word + ending


def accusative(word: str) -> str | None:
    """The indefinite accusative of a noun, with its written alif (احتجاج → احتجاجا).

    None for words whose accusative adds no letter (ending in ة, ا, ى or ء).
    """
    return None if word[-1:] in ("ة", "ا", "ى", "ء") else word + "ا"


def construct_forms(suffixes: tuple[str, ...]) -> tuple[str, ...]:
    """The construct endings of the sound plural endings in ``suffixes`` (ون → و, ين → ي)."""
    extra = [{"ون": "و", "ين": "ي"}[s] for s in suffixes if s in ("ون", "ين")]
    return tuple(dict.fromkeys(s for s in extra if s not in suffixes))


def inflections(word: str) -> tuple[str, ...]:
    """The forms of ``word`` (normalized; may carry the article) that the dictionary licenses.

    Sound endings (feminine, sound plurals with their construct forms, dual)
    where the dictionary marks the noun as taking them, and its broken plurals.
    The word itself is not included; an unknown word has no forms.
    """
    definite = word.startswith(ARTICLE) and len(word) > 4
    bare = word[2:] if definite else word
    forms: list[str] = []
    for entry in _dictionary().get(bare, ()):
        forms += _forms_of(bare, entry)
    prefix = ARTICLE if definite else ""
    return tuple(dict.fromkeys(prefix + f for f in forms if f != bare))


def _forms_of(word: str, entry: tuple[bool, bool, bool, bool, tuple[str, ...]]) -> list[str]:
    feminable, masculine_plural, feminine_plural, dualable, broken = entry
    forms = list(broken)
    if feminable and not word.endswith(TEH_MARBUTA):
        forms.append(word + TEH_MARBUTA)
    if masculine_plural:
        forms += [word + ending for ending in SOUND_MASCULINE]
    if feminine_plural:
        forms += [attach(word, ending) for ending in SOUND_FEMININE]
    if dualable:
        forms += [attach(word, ending) for ending in DUAL]
        if feminable and not word.endswith(TEH_MARBUTA):
            forms += [attach(word + TEH_MARBUTA, ending) for ending in DUAL]  # داعمتان
    return forms


@lru_cache(maxsize=1)
def _dictionary() -> dict[str, list[tuple[bool, bool, bool, bool, tuple[str, ...]]]]:
    """Arramooz's singular nouns, keyed by normalized form: what each one takes."""
    path = resources.files("arramooz") / "data" / "arabicdictionary.sqlite"
    query = (
        "select unvocalized, feminable, masculin_plural, feminin_plural, dualable, "
        "broken_plural from nouns where number = 'مفرد'"
    )
    table: dict[str, list[tuple[bool, bool, bool, bool, tuple[str, ...]]]] = {}
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as connection:
        for word, feminable, masculine, feminine, dual, broken in connection.execute(query):
            plurals = tuple(_plural(p) for p in (broken or "").split(";") if _plural(p))
            entry = (bool(feminable), bool(masculine), bool(feminine), bool(dual), plurals)
            table.setdefault(normalize_word(word), []).append(entry)
    return table


def _plural(written: str) -> str:
    """A broken plural as the dictionary writes it, normalized, without the article."""
    word = normalize_word(written.strip())
    return word[2:] if word.startswith(ARTICLE) and len(word) > 4 else word
