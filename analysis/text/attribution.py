"""Who speaks in a quotation, and whether it is someone's words at all.

The rules read one document's tokens through their flags (:mod:`analysis.text.wordtype`:
the attribution verbs of ``lexicons/speech_verbs.csv`` and the word classes of
``lexicons/attribution_words.csv``) and follow ``docs/annotation.md``.

**The subject of an attribution verb** (:func:`subject_after`) is read after the
verb, Arabic being verb–subject–object:

* a title or the head of an institution (``lexicons`` classes ``title``, ``body``)
  with its complement: a genitive chain of indefinite words that a definite word or
  a country ends (رئيس نادي الزمالك، مبعوث روسيا), adjectives (listed ones and the
  nisba in -ي/-ية: الروسي، الدائم) and prepositional phrases (لمجلس سوريا
  الديمقراطية، في الأمم المتحدة); then the person's name, directly (المتحدثة ماريا
  زاخاروفا) or between commas (مبعوثة الولايات المتحدة، نيكي هايلي،);
* a name: up to four name words, stopping at a stop word, a preposition (also one
  attached: لورا مولدنغ لبرنامج …), a conjunction, a verb, a circumstantial
  participle (منصور متوجها) or punctuation. A word with the article after a single
  first name is a family name when the name ends there (بشار الجعفري، الأسد إن);
* a definite noun phrase (الرابطة، الاتحاد القاري), which gives the name after it
  only when it is not a nisba (الصادق بوقطاية, but الجزائرية أسماء بنت قادة);
* nothing: a prepositional phrase, a complementizer, a colon or the quotation
  follows the verb (وقالت: «…», قال فيها), and the subject is the pronoun in the verb.

**The speaker** is then, as the guidelines ask: the name without titles, in the
fullest form the document gives (a name found after a title, a verb or at the start
of a sentence, anywhere in it, that contains the one written here: ترامب → دونالد
ترامب, لورا → لورا مولدنغ), unless the two differ in gender (the gender of the verb or
title that introduced each: إيفانكا ترامب is not the ترامب of وعلَّق ترامب); a title
alone refers to the person named earlier with the same title (وأكد المخرج → زياد
دويري); a noun phrase names an unnamed speaker or institution (بيان، مصادر ميدانية);
an institution whose name is quoted is that name (وقالت مجموعة «…»); a pronoun, a
participle (قائلا، معتبرة) and an anaphor (المصدر ذاته) refer to the last speaker
named before, in text order, of the same gender where both are known — the subject
of an attribution verb, or of the verb that opens the sentence (ونشر قرقاش تغريدة
… قال فيها). Relayed words belong to the person after عن (نقلت الوكالة عن مصادر
ميدانية); a document is spoken by its author (حسب بيان أصدره القصر الملكي).

The rules of kind and of the verb of each quotation are in :mod:`analysis.text.quotes`.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property, partial

import numpy as np

from analysis.text.data import LanguageData
from analysis.text.verbs import recognize
from analysis.text.wordtype import (
    ADJECTIVE,
    ANAPHOR,
    ARTICLE,
    BODY,
    CIRCUMSTANTIAL,
    CLAUSE_LINK,
    COMMA,
    COMPLEMENTIZER,
    CONJUNCTION,
    CONTENT,
    DEFINITE,
    DOCUMENT,
    FEMININE,
    ISSUE,
    MASCULINE,
    NAME_LINK,
    NAME_WORD,
    NEEDS_NEXT,
    NISBA,
    PARTICIPLE,
    PLACE,
    PREP_CLITIC,
    PREPOSITION,
    QUOTE,
    RELAY,
    SPEECH_NOUN,
    SPEECH_VERB,
    STOPWORD,
    TITLE,
    WordType,
)

_MARKS = "\u0640" + "".join(chr(c) for c in range(0x064B, 0x0660))  # tatweel and diacritics
MAX_NAME_WORDS = 4
SUBJECT_QUOTE_WORDS = 4  # a quotation this long or longer is words, not a name
REQUIRED_WITHIN = 12  # tokens after an ambiguous verb form in which its required word must come
PLURAL_ENDINGS = ("ات",)  # a definite word ending so is a plural noun, not a family name
RARE = 2e-5  # a word rarer than this (wordfreq frequency) may be a family name (بوقطاية)
RELAY_WITHIN = 6  # tokens after نقل in which عن names whose words they are
RELATIVE_MA = ("ما", "لما", "مما")  # ما أفاد به X: X is the subject after the pronoun
RELATIVE_PRONOUNS = ("الذي", "التي", "الذين", "اللذين", "اللتين")


@dataclass
class Document:
    """The tokens of one document, as the quotation rules read them.

    ``flags``, ``sentence`` (numbered from 0) and ``paragraph`` are per token (the
    flags of :mod:`analysis.text.wordtype`); ``word(i)`` is token ``i``'s word type;
    ``data`` the language data the flags were made from; ``inside`` marks the tokens
    inside a quotation (set by :func:`analysis.text.quotes.annotate` before the rules
    read the document).
    """

    flags: np.ndarray
    sentence: np.ndarray
    paragraph: np.ndarray
    word: Callable[[int], WordType]
    data: LanguageData
    inside: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=bool))

    def __post_init__(self) -> None:
        self.f: list[int] = self.flags.tolist()
        self.s: list[int] = self.sentence.tolist()
        if len(self.inside) != len(self.f):
            self.inside = np.zeros(len(self.f), dtype=bool)
        count = self.s[-1] + 2 if self.s else 1
        self._starts: list[int] = np.searchsorted(self.sentence, np.arange(count)).tolist()

    def __len__(self) -> int:
        return len(self.f)

    def has(self, i: int, flag: int) -> bool:
        """Whether token ``i`` exists and has ``flag``."""
        return 0 <= i < len(self.f) and bool(self.f[i] & flag)

    def surface(self, i: int) -> str:
        return self.word(i).surface

    def sentence_end(self, i: int) -> int:
        """One past the last token of token ``i``'s sentence."""
        return self._starts[self.s[i] + 1]

    def sentence_start(self, i: int) -> int:
        """The first token of token ``i``'s sentence."""
        return self._starts[self.s[i]]

    def sentence_starts(self) -> list[int]:
        """The first token of every sentence."""
        return sorted(set(self._starts[:-1]) - {len(self.f)})

    def words_between(self, a: int, b: int) -> int:
        """Content tokens (words, numbers) among tokens ``a`` … ``b - 1``."""
        f = self.f
        return sum(1 for k in range(a, b) if f[k] & CONTENT)

    @cached_property
    def verbs(self) -> list[int]:
        """The attribution verbs of the document, outside quotations (:meth:`is_verb`)."""
        found = np.flatnonzero((self.flags & SPEECH_VERB) != 0).tolist()
        return [i for i in found if not self.inside[i] and self._verb_here(i)]

    @cached_property
    def _verb_set(self) -> frozenset[int]:
        return frozenset(self.verbs)

    def is_verb(self, i: int) -> bool:
        """Whether token ``i`` is an attribution verb here, outside any quotation.

        A form that is also another word (بين، عبر، طالب) counts only when its
        required word (أن، عن، بـ) follows within a few tokens of its sentence.
        """
        return i in self._verb_set

    def verb_before(self, i: int, start: int) -> int | None:
        """The last attribution verb before token ``i`` and not before ``start``."""
        k = bisect_left(self.verbs, i) - 1
        return self.verbs[k] if k >= 0 and self.verbs[k] >= start else None

    def _verb_here(self, i: int) -> bool:
        if not self.f[i] & NEEDS_NEXT:
            return True
        found = recognize(self.word(i).normalized, self.data.speech_verbs)
        required = found[1].requires if found else ""
        end = min(self.sentence_end(i), i + 1 + REQUIRED_WITHIN)
        return any(_is_word(self.word(k), required) for k in range(i + 1, end))

    def gender(self, i: int) -> str:
        """``m`` or ``f`` for a verb form or title of that gender, else ""."""
        if self.f[i] & FEMININE:
            return "f"
        if self.f[i] & MASCULINE:
            return "m"
        if self.f[i] & TITLE:
            return "f" if self.word(i).normalized.endswith("ة") else "m"
        return ""

    def text(self, a: int, b: int) -> str:
        """Tokens ``a`` … ``b - 1`` as written, joined by spaces, without a leading و/ف or
        preposition attached to the first word (the guidelines' form of a speaker).
        """
        words = [self.surface(k) for k in range(a, b)]
        if words and self.f[a] & (CONJUNCTION | PREP_CLITIC) and not self.f[a] & ARTICLE:
            words[0] = _without_proclitics(self.word(a))
        return " ".join(words)


