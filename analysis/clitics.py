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

Speed: the analysis runs once per word type, and a 50 MB corpus has ~100k types,
so it must cost a few microseconds. The grammar is therefore applied through two
small per-process tables built once from :func:`_candidates` for every possible
run of clitic letters (which proclitic readings a word's first four letters
allow, which enclitic its last three letters end with), every stem is a slice of
the word normalized once (normalization is one character to one character on a
word without spaces), and a word with no possible clitic is answered after one
frequency look-up. Strings with spaces, or normalization tables for which that
shortcut would not hold, take the plain generate-and-test path
(:func:`_analyse_general`); ``tests/test_type_analysis_fast.py`` and
``benchmarks/bench_type_analysis.py`` check the results against the previous
implementation (``tests/reference_type_analysis.py``), field by field.
"""

from __future__ import annotations

import importlib.util
import itertools
import math
import re
from dataclasses import dataclass
from functools import lru_cache, partial
from math import log10
from pathlib import Path

from analysis.errors import LexiconError
from analysis.normalize import (
    _KEEP_HAMZA_TABLE,
    _TABLE,
    normalize_word,
    normalize_word_keep_hamza,
)
from analysis.paths import LEXICON_DIR
from analysis.wordlist_cache import cache_key, cached_table

CONJUNCTIONS = ("", "و", "ف")
PREPOSITIONS = ("", "ب", "ك", "ل", "س")
ENCLITICS = ("هما", "ها", "هم", "هن", "كم", "نا", "ني", "ه", "ك")
# Enclitics that too often end ordinary words (معنى، تمكن، بنك): their stem needs 3+ letters.
SHORT_STEM_RISKY = ("ني", "ك")
IMPERFECT_PREFIXES = "يتنا"
# Without the article, the bare form must be at least twice as frequent as the
# whole token (Zipf +0.3): باراك stays whole although اراك is about as common.
MARGIN = 0.3
ARTICLE = "ال"
# The letters that may start a word with a conjunction (و, ف).
_CONJUNCTION_LETTERS = "".join(CONJUNCTIONS)
# A bare form needs MIN_BARE letters or more; before a SHORT_STEM_RISKY enclitic
# the stem needs MIN_RISKY_STEM.
MIN_BARE = 2
MIN_RISKY_STEM = 3
# With the article (a strong marker) a bare form longer than MIN_BARE needs Zipf
# >= ARTICLE_MIN_ZIPF (unless the whole token is unknown); one of MIN_BARE letters
# needs ARTICLE_SHORT_MIN_ZIPF, and ARTICLE + it ARTICLE_SHORT_WHOLE_MIN_ZIPF.
ARTICLE_MIN_ZIPF = 1.5
ARTICLE_SHORT_MIN_ZIPF = 3.0
ARTICLE_SHORT_WHOLE_MIN_ZIPF = 2.5
# ت before an enclitic may be a teh marbuta written open (ولقضيتهم → قضية).
TEH = "ت"
TEH_MARBUTA = "ة"
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

    Built once by :func:`_build_frequencies` and kept on disk by
    :mod:`analysis.wordlist_cache` (keyed by wordfreq's data file and the
    normalization table), so later processes read it back in ~0.1 s instead of
    rebuilding it in ~0.7 s.
    """
    data_file = _wordfreq_data_file()
    return cached_table(cache_key(data_file, _TABLE), partial(_build_frequencies, data_file))


def _wordfreq_data_file() -> Path:
    """The packed Arabic "large" list of wordfreq, found without importing wordfreq if possible.

    Importing wordfreq takes ~0.3 s (it loads its tokenizers); with the cache
    warm nothing else of it is needed. The file is the one
    ``wordfreq.available_languages("large")["ar"]`` names.
    """
    spec = importlib.util.find_spec("wordfreq")
    if spec is not None and spec.origin is not None:
        candidate = Path(spec.origin).parent / "data" / "large_ar.msgpack.gz"
        if candidate.is_file():
            return candidate
    import wordfreq

    return Path(wordfreq.available_languages("large")["ar"])


