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
small per-process tables derived from the constants above (which proclitic
readings a word's first four letters allow, which enclitics its last three
letters allow), every stem is a slice of the word normalized once (normalization
is one character to one character on a word without spaces), and a word with no
possible clitic is answered after one frequency look-up. Strings with spaces, or
normalization tables for which that shortcut would not hold, take the plain
generate-and-test path (:func:`_analyse_general`); ``tests/test_type_analysis_fast.py``
checks both against the previous implementation.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache

from analysis.errors import LexiconError
from analysis.normalize import (
    _KEEP_HAMZA_TABLE,
    _TABLE,
    normalize_word,
    normalize_word_keep_hamza,
)
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


# --- The fast path -------------------------------------------------------------

_ALEF_FORMS = "أإآٱ"
_ALEF_RE = re.compile("[" + _ALEF_FORMS + "]")
_KEEP_CHANGES = "".join(map(chr, sorted(_KEEP_HAMZA_TABLE)))
# A word without any of these characters is its own hamza-keeping normalization.
_KEEP_CHANGES_RE = re.compile("[" + _KEEP_CHANGES + r"\s]")
# ... and, without these, its own normalization as well.
_ANY_CHANGE_RE = re.compile("[" + _KEEP_CHANGES + _ALEF_FORMS + r"\s]")
_SPACE_RE = re.compile(r"\s")


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


# Per-process tables derived from the grammar constants, filled as words come.
# Keys are a word's first four / last three letters (tens of thousands on a
# 50 MB corpus, a few MB); emptied if they ever reach _PLAN_MAX.
_PROCLITIC_PLANS: dict[str, tuple[tuple[tuple[str, ...], int, bool], ...]] = {}
_ENCLITIC_PLANS: dict[str, tuple[tuple[int, str, bool], ...]] = {}
_PLAN_MAX = 200_000
# The letters the proclitic grammar looks at; any other letter ends every match
# just as the end of the word does, so only the leading run of these matters.
_PROCLITIC_LETTERS = "".join(
    sorted(set("".join(CONJUNCTIONS + PREPOSITIONS) + "ال" + IMPERFECT_PREFIXES))
)
_PROCLITIC_RUN_RE = re.compile("[" + _PROCLITIC_LETTERS + "]{0,4}")
_ENCLITIC_RUN_RE = re.compile("[" + "".join(sorted(set("".join(ENCLITICS)))) + r"]{0,3}\Z")


def _proclitic_plan(head: str) -> tuple[tuple[tuple[str, ...], int, bool], ...]:
    """``(proclitics, stem offset, has_article)`` readings of a word starting with ``head``.

    ``head`` is the word's first four letters: every test :func:`_candidates`
    makes on the proclitics (conjunction, preposition, article or ل of لل, and
    the letter after س) looks at most at the first four letters, and only at
    whether they are particular letters of ``_PROCLITIC_LETTERS``. So the
    enclitic-free candidates that :func:`_candidates` gives for the leading run
    of those letters list the readings of the whole word, in the same order. The
    first reading is always the one without proclitics.
    """
    plan = _PROCLITIC_PLANS.get(head)
    if plan is None:
        run = _PROCLITIC_RUN_RE.match(head).group()  # type: ignore[union-attr]
        plan = _PROCLITIC_PLANS.get(run)
        if plan is None:
            plan = tuple(
                (procs, len(run) - len(stem), article)
                for procs, stem, enc, article in _candidates(run)
                if not enc
            )
        if len(_PROCLITIC_PLANS) >= _PLAN_MAX:
            _PROCLITIC_PLANS.clear()
        _PROCLITIC_PLANS[run] = _PROCLITIC_PLANS[head] = plan
    return plan


def _enclitic_plan(tail: str) -> tuple[tuple[int, str, bool], ...]:
    """``(length, enclitic, needs a 3-letter stem)`` for the enclitics ``tail`` ends with.

    ``tail`` is the word's last three letters (the longest enclitic, هما, has
    three); the enclitics are listed in the order of ``ENCLITICS``. Only the
    trailing run of letters that occur in enclitics matters.
    """
    plan = _ENCLITIC_PLANS.get(tail)
    if plan is None:
        run = _ENCLITIC_RUN_RE.search(tail).group()  # type: ignore[union-attr]
        plan = _ENCLITIC_PLANS.get(run)
        if plan is None:
            plan = tuple(
                (len(enc), enc, enc in SHORT_STEM_RISKY) for enc in ENCLITICS if run.endswith(enc)
            )
        if len(_ENCLITIC_PLANS) >= _PLAN_MAX:
            _ENCLITIC_PLANS.clear()
        _ENCLITIC_PLANS[run] = _ENCLITIC_PLANS[tail] = plan
    return plan