def _is_word(word: WordType, required: str) -> bool:
    """Whether ``word`` is the required word: itself, its bare form, or an attached preposition."""
    if word.normalized == required or word.bare == required:
        return True
    return len(required) == 1 and required in word.proclitics.split("+")


def _without_proclitics(word: WordType) -> str:
    """The written word without its conjunction and attached preposition (والرئيس → الرئيس)."""
    letters = sum(len(p) for p in word.proclitics.split("+") if p in ("و", "ف", "ب", "ك", "ل"))
    surface = word.surface
    count = 0
    for k, char in enumerate(surface):
        if count == letters:
            return surface[k:].lstrip(_MARKS)
        if char.isalpha():
            count += 1
    return surface


@dataclass
class Subject:
    """What follows an attribution verb as its subject (token spans, end exclusive).

    ``end`` is where the subject phrase ends (right after the verb when there is
    none); ``name`` a person's name, ``head`` the noun phrase before it or instead
    of it, ``title`` the position of its title word, ``quote`` a quotation that
    names it (مجموعة «…»), ``anaphoric`` whether it refers back (المصدر ذاته).
    """

    end: int
    name: tuple[int, int] | None = None
    head: tuple[int, int] | None = None
    title: int | None = None
    quote: tuple[int, int] | None = None
    anaphoric: bool = False

    @property
    def explicit(self) -> bool:
        """Whether the subject is written (not a pronoun, not an anaphor)."""
        return not self.anaphoric and (self.name or self.head or self.quote) is not None


