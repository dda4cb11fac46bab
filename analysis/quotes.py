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
same sentence or the previous one. A speech span still without a verb is
attributed by a speech verb that follows it: the closing mark, a comma (، or ,),
the verb and a name, in one sentence (''…''، قالت امينتو حيدر → قالت, امينتو
حيدر), unless that verb introduces a later quote (''…''، وقال فلان: ''…''); a
short quote stays a term («الاحتلال»، أكد الرئيس … is more often a quoted word
than a quotation of the president). A later,
shorter mention of a speaker named in full earlier in the document takes the
full name (news style names a person in full once, then by surname:
الصادق بوقطاية … وأوضح بوقطاية → الصادق بوقطاية), so counts by speaker do not
split one person in two.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from analysis.columns import char_positions
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
    return verb_forms([normalized])[0]


def verb_forms(tokens: Sequence[str]) -> list[str | None]:
    """:func:`verb_form` of each (normalized) token, in one pass over a list.

    A speech verb as it is, or after the conjunction و/ف (then without it).
    """
    verbs = speech_verbs()
    return [
        t if t in verbs else t[1:] if t[:1] in ("و", "ف") and t[1:] in verbs else None
        for t in tokens
    ]


def full_names(speakers: list[str]) -> list[str]:
    """Speakers of one document's quotes, short mentions replaced by the full name.

    A speaker whose words (normalized) are the last words of a longer speaker
    name met earlier in the same document becomes that name; the most recent
    such name wins. Empty speakers stay empty.
    """
    out = list(speakers)
    seen: list[tuple[tuple[str, ...], str]] = []
    for k, name in enumerate(speakers):
        if not name:
            continue
        words = _name_words(name)
        for full_words, full in reversed(seen):
            if len(full_words) > len(words) and full_words[-len(words) :] == words:
                out[k] = full
                break
        else:
            seen.append((words, name))
    return out


@lru_cache(maxsize=4096)
def _name_words(name: str) -> tuple[str, ...]:
    """The normalized words of a speaker name (names recur: cached)."""
    return tuple(normalize_word(w) for w in name.split())


@dataclass
class QuoteArrays:
    """The quotes of a batch of documents as parallel arrays (batch token indices).

    Ordered by document, then by opening mark.
    """

    open_token: np.ndarray
    close_token: np.ndarray
    kind: np.ndarray
    verb: np.ndarray
    speaker: np.ndarray

    def __len__(self) -> int:
        return len(self.open_token)


def symmetric_key(marks: Sequence[str]) -> np.ndarray:
    """0 for an apostrophe mark (``''``), 1 for ``"``, -1 for any other mark."""
    return np.array([0 if t[0] == "'" else 1 if t == '"' else -1 for t in marks], dtype=np.int64)


