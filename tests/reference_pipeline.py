"""Frozen copy of analysis/pipeline.py before the one-pass rewrite: the reference
that tests/test_pipeline_reference.py compares the new text stage with."""
# ruff: noqa

"""The text stage in one call: normalize, tokenize, repair, quotes, sentences, clitics.

``analyse_text`` returns the four tidy tables of docs/design.md (tokens,
sentences, quotes, repairs); ``analyse_document`` loads a document first;
``analyse_corpus`` streams documents one at a time and concatenates the tables.
Every ``start``/``end`` is an offset into the original text (BOM removed).
"""


import re
import warnings
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import chain, pairwise
from pathlib import Path

import numpy as np
import pandas as pd

from analysis import quotes as quotes_mod
from analysis.clitics import analyse_clitics
from analysis.corpus import iter_documents, load_document
from analysis.errors import TextWarning
from analysis.normalize import describe_repairs, normalize, normalize_word
from analysis.paths import METADATA_FILE
from analysis.quotes import verb_form
from analysis.repair import MIN_LENGTH, RULE, find_split, is_vetoed, read_vetoes
from analysis.sentences import CLOSERS, TERMINATORS, WORD_KINDS
from analysis import tokens as _tokens_mod
from analysis.tokens import TokenSpans, token_kind, tokenize

TOKEN_COLUMNS = [
    "doc_id",
    "sentence",
    "index",
    "start",
    "end",
    "surface",
    "kind",
    "normalized",
    "bare",
    "bares",
    "proclitics",
    "enclitic",
    "in_quote",
    "quote_id",
    "repaired",
]
SENTENCE_COLUMNS = ["doc_id", "sentence", "start", "end", "text", "n_words"]
QUOTE_COLUMNS = [
    "doc_id",
    "quote_id",
    "start",
    "end",
    "text",
    "kind",
    "verb",
    "speaker",
    "sentence",
]
REPAIR_COLUMNS = ["doc_id", "start", "end", "original", "replacement", "rule", "vetoed"]


@dataclass
class TextTables:
    """The text stage's output tables (columns: docs/design.md)."""

    tokens: pd.DataFrame
    sentences: pd.DataFrame
    quotes: pd.DataFrame
    repairs: pd.DataFrame


@dataclass
class _DocResult:
    """One document's text-stage output as arrays (tables are built per batch)."""

    doc_id: str
    sentence: np.ndarray
    start: np.ndarray
    end: np.ndarray
    surface: list[str]
    kind: list[str]
    normalized: list[str]
    in_quote: np.ndarray
    quote_id: np.ndarray
    repaired: np.ndarray
    sentences: list[tuple]
    quotes: list[tuple]
    repairs: list[tuple]


_VETO_CACHE: dict[tuple[str, float], list] = {}


def _vetoes() -> list:
    """The veto file's rows, re-read only when the file changes."""
    from analysis.repair import VETO_FILE

    try:
        key = (str(VETO_FILE), VETO_FILE.stat().st_mtime)
    except FileNotFoundError:
        return []
    if key not in _VETO_CACHE:
        _VETO_CACHE.clear()
        _VETO_CACHE[key] = read_vetoes(VETO_FILE)
    return _VETO_CACHE[key]


def _types_of(tokens: list[str]) -> tuple[np.ndarray, list[str]]:
    codes, uniques = pd.factorize(np.asarray(tokens, dtype=object), use_na_sentinel=False)
    return codes, list(uniques)


