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

Kind:

* ``speech`` when a speech verb (``lexicons/speech_verbs.csv``: قال، يضيف، أوضح،
  أكد …, with or without و/ف) introduces the quote — the verb is among the five
  words before the opening mark in the same sentence, with only a name between
  (قال الرئيس: «…») — or when the quoted span has 4 or more words (a clause,
  even without a verb next to it);
* ``term`` otherwise: a quoted name or expression (''لانثاروتي'', ''امينتو حيدر'').

``verb`` is the introducing verb as written (conjunction removed); for a speech
span without one next to it, the nearest speech verb earlier in the same
sentence. ``speaker`` is the name the text gives right after that verb (up to
four words, stopping at punctuation, at a word of
``lexicons/speaker_stopwords.txt`` or at a definite title after a name: رد
الصادق بوقطاية الناشط → الصادق بوقطاية); when the verb has no name after it
(حيث قال ''…''), the nearest speaker named earlier in the same sentence or the
one before. A speech span still without a verb takes a speech verb that
follows it: closing mark, comma (، or ,), verb and name in one sentence
(''…''، قالت امينتو حيدر → قالت, امينتو حيدر), unless that verb introduces a
later quote (''…''، وقال فلان: ''…''). A later, shorter mention of a speaker
named in full earlier in the document takes the full name (الصادق بوقطاية …
وأوضح بوقطاية → الصادق بوقطاية), so counts by speaker do not split one person
in two.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from analysis.text.normalize import normalize_word
from analysis.text.wordtype import (
    APOSTROPHES,
    ARTICLE,
    COMMA,
    CONTENT,
    DOUBLE_QUOTE,
    NAME_LINK,
    NAME_WORD,
    SPEECH_VERB,
)

DIRECTIONAL = {"«": "»", "“": "”", "„": "‟", "‹": "›"}
CLOSING_MARKS = frozenset(DIRECTIONAL.values())
MIN_SPEECH_WORDS = 4
VERB_WINDOW = 5
MAX_SPEAKER_WORDS = 4


@dataclass
class Quote:
    """One quotation: token positions of its two marks, and what the rules found."""

    open: int
    close: int
    kind: str = "term"
    verb: str = ""
    speaker: str = ""


@dataclass
class Document:
    """The tokens of one document, as the quote rules read them.

    ``flags`` and ``sentence`` are per token (the flags of
    :mod:`analysis.text.wordtype`); ``surface(i)`` and ``verb(i)`` give token
    ``i``'s written form and its speech verb as written.
    """

    flags: np.ndarray
    sentence: np.ndarray
    surface: Callable[[int], str]
    verb: Callable[[int], str]

    def __len__(self) -> int:
        return len(self.flags)

    def has(self, i: int, flag: int) -> bool:
        """Whether token ``i`` exists and has ``flag``."""
        return 0 <= i < len(self.flags) and bool(self.flags[i] & flag)


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
    content = np.concatenate(([0], np.cumsum((doc.flags & CONTENT) != 0)))
    verbs = np.flatnonzero(doc.flags & SPEECH_VERB)
    names = {int(v): _name_length(doc, int(v)) for v in verbs}
    quotes = [Quote(o, c) for o, c in pairs]
    introducing = set()
    for q in quotes:
        verb = _verb_before(doc, verbs, names, content, q.open)
        inner_words = int(content[q.close] - content[q.open + 1])
        if verb is not None and verb[1]:
            introducing.add(verb[0])
        direct = verb is not None and verb[1]
        if direct or inner_words >= MIN_SPEECH_WORDS:
            q.kind = "speech"
            if verb is not None:
                q.verb = doc.verb(verb[0])
                q.speaker = _speaker_at(doc, verbs, names, verb[0], doc.sentence[q.open])
    for q in quotes:
        if q.kind == "speech" and not q.verb:
            after = q.close + 2
            if _attributes_after(doc, names, introducing, q.close, after):
                q.verb = doc.verb(after)
                q.speaker = _name(doc, after, names[after])
    for q, full in zip(quotes, full_names([q.speaker for q in quotes]), strict=True):
        q.speaker = full
    return quotes


def _verb_before(doc: Document, verbs, names, content, opening: int) -> tuple[int, bool] | None:
    """The last speech verb before ``opening`` in its sentence, and whether it introduces it.

    It introduces the quote when at most ``VERB_WINDOW`` words lie between them,
    all of them the name after the verb.
    """
    k = int(np.searchsorted(verbs, opening)) - 1
    if k < 0 or doc.sentence[verbs[k]] != doc.sentence[opening]:
        return None
    verb = int(verbs[k])
    between = content[opening] - content[verb + 1]
    after_name = content[opening] - content[min(verb + 1 + names[verb], opening)]
    return verb, bool(between <= VERB_WINDOW and after_name == 0)


def _speaker_at(doc: Document, verbs, names, verb: int, sentence: int) -> str:
    """The name after ``verb``.

    Without one, the last name after an earlier verb of this sentence or the one before.
    """
    if names[verb]:
        return _name(doc, verb, names[verb])
    earlier = [int(v) for v in verbs if v < verb and names[int(v)]]
    if earlier and doc.sentence[earlier[-1]] >= sentence - 1:
        return _name(doc, earlier[-1], names[earlier[-1]])
    return ""


def _attributes_after(doc: Document, names, introducing, close: int, verb: int) -> bool:
    """Whether ``''…''، قالت فلانة`` holds after a quote.

    A comma, then a named speech verb, in one sentence, that introduces no other quote.
    """
    return (
        verb < len(doc)
        and doc.has(close + 1, COMMA)
        and doc.has(verb, SPEECH_VERB)
        and names.get(verb, 0) > 0
        and verb not in introducing
        and doc.sentence[verb] == doc.sentence[close]
    )


def _name_length(doc: Document, verb: int) -> int:
    """How many tokens after ``verb`` form a speaker's name (at most ``MAX_SPEAKER_WORDS``).

    Each must be a name word; the name stops before a word with the article that
    follows a word without it, unless that word is a name link (عبد، أبو، بن):
    رد الصادق بوقطاية الناشط → الصادق بوقطاية.
    """
    length = 0
    for k in range(1, MAX_SPEAKER_WORDS + 1):
        j = verb + k
        if not doc.has(j, NAME_WORD):
            break
        if k > 1 and doc.has(j, ARTICLE):
            previous = j - 1
            if not doc.has(previous, ARTICLE) and not doc.has(previous, NAME_LINK):
                break
        length = k
    return length


def _name(doc: Document, verb: int, length: int) -> str:
    return " ".join(doc.surface(j) for j in range(verb + 1, verb + 1 + length))


def full_names(speakers: list[str]) -> list[str]:
    """Speakers of one document's quotes, short mentions replaced by the full name.

    A speaker whose words (normalized) are the last words of a longer speaker
    name met earlier in the document becomes that name; the most recent such
    name wins. Empty speakers stay empty.
    """
    out = list(speakers)
    seen: list[tuple[tuple[str, ...], str]] = []
    for k, name in enumerate(speakers):
        if not name:
            continue
        words = tuple(normalize_word(w) for w in name.split())
        for full_words, full in reversed(seen):
            if len(full_words) > len(words) and full_words[-len(words) :] == words:
                out[k] = full
                break
        else:
            seen.append((words, name))
    return out


def is_symmetric(flags: int) -> bool:
    """Whether a quotation mark's flags are those of ``''`` or ``"``."""
    return bool(flags & (APOSTROPHES | DOUBLE_QUOTE))
