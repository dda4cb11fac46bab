"""The text stage in one call: normalize, tokenize, repair, quotes, sentences, clitics.

``analyse_text`` returns the four tidy tables of docs/design.md (tokens,
sentences, quotes, repairs); ``analyse_document`` loads a document first;
``analyse_corpus`` streams documents one at a time and concatenates the tables.
Every ``start``/``end`` is an offset into the original text (BOM removed).
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path

import numpy as np
import pandas as pd

from analysis import quotes as quotes_mod
from analysis.clitics import analyse_clitics
from analysis.corpus import iter_documents, load_document
from analysis.errors import TextWarning
from analysis.normalize import describe_repairs, normalize
from analysis.repair import RULE, find_split, is_vetoed, read_vetoes
from analysis.sentences import WORD_KINDS, sentence_ids
from analysis.tokens import TokenSpans, tokenize

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


def _repair(
    spans: TokenSpans, norm, doc_id: str, vetoes, original: str
) -> tuple[TokenSpans, np.ndarray, list[dict]]:
    """Split run-together word tokens; returns new spans, repaired flags, audit rows."""
    rows: list[dict] = []
    plan: dict[int, tuple[int, ...]] = {}
    cache: dict[str, tuple[int, ...] | None] = {}
    for i, (tok, kind) in enumerate(zip(spans.normalized, spans.kind, strict=True)):
        if kind != "word" or len(tok) < 6:
            continue
        cuts = cache.get(tok, ())
        if cuts == ():
            cuts = cache[tok] = find_split(tok)
        if not cuts:
            continue
        s, e = int(spans.nstart[i]), int(spans.nend[i])
        bounds = [s, *(s + c for c in cuts), e]
        o_start, o_end = norm.span(s, e)
        parts = [original[slice(*norm.span(a, b))] for a, b in pairwise(bounds)]
        vetoed = is_vetoed(vetoes, doc_id, tok)
        rows.append(
            {
                "doc_id": doc_id,
                "start": o_start,
                "end": o_end,
                "original": original[o_start:o_end],
                "replacement": " ".join(parts),
                "rule": RULE,
                "vetoed": vetoed,
            }
        )
        if not vetoed:
            plan[i] = tuple(bounds)
    repaired = np.zeros(len(spans), dtype=bool)
    if not plan:
        return spans, repaired, rows
    nstart: list[int] = []
    nend: list[int] = []
    normalized: list[str] = []
    kinds: list[str] = []
    flags: list[bool] = []
    for i in range(len(spans)):
        if i in plan:
            bounds = plan[i]
            base = int(spans.nstart[i])
            for a, b in pairwise(bounds):
                nstart.append(a)
                nend.append(b)
                normalized.append(spans.normalized[i][a - base : b - base])
                kinds.append("word")
                flags.append(True)
        else:
            nstart.append(int(spans.nstart[i]))
            nend.append(int(spans.nend[i]))
            normalized.append(spans.normalized[i])
            kinds.append(spans.kind[i])
            flags.append(False)
    new = TokenSpans(
        np.array(nstart, dtype=np.int64), np.array(nend, dtype=np.int64), normalized, kinds
    )
    return new, np.array(flags, dtype=bool), rows


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
    norm = normalize(text)
    spans = tokenize(norm, engine=engine)
    spans, repaired, repair_rows = _repair(spans, norm, doc_id, read_vetoes(), text)
    n = len(spans)
    starts = norm.start_offsets(spans.nstart)
    ends = norm.end_offsets(spans.nend)
    surface = [text[s:e] for s, e in zip(starts.tolist(), ends.tolist(), strict=True)]

    pairs = quotes_mod.pair_delimiters(spans.normalized, spans.kind, norm.text, spans.nstart)
    closing = np.array(quotes_mod.closing_flags(pairs, n), dtype=bool)
    sent = sentence_ids(norm.text, spans.nstart, spans.nend, spans.normalized, spans.kind, closing)
    sent_list = sent.tolist()
    quotes_mod.annotate(pairs, spans.normalized, surface, spans.kind, sent_list)

    # Quote membership: innermost quote containing each token.
    quote_id = np.full(n, -1, dtype=np.int64)
    in_quote = np.zeros(n, dtype=bool)
    for qid, span in sorted(
        enumerate(pairs), key=lambda p: p[1].close_token - p[1].open_token, reverse=True
    ):
        inner = slice(span.open_token + 1, span.close_token)
        quote_id[span.open_token : span.close_token + 1] = qid
        in_quote[inner] = True
        in_quote[span.open_token] = in_quote[span.close_token] = False
    # Delimiters of a quote nested in another are inside the outer one.
    for span in pairs:
        for j in (span.open_token, span.close_token):
            in_quote[j] = any(p.open_token < j < p.close_token for p in pairs)

    # Clitic analysis, once per written word type.
    analyses: dict[str, tuple] = {}
    bare: list[str] = []
    bares: list[tuple[str, ...]] = []
    procs: list[str] = []
    encl: list[str] = []
    for tok, norm_tok, kind in zip(surface, spans.normalized, spans.kind, strict=True):
        if kind != "word":
            bare.append(norm_tok)
            bares.append((norm_tok,))
            procs.append("")
            encl.append("")
            continue
        row = analyses.get(tok)
        if row is None:
            found = analyse_clitics(tok)
            row = analyses[tok] = (
                found[0].bare,
                tuple(dict.fromkeys(a.bare for a in found)),
                found[0].proclitic_string,
                found[0].enclitic,
            )
        bare.append(row[0])
        bares.append(row[1])
        procs.append(row[2])
        encl.append(row[3])

    tokens = pd.DataFrame(
        {
            "doc_id": pd.Series([doc_id] * n, dtype=object),
            "sentence": sent.astype(np.int64),
            "index": np.arange(n, dtype=np.int64),
            "start": starts.astype(np.int64),
            "end": ends.astype(np.int64),
            "surface": pd.Series(surface, dtype=object),
            "kind": pd.Series(spans.kind, dtype=object),
            "normalized": pd.Series(spans.normalized, dtype=object),
            "bare": pd.Series(bare, dtype=object),
            "bares": pd.Series(bares, dtype=object),
            "proclitics": pd.Series(procs, dtype=object),
            "enclitic": pd.Series(encl, dtype=object),
            "in_quote": in_quote,
            "quote_id": pd.array(np.where(quote_id >= 0, quote_id, 0), dtype="Int64"),
            "repaired": repaired,
        },
        columns=TOKEN_COLUMNS,
    )
    tokens.loc[quote_id < 0, "quote_id"] = pd.NA

    # Sentences.
    is_word = np.fromiter((k in WORD_KINDS for k in spans.kind), dtype=bool, count=n)
    sentence_rows = []
    if n:
        boundaries = np.flatnonzero(np.diff(sent)) + 1
        firsts = np.concatenate(([0], boundaries))
        lasts = np.concatenate((boundaries - 1, [n - 1]))
        word_counts = np.bincount(sent[is_word], minlength=int(sent[-1]) + 1)
        for k, (a, b) in enumerate(zip(firsts.tolist(), lasts.tolist(), strict=True)):
            s, e = int(starts[a]), int(ends[b])
            sentence_rows.append(
                {
                    "doc_id": doc_id,
                    "sentence": k,
                    "start": s,
                    "end": e,
                    "text": text[s:e],
                    "n_words": int(word_counts[k]),
                }
            )
    sentences = pd.DataFrame(sentence_rows, columns=SENTENCE_COLUMNS)

    quote_rows = []
    for qid, span in enumerate(pairs):
        s, e = int(ends[span.open_token]), int(starts[span.close_token])
        quote_rows.append(
            {
                "doc_id": doc_id,
                "quote_id": qid,
                "start": s,
                "end": e,
                "text": text[s:e],
                "kind": span.kind,
                "verb": span.verb,
                "speaker": span.speaker,
                "sentence": sent_list[span.open_token],
            }
        )
    quote_table = pd.DataFrame(quote_rows, columns=QUOTE_COLUMNS)
    repairs = pd.DataFrame(repair_rows, columns=REPAIR_COLUMNS)
    return TextTables(_types(tokens), _types(sentences), _types(quote_table), _types(repairs))


_INT_COLUMNS = {"sentence", "index", "start", "end", "n_words", "quote_id"}
_BOOL_COLUMNS = {"in_quote", "repaired", "vetoed"}


def _types(frame: pd.DataFrame) -> pd.DataFrame:
    """Give empty and non-empty tables the same dtypes."""
    for column in frame.columns:
        if column == "quote_id" and "in_quote" in frame.columns:
            frame[column] = frame[column].astype("Int64")
        elif column in _INT_COLUMNS:
            frame[column] = frame[column].astype(np.int64)
        elif column in _BOOL_COLUMNS:
            frame[column] = frame[column].astype(bool)
        else:
            frame[column] = frame[column].astype(object)
    return frame


def analyse_document(doc_id_or_path: str | Path, *, engine: str = "fast") -> TextTables:
    """Load a document (by ``doc_id`` or path) and run :func:`analyse_text` on it.

    Loading already warns about repairs (naming the file), so the text stage does
    not warn a second time.
    """
    document = load_document(doc_id_or_path)
    return analyse_text(document.text, document.doc_id, engine=engine, warn=False)


def analyse_corpus(
    selection: Iterable[str] | pd.DataFrame | None = None, *, engine: str = "fast"
) -> TextTables:
    """Analyse documents one at a time (streaming) and concatenate their tables."""
    parts: list[TextTables] = []
    for document in iter_documents(selection):
        parts.append(analyse_text(document.text, document.doc_id, engine=engine, warn=False))
    if not parts:
        return analyse_text("", "", warn=False)
    return TextTables(
        *(
            _types(pd.concat([getattr(p, name) for p in parts], ignore_index=True))
            for name in ("tokens", "sentences", "quotes", "repairs")
        )
    )
