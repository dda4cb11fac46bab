"""The subject of an attribution verb: the phrase after it that names who speaks.

Arabic news reports verb first (وقال الرئيس …، وصفت الوزارة …), so the rules read
the subject in the tokens right after the verb, through the flags of
:mod:`analysis.text.wordtype` (the word classes of ``lexicons/attribution_words.csv``):

* **a title or an institution** (classes ``title``, ``body``, ``document``) with its
  complement: a genitive chain of indefinite words, which a definite word or a
  country ends (رئيس نادي الزمالك، مبعوث روسيا), adjectives (listed ones, and the
  nisba in -ي/-ية: الروسي، الدائم) and prepositional phrases (لمجلس سوريا
  الديمقراطية، في الأمم المتحدة); after a title, the person's name, directly
  (المتحدثة ماريا زاخاروفا), between commas (مبعوثة الولايات المتحدة، نيكي هايلي،) or
  after وهو (مخرج الفيلم وهو اللبناني الفرنسي زياد دويري), where definite words
  before it describe the person (، السير كيم داروش،) and a hashtag is a name
  (، #نيكي_هيلي،), and punctuation, a function word or a verb closes it; after an
  indefinite institution, its quoted name (وقالت مجموعة «…»);
* **a name**: a hashtag, also after a noun that introduces a name (#نيكي_هيلي،
  منصة #فيسبوك), or up to ``MAX_NAME_WORDS`` name words. It
  stops at a stop word, a preposition (also one attached, when the evidence is
  strong: لورا مولدنغ لبرنامج), a conjunction, a verb, a circumstantial participle
  (منصور متوجها) and punctuation.
  A name link (عبد، أبو، بن) takes the next word along (عبد الفتاح), and a word with
  the article is the family name after one given name when the name ends there
  (بشار الجعفري، الأسد إن), or a nisba after two (حسين حسان الغمري);
* **a definite noun phrase** with its adjectives (الرابطة، الاتحاد القاري); a common
  nisba before a name only describes the person (الجزائرية أسماء بنت قادة), and so
  does a noun with its nisbas before a rare name (الاقتصادي الأردني زيان زوانة); a
  definite word before a rare word starts a name (الصادق بوقطاية), and a rare one
  alone is a family name (البرادعي، also in -ي);
* **an anaphor** (المصدر ذاته، المصدر): it refers back;
* **a short quotation** followed by more of the clause: a name (كشفت «فيسبوك» عن …);
* **the document after في** of a verb such as جاء (وجاء في البيان);
* **nothing**: a preposition, a complementizer, a colon or a long quotation follows
  the verb (وقالت: «…»، قال فيها), and the subject is the pronoun in the verb.

Up to ``MAX_TIME_WORDS`` words of time or adverbs (class ``time``: آنذاك، أمس،
يوم الخميس الماضي) between the verb and its subject are passed over.

After a verb of evaluation, a common noun phrase right before بـ, بأن or the
quotation is its object (ووصف الخبر بأنه «رائع»), and the subject is the pronoun.
A preposition with a pronoun between the verb and its subject is skipped (ويقول عنه
المدرسون …; after ما: ما أفاد به رئيس دائرة الغابات …), except after a verb of
evaluation before a common definite noun, its object (يتهم فيها الحلفاء «…»; but
أثنى عليه جيمي ويلز). A noun of speech
(إعلان، عبارته) takes a definite genitive as its subject, else none. After a verb
with an object pronoun, an indefinite accusative noun is the object's predicate,
not the subject (اعتبرتها ردا «…»).
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np

from analysis.text.data import LanguageData
from analysis.text.verbs import recognize
from analysis.text.wordtype import (
    ADJECTIVE,
    ANAPHOR,
    APPEAR,
    ARTICLE,
    BODY,
    CIRCUMSTANTIAL,
    COMMA,
    COMPLEMENTIZER,
    CONJUNCTION,
    CONTENT,
    DEFINITE,
    DOCUMENT,
    EVALUATIVE,
    FEMININE,
    MASCULINE,
    NAME_LINK,
    NAME_NOUN,
    NAME_WORD,
    NEEDS_NEXT,
    NISBA,
    PLACE,
    PREP_CLITIC,
    PREPOSITION,
    PRONOUN_PHRASE,
    QUOTE,
    SPEECH_NOUN,
    SPEECH_VERB,
    STOPWORD,
    TIME,
    TITLE,
    WordType,
)

MAX_NAME_WORDS = 4
ADVERB_FREQUENCY = 1e-5  # (wordfreq) a quoted بشدة and its rest شدة are this frequent: an adverb
MAX_TIME_WORDS = 3  # words of time skipped between a verb and its subject (يوم الخميس الماضي)
SUBJECT_QUOTE_WORDS = 4  # a quotation this long or longer is words, not a name
REQUIRED_WITHIN = 12  # tokens after an ambiguous form's subject in which its required word comes
COMMON_NOUN = 5e-5  # a word this frequent (wordfreq) before a bare past form is a noun it governs
RARE = 2e-5  # a word rarer than this (wordfreq frequency) after a definite word starts a name
PLURAL_ENDING = "ات"  # a definite word ending so is a plural noun, not a family name
RELATIVE_MA = ("ما", "لما", "مما")
APPOSITION_PRONOUNS = ("وهو", "وهي")
COMPLEMENTIZER_WORD = "ان"  # أن/إن normalized
_MARKS = "\u0640" + "".join(chr(c) for c in range(0x064B, 0x0660))  # tatweel and diacritics


@dataclass
class Document:
    """The tokens of one document, as the quotation rules read them.

    ``flags``, ``sentence`` (numbered from 0), ``paragraph`` and ``ids`` (word type
    numbers) are per token (the flags of :mod:`analysis.text.wordtype`); ``word(i)``
    is token ``i``'s word type; ``data`` the language data the flags were made from;
    ``inside`` marks the tokens inside a quotation
    (:func:`analysis.text.quotes.annotate` sets it before the rules read the document).
    """

    flags: np.ndarray
    sentence: np.ndarray
    paragraph: np.ndarray
    ids: np.ndarray
    word: Callable[[int], WordType]
    data: LanguageData
    inside: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=bool))

    def __post_init__(self) -> None:
        self.f: list[int] = self.flags.tolist()
        self.s: list[int] = self.sentence.tolist()
        self.p: list[int] = self.paragraph.tolist()
        if len(self.inside) != len(self.f):
            self.inside = np.zeros(len(self.f), dtype=bool)
        count = self.s[-1] + 2 if self.s else 1
        self._starts: list[int] = np.searchsorted(self.sentence, np.arange(count)).tolist()

    def __len__(self) -> int:
        return len(self.f)

    def has(self, i: int, flag: int) -> bool:
        """Whether token ``i`` exists and has ``flag``."""
        return 0 <= i < len(self.f) and bool(self.f[i] & flag)

    def normalized(self, i: int) -> str:
        """Token ``i`` normalized."""
        return self.word(i).normalized

    def sentence_start(self, i: int) -> int:
        """The first token of token ``i``'s sentence."""
        return self._starts[self.s[i]]

    def sentence_end(self, i: int) -> int:
        """One past the last token of token ``i``'s sentence."""
        return self._starts[self.s[i] + 1]

    def sentence_starts(self) -> list[int]:
        """The first token of every sentence."""
        return sorted(set(self._starts[:-1]) - {len(self.f)})

    def repeated(self, i: int) -> bool:
        """Whether token ``i``'s written form occurs elsewhere in the document."""
        return int(np.count_nonzero(self.ids == self.ids[i])) > 1

    def words_between(self, a: int, b: int) -> int:
        """Content tokens (words, numbers) among tokens ``a`` … ``b - 1``."""
        f = self.f
        return sum(1 for k in range(a, b) if f[k] & CONTENT)

    @cached_property
    def verbs(self) -> list[int]:
        """The attribution verbs outside quotations, in order.

        A form after a preposition is a noun (في ردّه على …). A form that is also
        another word (بين، عبر، طالب، نقل) is the verb only when one of its required
        words (أن، عن، بـ) follows in its sentence, within ``REQUIRED_WITHIN`` tokens
        of the subject after it, not after a quotation (its first words may be:
        وطالبت «بالإفراج …»).
        """
        found = np.flatnonzero((self.flags & SPEECH_VERB) != 0).tolist()
        return [i for i in found if not self.inside[i] and self._is_verb_here(i)]

    @cached_property
    def _verb_set(self) -> frozenset[int]:
        return frozenset(self.verbs)

    def is_verb(self, i: int) -> bool:
        """Whether token ``i`` is one of :attr:`verbs`."""
        return i in self._verb_set

    def verb_before(self, i: int, start: int) -> int | None:
        """The last attribution verb before token ``i``, if it is not before ``start``."""
        k = bisect_left(self.verbs, i) - 1
        return self.verbs[k] if k >= 0 and self.verbs[k] >= start else None

    def _is_verb_here(self, i: int) -> bool:
        if i > 0 and self.f[i - 1] & PREPOSITION and not self.f[i - 1] & PRONOUN_PHRASE:
            return False  # في ردّه على …: after a preposition, a noun
        if self.f[i] & APPEAR:
            return self.has(i + 2, DOCUMENT) and self.normalized(i + 1) == "في"
        if not self.f[i] & NEEDS_NEXT:
            return True
        found = recognize(self.normalized(i), self.data.speech_verbs)
        if found is None or self._construct(i, found[0] == found[1].lemma):
            return False
        required = found[1].requires.split()
        after = max(i + 1, subject_after(self, i).end)
        end = min(self.sentence_end(i), after + REQUIRED_WITHIN)
        for k in range(i + 1, end):
            if self.f[k] & QUOTE and self.inside[k - 1]:
                return False  # العلاقات بين بريطانيا والولايات المتحدة «…»، وعلينا أن
            if any(_is_word(self.word(k), word) for word in required):
                return True
        return False

    def _construct(self, i: int, bare_past: bool) -> bool:
        """Whether the verb form at ``i`` is a verbal noun after a noun (مشروع نقل السفارة).

        The bare past has the shape of the verbal noun; after a common indefinite
        noun (as frequent as ``COMMON_NOUN``) it is that noun's genitive.
        """
        if not bare_past or self.f[i] & CONJUNCTION or i == 0:
            return False
        before = self.f[i - 1]
        if not before & NAME_WORD or before & (DEFINITE | PLACE):
            return False
        return self.data.frequencies.get(self.normalized(i - 1), 0.0) >= COMMON_NOUN

    def gender(self, i: int) -> str:
        """``m`` or ``f`` for a verb form or a title of that gender, else ""."""
        if self.f[i] & FEMININE:
            return "f"
        if self.f[i] & MASCULINE:
            return "m"
        if self.f[i] & TITLE:
            return "f" if self.normalized(i).endswith("ة") else "m"
        return ""

    def text(self, a: int, b: int) -> str:
        """Tokens ``a`` … ``b - 1`` as written, joined by spaces.

        A conjunction or preposition attached to the first word is left out (the
        form of a speaker in the guidelines).
        """
        words = [self.word(k).surface for k in range(a, b)]
        if words and self.f[a] & (CONJUNCTION | PREP_CLITIC) and not self.f[a] & ARTICLE:
            words[0] = _without_proclitics(self.word(a))
        return " ".join(words)


