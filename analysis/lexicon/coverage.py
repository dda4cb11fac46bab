"""Corpus words that look like lexicon terms but were not counted: where the lexicon may miss.

One row per token occurrence, with a ``reason``:

``guard``
    a candidate hit set aside by a sense guard (``detail`` names the rule and
    the word that fired it, or says that an ``only`` rule found none of its
    words);
``partial_phrase``
    the word matches the first word of a multi-word term but the rest of the
    term does not follow (وقوف without إلى جانب);
``exact_with_clitics``
    the word's bare form is an ``exact`` entry but clitics are attached;
``unlisted_variant``
    the word's bare form is a lexicon word plus a common ending
    (:data:`COMMON_SUFFIXES`) that the entry does not list (دعما, مناضلون), or the
    lexicon word is the bare form plus such an ending.

Words inside a hit are never reported.
"""

from __future__ import annotations

from collections import defaultdict

import pandas as pd

from analysis.lexicon.guards import ONLY
from analysis.lexicon.matching import Form, Matcher, MatchResult, Tokens, TypeKeys

#: Endings tried when looking for unlisted variants of a lexicon word (feminine,
#: plurals, duals, nisba, accusative tanwin alif); comparison forms, so ة is ه.
COMMON_SUFFIXES = ("ه", "ات", "ون", "ين", "ان", "تان", "تين", "ي", "يه", "يون", "يين", "ا")
COVERAGE_COLUMNS = [
    "doc_id",
    "sentence",
    "index",
    "start",
    "end",
    "surface",
    "normalized",
    "bare",
    "reason",
    "{column}",
    "term",
    "entry_id",
    "detail",
]


def coverage_report(tokens: Tokens, types, matcher: Matcher, result: MatchResult) -> pd.DataFrame:
    """The near misses of ``matcher``'s lexicon in ``tokens`` (``result``: its match there)."""
    column = matcher.column
    records = matcher.entries
    entry_of = {e["entry_id"]: k for k, e in enumerate(records)}
    position = {
        (d, int(i)): p for p, (d, i) in enumerate(zip(tokens.doc_id, tokens.index, strict=True))
    }
    covered: set[tuple[object, int]] = set()
    hits = result.hits
    for d, a, b in zip(hits["doc_id"], hits["token_start"], hits["token_end"], strict=True):
        covered.update((d, i) for i in range(a, b))
    rows: list[dict] = []

    def add(p: int, reason: str, entry: int, detail: str) -> None:
        word_type = types[tokens.type_id[p]]
        e = records[entry]
        rows.append(
            {"doc_id": tokens.doc_id[p], "sentence": int(tokens.sentence[p]),
             "index": int(tokens.index[p]), "start": int(tokens.start[p]),
             "end": int(tokens.end[p]), "surface": word_type.surface,
             "normalized": word_type.normalized, "bare": word_type.bare, "reason": reason,
             column: e[column], "term": e["term"], "entry_id": e["entry_id"],
             "detail": detail}
        )  # fmt: skip

    for ex in result.exclusions.itertuples(index=False):
        span = [(ex.doc_id, i) for i in range(ex.token_start, ex.token_end)]
        if covered.isdisjoint(span):
            detail = (
                f"guard {ex.guard}: none of its words in scope"
                if ex.guard.startswith(ONLY + " ")
                else f"guard {ex.guard} fired on '{ex.guard_word}'"
            )
            add(position[span[0]], "guard", entry_of[ex.entry_id], detail)
            covered.update(span)
    index = _NearMissIndex(matcher.forms)
    misses: dict[int, list[tuple[str, int, str]]] = {}
    for p, type_id in enumerate(tokens.type_id.tolist()):
        keys = matcher.keys(type_id)
        if not keys.is_word or (tokens.doc_id[p], int(tokens.index[p])) in covered:
            continue
        if type_id not in misses:
            misses[type_id] = index.near_misses(keys)
        for reason, entry, detail in misses[type_id]:
            add(p, reason, entry, detail)
    columns = [c.format(column=column) for c in COVERAGE_COLUMNS]
    out = pd.DataFrame(rows, columns=columns)
    return out.sort_values(["doc_id", "index", "entry_id"], kind="stable").reset_index(drop=True)


class _NearMissIndex:
    """Lexicon forms by first-word key: heads of phrases, exact entries, one-word bare forms."""

    def __init__(self, forms: list[Form]) -> None:
        self.heads: dict[str, list[Form]] = defaultdict(list)
        self.exacts: dict[str, list[Form]] = defaultdict(list)
        self.singles: dict[str, list[Form]] = defaultdict(list)
        for form in forms:
            target = (
                self.exacts if form.exact else self.heads if len(form.keys) > 1 else self.singles
            )
            for key in form.keys[0]:
                target[key].append(form)

    def near_misses(self, keys: TypeKeys) -> list[tuple[str, int, str]]:
        """``(reason, entry, detail)`` for one word type not covered by a hit."""
        found: list[tuple[str, int, str]] = []
        reported: set[int] = set()
        for key in sorted(keys.keys):
            for form in self.heads.get(key, ()):
                if form.entry not in reported:
                    reported.add(form.entry)
                    found.append(("partial_phrase", form.entry, "first word of a multi-word term"))
            for form in self.exacts.get(key, ()):
                if form.entry not in reported and keys.written not in form.keys[0]:
                    reported.add(form.entry)
                    found.append(("exact_with_clitics", form.entry, "exact entry with clitics"))
        if found:
            return found
        for key in sorted(keys.keys):
            for suffix in COMMON_SUFFIXES:
                variants = [(key + suffix, f"lexicon form ends in -{suffix}")]
                if key.endswith(suffix) and len(key) > len(suffix) + 1:
                    variants.append((key[: -len(suffix)], f"ending -{suffix} not listed"))
                for base, detail in variants:
                    for form in self.singles.get(base, ()):
                        if form.entry not in reported:
                            reported.add(form.entry)
                            found.append(("unlisted_variant", form.entry, detail))
        return found