def subject_after(doc: Document, verb: int) -> Subject:
    """The subject of the verb at ``verb`` (module docstring), within its sentence."""
    limit = doc.sentence_end(verb)
    i = verb + 1
    if doc.f[verb] & SPEECH_NOUN and not doc.has(i, DEFINITE | TITLE | BODY):
        return Subject(end=i)  # تعبير استنكاري، عبارته: no genitive agent
    # ما أفاد به رئيس …: a preposition with a pronoun that refers back to ما
    relative = verb > 0 and doc.word(verb - 1).normalized in RELATIVE_MA
    if relative and doc.has(i, QUOTE):
        return _quoted_subject(doc, i, limit, at_end=True)  # بحسب ما نقلته «رويترز»
    if relative and i + 1 < limit and doc.f[i] & PREPOSITION:
        if doc.f[i + 1] & (NAME_WORD | TITLE | BODY) and not doc.f[i + 1] & PREP_CLITIC:
            i += 1
    return subject_at(doc, i, limit)


def subject_at(doc: Document, i: int, limit: int, attached: bool = False) -> Subject:
    """The subject phrase that starts at token ``i`` (before ``limit``), if one does.

    With ``attached``, its first word may carry a preposition (وفقا لبيان اللجنة).
    """
    if i < limit and doc.f[i] & QUOTE:
        return _quoted_subject(doc, i, limit)
    if i >= limit or not doc.f[i] & CONTENT:
        return Subject(end=i)
    if doc.f[i] & CONJUNCTION or (doc.f[i] & PREP_CLITIC and not attached):
        return Subject(end=i)
    if doc.f[i] & (TITLE | BODY | DOCUMENT):
        return _titled(doc, i, limit)
    if doc.f[i] & ANAPHOR:
        end = i + 1 + int(doc.has(i + 1, ANAPHOR))
        return Subject(end=end, head=(i, i + 1), anaphoric=True)
    if not doc.f[i] & NAME_WORD:
        return Subject(end=i)
    if doc.f[i] & ARTICLE:
        return _definite(doc, i, limit)
    name = _name_run(doc, i, limit)
    end = name[1]
    anaphoric = doc.has(end, ANAPHOR)
    return Subject(end=end + int(anaphoric), name=name, anaphoric=anaphoric)


def _quoted_subject(doc: Document, opening: int, limit: int, at_end: bool = False) -> Subject:
    """A short quotation right after a verb and followed by more of the clause is its
    subject, a name (كشفت «فيسبوك» عن …); so is one that ends the clause when
    ``at_end`` (after ما: بحسب ما نقلته «رويترز»). Otherwise there is no subject here.
    """
    close = _closing(doc, opening, limit)
    if close is None or doc.words_between(opening + 1, close) >= SUBJECT_QUOTE_WORDS:
        return Subject(end=opening)
    if at_end or close + 1 < limit and doc.f[close + 1] & CONTENT:
        return Subject(end=close + 1, quote=(opening + 1, close))
    return Subject(end=opening)