def _repair(
    spans: TokenSpans, norm, doc_ids: list[str], doc_starts: np.ndarray, vetoes, original: str
) -> tuple[TokenSpans, np.ndarray, list[tuple]]:
    """Split run-together word tokens; returns new spans, repaired flags, audit rows.

    ``original`` may hold several documents starting at ``doc_starts``; audit rows
    are ``(document number, start, end, original, replacement, rule, vetoed)``
    with offsets into ``original``.
    """
    rows: list[tuple] = []
    plan: dict[int, tuple[int, ...]] = {}
    if spans.codes is not None and spans.uniques is not None:
        codes, uniques = spans.codes, spans.uniques
    else:
        codes, uniques = _types_of(spans.normalized)
    split_types = {
        k: cuts
        for k, u in enumerate(uniques)
        if len(u) >= MIN_LENGTH and token_kind(u) == "word" and (cuts := find_split(u))
    }
    if not split_types:
        return spans, np.zeros(len(spans), dtype=bool), rows
    for i in np.flatnonzero(np.isin(codes, list(split_types))).tolist():
        tok = spans.normalized[i]
        cuts = split_types[int(codes[i])]
        s, e = int(spans.nstart[i]), int(spans.nend[i])
        bounds = [s, *(s + c for c in cuts), e]
        o_start, o_end = norm.span(s, e)
        piece_spans = [norm.span(a, b) for a, b in pairwise(bounds)]
        if any(later[0] < earlier[1] for earlier, later in pairwise(piece_spans)):
            continue  # a cut inside one original character (a ligature such as ﻻ)
        parts = [original[slice(*span)] for span in piece_spans]
        doc = int(np.searchsorted(doc_starts, o_start, side="right")) - 1
        vetoed = is_vetoed(vetoes, doc_ids[doc], tok)
        rows.append((doc, o_start, o_end, original[o_start:o_end], " ".join(parts), RULE, vetoed))
        if not vetoed:
            plan[i] = tuple(bounds)
    if not plan:
        return spans, np.zeros(len(spans), dtype=bool), rows
    # Rebuild the arrays: a split token of k parts takes k rows.
    n = len(spans)
    reps = np.ones(n, dtype=np.int64)
    for i, bounds in plan.items():
        reps[i] = len(bounds) - 1
    first_row = np.concatenate(([0], np.cumsum(reps)[:-1]))
    nstart = np.repeat(spans.nstart, reps)
    nend = np.repeat(spans.nend, reps)
    normalized = np.repeat(np.asarray(spans.normalized, dtype=object), reps)
    kinds = np.repeat(np.asarray(spans.kind, dtype=object), reps)
    repaired = np.zeros(len(nstart), dtype=bool)
    for i, bounds in plan.items():
        row = int(first_row[i])
        base = int(spans.nstart[i])
        for k, (a, b) in enumerate(pairwise(bounds)):
            nstart[row + k] = a
            nend[row + k] = b
            normalized[row + k] = spans.normalized[i][a - base : b - base]
            repaired[row + k] = True
    return TokenSpans(nstart, nend, normalized.tolist(), kinds.tolist()), repaired, rows


def _surfaces(text: str, norm, starts, ends, n: int, repaired: bool) -> list[str]:
    """``text[start:end]`` for every token.

    When normalization kept every offset (only one-to-one replacements, none of
    which changes a character's class except U+200B → space) and nothing was
    split, the original text splits into exactly the same spans, which the
    regex does in C; otherwise slice token by token.
    """
    if norm.index is None and not repaired and "\u200b" not in text:
        surface = split_original(text)
        if len(surface) == n:
            return surface
    return [text[s:e] for s, e in zip(starts.tolist(), ends.tolist(), strict=True)]


SEPARATOR = "\n\n"  # between documents of a batch: a paragraph break


def _analyse(text: str, doc_id: str, engine: str) -> _DocResult:
    """The text stage on one document, as arrays."""
    return _analyse_batch([(doc_id, text)], engine)[0]


