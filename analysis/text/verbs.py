"""The attribution verbs: their third-person forms, and how a written word is recognised as one.

``lexicons/speech_verbs.csv`` gives each verb by three forms a scholar knows
(the 3rd person masculine singular of the past and the present, and the
masculine accusative active participle used as a circumstantial: قال، يقول،
قائلا), its class and, for a written form that is also a common other word, what
must follow it. The news register reports in the third person, so
:func:`conjugate` makes the third-person forms from them:

* past ``P``: P, Pت (she), Pوا (they); a past ending in ا/ى (دعا، نفى) drops it
  before ت/وا: دعت، دعوا. The dual Pا is left out: it is written like the
  accusative of a noun (ردا "a reply", ذكرا);
* present ``يS``: يS, تS (she), يSون (they), يSان and تSان (the two); a present
  ending in و/ي/ى (يدعو، ينفي، يرى) drops it before ون: يدعون;
* participle ``Aا``: Aا (he), Aة (she), Aين (they); a stem ending in ي drops it
  before ين: داعين.

Forms in the ``exclude`` column are not made (مضيفة is a hostess, لافتة a banner).

:func:`with_clitics` writes each form as the text may: after a conjunction و/ف
and with an object pronoun (وصفتها → وصفت, اتهمه → اتهم); :func:`recognize` finds
the form behind a written word.
"""

from __future__ import annotations

from dataclasses import dataclass

from analysis.text.normalize import normalize_word

CLASSES = ("say", "evaluate", "relay", "issue", "appear")
"""``say``: introduces words (قال، أضاف); ``evaluate``: attributes an evaluation or a
demand, whose quoted fragment is the subject's words (وصف، اتهم، طالب); ``relay``:
passes on someone else's words (نقل X عن Y); ``issue``: makes a document whose
author is its subject (أصدر بيانا); ``appear``: the words stand in the document
named after في, right after the verb (وجاء في البيان)."""

OBJECT_PRONOUNS = ("هما", "هم", "هن", "ها", "كم", "ه", "ني", "نا")


@dataclass(frozen=True)
class VerbForm:
    """One written form of an attribution verb.

    ``gender`` is ``m`` or ``f`` for a singular form, "" for a plural or dual one;
    ``requires`` holds the words (normalized, separated by spaces), one of which must
    follow the form in its clause for it to be the verb ("" when it is unambiguous).
    """

    lemma: str
    verb_class: str
    participle: bool
    gender: str
    requires: str


def conjugate(
    past: str, present: str, participle: str, verb_class: str, requires: str = "", exclude=()
) -> dict[str, VerbForm]:
    """The third-person forms (normalized) of one verb (module docstring)."""
    lemma = normalize_word(past or present or participle)
    requires = " ".join(normalize_word(word) for word in requires.split())
    out: dict[str, VerbForm] = {}

    def add(form: str, gender: str, is_participle: bool = False) -> None:
        form = normalize_word(form)
        if form and form not in excluded:
            out.setdefault(form, VerbForm(lemma, verb_class, is_participle, gender, requires))

    excluded = {normalize_word(w) for w in exclude}
    if past:
        stem = past[:-1] if past[-1] in "اى" else past
        add(past, "m")
        add(stem + "ت", "f")
        add(stem + "وا", "")
    if present:
        she = "ت" + present[1:]
        add(present, "m")
        add(she, "f")
        add((present[:-1] if present[-1] in "ويى" else present) + "ون", "")
        add(present + "ان", "")
        add(she + "ان", "")
    if participle:
        base = participle[:-1] if participle.endswith("ا") else participle
        add(participle, "m", True)
        add(base + "ة", "f", True)
        add((base[:-1] if base.endswith("ي") else base) + "ين", "", True)
    return out


def with_clitics(forms: dict[str, VerbForm]) -> dict[str, tuple[str, VerbForm]]:
    """Every written variant of the forms, with the form it is written for.

    A variant maps to the word without its conjunction and to its form: the form
    as it is, with an object pronoun (a form ending in وا loses its ا before it:
    وصفوها), after a conjunction و, or ف before at least three letters (فرد is
    'individual', not ف + رد), and both. An earlier reading wins: the word as it is
    before one with clitics.
    """
    out: dict[str, tuple[str, VerbForm]] = {}
    with_pronoun: dict[str, VerbForm] = {}
    for form, verb in forms.items():
        out.setdefault(form, (form, verb))
        stems = (form, form[:-1]) if form.endswith("وا") else (form,)
        for stem in stems:
            for pronoun in OBJECT_PRONOUNS:
                with_pronoun.setdefault(stem + pronoun, verb)
    for word, verb in with_pronoun.items():
        out.setdefault(word, (word, verb))
    for word, (_, verb) in list(out.items()):
        out.setdefault("و" + word, (word, verb))
        if len(word) >= 3:
            out.setdefault("ف" + word, (word, verb))
    return out


def recognize(
    normalized: str, written: dict[str, tuple[str, VerbForm]]
) -> tuple[str, VerbForm] | None:
    """The verb form behind a normalized word, and the word without its conjunction.

    ``written`` is :func:`with_clitics` of the forms (``LanguageData.speech_verbs``).
    """
    return written.get(normalized)