def _titled(doc: Document, i: int, limit: int) -> Subject:
    """A title or institution, its complement, and the name after it."""
    end, core_end = title_phrase(doc, i, limit)
    title = i if doc.f[i] & TITLE else None
    subject = Subject(end=end, head=(i, core_end), title=title)
    if doc.has(end, QUOTE) and doc.f[i] & BODY and not doc.f[i] & DEFINITE:
        close = _closing(doc, end, limit)
        if close is not None:
            subject.quote, subject.end = (end + 1, close), close + 1
        return subject
    if title is None:
        return subject
    if doc.has(end, STOPWORD) and doc.word(end).normalized in ("وهو", "وهي"):
        end, _ = title_phrase(doc, end, limit)  # مخرج الفيلم وهو اللبناني الفرنسي زياد دويري
    name = _apposition(doc, end, limit)
    if name is None and end < limit and doc.f[end] & NAME_WORD and not doc.f[end] & ARTICLE:
        name = _name_run(doc, end, limit)
        subject.end = name[1]
    elif name is not None:
        subject.end = name[1] + int(doc.has(name[1], COMMA))
    subject.name = name
    subject.anaphoric = doc.has(subject.end, ANAPHOR) and name is None
    return subject


def title_phrase(doc: Document, i: int, limit: int) -> tuple[int, int]:
    """Where the title (or institution) phrase at ``i`` ends, and where it ends
    before its first prepositional phrase (المتحدث باسم الخارجية has none:
    باسم is a noun of the chain).
    """
    f = doc.f
    open_chain = not f[i] & DEFINITE and not f[i] & PLACE
    core_end = None
    j = i + 1
    while j < limit:
        word = f[j]
        if not word & CONTENT or word & (CONJUNCTION | COMPLEMENTIZER | SPEECH_VERB):
            break
        if word & STOPWORD and not word & PREPOSITION:
            break
        if open_chain:
            if word & (PREPOSITION | PREP_CLITIC) and not word & DEFINITE:
                break
            open_chain = not word & (DEFINITE | PLACE)
        elif word & (ADJECTIVE | NISBA):
            pass
        elif word & (TITLE | BODY) and not word & PREP_CLITIC:
            open_chain = not word & DEFINITE
        elif word & PREPOSITION and j + 1 < limit and f[j + 1] & CONTENT:
            core_end = core_end or j
            open_chain = True
        elif word & PREP_CLITIC and word & (NAME_WORD | TITLE | BODY):
            core_end = core_end or j
            open_chain = not word & DEFINITE
        else:
            break
        j += 1
    return j, core_end or j


def _apposition(doc: Document, comma: int, limit: int) -> tuple[int, int] | None:
    """A name between commas after a title (…، نيكي هايلي،), or None."""
    if not doc.has(comma, COMMA) or comma + 1 >= limit:
        return None
    start = comma + 1
    if not doc.f[start] & NAME_WORD or doc.f[start] & (ARTICLE | PREP_CLITIC | CONJUNCTION):
        return None
    name = _name_run(doc, start, limit)
    return name if _stops(doc, name[1], limit) else None


def _definite(doc: Document, i: int, limit: int) -> Subject:
    """A definite noun phrase (الرابطة، الاتحاد القاري), or a name that starts with
    the article (الصادق بوقطاية).
    """
    j = i + 1
    while j < limit and doc.f[j] & (NISBA | ADJECTIVE) and not doc.f[j] & CONJUNCTION:
        j += 1
    if j == i + 1 and j < limit and doc.f[j] & NAME_WORD and not doc.f[j] & (ARTICLE | PREP_CLITIC):
        if doc.f[i] & NISBA:  # الجزائرية أسماء بنت قادة: a nisba describes the person named
            name = _name_run(doc, j, limit)
            return Subject(end=name[1], name=name)
        if doc.data.frequencies.get(doc.word(j).normalized, 0.0) < RARE:
            name = _name_run(doc, j, limit)  # الصادق بوقطاية: a name with the article
            return Subject(end=name[1], name=(i, min(name[1], i + MAX_NAME_WORDS)))
    anaphoric = doc.has(j, ANAPHOR)
    return Subject(end=j + int(anaphoric), head=(i, j), anaphoric=anaphoric)