def _analyse_batch(items: list[tuple[str, str]], engine: str) -> list[_DocResult]:
    """The text stage on several documents at once, as arrays per document.

    The texts are joined with a paragraph break and normalized, tokenized and
    repaired in one pass (the per-call costs are paid once per batch); sentences
    and quotes are then found document by document, so nothing crosses a
    document boundary, and offsets are made relative to each document.
    """
    doc_ids = [d for d, _ in items]
    texts = [t for _, t in items]
    lengths = np.array([len(t) for t in texts], dtype=np.int64)
    doc_starts = np.concatenate(([0], np.cumsum(lengths + len(SEPARATOR))[:-1])).astype(np.int64)
    big = SEPARATOR.join(texts)
    norm = normalize(big)
    spans = tokenize(norm, engine=engine)
    spans, repaired, repair_rows = _repair(spans, norm, doc_ids, doc_starts, _vetoes(), big)
    n = len(spans)
    starts = norm.start_offsets(spans.nstart)
    ends = norm.end_offsets(spans.nend)
    surface = _surfaces(big, norm, starts, ends, n, bool(repaired.any()))
    normalized = spans.normalized
    kind = spans.kind

    # Type-level flags, spread to tokens with one take each.
    if spans.codes is not None and spans.uniques is not None:
        codes, uniques = spans.codes, spans.uniques
    else:
        codes, uniques = _types_of(normalized)
    kind_u = [token_kind(u) for u in uniques]
    word_u = np.array([k in WORD_KINDS for k in kind_u], dtype=bool)
    number_u = np.array([k == "number" for k in kind_u], dtype=bool)
    term_u = np.array(
        [k == "punct" and u[0] in TERMINATORS for u, k in zip(uniques, kind_u, strict=True)],
        dtype=bool,
    )
    closer_u = np.array([u[0] in CLOSERS for u in uniques], dtype=bool)
    quote_u = np.array([k == "quote" for k in kind_u], dtype=bool)
    verb_u = np.array(
        [k == "word" and verb_form(u) is not None for u, k in zip(uniques, kind_u, strict=True)],
        dtype=bool,
    )
    if n:
        is_word, is_number = word_u[codes], number_u[codes]
        is_term, is_closer = term_u[codes], closer_u[codes]
        is_quote, is_verb = quote_u[codes], verb_u[codes]
    else:
        is_word = is_number = is_term = is_closer = is_quote = is_verb = np.zeros(0, dtype=bool)

    first = np.searchsorted(starts, doc_starts)
    last = np.searchsorted(starts, doc_starts + lengths)
    repairs_by_doc: dict[int, list[tuple]] = {}
    for row in repair_rows:
        repairs_by_doc.setdefault(row[0], []).append(row)
    results = []
    for k, (doc_id, text) in enumerate(items):
        a, b = int(first[k]), int(last[k])
        base = int(doc_starts[k])
        nbase = int(spans.nstart[a]) if b > a else 0
        local_repairs = [
            (doc_id, r[1] - base, r[2] - base, *r[3:]) for r in repairs_by_doc.get(k, [])
        ]
        results.append(
            _document(
                doc_id,
                text,
                norm.text[nbase : int(spans.nend[b - 1])] if b > a else "",
                spans.nstart[a:b] - nbase,
                spans.nend[a:b] - nbase,
                starts[a:b] - base,
                ends[a:b] - base,
                surface[a:b],
                normalized[a:b],
                kind[a:b],
                repaired[a:b],
                (is_word[a:b], is_number[a:b], is_term[a:b], is_closer[a:b], is_quote[a:b]),
                is_verb[a:b],
                local_repairs,
            )
        )
    return results


def _document(
    doc_id: str,
    text: str,
    ntext: str,
    nstart: np.ndarray,
    nend: np.ndarray,
    starts: np.ndarray,
    ends: np.ndarray,
    surface: list[str],
    normalized: list[str],
    kind: list[str],
    repaired: np.ndarray,
    flags: tuple[np.ndarray, ...],
    is_verb: np.ndarray,
    repair_rows: list[tuple],
) -> _DocResult:
    """Sentences, quotes and quote membership of one document (local offsets)."""
    n = len(surface)
    is_word, is_number, is_term, is_closer, is_quote = flags
    pairs = pair_delimiters(np.flatnonzero(is_quote).tolist(), normalized, ntext, nstart)
    attaches = is_closer.copy()
    for span in pairs:
        attaches[span.close_token] = True
    sent = sentence_ids(
        ntext, nstart, nend, normalized, np.flatnonzero(is_term), is_number, attaches, is_word
    )
    sent_list = sent.tolist()
    if pairs:
        verb_positions = np.flatnonzero(is_verb).tolist()
        _annotate(pairs, normalized, surface, kind, sent_list, verb_positions)

    # Quote membership: innermost quote containing each token.
    quote_id = np.full(n, -1, dtype=np.int64)
    in_quote = np.zeros(n, dtype=bool)
    for qid, span in sorted(
        enumerate(pairs), key=lambda p: p[1].close_token - p[1].open_token, reverse=True
    ):
        quote_id[span.open_token : span.close_token + 1] = qid
        in_quote[span.open_token + 1 : span.close_token] = True
    # A delimiter is in a quote only when it belongs to a quote nested in another.
    for span in pairs:
        for j in (span.open_token, span.close_token):
            in_quote[j] = any(p.open_token < j < p.close_token for p in pairs)

    sentence_rows = []
    if n:
        boundaries = np.flatnonzero(np.diff(sent)) + 1
        firsts = np.concatenate(([0], boundaries))
        lasts = np.concatenate((boundaries - 1, [n - 1]))
        word_counts = np.bincount(sent[is_word], minlength=int(sent[-1]) + 1)
        for k, (a, b) in enumerate(zip(firsts.tolist(), lasts.tolist(), strict=True)):
            s, e = int(starts[a]), int(ends[b])
            sentence_rows.append((doc_id, k, s, e, text[s:e], int(word_counts[k])))
    quote_rows = []
    for qid, span in enumerate(pairs):
        s, e = int(ends[span.open_token]), int(starts[span.close_token])
        quote_rows.append(
            (
                doc_id,
                qid,
                s,
                e,
                text[s:e],
                span.kind,
                span.verb,
                span.speaker,
                sent_list[span.open_token],
            )
        )
    return _DocResult(
        doc_id,
        sent,
        starts,
        ends,
        surface,
        kind,
        normalized,
        in_quote,
        quote_id,
        repaired,
        sentence_rows,
        quote_rows,
        repair_rows,
    )


