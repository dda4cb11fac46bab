"""Everything the text rules say about one written token, computed once per distinct form.

A corpus repeats its words: a 10 MB news corpus has about a million tokens but
only ~80k distinct written forms. So the rules that depend on the word alone —
normalization, kind, clitic analysis, whether it is a speech verb or could be
part of a name, whether it is a run-together word and where to cut it — run once
per form here, and the text stage (:mod:`analysis.engine`) hands the answers to
every occurrence. :class:`WordType` is one row of the ``types`` table.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from functools import lru_cache

from analysis.text import repair
from analysis.text.clitics import Analysis, analyse_clitics
from analysis.text.data import LanguageData, surface_hamza
from analysis.text.normalize import NORMALIZATION_TABLE
from analysis.text.sentences import CLOSERS, TERMINATORS
from analysis.text.tokens import WORD_KINDS, token_kind
from analysis.text.verbs import VerbForm, recognize

_TANWEEN = re.compile("[\u064b\u064c\u064d]").search

# Bit flags of a word type (``WordType.flags``), read by the sentence and quote rules.
CONTENT = 1 << 0  # a word, number or Latin token (what sentences and quotes count)
NUMBER = 1 << 1
TERMINATOR = 1 << 2  # . ! ? ؟ · … ۔ (a run of one of them)
CLOSER = 1 << 3  # ) ] } » ” ›: stays with the sentence it closes
QUOTE = 1 << 4  # a quotation mark
APOSTROPHES = 1 << 5  # '' (two or more apostrophes), a symmetric quotation mark
DOUBLE_QUOTE = 1 << 6  # ", the other symmetric quotation mark
DOT = 1 << 7  # exactly "." (a decimal point between digits)
COMMA = 1 << 8  # ، or ,
SPEECH_VERB = 1 << 9  # an attribution verb (say, evaluate or relay), maybe after و/ف
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
# What the quotation rules (analysis.text.quotes, .subjects, .attribution) read; the
# word classes are those of lexicons/attribution_words.csv (analysis.text.data.WORD_CLASSES).
EVALUATIVE = 1 << 22  # an attribution verb of evaluation or demand (وصف، اتهم، طالب)
PARTICIPLE = 1 << 23  # a circumstantial participle of one (قائلا، معتبرة)
RELAY = 1 << 24  # نقل: passes on another's words (نقلت الوكالة عن …)
ISSUE = 1 << 25  # أصدر، نشر: its subject is the author of a document
MASCULINE = 1 << 26  # a verb form of the masculine singular (قال، يقول)
FEMININE = 1 << 27  # a verb form of the feminine singular (قالت، تقول)
NEEDS_NEXT = 1 << 28  # a verb form that is the verb only before a given word (بين … أن)
TITLE = 1 << 29  # class title: الرئيس، وزير، المتحدثة
BODY = 1 << 30  # class body: وزارة، صحيفة، مجموعة
NAME_NOUN = 1 << 31  # class name_noun: فيلم، عملية، اسم
SPEECH_NOUN = 1 << 32  # class speech_noun: قول، إعلان، عبارة
DOCUMENT = 1 << 33  # class document: بيان، رسالة، تغريدة
ADJECTIVE = 1 << 34  # a listed adjective (المتحدة، الدائم)
NISBA = 1 << 35  # definite, ending in NISBA_ENDINGS: a relative adjective (الروسي) or family name
PREPOSITION = 1 << 36  # a preposition written on its own
PREP_CLITIC = 1 << 37  # a word with ب/ك/ل attached (لبرنامج، بتويتر)
COMPLEMENTIZER = 1 << 38  # class complementizer: أن، إن، بأنه
SOURCE = 1 << 39  # class source: بحسب، وفقا
ANAPHOR = 1 << 40  # class anaphor: ذاته، المصدر
CLAUSE_LINK = 1 << 41  # class clause_link: لكن، بينما، وذلك
PLACE = 1 << 42  # class place: روسيا، دمشق
CONJUNCTION = 1 << 43  # a word with و/ف attached
STOPWORD = 1 << 44  # a word of lexicons/speaker_stopwords.txt
CIRCUMSTANTIAL = 1 << 45  # shaped like an accusative participle م…ا (متوجها): ends a name
COLON = 1 << 46  # : (introduces a quotation)
DEFINITE = 1 << 47  # has the article, also after a preposition (للشؤون)
PRONOUN_PHRASE = 1 << 48  # a preposition with a pronoun attached (به، عنه، فيها)
APPEAR = 1 << 49  # جاء، ورد: the words stand in the document after في (وجاء في البيان)
TIME = 1 << 50  # class time: آنذاك، أمس، الخميس (may stand between a verb and its subject)
CLASS_FLAGS = {
    "title": TITLE, "body": BODY, "name_noun": NAME_NOUN, "speech_noun": SPEECH_NOUN,
    "document": DOCUMENT, "preposition": PREPOSITION,
    "pronoun_phrase": PREPOSITION | PRONOUN_PHRASE, "complementizer": COMPLEMENTIZER,
    "source": SOURCE, "anaphor": ANAPHOR, "clause_link": CLAUSE_LINK, "place": PLACE,
    "time": TIME,
}  # fmt: skip
NOT_NAME = (
    SPEECH_VERB | ISSUE | STOPWORD | TITLE | BODY | NAME_NOUN | SPEECH_NOUN | DOCUMENT | ADJECTIVE
    | PREPOSITION | COMPLEMENTIZER | SOURCE | ANAPHOR | CLAUSE_LINK | TIME
)  # fmt: skip

CLITIC_EVIDENCE = 5.0  # how much more frequent a bare word must be for PREP_CLITIC
LIKE_EVIDENCE = 20.0  # the same for ك (as, like)
ATTESTED = 1e-6  # wordfreq frequency of the definite word after ب/ك/ل for PREP_CLITIC
VERB_STEM = 1e-5  # wordfreq frequency of a stem before ني for the pronoun to be sure
NISBA_ENDINGS = ("ي", "ية", "يون", "يين")
COMMAS = ("،", ",")
SOFT_PUNCTUATION = frozenset("،,؛;:")
OPEN_BRACKETS = frozenset("([{")
CLOSE_BRACKETS = frozenset(")]}")
CONJUNCTIONS = ("و", "ف")
COLONS = (":", "：")


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
    found = recognize(normalized, data.speech_verbs)
    flags = CONTENT | ARABIC_WORD | _word_flags(surface, normalized, analyses[0], data)
    if found:
        flags |= _verb_flags(found[1])
    if not flags & NOT_NAME and not _has_pronoun(analyses[0], data) and not _TANWEEN(surface):
        flags |= NAME_WORD  # not with a pronoun attached (زيارته) nor tanween (عدداً)
    if len(normalized) == 1:
        flags |= SINGLE_LETTER
    if continues_sentence(normalized, analyses[0].proclitics, data):
        flags |= CONTINUES
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
        verb=_written_verb(surface, normalized, found[0] if flags & SPEECH_VERB else ""),
        pieces=pieces,
    )


def continues_sentence(normalized: str, proclitics: tuple[str, ...], data: LanguageData) -> bool:
    """Whether a word ties its clause to the one before (an ellipsis before it is a pause).

    It is written with the conjunction و or ف (its preferred clitic analysis), or
    listed in ``lexicons/continuation_words.txt``.
    """
    return proclitics[:1] in [(c,) for c in CONJUNCTIONS] or normalized in data.continuation_words


def _verb_flags(verb: VerbForm) -> int:
    """The flags of a written form of an attribution verb."""
    flags = {"say": SPEECH_VERB, "evaluate": SPEECH_VERB | EVALUATIVE,
             "relay": SPEECH_VERB | RELAY, "issue": ISSUE,
             "appear": SPEECH_VERB | APPEAR}[verb.verb_class]  # fmt: skip
    if verb.participle:
        flags |= PARTICIPLE
    if verb.requires:
        flags |= NEEDS_NEXT
    return flags | {"m": MASCULINE, "f": FEMININE}.get(verb.gender, 0)


def _has_pronoun(analysis: Analysis, data: LanguageData) -> bool:
    """Whether a pronoun is surely attached to the word (زيارته).

    The stem must be a known word: on a stem rarer than ``ATTESTED`` the ending is
    more likely part of a foreign name (يارينا is not ياري + نا). ني (me) goes on
    verbs and particles, not on names: its stem must be at least ``VERB_STEM``
    frequent (كويني، أوهيني are names).
    """
    if not analysis.enclitic:
        return False
    stem = data.frequencies.get(analysis.bare, 0.0)
    return stem >= (VERB_STEM if analysis.enclitic == "ني" else ATTESTED)


def _surely_attached(normalized: str, analysis: Analysis, data: LanguageData) -> bool:
    """Whether a preposition found attached to a word is surely one.

    The article follows it and the definite word is attested (``ATTESTED``:
    للأطفال, not the name كالفيلو; and a stem of three letters at least: not
    كالين), or the bare word is attested and
    ``CLITIC_EVIDENCE`` times as frequent as the whole (لبرنامج), ``LIKE_EVIDENCE``
    times for ك (كرئيس), which rarely stands before a name; a name that merely
    starts with ب/ك/ل (باري، كاتالا، كاميل) stays a name.
    """
    frequency = data.frequencies.get
    if "ال" in analysis.proclitics:
        # a stem of two letters after بال/كال is a name's ending (كالين، بالما)
        return len(analysis.bare) > 2 and frequency("ال" + analysis.bare, 0.0) >= ATTESTED
    times = LIKE_EVIDENCE if "ك" in analysis.proclitics else CLITIC_EVIDENCE
    evidence = max(ATTESTED, times * frequency(normalized, 0.0))
    return frequency(analysis.bare, 0.0) >= evidence


def _word_flags(surface: str, normalized: str, analysis: Analysis, data: LanguageData) -> int:
    """The flags of an Arabic word from its form, its clitics and the word classes."""
    flags = ARTICLE if normalized.startswith("ال") else 0
    if normalized in data.name_links:
        flags |= NAME_LINK
    without_conjunction = normalized[1:] if normalized[:1] in ("و", "ف") else normalized
    if normalized in data.speaker_stopwords or without_conjunction in data.speaker_stopwords:
        flags |= STOPWORD
    keys = _class_keys(normalized, analysis.bare)
    if (
        normalized in data.hamza_forms
        and surface_hamza(surface) not in data.hamza_forms[normalized]
    ):
        keys = [key for key in keys if key != normalized]  # إمام is not أمام
    of_class = _class_flags(data)
    for key in keys:
        flags |= of_class.get(key, 0)
    if without_conjunction not in data.word_classes["complementizer"]:
        flags &= ~COMPLEMENTIZER  # only the listed forms: لأن is 'because', كأن 'as if'
    if normalized in data.word_classes["adjective"]:
        flags |= ADJECTIVE
    elif normalized.startswith("ال") and normalized.endswith(NISBA_ENDINGS) and len(normalized) > 4:
        flags |= NISBA
    proclitics = analysis.proclitics
    if normalized.startswith("ال") or "ال" in proclitics:
        flags |= DEFINITE
    if proclitics[:1] in (("و",), ("ف",)):
        flags |= CONJUNCTION
    if not set(proclitics).isdisjoint(("ب", "ك", "ل")) and _surely_attached(
        normalized, analysis, data
    ):
        flags |= PREP_CLITIC
    if _circumstantial(normalized, data):
        flags |= CIRCUMSTANTIAL
    return flags


def _circumstantial(normalized: str, data: LanguageData) -> bool:
    """Whether a word is shaped like an accusative participle م…ا (متوجها، معتبرا).

    Its stem without the alif must be a known word: a rare name of the same shape
    (ميستورا) is not one.
    """
    shaped = len(normalized) > 4 and normalized[0] == "م" and normalized[-1] == "ا"
    return shaped and data.frequencies.get(normalized[:-1], 0.0) > 0


@lru_cache(maxsize=4)
def _class_flags(data: LanguageData) -> dict[str, int]:
    """Each word of the attribution word classes with the flags of its classes."""
    out: dict[str, int] = {}
    for name, flag in CLASS_FLAGS.items():
        for word in data.word_classes[name]:
            out[word] = out.get(word, 0) | flag
    return out


def _class_keys(normalized: str, bare: str) -> list[str]:
    """The forms of a word looked up in the word classes.

    As written, bare, and without a first letter that may be a conjunction or
    preposition (و ف ب ل ك) or the article ال.
    """
    keys = [normalized, bare]
    for word in (normalized, bare):
        if len(word) > 3 and word[0] in "وفبلك":
            keys.append(word[1:])
    keys += [word[2:] for word in keys if len(word) > 4 and word.startswith("ال")]
    return keys


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
    if token in COLONS:
        flags |= COLON
    return flags