def _build_frequencies(data_file: Path) -> dict[str, float]:
    """The normalized frequency table from wordfreq's packed list ``data_file``.

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
    pack = wordfreq.read_cBpack(str(data_file))
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
            elif prep != "س" and rest2.startswith(ARTICLE):
                articles.append(ARTICLE)
            for article in articles:
                stem_all = rest2[len(article) :]
                procs = tuple(p for p in (conj, prep, ARTICLE if article else "") if p)
                if prep == "س" and stem_all[:1] not in tuple(IMPERFECT_PREFIXES):
                    continue
                yield procs, stem_all, "", bool(article)
                if article:
                    continue
                for enc in ENCLITICS:
                    if stem_all.endswith(enc) and len(stem_all) > len(enc):
                        yield procs, stem_all[: -len(enc)], enc, False


# --- The fast path -------------------------------------------------------------

_ALEF_FORMS = "أإآٱ"
_ALEF_RE = re.compile("[" + _ALEF_FORMS + "]")
_KEEP_CHANGES = "".join(map(chr, sorted(_KEEP_HAMZA_TABLE)))
# A word without any of these characters is its own hamza-keeping normalization.
_KEEP_CHANGES_RE = re.compile("[" + re.escape(_KEEP_CHANGES) + r"\s]")
# ... and, without these, its own normalization as well.
_ANY_CHANGE_RE = re.compile("[" + re.escape(_KEEP_CHANGES) + _ALEF_FORMS + r"\s]")
_SPACE_RE = re.compile(r"\s")
_needs_normalizing = _ANY_CHANGE_RE.search


def _normalization_is_letterwise() -> bool:
    """Whether normalizing a hamza-kept word again only turns alef forms into ا.

    Then, for a word without whitespace (which ``str.strip`` would remove), the
    normalized form of any slice of the hamza-kept word is the same slice of the
    normalized word, which is what the fast path relies on. True for the tables of
    :mod:`analysis.normalize` as they are; checked here so that a change there
    makes every word take the general path instead of changing results.
    """
    if _TABLE.get(ord("ا"), "ا") != "ا":
        return False
    if any(_TABLE.get(ord(source)) != "ا" for source in _ALEF_FORMS):
        return False
    return all(
        ch in _ALEF_FORMS or _TABLE.get(ord(ch), ch) == ch
        for value in _KEEP_HAMZA_TABLE.values()
        for ch in value
    )


_LETTERWISE = _normalization_is_letterwise()


def _light_and_whole(word: str) -> tuple[str, str] | None:
    """``(normalize_word_keep_hamza(word), normalize_word(word))``, or None.

    None when the fast path does not apply (the word has inner whitespace, or the
    normalization tables are not letter-wise); otherwise the two strings have the
    same length and differ only where an alef form was unified.
    """
    if not _LETTERWISE:
        return None
    if _ANY_CHANGE_RE.search(word) is None:
        return word, word  # the usual case: already normalized
    light = normalize_word_keep_hamza(word) if _KEEP_CHANGES_RE.search(word) else word
    if _SPACE_RE.search(light) is not None:
        return None
    whole = light
    if _ALEF_RE.search(light) is not None:
        for source in _ALEF_FORMS:
            whole = whole.replace(source, "ا")
    return light, whole


# The letters the proclitic grammar looks at (conjunctions, prepositions, the
# article, ل of لل, the imperfect prefixes after س) and those enclitics are made
# of. Any other letter ends every match just as the end of the word does, so a
# word's candidate segmentations depend only on the leading run of the first
# (of at most four letters: conjunction, preposition and ال) and the trailing
# run of the second (at most three letters, the length of هما), besides its
# length.
_PROCLITIC_LETTERS = "".join(
    sorted(set("".join(CONJUNCTIONS + PREPOSITIONS) + ARTICLE + IMPERFECT_PREFIXES))
)
_ENCLITIC_LETTERS = "".join(sorted(set("".join(ENCLITICS))))

# A proclitic reading: (proclitics, stem start, has the article, a listed word
# after و/ف forbids it without an enclitic, ... with an enclitic).
_Reading = tuple[tuple[str, ...], int, bool, bool, bool]
_HEAD_PLANS: dict[str, tuple[_Reading, ...]] = {}
# An enclitic: (its length, itself, the stem needs 3+ letters).
_Enclitic = tuple[int, str, bool]
_TAIL_ENCLITICS: dict[str, tuple[_Enclitic, ...]] = {}


def _build_plans() -> None:
    """Fill the two per-process grammar tables, for every possible letter run.

    ``_HEAD_PLANS`` maps each string of up to four ``_PROCLITIC_LETTERS``
    (11,111 of them; 27 distinct plans) to its proclitic readings, taken from
    :func:`_candidates` in its order; ``_TAIL_ENCLITICS`` maps each string of up
    to three ``_ENCLITIC_LETTERS`` to the enclitics it ends with (never more than
    one: no enclitic ends another). About 50 ms, once.
    """
    heads = [""]
    tails = [""]
    for size in range(1, 5):
        heads += ["".join(p) for p in itertools.product(_PROCLITIC_LETTERS, repeat=size)]
        if size < 4:
            tails += ["".join(p) for p in itertools.product(_ENCLITIC_LETTERS, repeat=size)]
    shared: dict[tuple[_Reading, ...], tuple[_Reading, ...]] = {}
    head_plans = {}
    for head in heads:
        readings = []
        for procs, stem, enc, article in _candidates(head):
            if enc:
                continue  # enclitics come from the tail
            conj = bool(procs) and procs[0] in ("و", "ف")
            readings.append((procs, len(head) - len(stem), article, conj and len(procs) > 1, conj))
        plan = tuple(readings)
        head_plans[head] = shared.setdefault(plan, plan)
    tail_enclitics = {
        tail: tuple(
            (len(enc), enc, enc in SHORT_STEM_RISKY) for enc in ENCLITICS if tail.endswith(enc)
        )
        for tail in tails
    }
    # Published complete (one C-level update each, tails first: a reader only
    # checks that _HEAD_PLANS is filled), so another thread never sees half a table.
    _TAIL_ENCLITICS.update(tail_enclitics)
    _HEAD_PLANS.update(head_plans)


_BARE_STEM: _Enclitic = (0, "", False)  # the stem without an enclitic
_BARE_STEM_ONLY = (_BARE_STEM,)


# Analyses are built by filling the slots through their descriptors: a frozen
# dataclass's __init__ goes through object.__setattr__ for each field, which
# takes twice as long for the same object (equal, same hash), and one is built
# for every word type.
_new_analysis = object.__new__
_set_proclitics = Analysis.proclitics.__set__  # type: ignore[attr-defined]
_set_bare = Analysis.bare.__set__  # type: ignore[attr-defined]
_set_enclitic = Analysis.enclitic.__set__  # type: ignore[attr-defined]
_set_score = Analysis.score.__set__  # type: ignore[attr-defined]


def _analysis(proclitics: tuple[str, ...], bare: str, enclitic: str, score: float) -> Analysis:
    """``Analysis(proclitics, bare, enclitic, score)``, built through the slots."""
    analysis = _new_analysis(Analysis)
    _set_proclitics(analysis, proclitics)
    _set_bare(analysis, bare)
    _set_enclitic(analysis, enclitic)
    _set_score(analysis, score)
    return analysis


def _better_form(forms: tuple[str, ...], threshold: float) -> tuple[str, float] | None:
    """The accepted form with the highest score (the first of equals), or None.

    For a stem without the article (the only kind that can have two forms: with
    ة restored and as written): a form is accepted when it has 2+ letters and a
    score above 0 and at least ``threshold`` (the whole word's score + MARGIN).
    """
    best = None
    for form in forms:
        if len(form) < MIN_BARE:
            continue
        score = zipf(form)
        if score > 0 and score >= threshold and (best is None or score > best[1]):
            best = (form, score)
    return best


def _rank_key(a: Analysis) -> tuple[int, float, int]:
    # Fullest segmentation first (والشعب → و+ال+شعب, not و+الشعب), then frequency.
    return (-(len(a.proclitics) + bool(a.enclitic)), -a.score, -len(a.bare))


# Bounded and small: the text stage keeps its own per-type rows, so this cache
# only serves repeated direct calls. Keeping results alive costs every new word
# time (fresh memory instead of recycled blocks): on the 50 MB benchmark corpus
# ~0.25 µs per word with 16-256 entries, ~0.6 µs with 1k, ~1 µs with 20k.
@lru_cache(maxsize=256)
def analyse_clitics(word: str) -> tuple[Analysis, ...]:
    """All accepted analyses of one word, preferred first; the last is unsegmented.

    ``word`` may be a surface form or a normalized one; the hamza on an initial
    alef, when written, is used as evidence (إلغاء has no article).

    The candidates are those of :func:`_candidates`, tested as
    :func:`_analyse_general` tests them and ranked the same way, but read from
    the grammar tables and tested on slices of the word normalized once.
    """
    if _LETTERWISE and _needs_normalizing(word) is None:
        light = whole = word  # the usual case: already normalized
    else:
        pair = _light_and_whole(word)
        if pair is None:
            return _analyse_general(word)
        light, whole = pair
    get = _frequencies().get
    freq = get(whole)
    whole_score = log10(freq) + 9 if freq else 0.0
    unsegmented = _analysis((), whole, "", whole_score)
    if not _HEAD_PLANS:
        _build_plans()
    # A word whose first (last) letter starts (ends) no clitic has none: the
    # usual case, decided with two string tests. Otherwise its leading run of
    # proclitic letters (at most 4) and trailing run of enclitic letters (at
    # most 3) give its candidates.
    first = light[:1]
    if first and first in _PROCLITIC_LETTERS:
        head = light[:4]
        plan = _HEAD_PLANS[head[: len(head) - len(head.lstrip(_PROCLITIC_LETTERS))]]
    else:
        plan = _HEAD_PLANS[""]
    last = light[-1:]
    if last and last in _ENCLITIC_LETTERS:
        tail = light[-3:]
        enclitics = _TAIL_ENCLITICS[tail[len(tail.rstrip(_ENCLITIC_LETTERS)) :]]
        with_bare = (_BARE_STEM, *enclitics)
    elif len(plan) == 1:
        return (unsegmented,)  # no proclitic, no enclitic: nothing to test
    else:
        enclitics = ()
        with_bare = _BARE_STEM_ONLY
    exc = exceptions()
    if whole in exc:
        return (unsegmented,)
    accepted: list[Analysis] = []
    n = len(light)
    threshold = whole_score + MARGIN
    # "و/ف + a word of the exceptions list" (وكان) is never و + ك + ان.
    conj_exception = first in _CONJUNCTION_LETTERS and whole[1:] in exc
    for procs, start, article, conj_bare, conj_enclitic in plan:
        # As in _candidates: the stem without an enclitic (not for the word
        # itself), then, without the article, the stem minus the enclitic.
        for size, enc, risky in _BARE_STEM_ONLY if article else with_bare if procs else enclitics:
            end = n - size
            if enc:
                if end <= start:
                    continue  # the enclitic would be the whole stem
                if risky and end - start < MIN_RISKY_STEM or whole.startswith(ARTICLE, start, end):
                    continue  # short stems are risky; a definite noun takes no possessive
                if conj_enclitic and conj_exception:
                    continue  # وكان is و + كان, never و + ك + ان
                if light[end - 1] == TEH:  # ت before an enclitic: ة restored, if attested
                    forms = (whole[start : end - 1] + TEH_MARBUTA, whole[start:end])
                    best = _better_form(forms, threshold)
                    if best is None:
                        continue
                    form, score = best
                    accepted.append(_analysis(procs, form, enc, score))
                    continue
            elif conj_bare and conj_exception:
                continue
            # One form (the usual case): the test of _better_form, inlined.
            if end - start < MIN_BARE:
                continue
            form = whole[start:end]
            freq = get(form)
            score = log10(freq) + 9 if freq else 0.0
            if article:
                if end - start > MIN_BARE:
                    if score < ARTICLE_MIN_ZIPF and whole_score != 0:
                        continue
                elif not (
                    score >= ARTICLE_SHORT_MIN_ZIPF
                    and zipf(ARTICLE + form) >= ARTICLE_SHORT_WHOLE_MIN_ZIPF
                ):
                    continue
            elif not (score > 0 and score >= threshold):
                continue
            accepted.append(_analysis(procs, form, enc, score))
    if not accepted:
        return (unsegmented,)
    if len(accepted) == 1:
        return (accepted[0], unsegmented)
    accepted.sort(key=_rank_key)
    accepted.append(unsegmented)
    return tuple(accepted)


def whole_is_attested(word: str) -> bool:
    """Whether ``word`` as a whole (normalized) is in the frequency list.

    Then :func:`has_attested_reading` is true as well (the unsegmented analysis
    has that score, ``zipf(normalize_word(word)) > 0``); one look-up.
    """
    if _LETTERWISE and _needs_normalizing(word) is None:
        freq = _frequencies().get(word)
    else:
        pair = _light_and_whole(word)
        whole = pair[1] if pair is not None else normalize_word(normalize_word_keep_hamza(word))
        freq = _frequencies().get(whole)
    if not freq:
        return False
    # log10(freq) + 9 > 0, without the logarithm when freq is clearly above 1e-9
    return freq > 2e-9 or log10(freq) + 9 > 0


def has_attested_reading(word: str) -> bool:
    """Whether ``word`` or one of its clitic analyses is in the frequency list.

    ``any(a.score > 0 for a in analyse_clitics(word))``, answered with one
    look-up for a word attested as a whole (the run-together repair asks this
    of every long word).
    """
    return whole_is_attested(word) or any(a.score > 0 for a in analyse_clitics(word))


def _analyse_general(word: str) -> tuple[Analysis, ...]:
    """:func:`analyse_clitics` by plain generate-and-test, for any string.

    Used for the strings the fast path does not take (with inner whitespace, so
    not tokens); this is the algorithm :func:`analyse_clitics` is a faster form of.
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
        risky = enc in SHORT_STEM_RISKY and len(stem) < MIN_RISKY_STEM
        if enc and (bare_start == ARTICLE or risky):
            continue  # a definite noun takes no possessive; short stems are risky
        if len(procs) > 1 and procs[0] in ("و", "ف") and normalize_word(light[1:]) in exc:
            continue  # وكان is و + كان, never و + ك + ان
        if procs and procs[0] in ("و", "ف") and enc and normalize_word(light[1:]) in exc:
            continue
        forms = [normalize_word(stem)]
        if enc and stem.endswith(TEH):
            forms.insert(0, forms[0][:-1] + TEH_MARBUTA)
        best = None
        for form in forms:
            if len(form) < MIN_BARE:
                continue
            score = zipf(form)
            if article:
                if len(form) > MIN_BARE:
                    ok = score >= ARTICLE_MIN_ZIPF
                else:
                    ok = (
                        score >= ARTICLE_SHORT_MIN_ZIPF
                        and zipf(ARTICLE + form) >= ARTICLE_SHORT_WHOLE_MIN_ZIPF
                    )
                ok = ok or (whole_score == 0 and len(form) > MIN_BARE)
            else:
                ok = score > 0 and score >= whole_score + MARGIN
            if ok and (best is None or score > best.score):
                best = Analysis(procs, form, enc, score)
        if best is not None:
            found[(best.proclitics, best.bare, best.enclitic)] = best
    ranked = sorted(found.values(), key=_rank_key)
    return (*ranked, Analysis((), whole, "", whole_score))


def preferred(word: str) -> Analysis:
    """The preferred analysis of ``word`` (see :func:`analyse_clitics`)."""
    return analyse_clitics(word)[0]