def _name_run(doc: Document, i: int, limit: int) -> tuple[int, int]:
    """The name that starts at ``i``: up to ``MAX_NAME_WORDS`` name words (module docstring).

    A name link (عبد، أبو، بن) takes the next word along, with or without the
    article (عبد الفتاح); a word with the article ends the name unless it is the
    family name after one given name and the name ends there (بشار الجعفري،).
    """
    f = doc.f
    j = i
    given = 0  # given names so far (a link and the word it takes count as one)
    while j < limit and j - i < MAX_NAME_WORDS:
        word = f[j]
        if not word & NAME_WORD or (j > i and word & (PREP_CLITIC | CONJUNCTION | CIRCUMSTANTIAL)):
            break
        linked = j > i and bool(f[j - 1] & NAME_LINK)
        if word & ARTICLE and not word & NAME_LINK and not linked:
            family = given == 1 and _stops(doc, j + 1, limit)
            if j == i or not family or doc.word(j).normalized.endswith(PLURAL_ENDINGS):
                break
        elif not linked:
            given += 1
        j += 1
    return i, j


def _stops(doc: Document, j: int, limit: int) -> bool:
    """Whether a name may end before token ``j``: the sentence, a word that is no
    name word, or one with a preposition or conjunction attached, comes there.
    """
    return j >= limit or not doc.f[j] & NAME_WORD or bool(doc.f[j] & (PREP_CLITIC | CONJUNCTION))


def _closing(doc: Document, opening: int, limit: int) -> int | None:
    """The closing mark of the quotation that opens at ``opening`` (within ``limit``)."""
    for k in range(opening + 1, min(limit, opening + 12)):
        if doc.f[k] & QUOTE:
            return k
    return None


@dataclass
class Mention:
    """A speaker named in the text: where, as written, the gender of what named them,
    and the only sentence it may be referred to from (None: any later one).
    """

    at: int
    text: str
    gender: str
    sentence: int | None = None


