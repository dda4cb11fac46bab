"""Splitting run-together words (spaces lost in scraping).

Scraping often drops the space between two words (``الأممالمتحدة``,
``إلىتعزيز``) or between a word and a number (``لعام2017``, ``يلي7``). A wrong
split is worse than a missed one (it makes up words the text does not have), so
a word is split only on strong evidence and everything else stays whole.

**A word glued to a number** is cut wherever letters and digits meet, when every
run of letters is a plausible piece (rule 2 below): ``يلي7`` → يلي + 7, ``4آذار``
→ 4 + آذار. ``بـ3``, ``الـ37`` and ``2017م`` stay whole (a preposition, the
article or a letter abbreviation written with a number).

**Words glued to words** are split when all of these hold:

1. the word has at least ``min_length`` letters and is **unknown**: neither the
   form, nor any clitic analysis of it (:mod:`analysis.text.clitics`), nor any
   **inflected reading** is in the word list (:mod:`analysis.text.wordlist`). An
   inflected reading is, after any proclitics, a known stem of at least
   ``min_stem_length`` letters plus an ending (``lexicons/inflection_endings.txt``)
   and/or a pronoun (``lexicons/pronoun_endings.txt``): الداعمتان is الداعم + تان,
   يبرران is يبرر + ان, so neither is run-together;
2. it can be cut into 2–``max_parts`` **pieces** that are each a plausible word:
   Arabic letters only, a common word (Zipf ≥ ``min_zipf``; ≥ ``min_zipf_short``
   for two letters), neither an affix or the article
   (``lexicons/not_word_pieces.txt``: ال، ات، ون، ية …) nor proclitics alone
   (وال، بال), nor the article with fewer than ``MIN_ARTICLE_STEM`` letters
   after it (الع) unless it is a word of ``lexicons/clitic_exceptions.txt``
   (الذي), nor a name link (عبد، أبو، بن …), which is written joined to the
   rest of a name by convention (عبدالله، أبومازن);
3. every cut falls where the spelling shows that a word ends or begins: after
   teh marbuta ة or alef maqsura ى, which only end words (الإيطالية|الجديدة،
   إلى|تعزيز), before an alef with hamza (أ إ آ), which only begins words
   (وقف|إطلاق), or before the article ال (الأمم|المتحدة، أو|الشراكة) when the
   piece has three letters after it or is a word of
   ``lexicons/clitic_exceptions.txt`` (الحب|الذي): the ال of شامالوف or العمّالن
   is part of a name or a typo. A cut after any other letter is never made:
   transliterated names (ولدلايف، ديمافيليس، شينشار) split into common syllables
   anywhere else.

The cut with the fewest pieces wins, ties going to the most frequent pieces. The
thresholds are in ``config/repair_settings.csv``. The text stage also leaves a
word whole when a cut would fall inside one written character that normalization
expands (ﻻ is لا), lists every split in its repairs table, and honours the
vetoes of ``config/repair_vetoes.csv``. All of this runs once per distinct
written word (:mod:`analysis.text.wordtype`).
"""

from __future__ import annotations

import math
import re
from functools import lru_cache

from analysis.text.clitics import has_attested_reading, stem_starts
from analysis.text.data import LanguageData, default_data
from analysis.text.normalize import NORMALIZATION_TABLE, normalize, normalize_word
from analysis.text.tokens import NUMBER_SEPARATORS, PERCENT_SIGNS

RULE = "split-run-together (wordfreq)"
MIN_PART_LENGTH = 2
ARTICLE = "ال"
MIN_ARTICLE_STEM = 3  # letters after ال for a piece to start with the article
TEH, TEH_MARBUTA = "ت", "ة"
PLURAL_VERB = "وا"  # its alef is not written before a pronoun
# Letters that only end a word, and letters that only begin one (rule 3).
WORD_FINAL = frozenset("ةى")
HAMZA_ALEF = frozenset("أإآ")
# Normalized Arabic letters: what a piece is made of.
LETTERS = "ءؤئابةتثجحخدذرزسشصضطظعغفقكلمنهوي"
_ARABIC_PIECE = re.compile(f"[{LETTERS}]+")
# A number as the tokenizer reads it (3.5, 12%), or a run of anything else.
_NUMBER_OR_REST = re.compile(rf"\d+(?:[{NUMBER_SEPARATORS}]\d+)*[{PERCENT_SIGNS}]?|\D+")
# Normalization that keeps the letter shapes rule 3 reads (أ إ آ ٱ ى); same length.
_KEEP_SHAPE = {c: v for c, v in NORMALIZATION_TABLE.items() if chr(c) not in "أإآٱى"}