def _is_word(word: WordType, required: str) -> bool:
    """Whether ``word`` is the required word.

    The word itself, أن/إن with a pronoun or preposition (أنه، بأن), or a word with
    the required preposition attached (بالإفراج).
    """
    if word.normalized == required:
        return True
    if required == COMPLEMENTIZER_WORD:
        return bool(word.flags & COMPLEMENTIZER)
    return len(required) == 1 and required in word.proclitics.split("+")


def _without_proclitics(word: WordType) -> str:
    """The written word without its conjunction and preposition (والرئيس → الرئيس).

    Not without ك: a speaker is never "like" someone, and a name may begin with
    the letter (كاميل).
    """
    letters = sum(len(p) for p in word.proclitics.split("+") if p in ("و", "ف", "ب", "ل"))
    count = 0
    for k, char in enumerate(word.surface):
        if count == letters:
            return word.surface[k:].lstrip(_MARKS)
        if char.isalpha():
            count += 1
    return word.surface


@dataclass
class Subject:
    """The subject phrase after an attribution verb (token spans, end exclusive).

    ``end`` is where the phrase ends (right after the verb when there is none);
    ``name`` a person's name; ``head`` the noun phrase before the name or instead of
    it, and ``title`` the position of its title word; ``quote`` the inside of a
    quotation that names the subject; ``anaphoric`` whether it refers back.
    """

    end: int
    name: tuple[int, int] | None = None
    head: tuple[int, int] | None = None
    title: int | None = None
    quote: tuple[int, int] | None = None
    anaphoric: bool = False

    @property
    def explicit(self) -> bool:
        """Whether the text names the subject here (not a pronoun, not an anaphor)."""
        return not self.anaphoric and (self.name or self.head or self.quote) is not None


