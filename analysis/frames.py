"""Find frame (and actor) lexicon terms in the token table.

Input: the ``tokens`` and ``quotes`` tables of the text stage (``docs/design.md``)
and a validated :class:`analysis.lexicon.Lexicon`. Output: tidy tables, one row
per hit, that the measures stage counts and turns into a KWIC audit trail.

How a term matches (documented for scholars in ``docs/lexicon.md``):

* **Comparison form.** Both sides are normalized by the same function
  (:func:`analysis.normalize.normalize_word` for terms, the text stage for the
  corpus) and compared with teh marbuta folded (ة = ه), see
  :func:`analysis.lexicon.match_key`.
* **``bare`` entries** (clitics allowed): a term word matches a token if the
  token's written form (``normalized``) or any of its candidate bare forms
  (``bares``, from the clitic analysis) equals the term word. A term word written
  with the article ال also matches the article-less bare form, but only on a
  definite token (article or pronoun enclitic in its analysis). So ``نضال``
  matches ``لنضالها`` (bare ``نضال``) and
  ``متضامن`` with suffix ``ة`` matches ``والمتضامنة``. In a multi-word term the
  words after the first may carry only the article, not و/ب/ل…, so
  ``الشعب الصحراوي`` does not match ``الشعب والصحراوي``; enclitic pronouns are
  allowed everywhere (``تقرير مصيره``).
* **``exact`` entries**: the token's written form must equal the term word (no
  clitics at all).
* **Multi-word terms** match consecutive word tokens of one sentence, with
  nothing (not even punctuation or a quotation mark) between them. A run-together
  word the text stage split (``الأممالمتحدة`` → ``الأمم`` + ``المتحدة``) is two
  consecutive tokens, so it matches like the spaced spelling.
* **Sense guards** are checked on every candidate first: a candidate with a guard
  word in its window is set aside in the exclusions table, not counted.
* **Longest match wins**: among the remaining candidates, longer ones (in
  tokens, then in letters) are kept first and any candidate overlapping a kept one
  is dropped, so ``الصحراء الغربية`` is one hit, not also ``الصحراء``.

Voice: a hit inside a quotation of kind ``speech`` is ``quoted`` and carries the
quote's ``speaker``; everything else, including scare-quoted names and terms
(quote kind ``term``) and indirect speech, is ``narration``.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis.errors import AnalysisError
from analysis.lexicon import Lexicon, load_actor_lexicon, load_frame_lexicon, match_key

__all__ = [
    "MatchResult",
    "match_lexicon",
    "match_frames",
    "match_actors",
    "guard_exclusions",
    "coverage_report",
    "COMMON_SUFFIXES",
]

TOKEN_COLUMNS = (
    "doc_id",
    "sentence",
    "index",
    "start",
    "end",
    "kind",
    "normalized",
    "bares",
    "proclitics",
    "in_quote",
    "quote_id",
)
QUOTE_COLUMNS = ("doc_id", "quote_id", "kind", "speaker")
WORD = "word"
ARTICLE = "ال"

#: Endings that :func:`coverage_report` tries when looking for unlisted variants
#: of a lexicon word (feminine, plurals, duals, nisba, accusative tanwin alif);
#: comparison forms, so ة is written ه.
COMMON_SUFFIXES = ("ه", "ات", "ون", "ين", "ان", "تان", "تين", "ي", "يه", "يون", "يين", "ا")

_HIT_COLUMNS = [
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


@dataclass(frozen=True)
class MatchResult:
    """Hits and guard exclusions of one lexicon on one token table."""

    hits: pd.DataFrame
    exclusions: pd.DataFrame


@dataclass(frozen=True)
class _Form:
    """One matchable form of an entry: its words as comparison keys."""

    entry: int  # row position in lexicon.entries
    keys: tuple[frozenset[str], ...]  # per word: accepted comparison forms
    needs_definite: tuple[frozenset[str], ...]  # per word: keys accepted only on a definite token
    exact: bool
    letters: int  # tie-break: longer written term wins


def _word_keys(word: str, exact: bool) -> tuple[frozenset[str], frozenset[str]]:
    """Comparison forms a token may show for one normalized term word.

    Returns ``(keys, needs_definite)``. For a ``bare`` term word written with the
    article (المغرب, المصير), the clitic analysis of a token such as بالمغرب gives
    the bare form without it (مغرب), so the article-less form is accepted too, but
    only on a token that is definite: its preferred analysis has the article or a
    pronoun enclitic (تقرير مصيره). So المغرب (Morocco) does not match مغرب
    (sunset), nor الرباط (Rabat) رباط (a tie).
    """
    key = match_key(word)
    if exact or not (key.startswith(ARTICLE) and len(key) > len(ARTICLE) + 1):
        return frozenset({key}), frozenset()
    stripped = frozenset({key[len(ARTICLE) :]})
    return frozenset({key}) | stripped, stripped


def _compile(lexicon: Lexicon) -> tuple[list[_Form], dict[str, list[_Form]]]:
    """All forms of all entries, and an index from first-word key to forms."""
    forms: list[_Form] = []
    first: dict[str, list[_Form]] = defaultdict(list)
    for pos, (forms_of_entry, mode) in enumerate(
        zip(lexicon.entries["forms"], lexicon.entries["match"], strict=True)
    ):
        exact = mode == "exact"
        for words in forms_of_entry:
            pairs = [_word_keys(w, exact) for w in words]
            form = _Form(
                pos,
                tuple(k for k, _ in pairs),
                tuple(d for _, d in pairs),
                exact,
                sum(len(w) for w in words),
            )
            forms.append(form)
            for key in form.keys[0]:
                first[key].append(form)
    return forms, first


def _require(table: pd.DataFrame, columns: tuple[str, ...], name: str) -> None:
    missing = [c for c in columns if c not in table.columns]
    if missing:
        raise AnalysisError(
            f"the {name} table lacks column(s) {', '.join(missing)} (see docs/design.md)"
        )


def _has_article(proclitics: object) -> bool:
    """True if a token's proclitics (``"و+ال"``) include the definite article."""
    return isinstance(proclitics, str) and ARTICLE in proclitics.split("+")