def find_split(word: str, data: LanguageData | None = None) -> tuple[int, ...] | None:
    """Cut points (offsets inside the normalized ``word``) that split it, or None.

    ``word`` may be written or normalized; written, its hamzas and alef maqsura
    are evidence (rule 3 of the module docstring).
    """
    data = data or default_data()
    whole = normalize_word(word)
    shape = word.translate(_KEEP_SHAPE).strip()
    if len(shape) != len(whole) or not whole:
        return None
    if any(c.isdigit() for c in whole):
        return _number_cuts(whole, shape, data)
    if whole in data.frequencies:
        return None
    return _word_cuts(word, whole, shape, data)


def split_surface(surface: str, normalized: str, data: LanguageData) -> tuple[tuple[int, int], ...]:
    """Spans in the written ``surface`` of the parts of a run-together word, or ().

    ``normalized`` is the surface normalized. The cuts of :func:`find_split` are
    mapped back to the written form; a word is left whole when a cut would fall
    inside one written character that normalization expands (ﻻ is لا), since two
    parts would then share that character.
    """
    if normalized in data.frequencies and normalized.isalpha():
        return ()  # a known word (most are): no need to look further
    cuts = find_split(surface, data)
    if not cuts:
        return ()
    mapped = normalize(surface)
    bounds = (0, *cuts, len(normalized))
    spans = tuple(mapped.span(a, b) for a, b in zip(bounds, bounds[1:], strict=False))
    if any(later[0] < earlier[1] for earlier, later in zip(spans, spans[1:], strict=False)):
        return ()
    return spans


def _number_cuts(whole: str, shape: str, data: LanguageData) -> tuple[int, ...] | None:
    """Cuts between the letters and the digits of a word glued to a number, or None."""
    runs = [m.span() for m in _NUMBER_OR_REST.finditer(whole)]
    if not 2 <= len(runs) <= data.repair_settings.max_parts:
        return None
    parts, _ = part_table(data)
    for a, b in runs:
        if not whole[a].isdigit() and not _plausible(whole[a:b], shape[a:b], parts, data):
            return None
    return tuple(a for a, _ in runs[1:])


def _word_cuts(word: str, whole: str, shape: str, data: LanguageData) -> tuple[int, ...] | None:
    """Cuts of a word glued to words (rules 1–3 of the module docstring), or None."""
    settings = data.repair_settings
    parts, longest = part_table(data)
    if not settings.min_length <= len(whole) <= settings.max_parts * longest:
        return None
    cuts = _best_cuts(whole, shape, parts, longest, data)
    if cuts is None or has_attested_reading(word, data):
        return None
    if has_inflected_reading(whole, shape, stem_starts(word), data):
        return None
    return cuts


def has_inflected_reading(
    whole: str, shape: str, starts: tuple[int, ...], data: LanguageData
) -> bool:
    """Whether the word is a known stem plus an ending and/or a pronoun (rule 1).

    ``starts`` are where a stem may begin (after proclitics). A ة that ends a
    stem is written ت before the ending (قضيتهم → قضية). An ending never starts
    with a written hamza (the أن of أكدأن is a word).
    """
    minimum = data.repair_settings.min_stem_length
    frequencies = data.frequencies
    for ending in word_endings(data):
        end = len(whole) - len(ending)
        if end < minimum or not whole.endswith(ending) or shape[end] in HAMZA_ALEF:
            continue
        for start in starts:
            stem = whole[start:end]
            if len(stem) < minimum:
                break
            if stem in frequencies or stem[-1] == TEH and stem[:-1] + TEH_MARBUTA in frequencies:
                return True
    return False


@lru_cache(maxsize=4)
def word_endings(data: LanguageData) -> tuple[str, ...]:
    """Every ending of an inflected reading: an inflection, a pronoun, or both.

    Before a pronoun an inflection is written as it joins: ة becomes ت (يتها)
    and the alef of وا is dropped (سفروهم).
    """
    endings = set(data.inflection_endings) | set(data.pronoun_endings)
    for inflection in data.inflection_endings:
        written = inflection
        if inflection.endswith(TEH_MARBUTA):
            written = inflection[:-1] + TEH
        elif inflection == PLURAL_VERB:
            written = PLURAL_VERB[:-1]
        endings.update(written + pronoun for pronoun in data.pronoun_endings)
    return tuple(sorted(endings, key=lambda e: (-len(e), e)))


