"""Quotations: pairing their marks, telling speech from terms, finding verb and speaker.

Pairing. ``''`` (two apostrophes, common in Algerian web text) and ``"`` are
symmetric: they open and close alternately within a paragraph. A paragraph is
a block of text between blank lines in a document whose breaks are mostly blank
lines, so that there a quotation runs over the single line breaks inside its
paragraph; in any other document (the ANT outlets put each paragraph on a line
of its own) a paragraph is a line. Two symmetric marks with nothing but punctuation between them
are no quotation (``: " "لقد``): the first is a stray mark and the second opens.
A mark still open at the end of its paragraph is dropped, so that one stray
mark cannot invert every later quote, unless the quotation plainly runs over
the break: the next paragraph has an odd number of marks of that kind and its
first is written as a closing mark (glued to the word before it and to no word
after it, ``… الخاصة".``). « » and “ ” (also „ ‟ ‹ ›) are directional and paired
with a stack per kind.

Kind (``docs/annotation.md``, layer 2). A quotation is a ``term``, a name, when

* a noun that introduces a name comes right before it (فيلم، عملية، اسم; an
  indefinite institution: صحيفة، مجموعة; ``lexicons/attribution_words.csv``), unless
  the noun is definite and the quotation long (الجائزة «لم أكن أدرك …»), or a word
  naming a source does (بحسب «ديلي ميل»), or a short one follows لـ (قال لـ«رويترز»:
  whom the words were said to);
* أن/إن follows it (وأوضحت «فوربس» أن …), or it is the subject after the verb
  (كشفت «فيسبوك» عن …, :mod:`analysis.text.subjects`);
* it is short and its words are rare in the language, a foreign name (واجهته
  «تيا»، هداف الدوري «بيتشيشي»);
* it is short and و joins it to a term right before it («تكافل» و«كرامة»).

A quotation that و joins to a speech quotation before it in the sentence, with
no verb between, goes on with its words: speech of the same speaker («هزيمة
أخرى» للحكومة الأمريكية و«انتصارا لسيادة القانون»).

Otherwise it is ``speech`` when an attribution verb (``lexicons/speech_verbs.csv``,
any third-person form, with و/ف and an object pronoun: قال، تضيف، قائلا، وصفتها),
the last one before it in its sentence and outside quotations, introduces it,
with no word that opens a new clause (لكن، بينما، وذلك …) between them:

* directly: the verb, its subject, then nothing, or adjuncts of at most
  ``VERB_WINDOW`` words that start with a preposition, a comma or a function word
  (وقال بنس في مقابلة تلفزيونية «…»); or a colon before the mark, within
  ``COLON_WINDOW`` words of the verb;
* as the reported clause: أن/إن after the subject, at most ``COMPLEMENT_WINDOW``
  words before the mark (قال إن الولايات المتحدة «…»);
* as what a verb of evaluation or demand (وصف، اتهم، طالب، حذر …) attributes,
  within ``EVALUATION_WINDOW`` words of it: after a preposition (وصفتها بـ«…»، حذرت
  من «…»), right after the verb or its object (اعتبرتها ردا «…»), or starting with
  بـ (يتهم فيها الحلفاء «بالازدراء …»);
* through a noun of speech, when no verb precedes in the sentence (بعيد إعلان
  الرئيس … أنه … «…»، في تعبير استنكاري عن «…»).

A quotation that no verb introduces is speech too when it has ``MIN_SPEECH_WORDS``
words or more, or is a paragraph of its own.

``verb`` is the introducing verb as written (conjunction removed); a long
quotation that no verb introduces takes the last attribution verb before it in the
sentence. The speaker is that verb's (:mod:`analysis.text.attribution`), or, when
the verb's subject is a pronoun, a source named next to the quotation. A speech
quotation still without a verb takes one that follows it: closing mark, comma, verb
and a written subject in one sentence (''…''، قالت امينتو حيدر), unless that verb
introduces a later quote. Failing that, its speaker is a source named next to it
(بحسب البيان «…»; «…»، حسب بيان أصدره القصر الملكي) or opening its sentence
(وبحسب البعثة، فإن … «…»), else the speaker of the
quotation before it in the same sentence with no verb between, or in the paragraph
just before when it opens its own (the words go on).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from analysis.text.attribution import Speakers
from analysis.text.subjects import Document, subject_at
from analysis.text.wordtype import (
    APOSTROPHES,
    ARABIC_WORD,
    BODY,
    CLAUSE_LINK,
    COLON,
    COMMA,
    COMPLEMENTIZER,
    CONJUNCTION,
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

__all__ = ["Document", "Mark", "Quote", "annotate", "is_symmetric", "pair_marks"]

DIRECTIONAL = {"«": "»", "“": "”", "„": "‟", "‹": "›"}
CLOSING_MARKS = frozenset(DIRECTIONAL.values())
MIN_SPEECH_WORDS = 4
VERB_WINDOW = 8
COLON_WINDOW = 20
COMPLEMENT_WINDOW = 10
EVALUATION_WINDOW = 12
COMMON_WORD = 1e-6  # wordfreq frequency of a word that is no foreign name (a predicate)
SOURCE_BEFORE = 3  # tokens before a quote in which a source word may name its speaker
ADJUNCT_START = COMMA | COLON | PREPOSITION | PREP_CLITIC | STOPWORD | COMPLEMENTIZER | SPEECH_NOUN


@dataclass
class Quote:
    """One quotation: token positions of its two marks, and what the rules found."""

    open: int
    close: int
    kind: str = "term"
    verb: str = ""
    speaker: str = ""


class Mark(NamedTuple):
    """One quotation mark, as :func:`pair_marks` reads it.

    ``paragraph`` numbers the document's paragraphs with text consecutively;
    ``closing`` says the mark is written as a closing mark (glued to the token
    before it, not to a word after it); ``words_before`` counts the word, number
    and Latin tokens before it (None: not known, a pair is never empty).
    """

    token: int
    text: str
    paragraph: int
    closing: bool = False
    words_before: int | None = None


def pair_marks(marks: list[Mark | tuple]) -> list[tuple[int, int]]:
    """Pair one document's quotation marks, in text order, into ``(open, close)`` tokens.

    Symmetric marks alternate within a paragraph and may run into the next one
    (module docstring); directional marks use a stack per kind; a closing mark
    with nothing open is ignored. Sorted by opening mark.
    """
    marks = [Mark(*m) for m in marks]
    runs_on = _runs_on_marks(marks)
    pairs = []
    waiting: dict[str, Mark] = {}  # symmetric mark kind -> its open mark
    stacks: dict[str, list[int]] = {opener: [] for opener in DIRECTIONAL}
    closer_of = {closer: opener for opener, closer in DIRECTIONAL.items()}
    for k, mark in enumerate(marks):
        first = mark.text[0]
        if first == "'" or mark.text == '"':
            key = "'" if first == "'" else '"'
            opener = waiting.pop(key, None)
            if opener is None or not _closes(opener, mark, k in runs_on):
                waiting[key] = mark
            else:
                pairs.append((opener.token, mark.token))
        elif first in DIRECTIONAL:
            stacks[first].append(mark.token)
        elif first in closer_of and stacks[closer_of[first]]:
            pairs.append((stacks[closer_of[first]].pop(), mark.token))
    return sorted(pairs)


def _closes(opener: Mark, mark: Mark, runs_on: bool) -> bool:
    """Whether ``mark`` closes the symmetric ``opener``: same paragraph or run on, not empty."""
    if opener.paragraph != mark.paragraph and not (
        runs_on and mark.paragraph == opener.paragraph + 1
    ):
        return False
    if opener.words_before is None or mark.words_before is None:
        return True
    return mark.words_before > opener.words_before


def _runs_on_marks(marks: list[Mark]) -> set[int]:
    """Positions in ``marks`` of symmetric marks that may close a quote of the paragraph before.

    The first mark of its kind in its paragraph, written as a closing mark, in a
    paragraph with an odd number of marks of that kind.
    """
    count: dict[tuple[int, str], int] = {}
    first: dict[tuple[int, str], int] = {}
    for k, mark in enumerate(marks):
        if mark.text[0] == "'" or mark.text == '"':
            key = (mark.paragraph, mark.text[0])
            count[key] = count.get(key, 0) + 1
            first.setdefault(key, k)
    return {k for key, k in first.items() if count[key] % 2 and marks[k].closing}


def annotate(doc: Document, pairs: list[tuple[int, int]]) -> list[Quote]:
    """Kind, verb and speaker of each quote of one document (module docstring)."""
    inside = np.zeros(len(doc), dtype=bool)
    for o, c in pairs:
        inside[o + 1 : c] = True
    doc.inside = inside
    speakers = Speakers(doc)
    quotes = [Quote(o, c) for o, c in pairs]
    introducing: set[int] = set()
    for k, q in enumerate(quotes):
        if k and _coordinated(doc, quotes[k - 1], q):
            continue  # «تكافل» و«كرامة»: a name joined to a name
        if k and _joined_words(doc, quotes[k - 1], q):
            q.kind, q.verb, q.speaker = "speech", quotes[k - 1].verb, quotes[k - 1].speaker
            continue  # «هزيمة أخرى» للحكومة و«انتصارا للقانون»: the same speaker's words
        _introduce(doc, speakers, q, introducing)
    for k, q in enumerate(quotes):
        if q.kind == "speech" and not q.verb:
            _attribute_unintroduced(doc, speakers, q, introducing, quotes[k - 1] if k else None)
    return quotes


def _introduce(doc: Document, speakers: Speakers, q: Quote, introducing: set[int]) -> None:
    """The kind of a quote, and its verb and speaker when a verb before it attributes it."""
    o, c = q.open, q.close
    words = doc.words_between(o + 1, c)
    if _is_name(doc, o, c, words):
        return
    verb = _verb_before(doc, o)
    connected = verb is not None and _introduces(doc, speakers, verb, o)
    if connected:
        introducing.add(verb)
    elif not (words >= MIN_SPEECH_WORDS or _alone_in_paragraph(doc, o, c)):
        return
    if verb is not None and _names_the_subject(speakers, verb, o):
        return  # وقالت مجموعة «مواطنون من أجل …»: a name
    q.kind = "speech"
    if verb is not None and (connected or doc.f[verb] & SPEECH_VERB):
        q.verb = doc.word(verb).verb
        q.speaker = speakers.of_verb(verb)
        if not doc.f[verb] & PARTICIPLE and not speakers.subject(verb).explicit:
            q.speaker = _source(doc, speakers, q) or q.speaker


def _coordinated(doc: Document, previous: Quote, q: Quote) -> bool:
    """Whether the quote is a term joined by و (and a comma) to the term before it."""
    if previous.kind != "term" or doc.words_between(q.open + 1, q.close) >= MIN_SPEECH_WORDS:
        return False
    between = [k for k in range(previous.close + 1, q.open) if not doc.f[k] & COMMA]
    return len(between) == 1 and doc.normalized(between[0]) == "و"


def _joined_words(doc: Document, previous: Quote, q: Quote) -> bool:
    """Whether و joins the quote to the speech quotation before it in its sentence.

    At most ``VERB_WINDOW`` words and no verb or clause link come between them.
    """
    if previous.kind != "speech" or doc.s[previous.close] != doc.s[q.open]:
        return False
    if doc.normalized(q.open - 1) != "و" or doc.f[q.open - 1] & QUOTE:
        return False
    between = range(previous.close + 1, q.open)
    if any(doc.is_verb(k) or doc.f[k] & CLAUSE_LINK for k in between):
        return False
    return doc.words_between(previous.close + 1, q.open) <= VERB_WINDOW


def _is_name(doc: Document, o: int, c: int, words: int) -> bool:
    """Whether the words around the quote make it a name (module docstring)."""
    before = doc.f[o - 1] if o > 0 else 0
    short = words < MIN_SPEECH_WORDS
    introduces = before & (NAME_NOUN | BODY) and not doc.word(o - 1).enclitic  # not مكتبها «…»
    if before & SOURCE or (introduces and (short or not before & DEFINITE)):
        return True
    if short and o > 0 and doc.normalized(o - 1) == "ل":
        return True  # قال مصدر لـ«رويترز»: whom the words were said to
    if short and _foreign(doc, o + 1, c):
        return True  # واجهته «تيا»، الهداف «بيتشيشي»: words the language does not use
    after = c + 1 + int(doc.has(c + 1, COMMA))
    subject_of = doc.has(after, COMPLEMENTIZER) and not doc.f[after] & CONJUNCTION
    return subject_of and doc.s[after] == doc.s[c]


def _foreign(doc: Document, a: int, b: int) -> bool:
    """Whether tokens ``a`` … ``b - 1`` are all Arabic words rarer than ``COMMON_WORD``."""
    frequency = doc.data.frequencies.get
    return a < b and all(
        doc.f[k] & ARABIC_WORD and frequency(doc.word(k).bare, 0.0) < COMMON_WORD
        for k in range(a, b)
    )


def _verb_before(doc: Document, o: int) -> int | None:
    """The last attribution verb before the quote in its sentence.

    A verb in a relative clause on the words (تصريحات نقلتها) gives way to the verb
    before it in the sentence, when there is one. Else the last noun of speech
    (without a preposition attached), else None.
    """
    start = doc.sentence_start(o)
    verb = doc.verb_before(o, start)
    if verb is not None and _qualifies_noun(doc, verb):
        earlier = doc.verb_before(verb, start)  # قال في تصريحات نقلتها الوكالة
        verb = verb if earlier is None else earlier
    if verb is not None:
        return verb
    for k in range(o - 1, start - 1, -1):
        if doc.f[k] & SPEECH_NOUN and not doc.f[k] & PREP_CLITIC and not doc.inside[k]:
            return k
    return None


def _qualifies_noun(doc: Document, verb: int) -> bool:
    """Whether the verb opens a relative clause on the indefinite words before it.

    A verb of saying or relaying whose object pronoun is a noun of speech or a
    document right before it (تصريحات نقلتها الوكالة) passes the words on; the verb
    before it in the sentence introduces them.
    """
    if not doc.word(verb).enclitic or doc.f[verb] & (CONJUNCTION | PARTICIPLE | EVALUATIVE):
        return False
    return doc.has(verb - 1, SPEECH_NOUN | DOCUMENT) and not doc.f[verb - 1] & DEFINITE


def _names_the_subject(speakers: Speakers, verb: int, o: int) -> bool:
    if speakers.doc.f[verb] & PARTICIPLE:
        return False
    quote = speakers.subject(verb).quote
    return quote is not None and quote[0] == o + 1


def _introduces(doc: Document, speakers: Speakers, verb: int, o: int) -> bool:
    """Whether the verb (or noun of speech) introduces the quote at ``o`` (module docstring)."""
    if _breaks(doc, verb + 1, o) or _names_the_subject(speakers, verb, o):
        return False
    end = verb + 1 if doc.f[verb] & PARTICIPLE else min(speakers.subject(verb).end, o)
    if doc.has(o - 1, COLON) and doc.words_between(verb + 1, o) <= COLON_WINDOW:
        if end >= o - 1 or doc.f[end] & ADJUNCT_START:
            return True
    if end == o or _adjuncts(doc, end, o) or _complement(doc, end, o):
        return True
    return bool(doc.f[verb] & (EVALUATIVE | SPEECH_NOUN)) and _evaluation(doc, verb, end, o)


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


def _evaluation(doc: Document, verb: int, end: int, o: int) -> bool:
    """Whether the quote is what a verb of evaluation (or noun of speech) attributes.

    Within ``EVALUATION_WINDOW`` words of the subject, which ends at ``end``: right
    after the verb or after one word, after a preposition, starting with بـ, or a
    common indefinite word after a definite object (اعتبر … الحكم «هزيمة أخرى»).
    """
    after_subject = doc.words_between(end, o)
    if after_subject > EVALUATION_WINDOW:
        return False
    between = doc.words_between(verb + 1, o)
    before = doc.word(o - 1)
    attached = not {"ب", "ل", "ك"}.isdisjoint(before.proclitics.split("+"))
    predicate = between == 1 and not doc.f[o - 1] & PREPOSITION and not attached
    of_object = after_subject > 0 and doc.f[o - 1] & DEFINITE and _predicate_noun(doc, o + 1)
    starts_with_bi = doc.word(o + 1).proclitics.startswith("ب")
    return (
        between == 0
        or predicate
        or bool(of_object)
        or bool(doc.f[o - 1] & PREPOSITION)
        or starts_with_bi
    )


def _predicate_noun(doc: Document, i: int) -> bool:
    """Whether token ``i`` is a common indefinite word: a predicate (هزيمة أخرى), no name."""
    if i >= len(doc) or doc.f[i] & (DEFINITE | PREP_CLITIC) or not doc.f[i] & CONTENT:
        return False
    return doc.data.frequencies.get(doc.normalized(i), 0.0) >= COMMON_WORD


def _alone_in_paragraph(doc: Document, o: int, c: int) -> bool:
    """Whether the quotation is all the words of its paragraph (a line of quoted words)."""
    paragraph = doc.p[o]
    k = o - 1
    while k >= 0 and doc.p[k] == paragraph:
        if doc.f[k] & CONTENT:
            return False
        k -= 1
    k = c + 1
    while k < len(doc) and doc.p[k] == paragraph:
        if doc.f[k] & CONTENT:
            return False
        k += 1
    return True


def _attribute_unintroduced(
    doc: Document, speakers: Speakers, q: Quote, introducing: set[int], previous: Quote | None
) -> None:
    """Verb and speaker of a speech quotation that no verb before it introduces."""
    after = q.close + 2
    if _attributes_after(doc, speakers, introducing, q.close, after):
        q.verb, q.speaker = doc.word(after).verb, speakers.of_verb(after)
        return
    q.speaker = q.speaker or _source(doc, speakers, q)
    if q.speaker or previous is None or previous.kind != "speech":
        return
    same_sentence = doc.s[previous.close] == doc.s[q.open]
    if same_sentence and not any(doc.is_verb(k) for k in range(previous.close, q.open)):
        q.speaker = previous.speaker  # «…»، وذلك بعد مراجعة «…»
    paragraph = doc.p[q.open]
    opens = q.open == 0 or doc.p[q.open - 1] < paragraph
    if opens and doc.p[previous.close] == paragraph - 1:
        q.speaker = previous.speaker


def _attributes_after(
    doc: Document, speakers: Speakers, introducing: set[int], close: int, verb: int
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
    """The source a word such as بحسب names next to the quote, or at the start of its sentence.

    Right before or right after the quote (بحسب البيان «…»), else where the
    sentence opens (وبحسب البعثة، فإن … «…»); "" if none.
    """
    start, end = doc.sentence_start(q.open), doc.sentence_end(q.open)
    for k in range(q.open - 1, max(start, q.open - SOURCE_BEFORE) - 1, -1):
        if doc.f[k] & SOURCE:
            return _source_speaker(doc, speakers, k, q.open)
        if doc.f[k] & (SPEECH_VERB | QUOTE):
            break
    k = q.close + 1 + int(doc.has(q.close + 1, COMMA))
    if k < end and doc.f[k] & SOURCE:
        return _source_speaker(doc, speakers, k, end)
    if doc.f[start] & SOURCE and not doc.inside[start]:
        return _source_speaker(doc, speakers, start, q.open)  # وبحسب البعثة، فإن … «…»
    return ""


def _source_speaker(doc: Document, speakers: Speakers, source: int, limit: int) -> str:
    """Who the source named after the word at ``source`` is.

    بحسب البيان → البيان; وفقا لـ X → X; حسب بيان أصدره القصر الملكي → القصر الملكي
    (a document's author); بحسب ما أعلنته X → X; a noun with a pronoun, as written
    without its preposition (وفقا لمنظميه → منظميه).
    """
    j = source + 1
    if j < limit and doc.normalized(j) in ("ل", "لما", "ما"):
        j += 1
    if j < limit and doc.f[j] & (SPEECH_VERB | ISSUE):
        return speakers.of_verb(j)
    if j + 1 < limit and doc.f[j] & DOCUMENT and doc.f[j + 1] & ISSUE:
        return speakers.of_verb(j + 1)
    subject = subject_at(doc, j, limit, attached=True)
    if subject.explicit:
        return speakers.speaker(subject, source)
    possessed = j < limit and doc.f[j] & CONTENT and doc.word(j).enclitic
    return doc.text(j, j + 1) if possessed else ""  # وفقا لمنظميه → منظميه


def is_symmetric(flags: int) -> bool:
    """Whether a quotation mark's flags are those of ``''`` or ``"``."""
    return bool(flags & (APOSTROPHES | DOUBLE_QUOTE))
