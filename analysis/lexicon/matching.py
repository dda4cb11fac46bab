"""Find frame (and actor) lexicon terms in analysed text, with the voice of every hit.

How a term matches (for scholars: ``docs/lexicon.md``):

* **Comparison form.** Term and text are normalized alike and compared with teh
  marbuta folded (ة = ه): :func:`analysis.lexicon.schema.match_key`.
* **``bare`` entries** (clitics allowed): a term word matches a word if the
  word's written form or one of its bare forms (from the clitic analysis) is the
  term word. A term word written with the article ال also matches the
  article-less bare form, but only on a definite word (article or pronoun
  enclitic in its preferred analysis): المغرب (Morocco) does not match مغرب.
  In a multi-word term the words after the first may carry only the article,
  not و/ب/ل…: ``الشعب الصحراوي`` does not match ``الشعب والصحراوي``.
* **``exact`` entries**: the word as written (normalized) must be the term word.
* **Multi-word terms** match consecutive words of one sentence, with nothing
  between them (no punctuation, no quotation mark).
* **Sense guards** are checked on every candidate first: a candidate with a guard
  word in its window (words only, within the sentence; or anywhere in the
  sentence for a ``sentence`` guard) — or, for an ``only`` guard, without any of
  its words there — is set aside in the exclusions table, not counted
  (:mod:`analysis.lexicon.guards`).
* **Names that are not frames** (``lexicons/not_frames.csv``) compete like
  terms; a candidate inside such a name (تحرير in منظمة التحرير الفلسطينية) is set
  aside in the exclusions table with the guard ``name: …``.
* **Longest match wins**: longer candidates (in tokens, then letters; then exact
  before bare, then lexicon order) are kept first, and any candidate overlapping
  a kept one is dropped: ``الصحراء الغربية`` is one hit, not also ``الصحراء``.

Voice: a hit inside a quotation of kind ``speech`` is ``quoted`` and carries the
quote's speaker; everything else (narration, indirect speech, scare-quoted
terms) is ``narration``.

What a word type can match depends on the type alone, so it is decided once per
type (:class:`Matcher` keeps the answers); the candidates are then read off the
token sequence.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from analysis.lexicon.schema import Lexicon, match_key
from analysis.text.normalize import HEH, TEH_MARBUTA

if TYPE_CHECKING:  # pandas is imported only where tables are built: workers never need it
    import pandas as pd

ARTICLE = "ال"
_NONE: dict = {}  # what a word type that matches nothing can be
HIT_COLUMNS = [
    "doc_id",
    "sentence",
    "token_start",
    "token_end",
    "start",
    "end",
    "surface",
    "{column}",
    "term",
    "entry_id",
    "gloss",
    "voice",
    "speaker",
    "quote_id",
    "quote_kind",
    "match",
    "form",
    "repaired",
]
EXCLUSION_COLUMNS = ["guard", "guard_word", "guard_index"]


@dataclass(frozen=True)
class MatchResult:
    """Hits and guard exclusions of one lexicon."""

    hits: pd.DataFrame
    exclusions: pd.DataFrame


@dataclass(frozen=True)
class Form:
    """One matchable form of an entry: per word, the comparison keys it accepts."""

    entry: int  # row of lexicon.entries
    keys: tuple[frozenset[str], ...]
    needs_definite: tuple[frozenset[str], ...]  # keys accepted only on a definite word
    exact: bool
    letters: int  # tie-break: the longer written term wins


@dataclass(frozen=True)
class TypeKeys:
    """What matching needs to know about one word type."""

    is_word: bool
    written: str  # the written form's comparison key
    keys: frozenset[str]  # written and bare forms' comparison keys
    definite: bool  # article or pronoun enclitic in the preferred analysis
    only_article: bool  # no proclitic but (maybe) the article


@dataclass
class Tokens:
    """The token sequence matching reads (one entry per token, sorted by document and index)."""

    doc_id: np.ndarray
    sentence: np.ndarray
    index: np.ndarray
    start: np.ndarray
    end: np.ndarray
    type_id: np.ndarray
    quote_id: np.ndarray  # -1 outside quotes
    in_quote: np.ndarray
    repaired: np.ndarray

    @classmethod
    def of(cls, table: pd.DataFrame) -> Tokens:
        """The arrays of a tokens table (``analysis.engine.tables``).

        Each document must be one run of tokens in index order, as the text stage
        writes them; a table that is not (rows shuffled, documents interleaved) is
        sorted by document and index first.
        """
        doc_id = table["doc_id"].astype(object).to_numpy()
        index = table["index"].to_numpy()
        same = doc_id[1:] == doc_id[:-1]
        runs = 1 + int((~same).sum()) if len(doc_id) else 0
        if runs != len(set(doc_id)) or (np.diff(index)[same] <= 0).any():
            table = table.assign(_doc=doc_id).sort_values(["_doc", "index"], kind="stable")
        return cls(
            doc_id=table["doc_id"].astype(object).to_numpy(),
            sentence=table["sentence"].to_numpy(np.int64),
            index=table["index"].to_numpy(np.int64),
            start=table["start"].to_numpy(np.int64),
            end=table["end"].to_numpy(np.int64),
            type_id=table["type_id"].to_numpy(np.int64),
            quote_id=table["quote_id"].fillna(-1).to_numpy(np.int64),
            in_quote=table["in_quote"].to_numpy(bool),
            repaired=table["repaired"].to_numpy(bool),
        )

    def __len__(self) -> int:
        return len(self.type_id)

    def follows(self, p: int) -> bool:
        """Whether token ``p`` comes right after token ``p - 1`` in the same sentence."""
        return (
            p < len(self)
            and self.doc_id[p] == self.doc_id[p - 1]
            and self.sentence[p] == self.sentence[p - 1]
            and self.index[p] == self.index[p - 1] + 1
        )


def type_keys(word_type) -> TypeKeys:
    """The comparison keys of a word type (anything with the types table's columns)."""
    written = match_key(word_type.normalized)
    proclitics = word_type.proclitics.split("+") if word_type.proclitics else []
    return TypeKeys(
        is_word=word_type.kind == "word",
        written=written,
        keys=frozenset({written, *(match_key(b) for b in word_type.bares if b)}),
        definite=ARTICLE in proclitics or bool(word_type.enclitic),
        only_article=proclitics in ([], [ARTICLE]),
    )


class Matcher:
    """A lexicon compiled for matching, with what each word type can match (kept per type).

    ``types`` (given to :meth:`match`) is the vocabulary's list of word types,
    indexed by type id; it may grow between calls.
    """

    def __init__(self, lexicon: Lexicon) -> None:
        self.column = lexicon.column
        self.checksum = lexicon.checksum
        self.forms = compile_forms(lexicon)
        self.names = [" ".join(words) for words in lexicon.names]
        name_forms = [_name_form(k, words) for k, words in enumerate(lexicon.names)]
        self._by_key: dict[str, list[tuple[Form, int]]] = defaultdict(list)
        for form in self.forms + name_forms:
            for position, keys in enumerate(form.keys):
                for key in keys:
                    self._by_key[key].append((form, position))
        # Every key as written with a final ة as well: a written or bare form is tested
        # against this set without folding it first (most types match nothing).
        self._spellings = _with_final_teh_marbuta(self._by_key)
        self._types: Sequence | None = None
        self._can: list[dict[int, tuple[Form, ...]]] = []  # per type: word position -> forms
        self._starts: list[bool] = []  # per type: it can be the first word of some form
        self._keys: dict[int, TypeKeys] = {}  # per type, computed when needed
        self._guards = lexicon.entries["guards"].tolist()
        self._guard_spellings = {
            guard.text: _with_final_teh_marbuta(guard.words) for guards in self._guards
            for guard in guards
        }  # fmt: skip
        self.entries = lexicon.entries[
            [lexicon.column, "term", "entry_id", "gloss", "match"]
        ].to_dict("records")

    def match(self, tokens: Tokens, types: Sequence, quotes) -> MatchResult:
        """Hits and exclusions in ``tokens`` (whose ``type_id`` index ``types``), as tables.

        ``quotes`` is the quotes table of the same text (kind and speaker of each quote).
        """
        hits, exclusions = self.find(tokens, types, quote_index(quotes))
        columns = [c.format(column=self.column) for c in HIT_COLUMNS]
        return MatchResult(_table(hits, columns), _table(exclusions, columns + EXCLUSION_COLUMNS))

    def find(self, tokens: Tokens, types: Sequence, quotes: dict) -> tuple[list, list]:
        """Hits and exclusions as lists of rows (dicts with the columns of the tables).

        ``quotes`` maps ``(doc_id, quote_id)`` to ``(kind, speaker)`` (:func:`quote_index`).
        """
        self._learn(types)
        kept, excluded = [], []
        for p, q, form in self._candidates(tokens):
            fired = self._guard_fired(tokens, p, q, form)
            if fired is None:
                kept.append((p, q, form))
            else:
                excluded.append((p, q, form, fired[0].text, fired[1]))
        chosen = _longest_first(kept)
        names = [(p, q, f) for p, q, f in chosen if f.entry < 0]
        for p, q, form in kept:
            inside = next((n for n in names if n[0] <= p and q <= n[1] and n[2] is not form), None)
            if inside is not None and form.entry >= 0:
                excluded.append((p, q, form, "name: " + self.names[-1 - inside[2].entry], p))
        hits = [self._row(tokens, types, quotes, p, q, f) for p, q, f in chosen if f.entry >= 0]
        exclusions = []
        for p, q, form, guard, r in excluded:
            row = self._row(tokens, types, quotes, p, q, form)
            row.update(
                guard=guard,
                guard_word=types[tokens.type_id[r]].surface,
                guard_index=int(tokens.index[r]),
            )
            exclusions.append(row)
        return hits, exclusions

    def keys(self, type_id: int) -> TypeKeys:
        """The comparison keys of a type seen by :meth:`match`."""
        found = self._keys.get(type_id)
        if found is None:
            found = self._keys[type_id] = type_keys(self._types[type_id])
        return found

    def _learn(self, types: Sequence) -> None:
        """Decide, for each type not seen yet, which word of which form it can be.

        Most types share no comparison key with the lexicon; they are told apart
        with one look-up per key before anything else is computed.
        """
        if types is not self._types:
            self._types, self._can, self._starts, self._keys = types, [], [], {}
        for type_id in range(len(self._can), len(types)):
            word_type = types[type_id]
            can: dict[int, set[Form]] = {}
            if word_type.kind == "word" and self._may_match(word_type):
                keys = self.keys(type_id)
                for key in keys.keys:
                    for form, position in self._by_key.get(key, ()):
                        if _word_matches(keys, form, position):
                            can.setdefault(position, set()).add(form)
            self._can.append(
                {p: tuple(sorted(f, key=_form_order)) for p, f in can.items()} if can else _NONE
            )
            self._starts.append(0 in can)

    def _may_match(self, word_type) -> bool:
        """Whether the type's written or a bare form is a key of some form."""
        return _spelled(word_type, self._spellings)

    def _candidates(self, tokens: Tokens) -> list[tuple[int, int, Form]]:
        """Every (first token, end token, form) where all the form's words match."""
        found = []
        starts = np.array(self._starts, dtype=bool)
        for p in np.flatnonzero(starts[tokens.type_id]).tolist():
            for form in self._can[tokens.type_id[p]][0]:
                q = p + 1
                while (
                    q - p < len(form.keys)
                    and tokens.follows(q)
                    and form in self._can[tokens.type_id[q]].get(q - p, ())
                ):
                    q += 1
                if q - p == len(form.keys):
                    found.append((p, q, form))
        return found

    def _guard_fired(self, tokens: Tokens, p: int, q: int, form: Form) -> tuple | None:
        """``(guard, token)`` of the first guard that excludes the candidate, or None.

        A guard excludes it when one of its words is in its window (the token is
        that word); an ``only`` guard when none is (the token is the candidate's
        first).
        """
        if form.entry < 0:
            return None  # a name that is not a frame has no guards
        types = self._types
        for guard in self._guards[form.entry]:
            spellings = self._guard_spellings[guard.text]
            found = next(
                (r for r in _window(tokens, types, p, q, guard.direction, guard.window)
                 if _spelled(types[tokens.type_id[r]], spellings)),
                None,
            )  # fmt: skip
            if guard.required and found is None:
                return guard, p
            if not guard.required and found is not None:
                return guard, found
        return None

    def _row(self, tokens: Tokens, types, quotes, p: int, q: int, form: Form) -> dict:
        entry = self.entries[form.entry]
        voice, speaker, quote_id, quote_kind = _voice(tokens, quotes, p)
        written = [types[t] for t in tokens.type_id[p:q].tolist()]
        return {
            "doc_id": tokens.doc_id[p],
            "sentence": int(tokens.sentence[p]),
            "token_start": int(tokens.index[p]),
            "token_end": int(tokens.index[q - 1]) + 1,
            "start": int(tokens.start[p]),
            "end": int(tokens.end[q - 1]),
            "surface": _span_surface(tokens, written, p),
            self.column: entry[self.column],
            "term": entry["term"],
            "entry_id": entry["entry_id"],
            "gloss": entry["gloss"],
            "voice": voice,
            "speaker": speaker,
            "quote_id": quote_id,
            "quote_kind": quote_kind,
            "match": entry["match"],
            "form": " ".join(t.normalized for t in written),
            "repaired": bool(tokens.repaired[p:q].any()),
        }


def compile_forms(lexicon: Lexicon) -> list[Form]:
    """Every matchable form of every entry (the term and its suffix variants)."""
    forms = []
    for entry, (variants, mode) in enumerate(
        zip(lexicon.entries["forms"], lexicon.entries["match"], strict=True)
    ):
        exact = mode == "exact"
        for words in variants:
            pairs = [_word_keys(w, exact) for w in words]
            forms.append(
                Form(
                    entry=entry,
                    keys=tuple(k for k, _ in pairs),
                    needs_definite=tuple(d for _, d in pairs),
                    exact=exact,
                    letters=sum(len(w) for w in words),
                )
            )
    return forms


def _with_final_teh_marbuta(keys) -> frozenset[str]:
    """Comparison keys, and each one ending in ه also written with ة (as texts write it)."""
    return frozenset(keys) | {key[:-1] + TEH_MARBUTA for key in keys if key.endswith(HEH)}


def _spelled(word_type, spellings: frozenset[str]) -> bool:
    """Whether the type's written or a bare form is one of ``spellings``.

    Compared as :func:`match_key` compares (``spellings`` made by
    :func:`_with_final_teh_marbuta`), without folding each form first.
    """
    for form in (word_type.normalized, *word_type.bares):
        if form in spellings or (TEH_MARBUTA in form[:-1] and match_key(form) in spellings):
            return True
    return False


def _name_form(k: int, words: tuple[str, ...]) -> Form:
    """A name that is not a frame, as a form of entry ``-1 - k`` (matched like a bare term)."""
    pairs = [_word_keys(w, False) for w in words]
    return Form(
        entry=-1 - k,
        keys=tuple(key for key, _ in pairs),
        needs_definite=tuple(d for _, d in pairs),
        exact=False,
        letters=sum(len(w) for w in words),
    )


def _word_keys(word: str, exact: bool) -> tuple[frozenset[str], frozenset[str]]:
    """Keys a word may show for one term word, and those it may show only if definite.

    A ``bare`` term word written with the article (المغرب) also accepts its
    article-less form (مغرب), the bare form of بالمغرب, but only on a definite word.
    """
    key = match_key(word)
    if exact or not (key.startswith(ARTICLE) and len(key) > len(ARTICLE) + 1):
        return frozenset({key}), frozenset()
    stripped = frozenset({key[len(ARTICLE) :]})
    return frozenset({key}) | stripped, stripped


def _word_matches(keys: TypeKeys, form: Form, position: int) -> bool:
    """Whether a word type can be word ``position`` of ``form``."""
    if form.exact:
        return keys.written in form.keys[position]
    if position > 0 and keys.written not in form.keys[position] and not keys.only_article:
        return False  # later words take no و/ب/ل…
    common = form.keys[position] & keys.keys
    return bool(common) and (bool(common - form.needs_definite[position]) or keys.definite)


def _form_order(form: Form) -> tuple[int, int]:
    return form.entry, form.letters


def _longest_first(candidates: list[tuple[int, int, Form]]) -> list[tuple[int, int, Form]]:
    """The non-overlapping candidates kept by the longest-match rule, in text order."""
    ranked = sorted(
        candidates, key=lambda c: (-(c[1] - c[0]), -c[2].letters, not c[2].exact, c[2].entry, c[0])
    )
    taken: set[int] = set()
    chosen = []
    for p, q, form in ranked:
        if taken.isdisjoint(range(p, q)):
            taken.update(range(p, q))
            chosen.append((p, q, form))
    return sorted(chosen, key=lambda c: (c[0], c[1]))


def _window(tokens: Tokens, types: Sequence, p: int, q: int, direction: str, size: int):
    """Up to ``size`` word tokens before ``p`` or after ``q - 1``, within the sentence.

    A ``sentence`` window is every word token of the sentence outside ``p…q - 1``.
    """
    if direction == "sentence":
        yield from _window(tokens, types, p, q, "prev", len(tokens))
        yield from _window(tokens, types, p, q, "next", len(tokens))
        return
    step, r = (1, q) if direction == "next" else (-1, p - 1)
    found = 0
    while 0 <= r < len(tokens) and found < size:
        if tokens.doc_id[r] != tokens.doc_id[p] or tokens.sentence[r] != tokens.sentence[p]:
            break
        if types[tokens.type_id[r]].kind == "word":
            found += 1
            yield r
        r += step


def _voice(tokens: Tokens, quotes: dict, p: int) -> tuple[str, str, int | None, str]:
    """``(voice, speaker, quote_id, quote_kind)`` of token ``p``."""
    qid = int(tokens.quote_id[p])
    if not tokens.in_quote[p] or qid < 0:
        return "narration", "", None, ""
    row = quotes.get((tokens.doc_id[p], qid))
    if row is None:
        return "narration", "", qid, ""
    kind, speaker = row
    return ("quoted", speaker, qid, kind) if kind == "speech" else ("narration", "", qid, kind)


def _span_surface(tokens: Tokens, written: list, p: int) -> str:
    """The hit as written: token surfaces, a space where the text had a gap."""
    parts = [written[0].surface]
    for k in range(1, len(written)):
        parts.append("" if tokens.start[p + k] == tokens.end[p + k - 1] else " ")
        parts.append(written[k].surface)
    return "".join(parts)


def _table(rows: list[dict], columns: list[str]):
    """Rows as a pandas table, sorted by document and position."""
    import pandas as pd

    out = pd.DataFrame(rows, columns=columns)
    out["quote_id"] = out["quote_id"].astype("Int64")
    for column in ("sentence", "token_start", "token_end", "start", "end"):
        out[column] = out[column].astype("int64")
    out["repaired"] = out["repaired"].astype(bool)
    if "guard_index" in out:
        out["guard_index"] = out["guard_index"].astype("int64")
    return out.sort_values(["doc_id", "token_start", "token_end"], kind="stable").reset_index(
        drop=True
    )


def quote_index(quotes) -> dict[tuple[str, int], tuple[str, str]]:
    """``(doc_id, quote_id) -> (kind, speaker)`` of a quotes table (a dict is kept as is)."""
    if isinstance(quotes, dict):
        return quotes
    return {
        (d, int(q)): (k, s if isinstance(s, str) else "")
        for d, q, k, s in zip(
            quotes["doc_id"], quotes["quote_id"], quotes["kind"], quotes["speaker"], strict=True
        )
    }
