"""Conservative clitic analysis of Arabic word tokens, cached per word type.

For a token the analysis lists the proclitics it may carry (conjunction و ف,
preposition ب ك ل, future س, article ال, in that order, e.g. و+ل+ال written
ولل), the pronoun enclitic (ه ها هم هما هن ك كم نا ني; كن and كما are left out
because they end too many ordinary words: أماكن، تمكن) and the bare form left.
Candidate segmentations are generated from that grammar and kept only when the
evidence supports them, so that names (فرنسا، أوباما، بوقطاية) and words that
merely start with those letters (بطش، لاجئ، كامل) are not mangled:

* the bare form must have at least two letters;
* without the article, the bare form must be at least twice as frequent as the
  whole token (وزير stays whole because زير is rarer; باحتلال → ب + احتلال
  because احتلال is more frequent than باحتلال);
* with the article (a strong marker), the token must not start with أل/إل/آل as
  written (ألمانيا, إلغاء) and the bare form must be attested, or the whole token
  unknown (a name such as الكناري);
* an enclitic attached to a stem ending in ت restores teh marbuta when that form
  is attested (ولقضيتهم → قضية);
* the first-person ي is not treated as an enclitic (it is mostly the nisba ending
  of دولي, الصحراوي); ني and ك need a stem of 3+ letters (معنى، بنك، لديك stay
  whole); a stem starting with ال takes no enclitic (الفني، إله);
* a word of the exceptions list keeps its letters after a conjunction (وكان is
  و + كان, not و + ك + ان);
* words in ``lexicons/clitic_exceptions.txt`` (function words such as الذي،
  كما، الله) are never segmented.

Frequencies come from ``wordfreq`` (its Arabic "large" list, 620k word forms from
Wikipedia, subtitles, news and web text, shipped inside the wheel: works offline),
normalized with :func:`analysis.normalize.normalize_word` and summed.

The preferred analysis is the valid one that removes the most clitics (ties: the
most frequent bare form); the unsegmented word is always the last candidate.

A lemmatizer is deliberately not a column: qalsadi (the only offline one that
fits) lemmatized 76 words/s on the seed article and errs on framing words
(القضية → قضة, الجزائر → جزور), see docs/design.md.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

from analysis.errors import LexiconError
from analysis.normalize import normalize_word, normalize_word_keep_hamza
from analysis.paths import LEXICON_DIR

CONJUNCTIONS = ("", "و", "ف")
PREPOSITIONS = ("", "ب", "ك", "ل", "س")
ENCLITICS = ("هما", "ها", "هم", "هن", "كم", "نا", "ني", "ه", "ك")
# Enclitics that too often end ordinary words (معنى، تمكن، بنك): their stem needs 3+ letters.
SHORT_STEM_RISKY = ("ني", "ك")
IMPERFECT_PREFIXES = "يتنا"
# Without the article, the bare form must be at least twice as frequent as the
# whole token (Zipf +0.3): باراك stays whole although اراك is about as common.
MARGIN = 0.3
EXCEPTIONS_FILE = LEXICON_DIR / "clitic_exceptions.txt"
_LIGHT_TABLE = {ord(c): "ا" for c in "أإآٱ"}


@dataclass(frozen=True, slots=True)  # slots: ~0.2 kB less per cached analysis
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


@lru_cache(maxsize=1)
def _frequencies() -> dict[str, float]:
    """Frequency of every normalized word form (forms that normalize alike summed).

    Built straight from wordfreq's packed list (one bucket of words per centibel)
    rather than from ``wordfreq.get_frequency_dict``: the values are the same
    floats, summed in the same order (the dictionary follows the buckets' order
    and no word is in two buckets), but neither wordfreq's ~620k-entry dictionary
    nor its cached list stays alive while this one is built, and every form
    alone in its bucket shares the bucket's float object. That lowers the peak
    memory of loading from ~215 MB to ~135 MB and the steady state by ~25 MB
    (measured in one process, 29 November 2026).
    """
    import wordfreq

    # A private copy (wordfreq's own cached list, if another module loaded it,
    # must not be emptied below); the same file get_frequency_list("ar", "large") reads.
    pack = wordfreq.read_cBpack(wordfreq.available_languages("large")["ar"])
    totals: dict[str, float] = {}
    get = totals.get
    for index in range(len(pack)):
        bucket, pack[index] = pack[index], []  # free each bucket once read
        freq = wordfreq.cB_to_freq(-index)
        for word in bucket:
            key = normalize_word(word)
            old = get(key)
            totals[key] = freq if old is None else old + freq
    return totals


def zipf(word_normalized: str) -> float:
    """Zipf frequency (log10 per billion words) of a normalized word; 0 if unknown."""
    freq = _frequencies().get(word_normalized)
    return math.log10(freq) + 9 if freq else 0.0


def is_known(word_normalized: str) -> bool:
    """Whether the normalized word form is attested in the frequency list."""
    return word_normalized in _frequencies()


@lru_cache(maxsize=1)
def exceptions() -> frozenset[str]:
    """Normalized words never segmented (``lexicons/clitic_exceptions.txt``)."""
    words = set()
    try:
        lines = EXCEPTIONS_FILE.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        raise LexiconError("clitic exceptions list not found", EXCEPTIONS_FILE) from None
    for number, line in enumerate(lines, start=1):
        entry = line.split("#", 1)[0].strip()
        if not entry:
            continue
        if " " in entry:
            raise LexiconError(
                f"one word per line expected, got {entry!r}", EXCEPTIONS_FILE, number
            )
        words.add(normalize_word(entry))
    return frozenset(words)


def _candidates(light: str):
    """Yield ``(proclitics, stem, enclitic, has_article)`` segmentations of ``light``."""
    for conj in CONJUNCTIONS:
        if not light.startswith(conj):
            continue
        rest1 = light[len(conj) :]
        for prep in PREPOSITIONS:
            if not rest1.startswith(prep):
                continue
            rest2 = rest1[len(prep) :]
            articles = [""]
            if prep == "ل":
                if rest2.startswith("ل"):
                    articles.append("ل")  # ل + ال is written لل
            elif prep != "س" and rest2.startswith("ال"):
                articles.append("ال")
            for article in articles:
                stem_all = rest2[len(article) :]
                procs = tuple(p for p in (conj, prep, "ال" if article else "") if p)
                if prep == "س" and stem_all[:1] not in tuple(IMPERFECT_PREFIXES):
                    continue
                yield procs, stem_all, "", bool(article)
                if article:
                    continue
                for enc in ENCLITICS:
                    if stem_all.endswith(enc) and len(stem_all) > len(enc):
                        yield procs, stem_all[: -len(enc)], enc, False


# Bounded: an entry (tuple of Analysis objects) is ~0.8 kB, and the text stage
# keeps its own per-type rows (pipeline._CLITIC_ROWS), so this cache mostly serves
# the run-together repair's look-ups; 20k entries keep memory flat.
@lru_cache(maxsize=20_000)
def analyse_clitics(word: str) -> tuple[Analysis, ...]:
    """All accepted analyses of one word, preferred first; the last is unsegmented.

    ``word`` may be a surface form or a normalized one; the hamza on an initial
    alef, when written, is used as evidence (إلغاء has no article).
    """
    light = normalize_word_keep_hamza(word)
    whole = normalize_word(light)
    whole_score = zipf(whole)
    exc = exceptions()
    if whole in exc or not whole:
        return (Analysis((), whole, "", whole_score),)
    found: dict[tuple[tuple[str, ...], str, str], Analysis] = {}
    for procs, stem, enc, article in _candidates(light):
        if not procs and not enc:
            continue
        bare_start = normalize_word(stem[:2])
        if enc and (bare_start == "ال" or enc in SHORT_STEM_RISKY and len(stem) < 3):
            continue  # a definite noun takes no possessive; short stems are risky
        if len(procs) > 1 and procs[0] in ("و", "ف") and normalize_word(light[1:]) in exc:
            continue  # وكان is و + كان, never و + ك + ان
        if procs and procs[0] in ("و", "ف") and enc and normalize_word(light[1:]) in exc:
            continue
        forms = [normalize_word(stem)]
        if enc and stem.endswith("ت"):
            forms.insert(0, forms[0][:-1] + "ة")
        best = None
        for form in forms:
            if len(form) < 2:
                continue
            score = zipf(form)
            if article:
                ok = score >= 1.5 if len(form) > 2 else score >= 3.0 and zipf("ال" + form) >= 2.5
                ok = ok or (whole_score == 0 and len(form) > 2)
            else:
                ok = score > 0 and score >= whole_score + MARGIN
            if ok and (best is None or score > best.score):
                best = Analysis(procs, form, enc, score)
        if best is not None:
            found[(best.proclitics, best.bare, best.enclitic)] = best
    # Fullest segmentation first (والشعب → و+ال+شعب, not و+الشعب), then frequency.
    ranked = sorted(
        found.values(),
        key=lambda a: (-(len(a.proclitics) + bool(a.enclitic)), -a.score, -len(a.bare)),
    )
    return (*ranked, Analysis((), whole, "", whole_score))


def preferred(word: str) -> Analysis:
    """The preferred analysis of ``word`` (see :func:`analyse_clitics`)."""
    return analyse_clitics(word)[0]