def subject_after(doc: Document, verb: int) -> Subject:
    """The subject of the attribution verb (or noun of speech) at ``verb``."""
    limit = doc.sentence_end(verb)
    i = verb + 1
    while i < min(limit, verb + 1 + MAX_TIME_WORDS) and doc.f[i] & TIME:
        i += 1  # وأشارت آنذاك إلى …، ووصف أمس الرئيس …: the subject comes after
    if i > verb + 1 and not (i < limit and _starts_subject(doc, i)):
        return Subject(end=i)  # أعلنت مؤخرا إطلاق …: no subject after the time words
    if doc.f[verb] & APPEAR:
        return titled(doc, i + 1, limit)  # وجاء في البيان: the document
    if doc.f[verb] & SPEECH_NOUN and not doc.has(i, DEFINITE | TITLE | BODY):
        return Subject(end=i)  # تعبير استنكاري، عبارته: no genitive agent
    if doc.word(verb).enclitic and _predicate(doc, i):
        return Subject(end=i)  # اعتبرتها ردا «…»: the object's predicate, not a name
    relative = verb > 0 and doc.normalized(verb - 1) in RELATIVE_MA
    if relative and doc.has(i, QUOTE):
        return _quoted_subject(doc, i, limit, at_end=True)  # بحسب ما نقلته «رويترز»
    if doc.has(i, PRONOUN_PHRASE) and i + 1 < limit and _starts_subject(doc, i + 1):
        if relative or not doc.f[verb] & EVALUATIVE or _names_agent(doc, i + 1):
            i += 1  # ما أفاد به رئيس …، ويقول عنه المدرسون …، أثنى عليه جيمي ويلز
    subject = subject_at(doc, i, limit)
    if doc.f[verb] & EVALUATIVE and _evaluated(doc, subject, limit):
        return Subject(end=i)  # ووصف الخبر بأنه «رائع»: the object; the pronoun speaks
    return subject


