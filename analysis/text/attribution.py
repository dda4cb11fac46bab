"""Who speaks: the speaker an attribution verb's subject names, as the guidelines ask.

``docs/annotation.md`` (layer 2) wants the speaker as the text names them. From the
subject after the verb (:mod:`analysis.text.subjects`):

* **a name**: without titles, in the fullest form the document gives. The names a
  document gives are those after its titles, its attribution verbs and the verbs
  that open its sentences, and rare names after a nisba (والتركي مولود تشاوش
  أوغلو), anywhere in it; one that contains the name written at
  the verb gives the fuller form (ترامب → دونالد ترامب; بنت قادة → أسماء بنت قادة);
  a lone word is also completed by a name that starts with it and surely ends, its
  added words indefinite or nisba (لورا → لورا مولدنغ, not أحلام → أحلام الفيديو).
  Two names of different gender (of the verb or title that introduced each) are
  different people (إيفانكا ترامب is not the ترامب of وعلَّق ترامب). Among equals,
  the nearest before the verb wins, then the first after it;
* **a title alone**: the person named earlier after the same title, and the same
  genitive if it has one (وأكد المخرج → زياد دويري; رئيس البلدية → the name after
  رئيس بلدية نيويورك, not after الرئيس), else the title phrase;
* **a noun phrase**: an unnamed speaker or institution, as written (بيان، مصادر
  ميدانية); a single definite word may be a name too (وقال الأسد → بشار الأسد); a
  document whose author is named after it speaks for that author (بيان صادر عن
  إيتا → إيتا; بيان لرابطة … → the association), and a pronoun verb after it may
  be of any gender;
* **a quoted name** (وقالت مجموعة «…»): that name;
* **a pronoun, a participle (قائلا، معتبرة) or an anaphor (المصدر ذاته)**: the last
  speaker mentioned before, of a compatible gender (:attr:`Speakers.mentions`);
  before that, a relative pronoun's antecedent (ديفيد مونديل الذي قال), the
  indefinite noun that a verb after a comma describes (تقارير إعلامية، نقلت أنها …),
  a subject written right before the verb (أمير قطر قال …), and the author of the
  document the verb speaks in (رسالة من الرئيس …، يتهم فيها).

Relayed words belong to the person after عن (نقلت الوكالة عن مصادر ميدانية). The
mentions, in text order, are the speakers of the attribution verbs (a pronoun
resolved to the mention before it) and the names or quoted names after the verb
that opens a sentence (ونشر قرقاش تغريدة … قال فيها; كانت «تيا» …). Such a name is
taken up only within its own sentence, a word read as that verb being possibly a
name itself, unless the text quotes it, titles it or it is a country.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np

from analysis.text.subjects import (
    MAX_NAME_WORDS,
    RARE,
    Document,
    Subject,
    name_may_end,
    name_run,
    subject_after,
    subject_at,
    titled,
)
from analysis.text.wordtype import (
    ADJECTIVE,
    ARTICLE,
    BODY,
    CLAUSE_LINK,
    COMMA,
    CONJUNCTION,
    CONTENT,
    DEFINITE,
    DOCUMENT,
    ISSUE,
    NAME_WORD,
    NISBA,
    NISBA_ENDINGS,
    PARTICIPLE,
    PLACE,
    PREP_CLITIC,
    PREPOSITION,
    QUOTE,
    RELAY,
    SPEECH_VERB,
    STOPWORD,
    TITLE,
    WordType,
)

RELAY_WITHIN = 6  # tokens after نقل in which عن names whose words they are
AUTHOR_WORDS = ("صادر", "صادرة", "الصادر", "الصادرة")  # بيان صادر عن …: its author follows
RELATIVE_PRONOUNS = ("الذي", "التي", "الذين", "اللذين", "اللتين")


@dataclass(frozen=True)
class Name:
    """A name the document gives.

    Where it starts, its words (normalized), the gender of the verb or title that
    introduced it, and the position of its title (-1 if none).
    """

    start: int
    words: tuple[str, ...]
    gender: str
    title: int

    @property
    def end(self) -> int:
        """One past the name's last token."""
        return self.start + len(self.words)