class Speakers:
    """The speakers of one document: subjects of its verbs, the names it gives, and
    who a pronoun refers to. Everything is computed when first asked for.
    """

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self._subjects: dict[int, Subject] = {}

    def subject(self, verb: int) -> Subject:
        """The subject after the word at ``verb`` (cached)."""
        if verb not in self._subjects:
            self._subjects[verb] = subject_after(self.doc, verb)
        return self._subjects[verb]

    def of_verb(self, verb: int) -> str:
        """The speaker of an attribution verb (or noun of speech) at ``verb``."""
        doc = self.doc
        if doc.f[verb] & PARTICIPLE:
            return self.referent(verb, doc.gender(verb))
        subject = self.subject(verb)
        if doc.f[verb] & RELAY:
            relayed = self._relayed(verb)
            if relayed:
                return relayed
        if not subject.explicit and not subject.anaphoric:
            implied = self._antecedent(verb) or self._author(verb)
            if implied:
                return implied
        return self.speaker(subject, verb)

    def _antecedent(self, verb: int) -> str:
        """The name a relative pronoun before the verb refers to (ديفيد مونديل الذي قال)."""
        doc = self.doc
        if verb < 2 or doc.word(verb - 1).normalized not in RELATIVE_PRONOUNS:
            return ""
        for start, words, gender, _ in self.names:
            if start + len(words) == verb - 1 and _compatible(gender, doc.gender(verb)):
                return doc.text(start, verb - 1)
        return ""

    def _author(self, verb: int) -> str:
        """The author of the document a verb speaks in (رسالة من X، يتهم فيها …)."""
        doc = self.doc
        if not doc.has(verb + 1, PREPOSITION) or not doc.word(verb + 1).enclitic:
            return ""
        start = doc.sentence_start(verb)
        for k in range(verb - 1, start - 1, -1):
            if doc.f[k] & DOCUMENT and doc.has(k + 1, PREPOSITION):
                if doc.word(k + 1).normalized == "من":
                    subject = subject_at(doc, k + 2, verb)
                    return self.speaker(subject, k) if subject.explicit else ""
        return ""

    def speaker(self, subject: Subject, at: int) -> str:
        """The speaker a subject phrase names (module docstring)."""
        doc = self.doc
        gender = doc.gender(at)
        if subject.quote is not None:
            return doc.text(*subject.quote)
        if subject.name is not None:
            return self.full_name(subject.name, at, gender)
        if subject.anaphoric or subject.head is None:
            return self.referent(at, gender)
        if subject.title is not None:
            named = self._titled_before(subject.title)
            if named:
                return named
        a, b = subject.head
        if b - a == 1 and not doc.f[a] & (TITLE | BODY | DOCUMENT):
            return self.full_name(subject.head, at, gender)
        return doc.text(a, b)

    def _relayed(self, verb: int) -> str:
        """The speaker after عن in نقل X عن Y, or ""."""
        doc = self.doc
        limit = doc.sentence_end(verb)
        for k in range(verb + 1, min(limit, verb + 1 + RELAY_WITHIN)):
            if doc.f[k] & QUOTE:
                break
            if doc.word(k).normalized == "عن":
                subject = subject_at(doc, k + 1, limit)
                return self.speaker(subject, k) if subject.explicit else ""
        return ""

    def referent(self, at: int, gender: str = "") -> str:
        """The last speaker named before token ``at`` (of a compatible gender), or ""."""
        sentence = self.doc.s[at] if at < len(self.doc) else -1
        for mention in reversed(self.mentions):
            if mention.at < at and _compatible(mention.gender, gender):
                if mention.sentence is None or mention.sentence == sentence:
                    return mention.text
        return ""

    @cached_property
    def mentions(self) -> list[Mention]:
        """Speakers named or referred to, in text order.

        The subject of every attribution verb (its speaker: a pronoun resolved to
        the mention before it), and the name or quoted name after the verb that
        opens a sentence; a name after an opening verb is a mention only within its
        own sentence (a word read as that verb may be a name), unless the text
        quotes it or gives it a title.
        """
        doc = self.doc
        out: list[Mention] = []
        for k in self._openers():
            attributing = bool(doc.f[k] & SPEECH_VERB)
            if doc.f[k] & ISSUE and doc.sentence_start(k) != k:
                continue  # نشر مقطع فيديو: the subject of an issuing verb is read only after it opens a sentence
            gender = doc.gender(k) if attributing else _guessed_gender(doc.word(k).normalized)
            if doc.f[k] & PARTICIPLE:
                continue
            subject = self.subject(k)
            if subject.explicit:
                if attributing:
                    text, scope = self.speaker(subject, k), None
                elif subject.name is None and subject.quote is None:
                    continue
                else:
                    text = self._named(subject)
                    place = subject.name is not None and doc.f[subject.name[0]] & PLACE
                    sure = subject.quote is not None or subject.title is not None or place
                    scope = None if sure else doc.s[k]
            elif attributing and doc.f[k] & SPEECH_VERB:
                text, scope = self._resolved(out, k, gender), None
            else:
                continue
            if text:
                out.append(Mention(k, text, gender, scope))
        return out

    def _resolved(self, mentions: list[Mention], at: int, gender: str) -> str:
        """The referent of a pronoun at ``at`` among ``mentions`` found so far."""
        for mention in reversed(mentions):
            if _compatible(mention.gender, gender):
                if mention.sentence is None or mention.sentence == self.doc.s[at]:
                    return mention.text
        return ""

    def _named(self, subject: Subject) -> str:
        if subject.quote is not None:
            return self.doc.text(*subject.quote)
        return self.full_name(subject.name, subject.name[0], "")

    @cached_property
    def names(self) -> list[tuple[int, tuple[str, ...], str, int]]:
        """Names the document gives: (position, normalized words, gender, title position).

        Found after every title (رئيس نادي الزمالك مرتضى منصور), attribution verb and
        verb that opens a sentence; the name is cut where a name run is not sure to
        end (capped at ``MAX_NAME_WORDS``) only by later matching.
        """
        doc = self.doc
        found: dict[int, tuple[tuple[str, ...], str, int]] = {}
        titles = np.flatnonzero((doc.flags & TITLE) != 0).tolist()
        for t in titles:
            subject = _titled(doc, t, doc.sentence_end(t))
            if subject.name:
                self._add_name(found, subject.name, doc.gender(t), t)
        for verb in self._openers():
            subject = self.subject(verb)
            if subject.name and not doc.f[verb] & PARTICIPLE:
                attributing = doc.f[verb] & (SPEECH_VERB | ISSUE)
                gender = (
                    doc.gender(verb) if attributing else _guessed_gender(doc.word(verb).normalized)
                )
                title = subject.title if subject.title is not None else -1
                self._add_name(found, subject.name, gender, title)
        return [(at, words, gender, title) for at, (words, gender, title) in sorted(found.items())]

    @cached_property
    def _opener_list(self) -> list[int]:
        doc = self.doc
        issuing = np.flatnonzero((doc.flags & ISSUE) != 0).tolist()
        out = doc.verbs + [v for v in issuing if not doc.inside[v]]
        out += [o for o in map(partial(_opening_verb, doc), doc.sentence_starts()) if o is not None]
        return sorted(set(out))

    def _openers(self) -> list[int]:
        """Attribution and issuing verbs outside quotations, and verbs that open a sentence."""
        return self._opener_list

    def _add_name(self, found, span: tuple[int, int], gender: str, title: int) -> None:
        a, b = span
        words = tuple(self.doc.word(k).normalized for k in range(a, b))
        if a not in found or len(words) > len(found[a][0]):
            found[a] = (words, gender, title)

    def full_name(self, span: tuple[int, int], at: int, gender: str) -> str:
        """The fullest form of the name at ``span`` that the document gives (module docstring)."""
        doc = self.doc
        a, b = span
        words = tuple(doc.word(k).normalized for k in range(a, b))
        best: tuple[int, int, int] | None = None  # (length, preference, start)
        for start, name, name_gender, _ in self.names:
            if not _compatible(name_gender, gender) or len(name) <= len(words):
                continue
            k = _find(name, words)
            if k < 0:
                continue
            whole = k == 0 and len(words) == 1 and self._closed(start, name, len(words))
            length = len(name) if whole else k + len(words)
            if length <= len(words):
                continue
            preference = -abs(at - start) if start < at else -len(doc) - start
            key = (length, preference, start)
            if best is None or key > best:
                best = key
        if best is None:
            return doc.text(a, b)
        length, _, start = best
        return doc.text(start, start + length)

    def _closed(self, start: int, name: tuple[str, ...], known: int) -> bool:
        """Whether a name found in the text surely ends where it was cut: before the cap,
        at a stop, and its words after the first ``known`` are no definite noun but a
        nisba (لورا → لورا مولدنغ، but not أحلام → أحلام الفيديو)."""
        doc = self.doc
        end = start + len(name)
        if len(name) >= MAX_NAME_WORDS or not _stops(doc, end, doc.sentence_end(start)):
            return False
        return all(doc.f[k] & NISBA or not doc.f[k] & ARTICLE for k in range(start + known, end))

    def _titled_before(self, title: int) -> str:
        """The name last given after the same title before ``title`` (وأكد المخرج → its name)."""
        doc = self.doc
        key = _title_key(doc.word(title))
        for start, words, _, t in reversed(self.names):
            if 0 <= t < title and start > t and _title_key(doc.word(t)) == key:
                return doc.text(start, start + len(words))
        return ""