def _evaluated(doc: Document, subject: Subject, limit: int) -> bool:
    """Whether a noun phrase after a verb of evaluation is its object, not its subject.

    A common noun phrase (no name, title or institution) right before what the
    evaluation says: بـ, بأن or a quotation.
    """
    if subject.head is None or subject.name or subject.quote or subject.end >= limit:
        return False
    if doc.f[subject.head[0]] & (TITLE | BODY | DOCUMENT):
        return False
    after = doc.word(subject.end)
    return bool(doc.f[subject.end] & QUOTE) or after.proclitics.startswith("ب")


def _predicate(doc: Document, i: int) -> bool:
    """Whether token ``i`` is an indefinite accusative noun (ردا).

    It ends in ا after a frequent word, and is no country.
    """
    if i >= len(doc) or not doc.f[i] & NAME_WORD or doc.f[i] & (ARTICLE | PLACE):
        return False
    word = doc.normalized(i)
    return word.endswith("ا") and doc.data.frequencies.get(word[:-1], 0.0) >= RARE


def _names_agent(doc: Document, i: int) -> bool:
    """Whether token ``i`` starts a title, an institution or a name (not a definite noun)."""
    return bool(doc.f[i] & (TITLE | BODY)) or not doc.f[i] & ARTICLE


def _starts_subject(doc: Document, i: int) -> bool:
    return bool(doc.f[i] & (NAME_WORD | TITLE | BODY)) and not doc.f[i] & PREP_CLITIC