def _plausible(piece: str, piece_shape: str, parts: dict[str, float | None], data) -> bool:
    """Whether a piece may stand as a word of its own (rule 2)."""
    if parts.get(piece) is None or piece_shape in data.not_word_pieces:
        return False
    starts = stem_starts(piece)
    only_proclitics = len(piece) in starts
    return not only_proclitics and all(piece[s:] not in data.name_links for s in starts)


def _word_boundaries(whole: str, shape: str) -> tuple[list[bool], list[bool]]:
    """Per position, the word boundaries the spelling shows (rule 3).

    First a boundary shown by a letter (ة or ى before it, أ إ آ at it), then the
    article ال at it, which only counts for a piece long enough (:func:`_is_article`).
    """
    n = len(whole)
    shown = [False] * (n + 1)
    article = [False] * (n + 1)
    for i in range(1, n):
        shown[i] = shape[i - 1] in WORD_FINAL or shape[i] in HAMZA_ALEF
        article[i] = whole.startswith(ARTICLE, i)
    return shown, article


def _is_article(piece: str, data: LanguageData) -> bool:
    """Whether a piece that starts with ال starts with the article (rule 3)."""
    return len(piece) >= len(ARTICLE) + MIN_ARTICLE_STEM or piece in data.clitic_exceptions


def _best_cuts(
    whole: str, shape: str, parts: dict[str, float | None], longest: int, data: LanguageData
) -> tuple[int, ...] | None:
    """The split of ``whole`` into 2–``max_parts`` plausible pieces with the fewest pieces.

    Among splits with as few pieces, the largest sum of Zipf scores wins, and
    among equal ones the first found (pieces tried by increasing start, then
    end). ``best[i]`` is ``(pieces, -sum of scores, start of last piece)`` of the
    best split of ``whole[:i]``; a piece is extended only while some common word
    starts with it (``parts`` maps those prefixes to None), and it starts and
    ends only at a word boundary the spelling shows (rule 3; a piece that starts
    at an ال and nothing else must start with the article).
    """
    n = len(whole)
    max_parts = data.repair_settings.max_parts
    shown, article = _word_boundaries(whole, shape)
    best: list[tuple[int, float, int] | None] = [None] * (n + 1)
    best[0] = (0, 0.0, 0)
    for start in range(n - MIN_PART_LENGTH + 1):
        if best[start] is None or best[start][0] >= max_parts:
            continue
        if start and not (shown[start] or article[start]):
            continue
        count, total, _ = best[start]
        for end in range(start + MIN_PART_LENGTH, min(n, start + longest) + 1):
            piece = whole[start:end]
            if piece not in parts:
                break  # no common word starts with this piece
            if parts[piece] is None or end < n and not (shown[end] or article[end]):
                continue  # a prefix of a common word, or no word can begin after it
            if start and not shown[start] and not _is_article(piece, data):
                continue  # the ال of a name (شامالوف), not the article
            if shape.startswith(ARTICLE, start) and not _is_article(piece, data):
                continue  # ال and one or two letters is no word (العالفين is not الع|الفين)
            if not _plausible(piece, shape[start:end], parts, data):
                continue
            candidate = (count + 1, total - parts[piece], start)
            if best[end] is None or candidate[:2] < best[end][:2]:
                best[end] = candidate
    if best[n] is None or best[n][0] < 2:
        return None
    cuts = []
    position = best[n][2]
    while position:
        cuts.append(position)
        position = best[position][2]
    return tuple(reversed(cuts))


@lru_cache(maxsize=4)
def part_table(data: LanguageData) -> tuple[dict[str, float | None], int]:
    """Words that can be a piece (with their Zipf score) and their prefixes (None).

    A piece is made of Arabic letters and has Zipf ≥ ``min_zipf`` (3+ letters) or
    ≥ ``min_zipf_short`` (2 letters). Also the length of the longest word with
    Zipf ≥ ``min_zipf``: no longer piece can score, so no search tries one (a
    line that lost all its spaces would otherwise take quadratic time). Built
    once per word list (~55k pieces).
    """
    settings = data.repair_settings
    parts: dict[str, float | None] = {}
    longest = 0
    for word, freq in data.frequencies.items():
        score = math.log10(freq) + 9
        if score < settings.min_zipf or not _ARABIC_PIECE.fullmatch(word):
            continue
        longest = max(longest, len(word))
        if len(word) >= 3 or score >= settings.min_zipf_short and len(word) == MIN_PART_LENGTH:
            parts[word] = score
    for word in list(parts):
        for end in range(MIN_PART_LENGTH, len(word)):
            parts.setdefault(word[:end], None)
    return parts, longest