def _opening_verb(doc: Document, start: int) -> int | None:
    """The verb that opens the sentence at ``start`` (ونشر قرقاش …), if it looks like one:
    a word that is neither a name, a noun of a listed class nor a function word,
    followed by a subject.
    """
    i = start
    if i >= len(doc) or doc.inside[i] or not doc.f[i] & CONTENT:
        return None
    if doc.f[i] & (SPEECH_VERB | ISSUE):
        return i
    not_verb = DEFINITE | PREP_CLITIC | PREPOSITION | TITLE | BODY | DOCUMENT | CLAUSE_LINK
    if doc.f[i] & not_verb or not doc.f[i] & (NAME_WORD | STOPWORD):
        return None
    return i


def _guessed_gender(verb: str) -> str:
    """The gender a verb's form shows: a past ending in ت or a present in ت- is feminine."""
    word = verb[1:] if verb[:1] in ("و", "ف") and len(verb) > 3 else verb
    if word.endswith("ت") or (word.startswith("ت") and len(word) > 3):
        return "f"
    return "m"


def _compatible(a: str, b: str) -> bool:
    return not a or not b or a == b


def _find(name: tuple[str, ...], words: tuple[str, ...]) -> int:
    """Where ``words`` occur as consecutive words of ``name`` (-1 if not)."""
    for k in range(len(name) - len(words) + 1):
        if name[k : k + len(words)] == words:
            return k
    return -1


def _title_key(word: WordType) -> str:
    """A title word without article and clitics (المبعوث، مبعوث → مبعوث)."""
    return word.bare[2:] if word.bare.startswith("ال") and len(word.bare) > 4 else word.bare