# Clitic columns per written type. Bounded (emptied when full, then refilled by
# the types in use) so that memory does not grow with the number of types a
# corpus has; an entry is ~0.3 kB. Emptying it costs a new clitic analysis per
# type seen again (measured: 50k entries made 40 MB of text 16 % slower than 2M).
_CLITIC_ROWS: dict[str, tuple] = {}
_CLITIC_ROWS_MAX = 100_000


def _clitic_row(surface: str, kind: str, normalized: str) -> tuple:
    """``(bare, bares, proclitics, enclitic)`` of one token type, cached."""
    row = _CLITIC_ROWS.get(surface)
    if row is None:
        if kind == "word":
            found = analyse_clitics(surface)
            row = (
                found[0].bare,
                tuple(dict.fromkeys(a.bare for a in found)),
                found[0].proclitic_string,
                found[0].enclitic,
            )
        else:
            row = (normalized, (normalized,), "", "")
        if len(_CLITIC_ROWS) >= _CLITIC_ROWS_MAX:
            _CLITIC_ROWS.clear()
        _CLITIC_ROWS[surface] = row
    return row


def _clitic_columns(surface: np.ndarray, kind: np.ndarray, normalized: np.ndarray):
    """Bare/bares/proclitics/enclitic per token, analysed once per written type."""
    n = len(surface)
    if n == 0:
        return (np.empty(0, dtype=object),) * 4
    codes, uniques = pd.factorize(surface, use_na_sentinel=False)
    m = len(uniques)
    # kind and normalized of each type, from its first token
    first = np.full(m, n, dtype=np.int64)
    np.minimum.at(first, codes, np.arange(n, dtype=np.int64))
    columns = [np.empty(m, dtype=object) for _ in range(4)]
    for k, (u, i) in enumerate(zip(uniques, first.tolist(), strict=True)):
        row = _clitic_row(u, kind[i], normalized[i])
        for column, value in zip(columns, row, strict=True):
            column[k] = value
    return tuple(column[codes] for column in columns)


def _obj(values) -> np.ndarray:
    out = np.empty(len(values), dtype=object)
    out[:] = values
    return out