_TRIVIAL_PLAN: tuple[tuple[tuple[str, ...], int, bool], ...] = (((), 0, False),)
_ENCLITIC_LETTERS = "".join(sorted(set("".join(ENCLITICS))))
_BARE_STEM = (0, "", False)  # the candidate without an enclitic, as (size, enclitic, risky)
_BARE_STEM_ONLY = (_BARE_STEM,)


def _accepted(
    light: str, whole: str, whole_score: float, exc: frozenset[str], attested_only: bool
) -> list[Analysis]:
    """The accepted segmentations of a word, as analyses in candidate order.

    ``light``/``whole`` come from :func:`_light_and_whole`, ``whole_score`` is the
    Zipf score of ``whole``, which is not an exception. The segmentations are
    the candidates of :func:`_candidates`, tested as :func:`_analyse_general`
    tests them and listed in the same order; with ``attested_only`` the search
    stops at the first one with a score above 0.
    """
    # A word whose first (last) letter starts (ends) no clitic has none: the
    # usual case, decided without the plan tables.
    first = light[:1]
    if first and first in _PROCLITIC_LETTERS:
        head = light[:4]
        plan = _PROCLITIC_PLANS.get(head) or _proclitic_plan(head)
    else:
        plan = _TRIVIAL_PLAN
    last = light[-1:]
    if last and last in _ENCLITIC_LETTERS:
        tail = light[-3:]
        enclitics = _ENCLITIC_PLANS.get(tail)
        if enclitics is None:
            enclitics = _enclitic_plan(tail)
    else:
        enclitics = ()
    accepted: list[Analysis] = []
    if not enclitics and len(plan) == 1:
        return accepted  # no proclitic, no enclitic: nothing to test
    get = _frequencies().get
    log10 = math.log10
    n = len(light)
    threshold = whole_score + MARGIN
    # "و/ف + a word of the exceptions list" (وكان) is never و + ك + ان.
    conj_exception = first in "وف" and whole[1:] in exc
    for procs, start, article in plan:
        # As in _candidates: the stem without an enclitic (not for the word
        # itself), then, without the article, the stem minus each enclitic.
        if article:
            segments = _BARE_STEM_ONLY
        elif not procs:
            segments = enclitics
        elif enclitics:
            segments = (_BARE_STEM, *enclitics)
        else:
            segments = _BARE_STEM_ONLY
        for size, enc, risky in segments:
            end = n - size
            if enc:
                if end <= start:
                    continue  # the enclitic would be the whole stem
                if whole.startswith("ال", start, end) or risky and end - start < 3:
                    continue  # a definite noun takes no possessive; short stems are risky
                if conj_exception and procs and procs[0] in "وف":
                    continue  # وكان is و + كان, never و + ك + ان
                if light[end - 1] == "ت":  # ت before an enclitic: ة restored, if attested
                    forms: tuple[str, ...] = (whole[start : end - 1] + "ة", whole[start:end])
                else:
                    forms = (whole[start:end],)
            else:
                if conj_exception and procs[0] in "وف" and len(procs) > 1:
                    continue
                forms = (whole[start:end],)
            best_form = ""
            best_score = 0.0
            for form in forms:
                length = len(form)
                if length < 2:
                    continue
                freq = get(form)
                score = log10(freq) + 9 if freq else 0.0
                if article:
                    if length > 2:
                        ok = score >= 1.5 or whole_score == 0
                    else:
                        ok = score >= 3.0 and zipf("ال" + form) >= 2.5
                else:
                    ok = score > 0 and score >= threshold
                if ok and (not best_form or score > best_score):
                    best_form, best_score = form, score
            if best_form:
                accepted.append(_make(procs, best_form, enc, best_score))
                if attested_only and best_score > 0:
                    return accepted
    return accepted


_new_analysis = object.__new__
_set_proclitics = Analysis.proclitics.__set__  # type: ignore[attr-defined]
_set_bare = Analysis.bare.__set__  # type: ignore[attr-defined]
_set_enclitic = Analysis.enclitic.__set__  # type: ignore[attr-defined]
_set_score = Analysis.score.__set__  # type: ignore[attr-defined]