@dataclass(frozen=True)
class Mention:
    """A speaker mentioned in the text.

    Where, the gender of what named them, and the only sentence it may be referred
    to from (None: any later one). ``text`` is the speaker when a pronoun was
    resolved to it; otherwise the subject after ``at`` names them, and
    :meth:`Speakers.text_of` reads it when it is asked for.
    """

    at: int
    gender: str
    sentence: int | None = None
    text: str = ""


class Speakers:
    """The speakers of one document; everything is computed when first asked for."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self._subjects: dict[int, Subject] = {}

    def subject(self, verb: int) -> Subject:
        """The subject after the word at ``verb`` (:func:`analysis.text.subjects.subject_after`)."""
        if verb not in self._subjects:
            self._subjects[verb] = subject_after(self.doc, verb)
        return self._subjects[verb]

    def of_verb(self, verb: int) -> str:
        """The speaker of the attribution verb (or noun of speech) at ``verb``."""
        doc = self.doc
        if doc.f[verb] & PARTICIPLE:
            return self.referent(verb, doc.gender(verb))
        if doc.f[verb] & RELAY:
            relayed = self._relayed(verb)
            if relayed:
                return relayed
        subject = self.subject(verb)
        if not subject.explicit and not subject.anaphoric:
            implied = self._implied(verb)
            if implied:
                return implied
        return self.speaker(subject, verb)

    def _implied(self, verb: int) -> str:
        """The subject of a pronoun verb that its sentence gives, or "" (module docstring)."""
        return (
            self._antecedent(verb)
            or self._described(verb)
            or self._before(verb)
            or self._author(verb)
        )

    def speaker(self, subject: Subject, at: int) -> str:
        """The speaker a subject phrase after token ``at`` names (module docstring)."""
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
        if doc.f[a] & DOCUMENT:
            author = self._document_author(b, doc.sentence_end(a))
            if author:
                return author
        if b - a == 1 and not doc.f[a] & (TITLE | BODY | DOCUMENT):
            return self.full_name(subject.head, at, gender)
        return doc.text(a, b)

    def _document_author(self, j: int, limit: int) -> str:
        """The author named after a document that ends before ``j``, or "".

        بيان صادر عن إيتا، بيان لرابطة …: a name (not a definite word alone), a quoted
        name, a title or an institution; not an event (بيان صادر عن الوقفة).
        """
        doc = self.doc
        if j < limit and doc.normalized(j) in AUTHOR_WORDS:
            j += 1
        if j + 1 < limit and doc.normalized(j) in ("عن", "من"):
            subject = subject_at(doc, j + 1, limit)
        elif j < limit and doc.f[j] & PREP_CLITIC and doc.word(j).proclitics.startswith("ل"):
            subject = subject_at(doc, j, limit, attached=True)
        else:
            return ""
        name = subject.name is not None and not doc.f[subject.name[0]] & ARTICLE
        head = subject.head is not None and doc.f[subject.head[0]] & (TITLE | BODY)
        return self.speaker(subject, j) if name or head or subject.quote else ""

    def referent(self, at: int, gender: str = "") -> str:
        """The last speaker mentioned before token ``at``, of a compatible gender, or ""."""
        mention = _last(self.mentions, at, self.doc.s[at], gender)
        return self.text_of(mention) if mention else ""

    def text_of(self, mention: Mention) -> str:
        """The speaker a mention names."""
        if mention.text:
            return mention.text
        subject = self.subject(mention.at)
        if self.doc.f[mention.at] & SPEECH_VERB:
            return self.speaker(subject, mention.at)
        if subject.quote is not None:
            return self.doc.text(*subject.quote)
        return self.full_name(subject.name, subject.name[0], "")

    def _relayed(self, verb: int) -> str:
        """The speaker after عن in نقل X عن Y, or ""."""
        doc = self.doc
        limit = doc.sentence_end(verb)
        for k in range(verb + 1, min(limit, verb + 1 + RELAY_WITHIN)):
            if doc.f[k] & QUOTE:
                break
            if doc.normalized(k) == "عن":
                subject = subject_at(doc, k + 1, limit)
                return self.speaker(subject, k) if subject.explicit else ""
        return ""

    def _antecedent(self, verb: int) -> str:
        """The name a relative pronoun before the verb refers to (ديفيد مونديل الذي قال)."""
        doc = self.doc
        if verb < 2 or doc.normalized(verb - 1) not in RELATIVE_PRONOUNS:
            return ""
        for name in self.names:
            if name.end == verb - 1:  # the pronoun agrees with it, whatever its title's form
                return doc.text(name.start, name.end)
        return ""

    def _described(self, verb: int) -> str:
        """The indefinite noun phrase a verb after a comma qualifies, or "".

        A clause that qualifies an indefinite noun has it as subject (تقارير إعلامية،
        نقلت أنها …).
        """
        doc = self.doc
        if doc.f[verb] & CONJUNCTION or not doc.has(verb - 1, COMMA):
            return ""
        start = verb - 1
        while start > 0 and doc.f[start - 1] & NAME_WORD and not doc.f[start - 1] & DEFINITE:
            start -= 1
        if start == verb - 1 or verb - 1 - start > MAX_NAME_WORDS:
            return ""
        return doc.text(start, verb - 1)

    def _before(self, verb: int) -> str:
        """The subject written right before the verb, or "".

        A title phrase (أمير قطر قال …), not one inside a prepositional phrase (على موقع
        تويتر قال فيها), or a name (سيسليا مالستروم قالت …) that ends there.
        """
        doc = self.doc
        start = max(doc.sentence_start(verb), verb - 1 - MAX_NAME_WORDS)
        for t in range(verb - 1, start - 1, -1):
            heads = doc.f[t] & (TITLE | BODY) and not doc.f[t] & (PREP_CLITIC | CONJUNCTION)
            if heads and not doc.has(t - 1, PREPOSITION):
                subject = titled(doc, t, verb)
                if subject.end == verb:
                    return self.speaker(subject, verb)
        if not doc.has(verb - 1, NAME_WORD):
            return ""
        for name in self.names:
            if name.end == verb and _compatible(name.gender, doc.gender(verb)):
                return self.full_name((name.start, name.end), verb, doc.gender(verb))
        return ""

    def _author(self, verb: int) -> str:
        """The author of the document a verb speaks in (رسالة من X، يتهم فيها …), or ""."""
        doc = self.doc
        if not doc.has(verb + 1, PREPOSITION) or not doc.word(verb + 1).enclitic:
            return ""
        for k in range(verb - 1, doc.sentence_start(verb) - 1, -1):
            if (
                doc.f[k] & DOCUMENT
                and doc.has(k + 1, PREPOSITION)
                and doc.normalized(k + 1) == "من"
            ):
                subject = subject_at(doc, k + 2, verb)
                return self.speaker(subject, k) if subject.explicit else ""
        return ""

    @cached_property
    def mentions(self) -> list[Mention]:
        """The speakers mentioned in the text, in order (module docstring)."""
        doc = self.doc
        out: list[Mention] = []
        for k in self._openers:
            attributing = bool(doc.f[k] & SPEECH_VERB)
            if doc.f[k] & PARTICIPLE or (doc.f[k] & ISSUE and doc.sentence_start(k) != k):
                continue  # نشر مقطع فيديو: an issuing verb's subject counts where it opens
            gender = _gender(doc, k)
            subject = self.subject(k)
            if subject.explicit and attributing:
                document = subject.head is not None and doc.f[subject.head[0]] & DOCUMENT
                out.append(Mention(k, "" if document else gender))  # its author's is unknown
            elif subject.explicit and (subject.name or subject.quote):
                place = subject.name is not None and doc.f[subject.name[0]] & PLACE
                sure = subject.quote is not None or subject.title is not None or place
                out.append(Mention(k, gender, None if sure else doc.s[k]))
            elif attributing and not subject.explicit:
                mention = _last(out, k, doc.s[k], gender)
                text = "" if subject.anaphoric else self._implied(k)
                text = text or (self.text_of(mention) if mention else "")
                if text:
                    out.append(Mention(k, gender, text=text))
        return out

    @cached_property
    def _openers(self) -> list[int]:
        """Attribution and issuing verbs outside quotations, and verbs that open a sentence."""
        doc = self.doc
        issuing = np.flatnonzero((doc.flags & ISSUE) != 0).tolist()
        out = set(doc.verbs) | {v for v in issuing if not doc.inside[v]}
        out |= {o for o in (_opening_verb(doc, s) for s in doc.sentence_starts()) if o is not None}
        return sorted(out)

    @cached_property
    def names(self) -> list[Name]:
        """The names the document gives, in order (module docstring)."""
        doc = self.doc
        found: dict[int, Name] = {}
        for t in np.flatnonzero((doc.flags & TITLE) != 0).tolist():
            subject = titled(doc, t, doc.sentence_end(t))
            if subject.name:
                self._add(found, subject.name, doc.gender(t), t)
        for verb in self._openers:
            subject = self.subject(verb)
            if subject.name and not doc.f[verb] & PARTICIPLE:
                title = subject.title if subject.title is not None else -1
                self._add(found, subject.name, _gender(doc, verb), title)
        for t in self._described_names():
            span = name_run(doc, t + 1, doc.sentence_end(t))
            self._add(found, span, "f" if doc.normalized(t).endswith("ة") else "m", -1)
        return [found[start] for start in sorted(found)]

    def _described_names(self) -> list[int]:
        """Nisbas that describe the rare name after them (والتركي مولود تشاوش أوغلو)."""
        doc, f = self.doc, self.doc.flags
        if len(f) < 2:
            return []
        starts = (f[1:] & NAME_WORD != 0) & (f[1:] & (ARTICLE | PREP_CLITIC | CONJUNCTION) == 0)
        joined = (f[:-1] & CONJUNCTION != 0) & (f[:-1] & DEFINITE != 0)  # والتركي
        nisba = (f[:-1] & NISBA != 0) | joined
        found = np.flatnonzero(nisba & starts).tolist()
        frequency = doc.data.frequencies.get
        return [
            t for t in found
            if frequency(doc.normalized(t + 1), 0.0) < RARE and _is_nisba(doc.normalized(t))
        ]  # fmt: skip

    def _add(self, found: dict[int, Name], span: tuple[int, int], gender: str, title: int) -> None:
        doc = self.doc
        if title < 0 and doc.has(span[1], COMMA) and doc.has(span[1] + 1, TITLE):
            title = span[1] + 1  # مات هيربر، الباحث في …: the title in apposition
        words = tuple(doc.normalized(k) for k in range(*span))
        if span[0] not in found or len(words) > len(found[span[0]].words):
            found[span[0]] = Name(span[0], words, gender, title)

    def full_name(self, span: tuple[int, int], at: int, gender: str) -> str:
        """The fullest form of the name at ``span`` the document gives (module docstring)."""
        doc = self.doc
        if not any(doc.repeated(k) for k in range(*span)):
            return doc.text(*span)  # written only here: the document gives no other form
        words = tuple(doc.normalized(k) for k in range(*span))
        best: tuple[int, int, int] | None = None  # (length, nearness, start)
        for name in self.names:
            if not _compatible(name.gender, gender) or len(name.words) <= len(words):
                continue
            k = _find(name.words, words)
            if k < 0:
                continue
            whole = k == 0 and len(words) == 1 and self._surely_ends(name, 1)
            length = len(name.words) if whole else k + len(words)
            if length <= len(words):
                continue
            nearness = name.start - at if name.start < at else -len(doc) - name.start
            if best is None or (length, nearness, name.start) > best:
                best = (length, nearness, name.start)
        if best is None:
            return doc.text(*span)
        length, _, start = best
        return doc.text(start, start + length)

    def _surely_ends(self, name: Name, known: int) -> bool:
        """Whether a name the document gives ends where it was cut.

        It is shorter than the cap, a stop follows it, and its words after the first
        ``known`` are indefinite or nisba.
        """
        doc = self.doc
        if len(name.words) >= MAX_NAME_WORDS:
            return False
        if not name_may_end(doc, name.end, doc.sentence_end(name.start)):
            return False
        added = range(name.start + known, name.end)
        return all(doc.f[k] & NISBA or not doc.f[k] & ARTICLE for k in added)

    def _titled_before(self, title: int) -> str:
        """The name last given after the same title before ``title`` (وأكد المخرج).

        A title with a genitive (رئيس البلدية) takes only a name given after the same
        title and genitive (رئيس بلدية نيويورك بيل دي بلازيو, not الرئيس دونالد ترامب).
        """
        doc = self.doc
        key, complement = _title_key(doc.word(title)), _complement_key(doc, title)
        for name in reversed(self.names):
            if 0 <= name.title < title and _title_key(doc.word(name.title)) == key:
                if not complement or _complement_key(doc, name.title) == complement:
                    return doc.text(name.start, name.end)
        return ""


def _last(mentions: list[Mention], at: int, sentence: int, gender: str) -> Mention | None:
    """The last of ``mentions`` before token ``at`` that fits, or None.

    It must be one that may be referred to from ``sentence``, by a verb of ``gender``.
    """
    for mention in reversed(mentions):
        if mention.at < at and _compatible(mention.gender, gender):
            if mention.sentence is None or mention.sentence == sentence:
                return mention
    return None


def _opening_verb(doc: Document, start: int) -> int | None:
    """The word that opens the sentence at ``start``, when it may be a verb.

    An attribution verb, or a name word or function word (كانت) that no noun class,
    article or preposition marks as something else; after a word that opens a clause
    (حيث رحبت تركيا …), the word after it.
    """
    if start >= len(doc) or doc.inside[start] or not doc.f[start] & CONTENT:
        return None
    if doc.f[start] & CLAUSE_LINK and doc.s[start] == doc.s[min(start + 1, len(doc) - 1)]:
        start += 1
    if doc.f[start] & (SPEECH_VERB | ISSUE):
        return start
    not_verb = DEFINITE | PREP_CLITIC | PREPOSITION | TITLE | BODY | DOCUMENT | CLAUSE_LINK
    if doc.f[start] & not_verb or not doc.f[start] & (NAME_WORD | STOPWORD):
        return None
    return start


def _gender(doc: Document, verb: int) -> str:
    """The gender of a verb, ``m`` or ``f`` ("" when plural).

    From its form when it is an attribution verb, else guessed from its letters: a
    past ending in ت or a present starting with ت is feminine.
    """
    if doc.f[verb] & (SPEECH_VERB | ISSUE):
        return doc.gender(verb)
    word = doc.normalized(verb)
    word = word[1:] if word[:1] in ("و", "ف") and len(word) > 3 else word
    return "f" if word.endswith("ت") or (word.startswith("ت") and len(word) > 3) else "m"


def _is_nisba(word: str) -> bool:
    """Whether a definite word, maybe after و/ف, is shaped as a nisba (التركي، والتركي)."""
    word = word[1:] if word[:1] in ("و", "ف") else word
    return word.startswith("ال") and word.endswith(NISBA_ENDINGS) and len(word) > 4


def _compatible(a: str, b: str) -> bool:
    return not a or not b or a == b


def _find(name: tuple[str, ...], words: tuple[str, ...]) -> int:
    """Where ``words`` occur as consecutive words of ``name`` (-1 if not)."""
    for k in range(len(name) - len(words) + 1):
        if name[k : k + len(words)] == words:
            return k
    return -1


def _complement_key(doc: Document, title: int) -> str:
    """The key of the genitive after an indefinite title (رئيس البلدية → بلدية), or "".

    A definite title (الرئيس الأمريكي) is followed by adjectives, not a genitive.
    """
    j = title + 1
    if doc.f[title] & DEFINITE or j >= len(doc) or not doc.f[j] & (NAME_WORD | TITLE | BODY):
        return ""
    if doc.f[j] & (ADJECTIVE | PREP_CLITIC | CONJUNCTION | PLACE):
        return ""
    return _title_key(doc.word(j))


def _title_key(word: WordType) -> str:
    """A title word without article and clitics (المبعوث، مبعوث → مبعوث)."""
    return word.bare[2:] if word.bare.startswith("ال") and len(word.bare) > 4 else word.bare
