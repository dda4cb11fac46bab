"""Quotations: pairing their marks, telling speech from terms, finding verb and speaker.

Pairing. ``''`` (two apostrophes, common in Algerian web text) and ``"`` are
symmetric: they open and close alternately, and an unclosed one is dropped at
the end of its paragraph, so that one stray mark cannot invert every later
quote. « » and “ ” (also „ ‟ ‹ ›) are directional and paired with a stack per
kind.

Kind (``docs/annotation.md``, layer 2). A quotation is a ``term`` — a name — when

* a noun that introduces a name comes right before it (فيلم، عملية، اسم, an
  indefinite institution: صحيفة، مجموعة; ``lexicons/attribution_words.csv``), or a
  word naming a source (بحسب «ديلي ميل»);
* أن/إن follows it, or the verb it follows directly and a word follows it: it is
  the subject (وأوضحت «فوربس» أن …، كشفت «فيسبوك» عن …).

Otherwise it is ``speech`` when an attribution verb (``lexicons/speech_verbs.csv``,
any third-person form, with و/ف and an object pronoun: قال، تضيف، قائلا،
وصفتها) in its sentence, outside other quotations, introduces it:

* directly: the verb, its subject, then nothing or adjuncts — a prepositional
  phrase, a word of time, a comma — before the mark, at most ``VERB_WINDOW`` words
  (وقال بنس في مقابلة تلفزيونية «…»); or a colon before the mark;
* as the reported clause: أن/إن after the verb and at most
  ``COMPLEMENT_WINDOW`` words before the mark (قال إن الولايات المتحدة «…»);
* as the evaluation of a verb of evaluation or demand (وصف، اتهم، طالب، حذر …):
  within ``EVALUATION_WINDOW`` words of it and after a preposition (وصفتها بـ«…»،
  حذرت من «…») or right after its object (اعتبرتها ردا «…»);
* through a noun of speech when no verb precedes in the sentence (بعيد إعلان
  الرئيس … أنه … «…»، عبارته «…»);

and also, without such a verb, when it has ``MIN_SPEECH_WORDS`` words or more, or
is a sentence on its own. ``verb`` is the introducing verb as written (conjunction
removed); a long quotation that no verb introduces takes the nearest one before
it in the sentence. The speaker is the verb's (:mod:`analysis.text.attribution`).
A speech quotation still without a verb takes one that follows it — closing mark,
comma, verb and a subject in one sentence (''…''، قالت امينتو حيدر) — unless that
verb introduces a later quote; else a source named next to it (بحسب البيان «…»،
«…»، حسب بيان أصدره القصر الملكي); else, when it opens a paragraph right after a
paragraph that held a speech quotation, that quotation's speaker (the words go on).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from analysis.text.attribution import Document, Speakers, subject_at
from analysis.text.wordtype import (
    APOSTROPHES,
    BODY,
    CLAUSE_LINK,
    COLON,
    COMMA,
    COMPLEMENTIZER,
    CONTENT,
    DEFINITE,
    DOCUMENT,
    DOUBLE_QUOTE,
    EVALUATIVE,
    ISSUE,
    NAME_NOUN,
    PARTICIPLE,
    PREP_CLITIC,
    PREPOSITION,
    QUOTE,
    SOURCE,
    SPEECH_NOUN,
    SPEECH_VERB,
    STOPWORD,
    TERMINATOR,
)

__all__ = ["Document", "Quote", "annotate", "is_symmetric", "pair_marks"]

DIRECTIONAL = {"«": "»", "“": "”", "„": "‟", "‹": "›"}
CLOSING_MARKS = frozenset(DIRECTIONAL.values())
MIN_SPEECH_WORDS = 4
VERB_WINDOW = 8
COLON_WINDOW = 20
COMPLEMENT_WINDOW = 10
EVALUATION_WINDOW = 12
ADJUNCT_START = COMMA | COLON | PREPOSITION | PREP_CLITIC | STOPWORD | COMPLEMENTIZER | SPEECH_NOUN


@dataclass
class Quote:
    """One quotation: token positions of its two marks, and what the rules found."""

    open: int
    close: int
    kind: str = "term"
    verb: str = ""
    speaker: str = ""


def pair_marks(marks: list[tuple[int, str, int]]) -> list[tuple[int, int]]:
    """Pair quotation marks: ``(token, mark text, paragraph)`` in text order → ``(open, close)``.

    Symmetric marks alternate within a paragraph; directional marks use a stack
    per kind; a closing mark with nothing open is ignored. Sorted by opening mark.
    """
    pairs = []
    waiting: dict[str, tuple[int, int]] = {}  # symmetric mark -> (token, paragraph) of an opener
    stacks: dict[str, list[int]] = {opener: [] for opener in DIRECTIONAL}
    closer_of = {closer: opener for opener, closer in DIRECTIONAL.items()}
    for token, mark, paragraph in marks:
        first = mark[0]
        if first == "'" or mark == '"':
            key = "'" if first == "'" else '"'
            opener = waiting.pop(key, None)
            if opener is not None and opener[1] == paragraph:
                pairs.append((opener[0], token))
            else:
                waiting[key] = (token, paragraph)
        elif first in DIRECTIONAL:
            stacks[first].append(token)
        elif first in closer_of and stacks[closer_of[first]]:
            pairs.append((stacks[closer_of[first]].pop(), token))
    return sorted(pairs)


def annotate(doc: Document, pairs: list[tuple[int, int]]) -> list[Quote]:
    """Kind, verb and speaker of each quote of one document (module docstring)."""
    inside = np.zeros(len(doc), dtype=bool)
    for o, c in pairs:
        inside[o + 1 : c] = True
    doc.inside = inside
    speakers = Speakers(doc)
    quotes = [Quote(o, c) for o, c in pairs]
    introducing: set[int] = set()
    for q in quotes:
        _introduce(doc, speakers, q, introducing)
    for k, q in enumerate(quotes):
        if q.kind == "speech" and not q.verb:
            _attribute_unintroduced(doc, speakers, q, introducing, quotes[k - 1] if k else None)
    return quotes


def _introduce(doc: Document, speakers: Speakers, q: Quote, introducing: set[int]) -> None:
    """Kind, and verb and speaker when a verb before the quote attributes it."""
    o, c = q.open, q.close
    words = doc.words_between(o + 1, c)
    if _is_name(doc, o, c):
        return
    verb, connected = _verb_before(doc, speakers, o, c, words)
    if connected:
        q.kind = "speech"
        introducing.add(verb)
    elif words >= MIN_SPEECH_WORDS or _alone_in_paragraph(doc, o, c):
        q.kind = "speech"
    else:
        return
    if verb is not None and (connected or doc.f[verb] & SPEECH_VERB):
        q.verb = doc.word(verb).verb
        q.speaker = speakers.of_verb(verb)
        if not speakers.subject(verb).explicit:
            q.speaker = _source(doc, speakers, q) or q.speaker


def _is_name(doc: Document, o: int, c: int) -> bool:
    """Whether the quotation is a name: after a noun that introduces one, or the subject
    of a clause (أن/إن after it).
    """
    before = doc.f[o - 1] if o > 0 else 0
    short = doc.words_between(o + 1, c) < MIN_SPEECH_WORDS
    if before & SOURCE or (before & (NAME_NOUN | BODY) and (short or not before & DEFINITE)):
        return True
    after = c + 1 + int(doc.has(c + 1, COMMA))
    return doc.has(after, COMPLEMENTIZER) and doc.s[after] == doc.s[c]


def _verb_before(doc: Document, speakers: Speakers, o: int, c: int, words: int):
    """The attribution verb (or noun of speech) before the quote in its sentence, and
    whether it introduces the quote (module docstring); ``(None, False)`` if none.
    """
    start = doc.sentence_start(o)
    verb = doc.verb_before(o, start)
    if verb is None:
        verb = next((k for k in range(o - 1, start - 1, -1)
                     if doc.f[k] & SPEECH_NOUN and not doc.f[k] & PREP_CLITIC
                     and not doc.inside[k]), None)  # fmt: skip
        if verb is None:
            return None, False
    subject = speakers.subject(verb) if not doc.f[verb] & PARTICIPLE else None
    if subject is not None and subject.quote is not None and subject.quote[0] == o + 1:
        return None, False  # the quote names the subject (وقالت مجموعة «…»)
    end = min(subject.end if subject is not None else verb + 1, o)
    if _breaks(doc, verb + 1, o):
        return verb, False
    if doc.has(o - 1, COLON) and doc.words_between(verb + 1, o) <= COLON_WINDOW:
        if end >= o - 1 or doc.f[end] & ADJUNCT_START:
            return verb, True
    if end == o or _adjuncts(doc, end, o):
        return verb, True
    if _complement(doc, end, o):
        return verb, True
    return verb, bool(doc.f[verb] & (EVALUATIVE | SPEECH_NOUN)) and _evaluation(doc, verb, o)


def _breaks(doc: Document, a: int, b: int) -> bool:
    """Whether a word that opens a new clause comes among tokens ``a`` … ``b - 1``."""
    return any(doc.f[k] & CLAUSE_LINK and not doc.inside[k] for k in range(a, b))


def _adjuncts(doc: Document, a: int, b: int) -> bool:
    """Whether tokens ``a`` … ``b - 1`` are adjuncts between a subject and its quote."""
    if not doc.f[a] & ADJUNCT_START or doc.words_between(a, b) > VERB_WINDOW:
        return False
    return not any(doc.f[k] & (QUOTE | TERMINATOR) or doc.is_verb(k) for k in range(a, b))


def _complement(doc: Document, a: int, o: int) -> bool:
    """Whether the quote lies in a reported clause that opens with أن/إن after token ``a``."""
    for k in range(o - 1, a - 1, -1):
        if doc.f[k] & COMPLEMENTIZER and not doc.inside[k]:
            return doc.words_between(k + 1, o) <= COMPLEMENT_WINDOW
        if doc.is_verb(k):
            return False
    return False


def _evaluation(doc: Document, verb: int, o: int) -> bool:
    """Whether the quote is the evaluation a verb of evaluation attributes."""
    between = doc.words_between(verb + 1, o)
    if between > EVALUATION_WINDOW:
        return False
    first_inside = o + 1
    attached = set(doc.word(o - 1).proclitics.split("+")) & {"ب", "ل", "ك"}
    predicate = between == 1 and not doc.f[o - 1] & PREPOSITION and not attached
    return bool(
        between == 0
        or predicate
        or doc.f[o - 1] & PREPOSITION
        or doc.f[first_inside] & PREP_CLITIC
        and doc.word(first_inside).proclitics.startswith("ب")
    )


def _alone_in_paragraph(doc: Document, o: int, c: int) -> bool:
    """Whether the quotation is all the words of its paragraph (a line of quoted words)."""
    paragraph = doc.paragraph
    start, end = o, c + 1
    while start > 0 and paragraph[start - 1] == paragraph[o]:
        start -= 1
    while end < len(doc) and paragraph[end] == paragraph[o]:
        end += 1
    return not any(doc.f[k] & CONTENT for k in (*range(start, o), *range(c + 1, end)))


def _attribute_unintroduced(
    doc: Document, speakers: Speakers, q: Quote, introducing: set[int], previous: Quote | None
) -> None:
    """Verb and speaker of a speech quotation that no verb before it introduces."""
    after = q.close + 2
    if _attributes_after(doc, speakers, introducing, q.close, after):
        q.verb, q.speaker = doc.word(after).verb, speakers.of_verb(after)
        return
    source = _source(doc, speakers, q)
    if source:
        q.speaker = source
        return
    if q.speaker or previous is None or previous.kind != "speech" or not previous.speaker:
        return
    if doc.s[previous.close] == doc.s[q.open] and not any(
        doc.is_verb(k) for k in range(previous.close, q.open)
    ):
        q.speaker = previous.speaker  # «…»، وذلك بعد مراجعة «…»: the same words go on
        return
    paragraph = int(doc.paragraph[q.open])
    opens = q.open == 0 or int(doc.paragraph[q.open - 1]) < paragraph
    if opens and int(doc.paragraph[previous.close]) == paragraph - 1:
        q.speaker = previous.speaker


def _attributes_after(
    doc: Document, speakers: Speakers, introducing, close: int, verb: int
) -> bool:
    """Whether ``''…''، قالت فلانة`` holds after a quote.

    A comma, then an attribution verb with a written subject, in one sentence, that
    introduces no other quote.
    """
    return (
        verb < len(doc)
        and doc.has(close + 1, COMMA)
        and doc.is_verb(verb)
        and not doc.f[verb] & PARTICIPLE
        and verb not in introducing
        and doc.s[verb] == doc.s[close]
        and speakers.subject(verb).explicit
    )


def _source(doc: Document, speakers: Speakers, q: Quote) -> str:
    """The source a word such as بحسب names right before or after the quote, or ""."""
    start, end = doc.sentence_start(q.open), doc.sentence_end(q.open)
    for k in range(q.open - 1, max(start, q.open - 4) - 1, -1):
        if doc.f[k] & SOURCE:
            return _source_speaker(doc, speakers, k, q.open)
        if doc.f[k] & (SPEECH_VERB | QUOTE):
            break
    k = q.close + 1 + int(doc.has(q.close + 1, COMMA))
    if k < end and doc.f[k] & SOURCE:
        return _source_speaker(doc, speakers, k, end)
    return ""


def _source_speaker(doc: Document, speakers: Speakers, source: int, limit: int) -> str:
    """Who the source after ``source`` is: بحسب البيان → البيان; حسب بيان أصدره القصر
    الملكي → القصر الملكي (the author of a document); وفقا لـ X → X.
    """
    j = source + 1
    if j < limit and doc.word(j).normalized in ("ل", "لما", "ما"):
        j += 1
    if j < limit and doc.f[j] & (SPEECH_VERB | ISSUE):
        return speakers.of_verb(j)
    if j + 1 < limit and doc.f[j] & DOCUMENT and doc.f[j + 1] & ISSUE:
        return speakers.of_verb(j + 1)
    subject = subject_at(doc, j, limit, attached=True)
    return speakers.speaker(subject, source) if subject.explicit else ""


def is_symmetric(flags: int) -> bool:
    """Whether a quotation mark's flags are those of ``''`` or ``"``."""
    return bool(flags & (APOSTROPHES | DOUBLE_QUOTE))