def _make(proclitics: tuple[str, ...], bare: str, enclitic: str, score: float) -> Analysis:
    """``Analysis(proclitics, bare, enclitic, score)``, built in half the time.

    A frozen dataclass's ``__init__`` goes through ``object.__setattr__`` for each
    field; filling the slots through their descriptors gives the same object
    (equal, same hash) without that detour, and one is built for every word type.
    """
    analysis = _new_analysis(Analysis)
    _set_proclitics(analysis, proclitics)
    _set_bare(analysis, bare)
    _set_enclitic(analysis, enclitic)
    _set_score(analysis, score)
    return analysis


def _rank_key(a: Analysis) -> tuple[int, float, int]:
    # Fullest segmentation first (والشعب → و+ال+شعب, not و+الشعب), then frequency.
    return (-(len(a.proclitics) + bool(a.enclitic)), -a.score, -len(a.bare))


# Bounded: an entry (tuple of Analysis objects) is ~0.8 kB, and the text stage
# keeps its own per-type rows (pipeline._CLITIC_ROWS), so this cache mostly serves
# the run-together repair's look-ups; 20k entries keep memory flat.
# Bounded and small: the text stage keeps its own per-type rows, so this cache
# only serves repeated direct calls; a large one made every new word slower
# (evicting old entries touches memory long out of the CPU's caches: 20k entries
# cost ~1 µs more per new word than 1k on the 50 MB benchmark corpus).
@lru_cache(maxsize=1024)
def analyse_clitics(word: str) -> tuple[Analysis, ...]:
    """All accepted analyses of one word, preferred first; the last is unsegmented.

    ``word`` may be a surface form or a normalized one; the hamza on an initial
    alef, when written, is used as evidence (إلغاء has no article).
    """
    if _LETTERWISE and _ANY_CHANGE_RE.search(word) is None:
        light = whole = word  # the usual case: already normalized
    else:
        pair = _light_and_whole(word)
        if pair is None:
            return _analyse_general(word)
        light, whole = pair
    freq = _frequencies().get(whole)
    whole_score = math.log10(freq) + 9 if freq else 0.0
    unsegmented = _make((), whole, "", whole_score)
    exc = exceptions()
    if whole in exc:
        return (unsegmented,)
    accepted = _accepted(light, whole, whole_score, exc, False)
    if not accepted:
        return (unsegmented,)
    if len(accepted) > 1:
        accepted.sort(key=_rank_key)
    accepted.append(unsegmented)
    return tuple(accepted)


def whole_is_attested(word: str) -> bool:
    """Whether ``word`` as a whole (normalized) is in the frequency list.

    Then :func:`has_attested_reading` is true as well (the unsegmented analysis
    has that score); one look-up.
    """
    pair = _light_and_whole(word)
    whole = pair[1] if pair is not None else normalize_word(normalize_word_keep_hamza(word))
    return zipf(whole) > 0


def has_attested_reading(word: str) -> bool:
    """Whether ``word`` or one of its clitic analyses is in the frequency list.

    The same answer as ``any(a.score > 0 for a in analyse_clitics(word))``, but
    a word attested as a whole is answered with one look-up, and otherwise the
    search stops at the first attested analysis (the run-together repair asks
    this of every long word).
    """
    pair = _light_and_whole(word)
    if pair is None:
        return any(a.score > 0 for a in analyse_clitics(word))
    light, whole = pair
    freq = _frequencies().get(whole)
    whole_score = math.log10(freq) + 9 if freq else 0.0
    if whole_score > 0:
        return True
    exc = exceptions()
    if whole in exc:
        return False
    return any(a.score > 0 for a in _accepted(light, whole, whole_score, exc, True))


def _analyse_general(word: str) -> tuple[Analysis, ...]:
    """:func:`analyse_clitics` by plain generate-and-test, for any string.

    Used for the strings the fast path does not take (with inner whitespace, so
    not tokens); this is the algorithm :func:`_accepted` is a faster form of.
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
    ranked = sorted(found.values(), key=_rank_key)
    return (*ranked, Analysis((), whole, "", whole_score))


def preferred(word: str) -> Analysis:
    """The preferred analysis of ``word`` (see :func:`analyse_clitics`)."""
    return analyse_clitics(word)[0]
