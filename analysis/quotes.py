"""Quotation spans: pairing delimiters, typing the span, finding verb and speaker.

Delimiters: ``''`` (two apostrophes, common in Algerian web text) and ``"`` are
symmetric: they open and close alternately, and an unclosed one is dropped at the
end of its paragraph so that one stray mark cannot invert every later quote.
« » and “ ” (also „ ‟ ‹ ›) are directional and paired with a stack per kind.

Typing (``kind``):

* ``speech`` when a speech verb (``lexicons/speech_verbs.csv``: قال، يضيف، أوضح،
  أكد …, with or without و/ف) introduces the quote — the verb is among the five
  word tokens before the opening mark in the same sentence, with only a name
  between (قال الرئيس: «…») — or when the quoted span has 4 or more words (a
  clause, even without a verb next to it);
* ``term`` otherwise: a quoted name or expression (''لانثاروتي'', ''امينتو حيدر'').

``verb`` is the introducing verb as written (conjunction removed); for a speech
span without one next to it, the nearest speech verb earlier in the same sentence.
``speaker`` is the name the text gives right after that verb (up to four words,
stopping at punctuation, at a word of ``lexicons/speaker_stopwords.txt`` or at a
definite title after a name: رد الصادق بوقطاية الناشط → الصادق بوقطاية); when the
verb has no name after it (حيث قال ''…''), the nearest speaker named earlier in the
same sentence or the previous one. A later, shorter mention of a speaker named in
full earlier in the document takes the full name (news style names a person in
full once, then by surname: الصادق بوقطاية … وأوضح بوقطاية → الصادق بوقطاية), so
counts by speaker do not split one person in two.
"""

from __future__ import annotations

import csv
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from analysis.errors import LexiconError
from analysis.normalize import normalize_word
from analysis.paths import LEXICON_DIR

SPEECH_VERBS_FILE = LEXICON_DIR / "speech_verbs.csv"
SPEAKER_STOPWORDS_FILE = LEXICON_DIR / "speaker_stopwords.txt"
SYMMETRIC = ("''", '"')
DIRECTIONAL = {"«": "»", "“": "”", "„": "‟", "‹": "›"}
CLOSING_MARKS = frozenset(DIRECTIONAL.values())
MIN_SPEECH_WORDS = 4
VERB_WINDOW = 5
MAX_SPEAKER_WORDS = 4
NAME_LINKS = frozenset(normalize_word(w) for w in ("عبد", "أبو", "بن", "ابن", "بنت", "أم"))


@dataclass
class QuoteSpan:
    """One paired quotation: token indices of the delimiters and its attributes."""

    open_token: int
    close_token: int
    kind: str = "term"
    verb: str = ""
    speaker: str = ""