def pair_batch(
    marks: np.ndarray,
    mark_text: Sequence[str],
    text: str,
    nstart: np.ndarray,
    doc: np.ndarray,
    symmetric: np.ndarray | None = None,
    newlines: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Pair the quotation marks of a whole batch (module docstring): ``(opens, closes)``.

    ``marks`` are the token indices of the quotation marks, ``mark_text`` their
    normalized strings (read for directional marks only when ``symmetric``, the
    :func:`symmetric_key` of each mark, is given), ``doc`` every token's document.
    Symmetric marks (``''``, ``"``) pair as (1st, 2nd), (3rd, 4th) … within each run of
    marks of one key that no line break interrupts — the same as the alternating rule
    with a fresh start after a paragraph break, since a mark after a break always opens
    (the batch joins documents with a paragraph break, so runs never cross them).
    Directional marks keep a stack per kind and document. ``newlines``: the
    positions of line breaks in ``text`` when the caller has them already.
    """
    opens: list[np.ndarray] = []
    closes: list[np.ndarray] = []
    if symmetric is None:
        symmetric = symmetric_key([mark_text[k] for k in range(len(marks))])
    keys = symmetric  # 0: '' (apostrophes), 1: ", -1: other marks (read below)
    if newlines is None:
        newlines = char_positions(text, "\n")
    for key in (0, 1):
        p = marks[keys == key]
        if len(p) < 2:
            continue
        at = np.searchsorted(newlines, nstart[p])  # newlines before each mark
        breaks = np.concatenate(([True], at[1:] != at[:-1]))
        run = np.cumsum(breaks) - 1
        run_start = np.flatnonzero(breaks)
        rank = np.arange(len(p)) - run_start[run]
        second = np.flatnonzero(rank % 2 == 1)
        opens.append(p[second - 1])
        closes.append(p[second])
    directional = np.flatnonzero(keys < 0)
    if len(directional):
        o, c = _pair_directional(
            marks[directional], [mark_text[k][0] for k in directional.tolist()], doc
        )
        opens.append(o)
        closes.append(c)
    if not opens:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    o, c = np.concatenate(opens), np.concatenate(closes)
    order = np.argsort(o, kind="stable")
    return o[order].astype(np.int64), c[order].astype(np.int64)


_DIRECTIONAL_KIND = {
    **{opener: (k, 1) for k, opener in enumerate(DIRECTIONAL)},
    **{closer: (k, -1) for k, closer in enumerate(DIRECTIONAL.values())},
}


def _pair_directional(
    tokens: np.ndarray, first: list[str], doc: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Pair directional marks (« », “ ” …): ``(opens, closes)``, in no particular order.

    ``tokens`` are the marks' token indices (increasing), ``first`` each mark's
    first character. The rule is a stack per kind and document: a closer pairs
    with the latest unpaired opener of its kind, and a closer with none is left
    alone. Kinds never interact, so each is paired on its own, with arrays:
    number each mark by the running depth of its kind in its document (an
    opener by the depth it opens, a closer by the depth it closes) and sort by
    (document, depth, position); then an opener pairs with the mark right after
    it when that is a closer at the same depth. At one depth the marks
    alternate opener, closer, except that a closer the stack rule ignores (no
    opener left) comes where the stack is empty, so every opener before it is
    already paired; it lowers the depths after it by one for all of them alike.
    ``tests/test_quote_pairing.py`` compares this with the stack rule on random
    sequences.
    """
    info = [_DIRECTIONAL_KIND.get(f, (-1, 0)) for f in first]
    kind = np.fromiter((k for k, _ in info), dtype=np.int64, count=len(info))
    sign = np.fromiter((v for _, v in info), dtype=np.int64, count=len(info))
    mark_doc = doc[tokens]
    opens: list[np.ndarray] = []
    closes: list[np.ndarray] = []
    for k in range(len(DIRECTIONAL)):
        sel = np.flatnonzero(kind == k)
        if len(sel) < 2:
            continue
        t, v, d = tokens[sel], sign[sel], mark_doc[sel]
        depth = np.cumsum(v)  # after each mark, counted from the batch's first
        new_doc = np.flatnonzero(np.concatenate(([True], d[1:] != d[:-1])))
        before_doc = (depth - v)[new_doc]  # depth before each document's first mark
        depth = depth - np.repeat(before_doc, np.diff(np.append(new_doc, len(d))))
        level = np.where(v > 0, depth, depth + 1)  # an opener's depth, a closer's
        order = np.lexsort((t, level, d))
        ts, vs, ls, ds = t[order], v[order], level[order], d[order]
        pair = (vs[:-1] > 0) & (vs[1:] < 0) & (ls[:-1] == ls[1:]) & (ds[:-1] == ds[1:])
        at = np.flatnonzero(pair)
        opens.append(ts[at])
        closes.append(ts[at + 1])
    if not opens:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    return np.concatenate(opens), np.concatenate(closes)


def speaker_lengths(
    verbs: np.ndarray,
    doc_end: np.ndarray,
    name_word: np.ndarray,
    starts_with_article: np.ndarray,
    name_link: np.ndarray,
) -> np.ndarray:
    """Number of speaker-name tokens right after each verb.

    A name is up to ``MAX_SPEAKER_WORDS`` tokens right after the verb, inside its
    document, each a name word; it stops before a word with the article ال that
    follows a word without it, unless that word is a name link (عبد، أبو، بن …):
    رد الصادق بوقطاية الناشط → الصادق بوقطاية. ``doc_end[k]`` is the end
    (exclusive) of verb ``k``'s document; ``name_word[j]``: token ``j`` may be
    part of a name (a word, not a speaker stopword, not a speech verb);
    ``starts_with_article``/``name_link`` per token.
    """
    n = len(name_word)
    length = np.zeros(len(verbs), dtype=np.int64)
    going = np.ones(len(verbs), dtype=bool)
    for k in range(1, MAX_SPEAKER_WORDS + 1):
        j = verbs + k
        inside = going & (j < np.minimum(doc_end, n))
        jj = np.where(inside, j, 0)
        ok = inside & name_word[jj]
        if k > 1:
            prev = jj - 1
            ok &= ~(starts_with_article[jj] & ~starts_with_article[prev] & ~name_link[prev])
        going = ok
        length += ok
    return length


def annotate_batch(
    opens: np.ndarray,
    closes: np.ndarray,
    sentence: np.ndarray,
    doc: np.ndarray,
    first: np.ndarray,
    last: np.ndarray,
    content: np.ndarray,
    verbs: np.ndarray,
    speaker_length: np.ndarray,
    surface: Sequence[str],
    written_verb: Callable[[np.ndarray], np.ndarray],
    comma: np.ndarray | None = None,
) -> QuoteArrays:
    """Kind, verb and speaker of every quote of a batch, with array arithmetic.

    ``sentence`` holds batch-wide sentence numbers (never decreasing, so a
    sentence belongs to one document); ``content[i]`` marks word, number and Latin
    tokens; ``verbs`` are the speech-verb tokens (sorted) and ``speaker_length``
    the length of the name after each (:func:`speaker_lengths`); ``surface`` (per
    token) is read per quote with a speaker only, and ``written_verb(indices)``
    gives the verbs of tokens ``indices`` as written, without و/ف (an object
    array). ``comma[i]`` marks comma tokens (، or ,), for the attribution after a
    quote (None: that rule is not applied). The rules are the module docstring's;
    :func:`full_names` then runs per document that names two speakers or more.
    """
    m = len(opens)
    kind = np.full(m, "term", dtype=object)
    verb = np.full(m, "", dtype=object)
    speaker = np.full(m, "", dtype=object)
    if m == 0:
        return QuoteArrays(opens, closes, kind, verb, speaker)
    prefix = np.concatenate(([0], np.cumsum(content, dtype=np.int64)))
    inner_words = prefix[closes] - prefix[opens + 1]
    s = sentence[opens]
    v = np.searchsorted(verbs, opens) - 1  # last verb before the opening mark
    has_verb = v >= 0
    vv = np.where(has_verb, v, 0)
    last_verb = verbs[vv] if len(verbs) else np.zeros(m, dtype=np.int64)
    has_verb &= (sentence[last_verb] == s) if len(verbs) else False
    length = speaker_length[vv] if len(verbs) else np.zeros(m, dtype=np.int64)
    between = prefix[opens] - prefix[last_verb + 1]
    after_name = prefix[opens] - prefix[np.minimum(last_verb + 1 + length, opens)]
    direct = has_verb & (between <= VERB_WINDOW) & (after_name == 0)
    speech = direct | (inner_words >= MIN_SPEECH_WORDS)
    kind[speech] = "speech"
    chosen = np.flatnonzero(speech & has_verb)
    k = vv[chosen]  # the chosen verb of each speech quote (index into verbs)
    i = verbs[k] if len(verbs) else np.zeros(0, dtype=np.int64)
    n_words = speaker_length[k] if len(verbs) else np.zeros(0, dtype=np.int64)
    # A verb without a name after it: the nearest earlier verb with one, in the
    # same sentence or the one before, in the same document.
    named = np.flatnonzero(speaker_length > 0)
    w = np.searchsorted(named, k) - 1
    ww = named[np.maximum(w, 0)] if len(named) else np.zeros(len(k), dtype=np.int64)
    j = verbs[ww] if len(verbs) else np.zeros(len(k), dtype=np.int64)
    fallback = (
        (n_words == 0)
        & (w >= 0)
        & (sentence[j] >= s[chosen] - 1)
        & (j >= first[doc[i]] if len(i) else False)
    )
    name_at = np.where(fallback, j, i)
    name_len = np.where(fallback, speaker_length[ww] if len(verbs) else 0, n_words)
    if len(chosen):
        verb[chosen] = written_verb(i)
    speaker_q, speaker_at, speaker_len = (
        chosen[np.flatnonzero(name_len)],
        name_at[name_len > 0],
        name_len[name_len > 0],
    )
    if comma is not None and len(verbs):
        # After the quote (''…''، قالت حيدر): a speech quote still without a verb
        # takes a speech verb two tokens after its closing mark, a comma between,
        # with a name after it, in the closing mark's sentence and document,
        # unless that verb introduces a later quote (''…''، وقال فلان: ''…'').
        # A short quote (a term) stays a term: «الاحتلال»، أكد الرئيس … is
        # more often a quoted word in one clause and a new clause after it.
        introduces = np.zeros(len(verbs), dtype=bool)
        introduces[vv[direct]] = True
        j = closes + 2
        at_verb = np.minimum(np.searchsorted(verbs, j), len(verbs) - 1)
        n_tok = len(sentence)
        jj = np.minimum(j, n_tok - 1)
        after = (
            speech
            & (verb == "")
            & (j < last[doc[opens]])
            & (verbs[at_verb] == j)
            & comma[np.minimum(closes + 1, n_tok - 1)]
            & (speaker_length[at_verb] > 0)
            & ~introduces[at_verb]
            & (sentence[jj] == sentence[closes])
        )
        late = np.flatnonzero(after)
        if len(late):
            verb[late] = written_verb(j[late])
            speaker_q = np.concatenate((speaker_q, late))
            speaker_at = np.concatenate((speaker_at, j[late]))
            speaker_len = np.concatenate((speaker_len, speaker_length[at_verb[late]]))
    for q, at, length in zip(
        speaker_q.tolist(),
        speaker_at.tolist(),
        speaker_len.tolist(),
        strict=True,
    ):
        speaker[q] = " ".join(surface[at + 1 : at + 1 + length])
    # Full names for later short mentions, per document.
    quote_doc = doc[opens]
    with_speaker = np.flatnonzero(speaker != "")
    if len(with_speaker) > 1:
        for group in np.split(with_speaker, np.flatnonzero(np.diff(quote_doc[with_speaker])) + 1):
            if len(group) < 2:
                continue
            speaker[group] = full_names(speaker[group].tolist())
    return QuoteArrays(opens, closes, kind, verb, speaker)