def _tables(results: list[_DocResult]) -> TextTables:
    """Build the four tables for a batch of documents at once."""
    counts = [len(r.surface) for r in results]
    n = sum(counts)
    surface = _obj(list(chain.from_iterable(r.surface for r in results)))
    kind = _obj(list(chain.from_iterable(r.kind for r in results)))
    normalized = _obj(list(chain.from_iterable(r.normalized for r in results)))
    bare, bares, procs, encl = _clitic_columns(surface, kind, normalized)

    def cat(name: str, dtype) -> np.ndarray:
        arrays = [getattr(r, name) for r in results]
        return np.concatenate(arrays).astype(dtype) if arrays else np.zeros(0, dtype=dtype)

    quote_id = cat("quote_id", np.int64)
    tokens = pd.DataFrame(
        {
            "doc_id": np.repeat(_obj([r.doc_id for r in results]), counts),
            "sentence": cat("sentence", np.int64),
            "index": np.concatenate([np.arange(c, dtype=np.int64) for c in counts])
            if counts
            else np.zeros(0, dtype=np.int64),
            "start": cat("start", np.int64),
            "end": cat("end", np.int64),
            "surface": surface,
            "kind": kind,
            "normalized": normalized,
            "bare": bare,
            "bares": bares,
            "proclitics": procs,
            "enclitic": encl,
            "in_quote": cat("in_quote", bool),
            "quote_id": pd.array(quote_id, dtype="Int64").copy(),
            "repaired": cat("repaired", bool),
        },
        columns=TOKEN_COLUMNS,
    )
    if n:
        tokens["quote_id"] = tokens["quote_id"].mask(quote_id < 0)
    for column in _STRING_TOKEN_COLUMNS:
        tokens[column] = tokens[column].astype(str)
    sentences = _rows(chain.from_iterable(r.sentences for r in results), SENTENCE_COLUMNS)
    quotes = _rows(chain.from_iterable(r.quotes for r in results), QUOTE_COLUMNS)
    repairs = _rows(chain.from_iterable(r.repairs for r in results), REPAIR_COLUMNS)
    return TextTables(tokens, sentences, quotes, repairs)


# String columns get pandas' default string dtype (object on pandas 2, "str" on
# pandas 3) whether the table is empty or not, so tables always concatenate cleanly.
_STRING_TOKEN_COLUMNS = [
    "doc_id",
    "surface",
    "kind",
    "normalized",
    "bare",
    "proclitics",
    "enclitic",
]
_INT_COLUMNS = {"sentence", "start", "end", "n_words", "quote_id"}
_BOOL_COLUMNS = {"vetoed"}


def _rows(rows, columns: list[str]) -> pd.DataFrame:
    """A table from row tuples, with the same dtypes whether empty or not."""
    frame = pd.DataFrame(list(rows), columns=columns)
    for column in columns:
        if column in _INT_COLUMNS:
            frame[column] = frame[column].astype(np.int64)
        elif column in _BOOL_COLUMNS:
            frame[column] = frame[column].astype(bool)
        else:
            frame[column] = frame[column].astype(str)
    return frame


def analyse_text(
    text: str, doc_id: str = "doc", *, engine: str = "fast", warn: bool = True
) -> TextTables:
    """Run the whole text stage on one text (the original, BOM already removed).

    ``engine`` chooses the tokenizer (``"fast"`` or ``"pyarabic"``: same tokens).
    With ``warn``, invisible or unusual characters that normalization repairs are
    reported as :class:`~analysis.errors.TextWarning` naming ``doc_id``.
    """
    if warn:
        for message in describe_repairs(text):
            warnings.warn(f"{doc_id}: {message}", TextWarning, stacklevel=2)
    return _tables([_analyse(text, doc_id, engine)])


def analyse_texts(
    texts: Iterable[tuple[str, str]], *, engine: str = "fast", batch: int = 200
) -> Iterator[TextTables]:
    """Analyse ``(doc_id, text)`` pairs, yielding tables for batches of documents.

    Building pandas tables has a fixed cost per call, so large corpora are
    processed in batches of ``batch`` documents: memory stays bounded by one
    batch and the per-table overhead is paid once per batch.
    """
    pending: list[tuple[str, str]] = []
    for doc_id, text in texts:
        pending.append((doc_id, text))
        if len(pending) >= batch:
            yield _tables(_analyse_batch(pending, engine))
            pending = []
    if pending:
        yield _tables(_analyse_batch(pending, engine))


def analyse_document(doc_id_or_path: str | Path, *, engine: str = "fast") -> TextTables:
    """Load a document (by ``doc_id`` or path) and run :func:`analyse_text` on it.

    Loading already warns about repairs (naming the file), so the text stage does
    not warn a second time.
    """
    document = load_document(doc_id_or_path)
    return analyse_text(document.text, document.doc_id, engine=engine, warn=False)


