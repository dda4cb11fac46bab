"""Conservative clitic analysis of an Arabic word.

A word may carry proclitics (conjunction و ف, preposition ب ك ل, future س,
article ال, in that order, e.g. و+ل+ال written ولل), a pronoun enclitic (ه ها هم
هما هن ك كم نا ني; كن and كما are left out because they end too many ordinary
words: أماكن، تمكن) and a bare form. Every segmentation the grammar allows is a
candidate, and it is kept only when the evidence supports it, so that names
(فرنسا، أوباما، بوقطاية) and words that merely start with those letters (بطش،
لاجئ، كامل) are not mangled:

* the bare form must have at least two letters;
* without the article, the bare form must be at least twice as frequent as the
  whole word (Zipf + 0.3): وزير stays whole because زير is rarer, باحتلال is
  ب + احتلال because احتلال is more frequent;
* with the article (a strong marker), a word written with a hamza on its first
  alef (ألمانيا, إلغاء) has no article, and the bare form must be attested, or
  the whole word unknown (a name such as الكناري); a two-letter bare form needs
  Zipf 3 and its definite form Zipf 2.5;
* an enclitic after a stem ending in ت restores teh marbuta when that form is
  attested (ولقضيتهم → قضية);
* ي is not an enclitic (it is mostly the nisba of دولي, الصحراوي); ني and ك need a
  stem of 3+ letters (معنى، بنك، لديك stay whole); a stem with the article takes
  no enclitic (الفني);
* after و/ف, a word of ``lexicons/clitic_exceptions.txt`` keeps its letters
  (وكان is و + كان, never و + ك + ان), and those words are never segmented.

Frequencies come from :mod:`analysis.text.wordlist`. The preferred analysis
removes the most clitics (ties: the more frequent bare form, then the longer);
the unsegmented word is always the last candidate. The text stage runs this
once per distinct written word.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

from analysis.text.data import LanguageData, default_data
from analysis.text.normalize import normalize_word, normalize_word_keep_hamza

CONJUNCTIONS = ("", "و", "ف")
PREPOSITIONS = ("", "ب", "ك", "ل", "س")
ENCLITICS = ("هما", "ها", "هم", "هن", "كم", "نا", "ني", "ه", "ك")
ARTICLE = "ال"
# Enclitics that too often end ordinary words (معنى، تمكن، بنك): their stem needs 3+ letters.
SHORT_STEM_RISKY = ("ني", "ك")
MIN_RISKY_STEM = 3
MIN_BARE = 2
# Without the article the bare form must beat the whole word by this much (Zipf).
MARGIN = 0.3
# With the article: a bare form of 3+ letters needs this Zipf (unless the word is
# unknown); one of 2 letters needs the first, and its definite form the second.
ARTICLE_MIN_ZIPF = 1.5
ARTICLE_SHORT_MIN_ZIPF = 3.0
ARTICLE_SHORT_WHOLE_MIN_ZIPF = 2.5
# The future prefix س comes only before an imperfect verb.
IMPERFECT_PREFIXES = ("ي", "ت", "ن", "ا")
TEH, TEH_MARBUTA = "ت", "ة"
_PROCLITIC_LETTERS_STRING = "وفبكلسا"  # the letters conjunctions, prepositions, ال are made of
_PROCLITIC_LETTERS = frozenset(_PROCLITIC_LETTERS_STRING)
_ENCLITIC_LETTERS = frozenset("".join(ENCLITICS))


@dataclass(frozen=True, slots=True)
class Analysis:
    """One segmentation of a word: ``proclitics`` + ``bare`` + ``enclitic``.

    ``proclitics`` is a tuple such as ``("و", "ل", "ال")``; ``bare`` is normalized
    (alef forms unified); ``score`` is the bare form's Zipf frequency.
    """

    proclitics: tuple[str, ...]
    bare: str
    enclitic: str
    score: float

    @property
    def proclitic_string(self) -> str:
        """Proclitics joined with ``+`` (``"و+ل+ال"``), empty when there are none."""
        return "+".join(self.proclitics)


def analyse_clitics(word: str, data: LanguageData | None = None) -> tuple[Analysis, ...]:
    """All accepted analyses of ``word``, preferred first; the last is the word unsegmented.

    ``word`` may be written or normalized; a hamza written on its first alef is
    used as evidence (إلغاء has no article).
    """
    data = default_data() if data is None else data
    word = _Word(word)
    unsegmented = Analysis((), word.whole, "", _zipf(word.whole, data))
    if not _may_have_clitics(word.light) or word.whole in data.clitic_exceptions:
        return (unsegmented,)
    found: dict[tuple, Analysis] = {}
    for proclitics, start, article in _proclitic_readings(word.light):
        for enclitic in ("",) if article else ("", *_enclitics(word.light, start)):
            if not (proclitics or enclitic) or _forbidden(proclitics, word, start, enclitic, data):
                continue
            best = _best_reading(
                proclitics, word, start, enclitic, article, unsegmented.score, data
            )
            if best is not None:
                found[(best.proclitics, best.bare, best.enclitic)] = best
    ranked = sorted(found.values(), key=_rank)
    return (*ranked, unsegmented)


def preferred(word: str, data: LanguageData | None = None) -> Analysis:
    """The preferred analysis of ``word``."""
    return analyse_clitics(word, data)[0]


def has_attested_reading(word: str, data: LanguageData | None = None) -> bool:
    """Whether ``word`` or one of its clitic analyses is a known word form."""
    return any(a.score > 0 for a in analyse_clitics(word, data))


def stem_starts(word: str) -> tuple[int, ...]:
    """Where a stem may begin in ``word``: 0, and after each proclitic reading, in order.

    Every reading the grammar allows (و + ل + ال in ولل…), with no frequency
    evidence: ``والشعب`` gives (0, 1, 3). Offsets are the same in the written
    word normalized, with or without its hamzas.
    """
    light = normalize_word_keep_hamza(word)
    return tuple(sorted({0, *(start for _, start, _ in _proclitic_readings(light))}))


class _Word:
    """A word normalized twice: ``light`` keeps the hamza on alef (evidence), ``whole`` not.

    For one word the two have the same length (normalization replaces letter by
    letter), so a stem is a slice of both; :meth:`form` normalizes it otherwise.
    """

    __slots__ = ("light", "whole", "aligned")

    def __init__(self, word: str) -> None:
        self.light = normalize_word_keep_hamza(word)
        self.whole = normalize_word(self.light)
        self.aligned = len(self.whole) == len(self.light)

    def form(self, start: int, end: int) -> str:
        """The normalized form of the stem ``light[start:end]``."""
        if self.aligned:
            return self.whole[start:end]
        return normalize_word(self.light[start:end])


def _may_have_clitics(light: str) -> bool:
    """Whether the first or last letter could belong to a clitic at all (most words: no)."""
    return light[:1] in _PROCLITIC_LETTERS or light[-1:] in _ENCLITIC_LETTERS


def _proclitic_readings(light: str) -> tuple[tuple[tuple[str, ...], int, bool], ...]:
    """``(proclitics, stem start, has the article)`` for every proclitic reading of ``light``.

    The readings read no further than the fourth letter, and no further than the
    first letter that cannot be a proclitic (the letter after a future س), so
    they are worked out once per distinct such beginning.
    """
    run = len(light[:4]) - len(light[:4].lstrip(_PROCLITIC_LETTERS_STRING))
    return _readings_of_beginning(light[: run + 1])


@lru_cache(maxsize=4096)
def _readings_of_beginning(light: str) -> tuple[tuple[tuple[str, ...], int, bool], ...]:
    readings = []
    for conj in CONJUNCTIONS:
        if not light.startswith(conj):
            continue
        for prep in PREPOSITIONS:
            if not light.startswith(prep, len(conj)):
                continue
            rest = len(conj) + len(prep)
            articles = [""]
            if prep == "ل" and light.startswith("ل", rest):
                articles.append("ل")  # ل + ال is written لل
            elif prep not in ("ل", "س") and light.startswith(ARTICLE, rest):
                articles.append(ARTICLE)
            for article in articles:
                start = rest + len(article)
                if prep == "س" and light[start : start + 1] not in IMPERFECT_PREFIXES:
                    continue
                proclitics = tuple(p for p in (conj, prep, ARTICLE if article else "") if p)
                readings.append((proclitics, start, bool(article)))
    return tuple(readings)


def _enclitics(light: str, start: int) -> list[str]:
    """The enclitics ``light`` ends with, leaving a stem after ``start``."""
    return [e for e in _enclitics_of_ending(light[-3:]) if len(light) - start > len(e)]


@lru_cache(maxsize=4096)
def _enclitics_of_ending(ending: str) -> tuple[str, ...]:
    """The enclitics a word ending in ``ending`` (its last three letters) ends with."""
    return tuple(e for e in ENCLITICS if ending.endswith(e))


def _forbidden(
    proclitics: tuple[str, ...], word: _Word, start: int, enclitic: str, data: LanguageData
) -> bool:
    """Readings the grammar allows but the rules of the module docstring refuse."""
    stem_length = len(word.light) - start - len(enclitic)
    if enclitic and word.form(start, start + 2) == ARTICLE:
        return True  # a stem with the article takes no enclitic
    if enclitic in SHORT_STEM_RISKY and stem_length < MIN_RISKY_STEM:
        return True
    after_conjunction = proclitics[:1] in (("و",), ("ف",))
    if after_conjunction and (len(proclitics) > 1 or enclitic):
        # وكان is و + كان: a listed word after و/ف is not read further
        return word.form(1, len(word.light)) in data.clitic_exceptions
    return False


def _best_reading(
    proclitics: tuple[str, ...],
    word: _Word,
    start: int,
    enclitic: str,
    article: bool,
    whole_score: float,
    data: LanguageData,
) -> Analysis | None:
    """The reading's accepted bare form with the highest score (first of equals), or None."""
    end = len(word.light) - len(enclitic)
    forms = [word.form(start, end)]
    if enclitic and word.light[end - 1] == TEH:
        forms.insert(0, forms[0][:-1] + TEH_MARBUTA)  # ولقضيتهم → قضية
    best = None
    for form in forms:
        if len(form) < MIN_BARE:
            continue
        score = _zipf(form, data)
        if _accepted(form, score, article, whole_score, data) and (
            best is None or score > best.score
        ):
            best = Analysis(proclitics, form, enclitic, score)
    return best


def _accepted(form: str, score: float, article: bool, whole_score: float, data) -> bool:
    """The frequency evidence a bare form needs (module docstring)."""
    if not article:
        return score > 0 and score >= whole_score + MARGIN
    if len(form) > MIN_BARE:
        return score >= ARTICLE_MIN_ZIPF or whole_score == 0
    return (
        score >= ARTICLE_SHORT_MIN_ZIPF
        and _zipf(ARTICLE + form, data) >= ARTICLE_SHORT_WHOLE_MIN_ZIPF
    )


def _rank(a: Analysis) -> tuple[int, float, int]:
    """Fullest segmentation first (والشعب → و+ال+شعب, not و+الشعب), then frequency, length."""
    return (-(len(a.proclitics) + bool(a.enclitic)), -a.score, -len(a.bare))


def _zipf(word: str, data: LanguageData) -> float:
    freq = data.frequencies.get(word)
    return math.log10(freq) + 9 if freq else 0.0