def _only_article(proclitics: object) -> bool:
    """True if a token's proclitics are none or just the definite article."""
    if not isinstance(proclitics, str):
        return True
    rest = proclitics.replace("+", "").replace("-", "").replace(" ", "")
    return rest in ("", ARTICLE)


def _factorize(values: np.ndarray) -> tuple[np.ndarray, list]:
    """Codes and distinct values (missing values kept as values) of an object array."""
    if len(values) == 0:
        return np.zeros(0, dtype=np.int64), []
    codes, uniques = pd.factorize(values, use_na_sentinel=False)
    return codes, list(uniques)


def _keys_of(norm: str, bares: object) -> tuple[str, frozenset[str]]:
    """Written comparison form and all comparison keys of one token type."""
    bares_t = tuple(bares) if isinstance(bares, (tuple, list)) else ()
    written = match_key(norm)
    return written, frozenset({written, *(match_key(b) for b in bares_t if b)})


def _token_keys(
    normalized: np.ndarray, bares: np.ndarray
) -> tuple[list[str], list[frozenset[str]]]:
    """Per-token written forms and key sets, computed once per (normalized, bares) type."""
    n = len(normalized)
    try:
        norm_codes, norm_u = _factorize(normalized)
        bares_codes, bares_u = _factorize(bares)
    except TypeError:  # bares given as unhashable lists: token by token
        pairs = [_keys_of(norm, b) for norm, b in zip(normalized, bares, strict=True)]
        return [w for w, _ in pairs], [k for _, k in pairs]
    if n == 0:
        return [], []
    combined = norm_codes.astype(np.int64) * max(len(bares_u), 1) + bares_codes
    codes, uniques = pd.factorize(combined)
    written_u = np.empty(len(uniques), dtype=object)
    keys_u = np.empty(len(uniques), dtype=object)
    width = max(len(bares_u), 1)
    for k, c in enumerate(uniques.tolist()):
        written_u[k], keys_u[k] = _keys_of(norm_u[c // width], bares_u[c % width])
    return written_u[codes].tolist(), keys_u[codes].tolist()


class _Tokens:
    """Column arrays of the token table and per-token comparison keys."""

    def __init__(self, tokens: pd.DataFrame) -> None:
        _require(tokens, TOKEN_COLUMNS, "tokens")
        t = tokens.sort_values(["doc_id", "index"], kind="stable").reset_index(drop=True)
        self.frame = t
        self.n = len(t)
        self.doc = t["doc_id"].to_numpy(object)
        self.sentence = t["sentence"].to_numpy()
        self.index = t["index"].to_numpy()
        self.start = t["start"].to_numpy()
        self.end = t["end"].to_numpy()
        self.is_word = (t["kind"] == WORD).to_numpy()
        self.normalized = t["normalized"].to_numpy(object)
        self.proclitics = t["proclitics"].to_numpy(object)
        enclitic = (
            t["enclitic"].to_numpy(object) if "enclitic" in t else np.full(self.n, "", dtype=object)
        )
        # Everything per token is derived per distinct value (pd.factorize, a C
        # loop) and spread back with one take: most tokens repeat a type.
        pro_codes, pro_u = _factorize(self.proclitics)
        enc_codes, enc_u = _factorize(enclitic)
        article_u = np.array([_has_article(pr) for pr in pro_u], dtype=bool)
        suffix_u = np.array([isinstance(en, str) and en != "" for en in enc_u], dtype=bool)
        self.definite = (article_u[pro_codes] | suffix_u[enc_codes]).tolist()
        self.in_quote = t["in_quote"].to_numpy()
        self.quote_id = t["quote_id"].astype("Int64").to_list()
        self.repaired = t["repaired"].to_numpy() if "repaired" in t else None
        self.surface = t["surface"].to_numpy(object) if "surface" in t else None
        self.bare = t["bare"].to_numpy(object) if "bare" in t else None
        self.written, self.keys = _token_keys(self.normalized, t["bares"].to_numpy(object))

    def follows(self, p: int) -> bool:
        """True if token ``p`` directly follows token ``p - 1`` in the same sentence."""
        return (
            p < self.n
            and self.doc[p] == self.doc[p - 1]
            and self.sentence[p] == self.sentence[p - 1]
            and self.index[p] == self.index[p - 1] + 1
        )

    def matches(
        self, p: int, keys: frozenset[str], needs_definite: frozenset[str], exact: bool, first: bool
    ) -> bool:
        """True if token ``p`` is a word that matches a term word's keys."""
        if not self.is_word[p]:
            return False
        if exact:
            return self.written[p] in keys
        if not first and self.written[p] not in keys and not _only_article(self.proclitics[p]):
            return False
        common = keys & self.keys[p]
        if not common:
            return False
        return bool(common - needs_definite) or self.definite[p]

    def window(self, p_start: int, p_end: int, direction: str, size: int) -> list[int]:
        """Positions of up to ``size`` word tokens before/after ``[p_start, p_end)``.

        The window stays inside the sentence; punctuation does not count.
        """
        out: list[int] = []
        step, p = (1, p_end) if direction == "next" else (-1, p_start - 1)
        ref = p_start
        while 0 <= p < self.n and len(out) < size:
            if self.doc[p] != self.doc[ref] or self.sentence[p] != self.sentence[ref]:
                break
            if self.is_word[p]:
                out.append(p)
            p += step
        return out


def _candidates(tok: _Tokens, first: dict[str, list[_Form]]) -> list[tuple[int, int, _Form]]:
    """Every (start position, end position, form) where a form matches."""
    found = []
    for p in range(tok.n):
        if not tok.is_word[p]:
            continue
        forms: dict[int, _Form] = {}
        for key in tok.keys[p]:
            for form in first.get(key, ()):
                forms[id(form)] = form
        for form in forms.values():
            if not tok.matches(p, form.keys[0], form.needs_definite[0], form.exact, first=True):
                continue
            q = p + 1
            ok = True
            for keys, definite in zip(form.keys[1:], form.needs_definite[1:], strict=True):
                if not (tok.follows(q) and tok.matches(q, keys, definite, form.exact, first=False)):
                    ok = False
                    break
                q += 1
            if ok:
                found.append((p, q, form))
    return found


def _voice(tok: _Tokens, p: int, quotes: pd.DataFrame) -> tuple[str, str, object, str]:
    """``(voice, speaker, quote_id, quote_kind)`` of the token at position ``p``."""
    qid = tok.quote_id[p]
    if not bool(tok.in_quote[p]) or pd.isna(qid):
        return "narration", "", pd.NA, ""
    row = quotes.get((tok.doc[p], int(qid)))
    if row is None:
        return "narration", "", int(qid), ""
    kind, speaker = row
    voice = "quoted" if kind == "speech" else "narration"
    return voice, (speaker or "") if voice == "quoted" else "", int(qid), kind


def _quote_index(quotes: pd.DataFrame | None) -> dict[tuple[str, int], tuple[str, str]]:
    if quotes is None or len(quotes) == 0:
        return {}
    _require(quotes, QUOTE_COLUMNS, "quotes")
    return {
        (d, int(q)): (k, s if isinstance(s, str) else "")
        for d, q, k, s in zip(
            quotes["doc_id"], quotes["quote_id"], quotes["kind"], quotes["speaker"], strict=True
        )
    }


def _row(
    tok: _Tokens, p: int, q: int, form: _Form, entries: list[dict], column: str, quotes: dict
) -> dict[str, object]:
    entry = entries[form.entry]
    voice, speaker, qid, qkind = _voice(tok, p, quotes)
    original_start, original_end = int(tok.start[p]), int(tok.end[q - 1])
    if tok.surface is not None and q - p == 1:
        surface = tok.surface[p]
    else:
        surface = _span_surface(tok, p, q)
    return {
        "doc_id": tok.doc[p],
        "sentence": int(tok.sentence[p]),
        "token_start": int(tok.index[p]),
        "token_end": int(tok.index[q - 1]) + 1,
        "start": original_start,
        "end": original_end,
        "surface": surface,
        column: entry[column],
        "term": entry["term"],
        "entry_id": entry["entry_id"],
        "gloss": entry["gloss"],
        "voice": voice,
        "speaker": speaker,
        "quote_id": qid,
        "quote_kind": qkind,
        "match": entry["match"],
        "form": " ".join(tok.normalized[p:q]),
        "repaired": bool(tok.repaired[p:q].any()) if tok.repaired is not None else False,
    }


def _span_surface(tok: _Tokens, p: int, q: int) -> str:
    """Surface of a multi-token span: token surfaces with the original gaps restored.

    Tokens only carry their own surfaces; the text between two tokens is not in the
    token table, so a gap is shown as one space unless the tokens touch (a
    run-together word split by the text stage is shown run together, as written).
    """
    if tok.surface is None:
        return " ".join(tok.normalized[p:q])
    parts = [tok.surface[p]]
    for r in range(p + 1, q):
        parts.append("" if tok.start[r] == tok.end[r - 1] else " ")
        parts.append(tok.surface[r])
    return "".join(parts)


def _guard_hit(tok: _Tokens, p: int, q: int, guards: tuple) -> tuple[object, int] | None:
    for guard in guards:
        for r in tok.window(p, q, guard.direction, guard.window):
            if not guard.words.isdisjoint(tok.keys[r]):
                return guard, r
    return None


def match_lexicon(
    tokens: pd.DataFrame, quotes: pd.DataFrame | None, lexicon: Lexicon
) -> MatchResult:
    """Match every entry of ``lexicon`` in ``tokens``; return hits and exclusions.

    ``hits`` has the columns of ``docs/design.md`` (with the category column named
    after the lexicon: ``frame`` or ``actor``) plus ``quote_kind``, ``match``,
    ``form`` (the matched normalized words) and ``repaired`` (a token of the hit
    came from a run-together repair). ``exclusions`` lists candidates set aside by
    a sense guard, with the ``guard`` rule and the ``guard_word`` that fired.
    """
    return _match(_Tokens(tokens), quotes, lexicon)


def _match(tok: _Tokens, quotes: pd.DataFrame | None, lexicon: Lexicon) -> MatchResult:
    """:func:`match_lexicon` on an already prepared token table."""
    quote_index = _quote_index(quotes)
    _, first = _compile(lexicon)
    column = lexicon.column
    entries = lexicon.entries[[column, "term", "entry_id", "gloss", "match"]].to_dict("records")
    kept: list[tuple[int, int, _Form]] = []
    excluded: list[dict[str, object]] = []
    guards_of = lexicon.entries["guards"].to_numpy(object)
    for p, q, form in _candidates(tok, first):
        fired = _guard_hit(tok, p, q, guards_of[form.entry])
        if fired is None:
            kept.append((p, q, form))
            continue
        guard, r = fired
        row = _row(tok, p, q, form, entries, column, quote_index)
        row.update(
            guard=guard.text,  # type: ignore[attr-defined]
            guard_word=tok.surface[r] if tok.surface is not None else tok.normalized[r],
            guard_index=int(tok.index[r]),
        )
        excluded.append(row)
    # Longest match wins: more tokens, then more letters, then exact before bare,
    # then lexicon order, then position; overlapping candidates are dropped.
    kept.sort(key=lambda c: (-(c[1] - c[0]), -c[2].letters, not c[2].exact, c[2].entry, c[0]))
    taken: set[int] = set()
    chosen = []
    for p, q, form in kept:
        span = range(p, q)
        if any(i in taken for i in span):
            continue
        taken.update(span)
        chosen.append(_row(tok, p, q, form, entries, column, quote_index))
    columns = [c.format(column=lexicon.column) for c in _HIT_COLUMNS]
    hits = _frame(chosen, columns)
    exclusions = _frame(excluded, columns + ["guard", "guard_word", "guard_index"])
    return MatchResult(hits, exclusions)


def _frame(rows: list[dict[str, object]], columns: list[str]) -> pd.DataFrame:
    out = pd.DataFrame(rows, columns=columns)
    out["quote_id"] = out["quote_id"].astype("Int64")
    for col in ("sentence", "token_start", "token_end", "start", "end"):
        out[col] = out[col].astype("int64")
    out["repaired"] = out["repaired"].astype(bool)
    if "guard_index" in out:
        out["guard_index"] = out["guard_index"].astype("int64")
    return out.sort_values(["doc_id", "token_start", "token_end"], kind="stable").reset_index(
        drop=True
    )


def match_frames(
    tokens: pd.DataFrame, quotes: pd.DataFrame | None = None, lexicon: Lexicon | None = None
) -> pd.DataFrame:
    """Frame hits (one row per hit) of the frame lexicon (default: ``lexicons/``)."""
    return match_lexicon(tokens, quotes, lexicon or load_frame_lexicon()).hits


def match_actors(
    tokens: pd.DataFrame, quotes: pd.DataFrame | None = None, lexicon: Lexicon | None = None
) -> pd.DataFrame:
    """Actor hits (an ``actor`` column instead of ``frame``), same matching rules."""
    return match_lexicon(tokens, quotes, lexicon or load_actor_lexicon()).hits


def guard_exclusions(
    tokens: pd.DataFrame, quotes: pd.DataFrame | None = None, lexicon: Lexicon | None = None
) -> pd.DataFrame:
    """Candidates a sense guard set aside (e.g. تحرير رسائل, drafting letters).

    Same columns as the hits plus ``guard`` (the rule as written in the lexicon),
    ``guard_word`` (the token that fired it) and ``guard_index`` (its index).
    """
    return match_lexicon(tokens, quotes, lexicon or load_frame_lexicon()).exclusions


def _near_misses(
    keys: frozenset[str],
    written: str,
    heads: dict[str, list[_Form]],
    exacts: dict[str, list[_Form]],
    singles: dict[str, list[_Form]],
) -> list[tuple[str, int, str]]:
    """``(reason, entry, detail)`` for one word type not covered by a hit."""
    found: list[tuple[str, int, str]] = []
    reported: set[int] = set()
    for key in keys:
        for form in heads.get(key, ()):
            if form.entry not in reported:
                reported.add(form.entry)
                found.append(("partial_phrase", form.entry, "first word of a multi-word term"))
        for form in exacts.get(key, ()):
            if form.entry not in reported and written not in form.keys[0]:
                reported.add(form.entry)
                found.append(("exact_with_clitics", form.entry, "exact entry with clitics"))
    if found:
        return found
    for key in keys:
        for suffix in COMMON_SUFFIXES:
            variants = [(key + suffix, f"lexicon form ends in -{suffix}")]
            if key.endswith(suffix) and len(key) > len(suffix) + 1:
                variants.append((key[: -len(suffix)], f"ending -{suffix} not listed"))
            for base, detail in variants:
                for form in singles.get(base, ()):
                    if form.entry not in reported:
                        reported.add(form.entry)
                        found.append(("unlisted_variant", form.entry, detail))
    return found


def coverage_report(
    tokens: pd.DataFrame,
    lexicon: Lexicon | None = None,
    quotes: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Corpus words that look like lexicon terms but were not counted.

    One row per token occurrence, with a ``reason``:

    ``guard``
        a candidate hit set aside by a sense guard (``detail`` names the rule and
        the word that fired it);
    ``partial_phrase``
        the token matches the first word of a multi-word term but the rest of the
        term does not follow (وقوف without إلى جانب, الشعب without الصحراوي);
    ``exact_with_clitics``
        the token's bare form is an ``exact`` entry but clitics are attached;
    ``unlisted_variant``
        the token's bare form is a lexicon word plus a common ending
        (:data:`COMMON_SUFFIXES`) that the entry does not list (دعما, مناضلون), or
        the lexicon word is the token's bare form plus such an ending.

    Tokens inside a hit are never reported. Columns: ``doc_id``, ``sentence``,
    ``index``, ``start``, ``end``, ``surface``, ``normalized``, ``bare``,
    ``reason``, the category column, ``term``, ``entry_id``, ``detail``.
    """
    lexicon = lexicon or load_frame_lexicon()
    tok = _Tokens(tokens)
    result = _match(tok, quotes, lexicon)
    column = lexicon.column
    entries = lexicon.entries
    covered: set[tuple[object, int]] = set()
    for d, a, b in zip(
        result.hits["doc_id"], result.hits["token_start"], result.hits["token_end"], strict=True
    ):
        covered.update((d, i) for i in range(a, b))
    position = {(d, int(i)): p for p, (d, i) in enumerate(zip(tok.doc, tok.index, strict=True))}
    rows: list[dict[str, object]] = []

    records = entries[[column, "term", "entry_id"]].to_dict("records")

    def add(p: int, reason: str, entry: int, detail: str) -> None:
        e = records[entry]
        rows.append(
            {
                "doc_id": tok.doc[p],
                "sentence": int(tok.sentence[p]),
                "index": int(tok.index[p]),
                "start": int(tok.start[p]),
                "end": int(tok.end[p]),
                "surface": tok.surface[p] if tok.surface is not None else tok.normalized[p],
                "normalized": tok.normalized[p],
                "bare": tok.bare[p] if tok.bare is not None else "",
                "reason": reason,
                column: e[column],
                "term": e["term"],
                "entry_id": e["entry_id"],
                "detail": detail,
            }
        )

    entry_pos = {eid: i for i, eid in enumerate(entries["entry_id"])}
    for ex in result.exclusions.itertuples(index=False):
        if all((ex.doc_id, i) not in covered for i in range(ex.token_start, ex.token_end)):
            p = position[(ex.doc_id, ex.token_start)]
            add(
                p,
                "guard",
                entry_pos[ex.entry_id],
                f"guard {ex.guard} fired on '{ex.guard_word}'",
            )
            covered.update((ex.doc_id, i) for i in range(ex.token_start, ex.token_end))

    forms, first = _compile(lexicon)
    heads: dict[str, list[_Form]] = defaultdict(list)  # first words of phrases
    singles: dict[str, list[_Form]] = defaultdict(list)  # one-word bare forms
    exacts: dict[str, list[_Form]] = defaultdict(list)
    for form in forms:
        target = exacts if form.exact else heads if len(form.keys) > 1 else singles
        for key in form.keys[0]:
            target[key].append(form)
    cache: dict[tuple[frozenset[str], str], list[tuple[str, int, str]]] = {}
    for p in range(tok.n):
        if not tok.is_word[p] or (tok.doc[p], int(tok.index[p])) in covered:
            continue
        found = cache.get((tok.keys[p], tok.written[p]))
        if found is None:
            found = _near_misses(tok.keys[p], tok.written[p], heads, exacts, singles)
            cache[(tok.keys[p], tok.written[p])] = found
        for reason, entry, detail in found:
            add(p, reason, entry, detail)
    columns = [
        "doc_id",
        "sentence",
        "index",
        "start",
        "end",
        "surface",
        "normalized",
        "bare",
        "reason",
        column,
        "term",
        "entry_id",
        "detail",
    ]
    out = pd.DataFrame(rows, columns=columns)
    return out.sort_values(["doc_id", "index", "entry_id"], kind="stable").reset_index(drop=True)