@lru_cache(maxsize=1)
def speech_verbs() -> frozenset[str]:
    """Normalized forms of ``lexicons/speech_verbs.csv`` (column ``form``)."""
    try:
        with open(SPEECH_VERBS_FILE, encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            if "form" not in (reader.fieldnames or []):
                raise LexiconError("needs a 'form' column", SPEECH_VERBS_FILE, 1)
            forms = set()
            for number, row in enumerate(reader, start=2):
                form = normalize_word(row["form"] or "")
                if not form or " " in form:
                    raise LexiconError(f"bad form {row['form']!r}", SPEECH_VERBS_FILE, number)
                forms.add(form)
    except FileNotFoundError:
        raise LexiconError("speech verb list not found", SPEECH_VERBS_FILE) from None
    return frozenset(forms)


@lru_cache(maxsize=1)
def speaker_stopwords() -> frozenset[str]:
    """Normalized words that end a speaker name (``lexicons/speaker_stopwords.txt``)."""
    try:
        lines = SPEAKER_STOPWORDS_FILE.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        raise LexiconError("speaker stopword list not found", SPEAKER_STOPWORDS_FILE) from None
    return frozenset(
        normalize_word(line.split("#", 1)[0]) for line in lines if line.split("#", 1)[0].strip()
    )


def verb_form(normalized: str) -> str | None:
    """The speech-verb form of a token (conjunction و/ف stripped), or None."""
    verbs = speech_verbs()
    if normalized in verbs:
        return normalized
    if normalized[:1] in ("و", "ف") and normalized[1:] in verbs:
        return normalized[1:]
    return None


def pair_delimiters(
    positions: list[int], normalized: list[str], text: str, nstart
) -> list[QuoteSpan]:
    """Pair the quotation delimiter tokens at ``positions`` into spans (module docstring)."""
    spans: list[QuoteSpan] = []
    open_symmetric: dict[str, int] = {}
    stacks: dict[str, list[int]] = {k: [] for k in DIRECTIONAL}
    closer_to_opener = {v: k for k, v in DIRECTIONAL.items()}
    for i in positions:
        tok = normalized[i]
        if tok[0] == "'" or tok == '"':
            key = "''" if tok[0] == "'" else '"'
            if key in open_symmetric:
                opener = open_symmetric.pop(key)
                if "\n" in text[nstart[opener] : nstart[i]]:
                    open_symmetric[key] = i  # the old one was stray: start afresh
                else:
                    spans.append(QuoteSpan(opener, i))
            else:
                open_symmetric[key] = i
        elif tok[0] in DIRECTIONAL:
            stacks[tok[0]].append(i)
        elif tok[0] in closer_to_opener:
            stack = stacks[closer_to_opener[tok[0]]]
            if stack:
                spans.append(QuoteSpan(stack.pop(), i))
    spans.sort(key=lambda s: s.open_token)
    return spans


def _speaker_after(verb_i: int, normalized: list[str], kind: list[str], stop: int) -> str:
    """Speaker name (normalized tokens joined) right after token ``verb_i``."""
    words: list[int] = []
    stops = speaker_stopwords()
    for j in range(verb_i + 1, min(stop, verb_i + 1 + MAX_SPEAKER_WORDS)):
        tok = normalized[j]
        if kind[j] != "word" or tok in stops or verb_form(tok):
            break
        previous = normalized[words[-1]] if words else ""
        if words and tok.startswith("ال") and not previous.startswith("ال"):
            if previous not in NAME_LINKS:
                break
        words.append(j)
    return " ".join(str(j) for j in words)


def annotate(
    spans: list[QuoteSpan],
    normalized: Sequence[str],
    surface: Sequence[str],
    kind: Sequence[str],
    sentence: Sequence[int],
    verb_positions: list[int],
) -> None:
    """Fill ``kind``, ``verb`` and ``speaker`` of every span (in place).

    ``verb_positions`` are the indices of word tokens that are speech verbs
    (:func:`verb_form` is not None), in order. Sentence numbers never decrease
    along the tokens, so the verbs of a quote's sentence are the last ones before
    it: each span looks back from its own position (bisect) instead of scanning
    every verb, and a verb's speaker is read only when a span needs it.
    """
    n = len(normalized)
    speakers: dict[int, str] = {}

    def speaker_of(i: int) -> str:
        sp = speakers.get(i)
        if sp is None:
            sp = speakers[i] = _speaker_after(i, normalized, kind, n)
        return sp

    def name(indices: str) -> str:
        return " ".join(surface[int(j)] for j in indices.split()) if indices else ""

    def written_verb(i: int) -> str:
        tok = surface[i]
        if verb_form(normalized[i]) != normalized[i] and tok[:1] in ("و", "ف"):
            return tok[1:]
        return tok

    for span in spans:
        o = span.open_token
        s = sentence[o]
        inner_words = sum(
            1 for k in kind[o + 1 : span.close_token] if k != "punct" and k != "quote"
        )
        v = bisect_left(verb_positions, o)  # verbs before the opening mark: [0, v)
        last = verb_positions[v - 1] if v and sentence[verb_positions[v - 1]] == s else None
        direct = None
        if last is not None:
            sp = speaker_of(last)
            between = [j for j in range(last + 1, o) if kind[j] in ("word", "latin", "number")]
            speaker_tokens = sp.split()
            if len(between) <= VERB_WINDOW and all(str(j) in speaker_tokens for j in between):
                direct = last
        if direct is not None or inner_words >= MIN_SPEECH_WORDS:
            span.kind = "speech"
            chosen = direct if direct is not None else last
            if chosen is not None:
                span.verb = written_verb(chosen)
                speaker = speaker_of(chosen)
                if not speaker:
                    # the nearest earlier verb with a speaker, in this sentence or the one before
                    for w in range(bisect_left(verb_positions, chosen) - 1, -1, -1):
                        i = verb_positions[w]
                        if sentence[i] < s - 1:
                            break
                        if speaker_of(i):
                            speaker = speakers[i]
                            break
                span.speaker = name(speaker)
    _full_names(spans)


def _full_names(spans: list[QuoteSpan]) -> None:
    """Give a short speaker mention the full name used for it earlier (in place).

    A speaker whose words (normalized) are the last words of a longer speaker
    name met earlier in the same document becomes that name; the most recent
    such name wins.
    """
    seen: list[tuple[tuple[str, ...], str]] = []
    for span in spans:
        if not span.speaker:
            continue
        words = tuple(normalize_word(w) for w in span.speaker.split())
        for full_words, full in reversed(seen):
            if len(full_words) > len(words) and full_words[-len(words) :] == words:
                span.speaker = full
                break
        else:
            seen.append((words, span.speaker))


def closing_flags(spans: list[QuoteSpan], n: int) -> list[bool]:
    """Per token, whether it is the closing delimiter of a paired quote."""
    flags = [False] * n
    for span in spans:
        flags[span.close_token] = True
    return flags