def subject_at(doc: Document, i: int, limit: int, attached: bool = False) -> Subject:
    """The subject phrase that starts at token ``i`` (before ``limit``), if one does.

    With ``attached``, its first word may carry a preposition (وفقا لبيان اللجنة).
    """
    if i < limit and doc.f[i] & QUOTE:
        return _quoted_subject(doc, i, limit)
    named = i < limit and doc.f[i] & (NAME_NOUN | BODY) and not doc.f[i] & DEFINITE
    tagged = hashtag(doc, i + 1 if named else i, limit)  # منصة #فيسبوك: the name it introduces
    if tagged is not None:
        return Subject(end=tagged[1], name=tagged)
    if i >= limit or not doc.f[i] & CONTENT:
        return Subject(end=i)
    if doc.f[i] & CONJUNCTION or (doc.f[i] & PREP_CLITIC and not attached):
        return Subject(end=i)
    if doc.f[i] & (TITLE | BODY | DOCUMENT):
        return titled(doc, i, limit)
    if doc.f[i] & ANAPHOR:
        end = i + 1 + int(doc.has(i + 1, ANAPHOR))
        return Subject(end=end, head=(i, i + 1), anaphoric=True)
    if not doc.f[i] & NAME_WORD:
        return Subject(end=i)
    if doc.f[i] & ARTICLE:
        return _definite(doc, i, limit)
    name = name_run(doc, i, limit)
    anaphoric = doc.has(name[1], ANAPHOR)
    return Subject(end=name[1] + int(anaphoric), name=name, anaphoric=anaphoric)


def _quoted_subject(doc: Document, opening: int, limit: int, at_end: bool = False) -> Subject:
    """The subject a short quotation names, or none.

    The quotation must be followed by more of the clause, or end it when ``at_end``.
    """
    close = _closing(doc, opening, limit)
    if close is None or doc.words_between(opening + 1, close) >= SUBJECT_QUOTE_WORDS:
        return Subject(end=opening)
    if _adverb(doc, opening + 1):
        return Subject(end=opening)  # ونفت الوزارة «بشدة» …: how, not who
    if at_end or (close + 1 < limit and doc.f[close + 1] & CONTENT):
        return Subject(end=close + 1, quote=(opening + 1, close))
    return Subject(end=opening)


def _adverb(doc: Document, i: int) -> bool:
    """Whether token ``i`` is a common word made of a preposition and a common word (بشدة).

    Such a word in quotation marks qualifies the verb; it names no subject.
    """
    word, frequency = doc.normalized(i), doc.data.frequencies.get
    if word[:1] not in ("ب", "ل", "ك") or doc.f[i] & PLACE:
        return False
    return min(frequency(word, 0.0), frequency(word[1:], 0.0)) >= ADVERB_FREQUENCY


def titled(doc: Document, i: int, limit: int) -> Subject:
    """The subject phrase of a title, institution or document at ``i`` (module docstring)."""
    end, core_end = title_phrase(doc, i, limit)
    title = i if doc.f[i] & TITLE else None
    subject = Subject(end=end, head=(i, core_end), title=title)
    if doc.has(end, QUOTE) and doc.f[i] & BODY and not doc.f[i] & DEFINITE:
        close = _closing(doc, end, limit)
        if close is not None and not _adverb(doc, end + 1):
            subject.quote, subject.end = (end + 1, close), close + 1
        return subject
    if title is None:
        return subject
    if end < limit and doc.normalized(end) in APPOSITION_PRONOUNS:
        end, _ = title_phrase(doc, end, limit)
    name = _apposition(doc, end, limit)
    if name is not None:
        subject.name, subject.end = name, name[1] + int(doc.has(name[1], COMMA))
    elif end < limit and doc.f[end] & NAME_WORD and not doc.f[end] & ARTICLE:
        subject.name = name_run(doc, end, limit)
        subject.end = subject.name[1]
    subject.anaphoric = subject.name is None and doc.has(subject.end, ANAPHOR)
    return subject


