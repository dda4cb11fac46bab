"""Everything the text rules say about one written token, computed once per distinct form.

A corpus repeats its words: a 10 MB news corpus has about a million tokens but
only ~80k distinct written forms. So the rules that depend on the word alone —
normalization, kind, clitic analysis, whether it is a speech verb or could be
part of a name, whether it is a run-together word and where to cut it — run once
per form here, and the text stage (:mod:`analysis.engine`) hands the answers to
every occurrence. :class:`WordType` is one row of the ``types`` table.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass

from analysis.text import repair
from analysis.text.clitics import analyse_clitics
from analysis.text.data import LanguageData
from analysis.text.normalize import NORMALIZATION_TABLE
from analysis.text.sentences import CLOSERS, TERMINATORS
from analysis.text.tokens import WORD_KINDS, token_kind

# Bit flags of a word type (``WordType.flags``), read by the sentence and quote rules.
CONTENT = 1 << 0  # a word, number or Latin token (what sentences and quotes count)
NUMBER = 1 << 1
TERMINATOR = 1 << 2  # . ! ? ؟ · … ۔ (a run of one of them)
CLOSER = 1 << 3  # ) ] } » ” ›: stays with the sentence it closes
QUOTE = 1 << 4  # a quotation mark
APOSTROPHES = 1 << 5  # '' (two or more apostrophes), a symmetric quotation mark
DOUBLE_QUOTE = 1 << 6  # ", the other symmetric quotation mark
DOT = 1 << 7  # exactly "." (a web address's dot, an abbreviation's)
COMMA = 1 << 8  # ، or ,
SPEECH_VERB = 1 << 9  # a speech verb, maybe after و/ف
NAME_WORD = 1 << 10  # a word that may be part of a speaker's name
ARTICLE = 1 << 11  # starts with ال
NAME_LINK = 1 << 12  # عبد، أبو، بن …: joins the parts of one name
RUN_TOGETHER = 1 << 13  # a run-together word the text stage splits (``pieces``)
ARABIC_WORD = 1 << 14  # kind "word": the unit of every rate
ELLIPSIS = 1 << 15  # .. ... … (a run of dots, or …)
CONTINUES = 1 << 16  # a word that ties its clause to the one before (و/ف, لكن …)
SOFT_PUNCT = 1 << 17  # punctuation that never ends a sentence: ، , ؛ ; :
OPEN_BRACKET = 1 << 18  # ( [ {
CLOSE_BRACKET = 1 << 19  # ) ] }
LATIN_OR_NUMBER = 1 << 20  # a Latin or number token
SINGLE_LETTER = 1 << 21  # an Arabic word of one letter (د in د. محمد)

COMMAS = ("،", ",")
SOFT_PUNCTUATION = frozenset("،,؛;:")
OPEN_BRACKETS = frozenset("([{")
CLOSE_BRACKETS = frozenset(")]}")
CONJUNCTIONS = ("و", "ف")


@dataclass(frozen=True, slots=True)
class WordType:
    """One distinct written token and what the rules say about it.

    Equal strings are stored once (a word's normalized and bare forms are often
    its written form), since a large corpus has a few hundred thousand types.
    """

    surface: str
    normalized: str
    kind: str
    bare: str
    bares: tuple[str, ...]
    proclitics: str
    enclitic: str
    flags: int
    verb: str  # the speech verb as written, without و/ف ("" if not a speech verb)
    pieces: tuple[tuple[int, int], ...]  # spans in ``surface`` of a run-together split, or ()


def analyse_type(surface: str, data: LanguageData) -> WordType:
    """The row of the types table for the written token ``surface``."""
    normalized = surface.translate(NORMALIZATION_TABLE)
    if normalized == surface:
        normalized = surface
    kind = token_kind(normalized)
    if kind != "word":
        return WordType(
            surface, normalized, kind, normalized, (normalized,), "", "",
            _symbol_flags(normalized, kind), "", (),
        )  # fmt: skip
    analyses = analyse_clitics(surface, data)
    verb = speech_verb(normalized, data)
    flags = CONTENT | ARABIC_WORD | (SPEECH_VERB if verb else 0)
    if normalized.startswith("ال"):
        flags |= ARTICLE
    if normalized in data.name_links:
        flags |= NAME_LINK
    if len(normalized) == 1:
        flags |= SINGLE_LETTER
    if continues_sentence(normalized, analyses[0].proclitics, data):
        flags |= CONTINUES
    if not verb and normalized not in data.speaker_stopwords:
        flags |= NAME_WORD
    pieces = repair.split_surface(surface, normalized, data)
    if pieces:
        flags |= RUN_TOGETHER
    bares = tuple(
        normalized if b == normalized else b for b in dict.fromkeys(a.bare for a in analyses)
    )
    return WordType(
        surface=surface,
        normalized=normalized,
        kind=kind,
        bare=bares[0],
        bares=bares,
        proclitics=sys.intern(analyses[0].proclitic_string),
        enclitic=analyses[0].enclitic,
        flags=flags,
        verb=_written_verb(surface, normalized, verb),
        pieces=pieces,
    )


def continues_sentence(normalized: str, proclitics: tuple[str, ...], data: LanguageData) -> bool:
    """Whether a word ties its clause to the one before (an ellipsis before it is a pause).

    It is written with the conjunction و or ف (its preferred clitic analysis), or
    listed in ``lexicons/continuation_words.txt``.
    """
    return proclitics[:1] in [(c,) for c in CONJUNCTIONS] or normalized in data.continuation_words


def speech_verb(normalized: str, data: LanguageData) -> str:
    """The speech-verb form of a word (a conjunction و/ف stripped), or ""."""
    if normalized in data.speech_verbs:
        return normalized
    if normalized[:1] in ("و", "ف") and normalized[1:] in data.speech_verbs:
        return normalized[1:]
    return ""


def _written_verb(surface: str, normalized: str, verb: str) -> str:
    """The speech verb as written in the text, without a conjunction و/ف."""
    if not verb:
        return ""
    if verb != normalized and surface[:1] in ("و", "ف"):
        return surface[1:]
    return surface


def _symbol_flags(token: str, kind: str) -> int:
    """Flags of a token that is not an Arabic word: number, Latin, punctuation, quote mark."""
    flags = CONTENT if kind in WORD_KINDS else 0
    if kind == "number":
        flags |= NUMBER
    if kind in ("number", "latin"):
        flags |= LATIN_OR_NUMBER
    if kind == "punct" and token[0] in TERMINATORS:
        flags |= TERMINATOR
        if token[0] == "…" or len(token) >= 2 and token[0] == ".":
            flags |= ELLIPSIS
    if token[0] in SOFT_PUNCTUATION:
        flags |= SOFT_PUNCT
    if token[0] in OPEN_BRACKETS:
        flags |= OPEN_BRACKET
    if token[0] in CLOSE_BRACKETS:
        flags |= CLOSE_BRACKET
    if token[0] in CLOSERS:
        flags |= CLOSER
    if kind == "quote":
        flags |= QUOTE
        if token[0] == "'":
            flags |= APOSTROPHES
        elif token == '"':
            flags |= DOUBLE_QUOTE
    if token == ".":
        flags |= DOT
    if token in COMMAS:
        flags |= COMMA
    return flags