def analyse_corpus(
    selection: Iterable[str] | pd.DataFrame | None = None,
    *,
    engine: str = "fast",
    metadata: str | Path = METADATA_FILE,
) -> TextTables:
    """Analyse documents one at a time (streaming) and concatenate their tables.

    ``metadata`` is the metadata table to read the selection from (default:
    ``corpus/metadata.csv``), so notebooks can run on another corpus folder.
    """
    pairs = ((d.doc_id, d.text) for d in iter_documents(selection, metadata))
    parts = list(analyse_texts(pairs, engine=engine))
    if not parts:
        return _tables([])
    if len(parts) == 1:
        return parts[0]
    return TextTables(
        *(
            pd.concat([getattr(p, name) for p in parts], ignore_index=True)
            for name in ("tokens", "sentences", "quotes", "repairs")
        )
    )


# Frozen copy of analysis.quotes.annotate before its per-document speed-up.
def _speaker_after(verb_i: int, normalized: list[str], kind: list[str], stop: int) -> str:
    """Speaker name (normalized tokens joined) right after token ``verb_i``."""
    words: list[int] = []
    stops = quotes_mod.speaker_stopwords()
    for j in range(verb_i + 1, min(stop, verb_i + 1 + quotes_mod.MAX_SPEAKER_WORDS)):
        tok = normalized[j]
        if kind[j] != "word" or tok in stops or quotes_mod.verb_form(tok):
            break
        previous = normalized[words[-1]] if words else ""
        if words and tok.startswith("ال") and not previous.startswith("ال"):
            if previous not in quotes_mod.NAME_LINKS:
                break
        words.append(j)
    return " ".join(str(j) for j in words)


def _annotate(
    spans: list,
    normalized: list[str],
    surface: list[str],
    kind: list[str],
    sentence: list[int],
    verb_positions: list[int],
) -> None:
    """Fill ``kind``, ``verb`` and ``speaker`` of every span (in place).

    ``verb_positions`` are the indices of word tokens that are speech verbs
    (:func:`verb_form` is not None), in order.
    """
    n = len(normalized)
    # Speech verbs in the text and the speaker named after each.
    verbs = [(i, _speaker_after(i, normalized, kind, n)) for i in verb_positions]

    def name(indices: str) -> str:
        return " ".join(surface[int(j)] for j in indices.split()) if indices else ""

    def written_verb(i: int) -> str:
        tok = surface[i]
        if quotes_mod.verb_form(normalized[i]) != normalized[i] and tok[:1] in ("و", "ف"):
            return tok[1:]
        return tok

    introducers: set[int] = set()  # verbs that directly introduce some quote
    for span in spans:
        o = span.open_token
        s = sentence[o]
        inner_words = sum(
            1 for k in kind[o + 1 : span.close_token] if k != "punct" and k != "quote"
        )
        before = [(i, sp) for i, sp in verbs if i < o and sentence[i] == s]
        direct = None
        if before:
            i, sp = before[-1]
            between = [j for j in range(i + 1, o) if kind[j] in ("word", "latin", "number")]
            speaker_tokens = sp.split()
            if len(between) <= quotes_mod.VERB_WINDOW and all(
                str(j) in speaker_tokens for j in between
            ):
                direct = (i, sp)
                introducers.add(i)
        if direct is not None or inner_words >= quotes_mod.MIN_SPEECH_WORDS:
            span.kind = "speech"
            chosen = direct if direct is not None else (before[-1] if before else None)
            if chosen is not None:
                span.verb = written_verb(chosen[0])
                speaker = chosen[1]
                if not speaker:
                    earlier = [
                        sp for i, sp in verbs if i < chosen[0] and sp and sentence[i] >= s - 1
                    ]
                    speaker = earlier[-1] if earlier else ""
                span.speaker = name(speaker)
    # Attribution after the quote (''…''، قالت حيدر), written here token by token
    # for the differential test of quotes.annotate_batch's array version.
    speaker_of = dict(verbs)
    for span in spans:
        c, j = span.close_token, span.close_token + 2
        if span.kind != "speech" or span.verb or j >= n:
            continue
        if normalized[c + 1] not in ("،", ","):
            continue
        if j in speaker_of and speaker_of[j] and j not in introducers:
            if sentence[j] == sentence[c]:
                span.verb = written_verb(j)
                span.speaker = name(speaker_of[j])
    _full_names(spans)


# Frozen copies of the per-document helpers the previous implementation used
# (removed from the package when the text stage moved to whole batches).