def title_phrase(doc: Document, i: int, limit: int) -> tuple[int, int]:
    """Where the title (or institution) phrase that starts at ``i`` ends.

    Also where it ends before its first prepositional phrase.
    """
    f = doc.f
    open_chain = not f[i] & (DEFINITE | PLACE)  # an indefinite head takes a genitive
    core_end = None
    j = i + 1
    while j < limit:
        word = f[j]
        if _coordinated(doc, j):
            j += 1  # مركز الأحواز للإعلام والدراسات الاستراتيجية: one name, two genitives
            continue
        if not word & CONTENT or word & (CONJUNCTION | COMPLEMENTIZER | SPEECH_VERB):
            break
        if word & STOPWORD and not word & PREPOSITION:
            break
        if open_chain:
            if word & (PREPOSITION | PREP_CLITIC) and not word & DEFINITE:
                break
            open_chain = not word & (DEFINITE | PLACE) and not _proper_noun(doc, j)
        elif word & (ADJECTIVE | NISBA):
            pass
        elif word & TITLE and not word & PREP_CLITIC:
            open_chain = not word & DEFINITE  # ولي العهد السعودي الأمير …
        elif word & PREPOSITION and j + 1 < limit and f[j + 1] & CONTENT:
            core_end = core_end or j
            open_chain = True
        elif word & PREP_CLITIC or _weak_preposition(doc, j):
            core_end = core_end or j  # وزيرة الدولة لشؤون الإعلام
            open_chain = not word & DEFINITE
        else:
            break
        j += 1
    return j, core_end or j


def _proper_noun(doc: Document, j: int) -> bool:
    """Whether token ``j`` is read as a proper noun: a name word rarer than ``RARE``.

    A proper noun is definite, so it takes no genitive: in … للعمل في كاتالونيا
    كاميل روس the name after it is not part of the title phrase.
    """
    word = doc.word(j)
    return bool(doc.f[j] & NAME_WORD) and doc.data.frequencies.get(word.normalized, 0.0) < RARE


def _coordinated(doc: Document, j: int) -> bool:
    """Whether token ``j`` joins a second definite genitive to the one before it.

    A definite word with و attached, right after a definite word: وزارة الخارجية
    والتعاون، مركز … للإعلام والدراسات. A title or an institution after و is a
    second subject, not part of the first one's name.
    """
    f = doc.f
    joined = f[j] & CONJUNCTION and doc.word(j).proclitics == "و+ال"
    return bool(joined and f[j - 1] & DEFINITE and not f[j] & (TITLE | BODY | SPEECH_VERB))


def _weak_preposition(doc: Document, j: int) -> bool:
    """Whether token ``j`` opens a prepositional phrase on weak evidence (لشؤون الإعلام).

    The clitic analysis finds ب/ل/ك on it, and a definite genitive follows (not a
    name: الوزيرة ليلى حسن).
    """
    attached = not {"ب", "ل", "ك"}.isdisjoint(doc.word(j).proclitics.split("+"))
    return attached and doc.has(j + 1, DEFINITE)


def _apposition(doc: Document, comma: int, limit: int) -> tuple[int, int] | None:
    """A name between commas after a title (…، نيكي هايلي،), or None.

    Definite words before it describe the person (…، السير كيم داروش،); a hashtag
    is a name (…، #نيكي_هيلي،). The apposition closes: punctuation, a function
    word or a verb follows the name.
    """
    if not doc.has(comma, COMMA):
        return None
    start = comma + 1
    while start < min(limit, comma + 3) and doc.f[start] & (ARTICLE | TITLE):
        if doc.f[start] & (PREP_CLITIC | CONJUNCTION):
            return None
        start += 1
    name = hashtag(doc, start, limit)
    if name is None:
        if start >= limit or not doc.f[start] & NAME_WORD:
            return None
        if doc.f[start] & (ARTICLE | PREP_CLITIC | CONJUNCTION):
            return None
        name = name_run(doc, start, limit)
    return name if _closes_apposition(doc, name[1], limit) else None


def _closes_apposition(doc: Document, j: int, limit: int) -> bool:
    """Whether token ``j`` may follow a name in apposition (، إنه، في، قال …)."""
    closing = PREPOSITION | PREP_CLITIC | STOPWORD | COMPLEMENTIZER | CONJUNCTION | SPEECH_VERB
    return j >= limit or not doc.f[j] & CONTENT or bool(doc.f[j] & closing)


def hashtag(doc: Document, i: int, limit: int) -> tuple[int, int] | None:
    """The span of the word a ``#`` at token ``i`` tags (#نيكي_هيلي), or None."""
    if i + 1 >= limit or doc.f[i] & CONTENT or doc.word(i).surface != "#":
        return None
    return (i + 1, i + 2) if doc.f[i + 1] & CONTENT else None


def _definite(doc: Document, i: int, limit: int) -> Subject:
    """A definite noun phrase, or a name after (or starting with) a definite word."""
    j = i + 1
    while j < limit and doc.f[j] & (NISBA | ADJECTIVE) and not doc.f[j] & CONJUNCTION:
        j += 1
    if j < limit and doc.f[j] & NAME_WORD and not doc.f[j] & (ARTICLE | PREP_CLITIC | CONJUNCTION):
        rare = doc.data.frequencies.get(doc.normalized(j), 0.0) < RARE
        if (j == i + 1 and _describes(doc, i)) or (j > i + 1 and rare):
            name = name_run(doc, j, limit)  # الجزائرية أسماء; الاقتصادي الأردني زيان زوانة
            return Subject(end=name[1], name=name)
        if j == i + 1 and rare:  # الصادق بوقطاية
            end = name_run(doc, j, limit)[1]
            return Subject(end=end, name=(i, min(end, i + MAX_NAME_WORDS)))
    if j == i + 1 and doc.data.frequencies.get(doc.normalized(i), 0.0) < RARE:
        return Subject(end=j, name=(i, j))  # البرادعي: a rare definite word is a family name
    anaphoric = doc.has(j, ANAPHOR)
    return Subject(end=j + int(anaphoric), head=(i, j), anaphoric=anaphoric)


def _describes(doc: Document, i: int) -> bool:
    """Whether the definite word at ``i`` is a common nisba (الجزائرية), not a family name.

    A family name in -ي (البرادعي) is rarer than ``RARE``.
    """
    return bool(doc.f[i] & NISBA) and doc.data.frequencies.get(doc.normalized(i), 0.0) >= RARE


def name_run(doc: Document, i: int, limit: int) -> tuple[int, int]:
    """The span of the name that starts at token ``i`` (module docstring)."""
    f = doc.f
    j = i
    given = 0  # given names so far (a link and the word it takes count as one)
    while j < limit and j - i < MAX_NAME_WORDS:
        word = f[j]
        stop = PREP_CLITIC | CONJUNCTION | CIRCUMSTANTIAL | PLACE  # ناصر بوريطة إيران
        if not word & NAME_WORD or (j > i and word & stop):
            break
        linked = j > i and bool(f[j - 1] & NAME_LINK)
        if word & ARTICLE and not word & NAME_LINK and not linked:
            # a family name after one given name (عمر الرزاز), or a nisba after two
            # (حسين حسان الغمري; not the object in زياد دويري الترشيح)
            after = given == 1 or (given == 2 and word & NISBA)
            family = after and not word & PLACE and name_may_end(doc, j + 1, limit)
            if j == i or not family or doc.normalized(j).endswith(PLURAL_ENDING):
                break
        elif not linked:
            given += 1
        j += 1
    return i, j


def name_may_end(doc: Document, j: int, limit: int) -> bool:
    """Whether a name may end before token ``j``.

    It may where the sentence ends, or where a word comes that is no name word or
    has a preposition or conjunction attached.
    """
    return j >= limit or not doc.f[j] & NAME_WORD or bool(doc.f[j] & (PREP_CLITIC | CONJUNCTION))


def _closing(doc: Document, opening: int, limit: int) -> int | None:
    """The closing mark of a short quotation that opens at ``opening``."""
    for k in range(opening + 1, min(limit, opening + 2 * SUBJECT_QUOTE_WORDS + 4)):
        if doc.f[k] & QUOTE:
            return k
    return None