def _full_names(spans: list[quotes_mod.QuoteSpan]) -> None:
    """Give a short speaker mention the full name used for it earlier (in place).

    Frozen copy of ``quotes._full_names`` as it was before ``quotes.full_names``.
    """
    seen: list[tuple[tuple[str, ...], str]] = []
    for span in spans:
        if not span.speaker:
            continue
        words = tuple(normalize_word(w) for w in span.speaker.split())
        for full_words, full in reversed(seen):
            if len(full_words) > len(words) and full_words[-len(words) :] == words:
                span.speaker = full
                break
        else:
            seen.append((words, span.speaker))


def pair_delimiters(positions: list[int], normalized: list[str], text: str, nstart) -> list:
    """Pair the quotation delimiter tokens at ``positions`` into spans (module docstring)."""
    spans: list = []
    open_symmetric: dict[str, int] = {}
    stacks: dict[str, list[int]] = {k: [] for k in quotes_mod.DIRECTIONAL}
    closer_to_opener = {v: k for k, v in quotes_mod.DIRECTIONAL.items()}
    for i in positions:
        tok = normalized[i]
        if tok[0] == "'" or tok == '"':
            key = "''" if tok[0] == "'" else '"'
            if key in open_symmetric:
                opener = open_symmetric.pop(key)
                if "\n" in text[nstart[opener] : nstart[i]]:
                    open_symmetric[key] = i  # the old one was stray: start afresh
                else:
                    spans.append(quotes_mod.QuoteSpan(opener, i))
            else:
                open_symmetric[key] = i
        elif tok[0] in quotes_mod.DIRECTIONAL:
            stacks[tok[0]].append(i)
        elif tok[0] in closer_to_opener:
            stack = stacks[closer_to_opener[tok[0]]]
            if stack:
                spans.append(quotes_mod.QuoteSpan(stack.pop(), i))
    spans.sort(key=lambda s: s.open_token)
    return spans


def sentence_ids(
    text: str,
    nstart: np.ndarray,
    nend: np.ndarray,
    normalized: list[str],
    terminators: np.ndarray,
    is_number: np.ndarray,
    attaches: np.ndarray,
    is_word: np.ndarray,
) -> np.ndarray:
    """0-based sentence number of every token.

    ``text`` is the normalized text the spans point into; ``terminators`` are the
    indices of terminator tokens; ``is_number`` marks number tokens (for decimal
    points); ``attaches[i]`` says token ``i`` is a closing quotation delimiter or
    closing bracket that stays with a sentence ending right before it;
    ``is_word`` marks word, number and Latin tokens.
    """
    n = len(normalized)
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    breaks = np.zeros(n, dtype=bool)  # break after token i
    for i in terminators.tolist():
        if (
            normalized[i] == "."
            and 0 < i < n - 1
            and is_number[i - 1]
            and is_number[i + 1]
            and nend[i - 1] == nstart[i]
            and nend[i] == nstart[i + 1]
        ):
            continue
        j = i
        while j + 1 < n and nstart[j + 1] == nend[j] and attaches[j + 1]:
            j += 1
        breaks[j] = True
    newlines = np.array([m.start() for m in re.compile("\n").finditer(text)], dtype=np.int64)
    if len(newlines):
        following = np.searchsorted(nstart, newlines)
        following = following[following > 0]
        breaks[following - 1] = True
    ids = np.concatenate(([0], np.cumsum(breaks[:-1])))
    # Join segments without words to the sentence before (or after, at the start).
    n_sent = int(ids[-1]) + 1
    has_word = np.zeros(n_sent, dtype=bool)
    has_word[ids[is_word]] = True
    if has_word.all():
        return ids
    target = np.arange(n_sent)
    last = -1
    for s in range(n_sent):
        if has_word[s]:
            last = s
        elif last >= 0:
            target[s] = last
    if has_word.any():
        first_word = int(np.argmax(has_word))
        target[:first_word] = first_word
    keep = np.unique(target)
    renumber = np.searchsorted(keep, target)
    return renumber[ids]


def split_original(text: str) -> list[str]:
    """The fast engine's token strings for ``text`` itself (no normalization)."""
    return _tokens_mod._spans_fast(text)[1]
