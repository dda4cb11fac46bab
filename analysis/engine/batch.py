"""How the text rules run over many documents at once, fast, with no linguistics of their own.

A batch of documents is joined with a paragraph break and cut at whitespace
into chunks (``str.split``). Each distinct chunk is tokenized once and each
distinct written token analysed once (:class:`~analysis.engine.vocabulary.Vocabulary`);
every occurrence then gets its answers with numpy array look-ups. The rules that
need context — run-together repairs, sentences, quotation marks — run on those
arrays; quotations, which are rare, are read one by one. Everything the rules
decide is in :mod:`analysis.text`; this module only moves data.

The result, a :class:`Batch`, holds one entry per token (``type_id``, offsets,
sentence, quote) plus the quotes and repairs found; :mod:`analysis.engine.tables`
turns it into the tidy tables.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from analysis.engine.vocabulary import Vocabulary
from analysis.text import quotes as quote_rules
from analysis.text import sentences as sentence_rules
from analysis.text.repair import RULE
from analysis.text.wordtype import (
    CLOSE_BRACKET,
    CLOSER,
    CONTENT,
    CONTINUES,
    DOT,
    ELLIPSIS,
    LATIN_OR_NUMBER,
    NUMBER,
    OPEN_BRACKET,
    QUOTE,
    RUN_TOGETHER,
    SINGLE_LETTER,
    SOFT_PUNCT,
    TERMINATOR,
)

SEPARATOR = "\n\n"  # between the documents of a batch: a paragraph break
_WHITESPACE = np.array([chr(c).isspace() for c in range(0x10000)], dtype=bool)


@dataclass
class Batch:
    """The text stage's result for a batch of documents, one array entry per token.

    ``start``/``end`` are offsets into each token's own document; ``sentence``
    and quote numbers count from 0 within each document. ``quotes`` and
    ``repairs`` are lists of dicts (the rows of the quotes and repairs tables).
    """

    doc_ids: list[str]
    texts: list[str]
    vocabulary: Vocabulary
    doc: np.ndarray
    type_id: np.ndarray
    start: np.ndarray
    end: np.ndarray
    repaired: np.ndarray
    sentence: np.ndarray
    quote_id: np.ndarray
    in_quote: np.ndarray
    quotes: list[dict] = field(default_factory=list)
    repairs: list[dict] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.type_id)


@dataclass
class _Tokens:
    """Token arrays while the batch is built (offsets into the joined text)."""

    type_id: np.ndarray
    start: np.ndarray
    end: np.ndarray
    touches: np.ndarray
    repaired: np.ndarray


def analyse_batch(items: list[tuple[str, str]], vocabulary: Vocabulary) -> Batch:
    """Run the text stage on ``(doc_id, text)`` pairs (texts as read, BOM removed)."""
    doc_ids = [str(d) for d, _ in items]
    texts = [t for _, t in items]
    joined = SEPARATOR.join(texts)
    lengths = np.array([len(t) for t in texts], dtype=np.int64)
    doc_starts = np.concatenate(([0], np.cumsum(lengths + len(SEPARATOR))[:-1])).astype(np.int64)
    tokens, chunk_ids, newlines, blank_lines = _tokens(joined, vocabulary)
    tokens, repairs = _repair(tokens, joined, doc_ids, doc_starts, vocabulary)
    vocabulary.count_uses(tokens.type_id, chunk_ids)
    doc = np.searchsorted(doc_starts, tokens.start, side="right") - 1
    flags = vocabulary.flags()[tokens.type_id]
    line = np.searchsorted(newlines, tokens.start)
    paragraph = _paragraphs(line, np.searchsorted(blank_lines, tokens.start), doc)
    pairs = _pair_quotes(flags, tokens, paragraph, doc, vocabulary)
    sentence = _sentences(tokens, flags, line, doc, pairs)
    first = np.searchsorted(doc, np.arange(len(items)))
    local_sentence = sentence - sentence[first[doc]] if len(doc) else sentence
    quotes, quote_id, in_quote = _quotes(
        pairs, flags, local_sentence, paragraph, doc, first, tokens, vocabulary
    )
    for row in quotes:
        base = doc_starts[row["doc"]]
        row["start"], row["end"] = (
            int(tokens.end[row["open"]] - base),
            int(tokens.start[row["close"]] - base),
        )
        row["text"] = joined[row["start"] + base : row["end"] + base]
    base = doc_starts[doc]
    return Batch(
        doc_ids=doc_ids,
        texts=texts,
        vocabulary=vocabulary,
        doc=doc,
        type_id=tokens.type_id,
        start=tokens.start - base,
        end=tokens.end - base,
        repaired=tokens.repaired,
        sentence=local_sentence,
        quote_id=quote_id,
        in_quote=in_quote,
        quotes=quotes,
        repairs=repairs,
    )


def _tokens(
    text: str, vocabulary: Vocabulary
) -> tuple[_Tokens, np.ndarray, np.ndarray, np.ndarray]:
    """Every token of ``text``, the chunk ids met, and the positions of its line breaks.

    Line breaks twice: all of them, and those that begin a blank line (a line
    break followed by nothing but whitespace up to the next line break).
    """
    codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    space = _WHITESPACE[np.minimum(codes, 0xFFFF)]
    starts_chunk = ~space & np.concatenate(([True], space[:-1]))
    ends_chunk = ~space & np.concatenate((space[1:], [True]))
    chunk_start, chunk_end = np.flatnonzero(starts_chunk), np.flatnonzero(ends_chunk) + 1
    chunks = text.split()
    assert len(chunks) == len(chunk_start), "str.split and the whitespace table disagree"
    found = vocabulary.lookup(chunks)
    single = found >= 0  # the chunk is one token, found is its type id; else -1 - chunk id
    table = vocabulary.chunk_tokens()
    count = np.ones(len(found), dtype=np.int64)
    count[~single] = table["count"][-1 - found[~single]]
    chunk_of = np.repeat(np.arange(len(found)), count)
    first_token = np.cumsum(count) - count
    tokens = _Tokens(
        type_id=np.zeros(len(chunk_of), dtype=np.int64),
        start=chunk_start[chunk_of],
        end=chunk_end[chunk_of],
        touches=np.zeros(len(chunk_of), dtype=bool),
        repaired=np.zeros(len(chunk_of), dtype=bool),
    )
    tokens.type_id[first_token[single]] = found[single]
    several = np.flatnonzero(~single[chunk_of])  # tokens of chunks of several tokens
    if len(several):
        chunk = chunk_of[several]
        rows = table["first"][-1 - found[chunk]] + several - first_token[chunk]
        tokens.type_id[several] = table["type"][rows]
        tokens.start[several] = chunk_start[chunk] + table["start"][rows]
        tokens.end[several] = chunk_start[chunk] + table["end"][rows]
        tokens.touches[several] = table["touches"][rows] != 0
    newlines = np.flatnonzero(codes == 10)
    text_before = np.cumsum(~space)[newlines]  # non-space characters up to each line break
    blank_lines = newlines[:-1][text_before[1:] == text_before[:-1]]
    return tokens, -1 - found[~single], newlines, blank_lines


def _repair(
    tokens: _Tokens, text: str, doc_ids: list[str], doc_starts: np.ndarray, vocabulary: Vocabulary
) -> tuple[_Tokens, list[dict]]:
    """Split the run-together words (their types carry ``pieces``) unless a veto refuses it."""
    flags = vocabulary.flags()
    split = np.flatnonzero(flags[tokens.type_id] & RUN_TOGETHER)
    if len(split) == 0:
        return tokens, []
    rows, made = [], []
    for i in split.tolist():
        word = vocabulary.types[tokens.type_id[i]]
        doc = int(np.searchsorted(doc_starts, tokens.start[i], side="right") - 1)
        vetoed = vocabulary.data.is_vetoed(doc_ids[doc], word.normalized)
        base = int(doc_starts[doc])
        rows.append(
            {
                "doc": doc,
                "start": int(tokens.start[i]) - base,
                "end": int(tokens.end[i]) - base,
                "original": word.surface,
                "replacement": " ".join(word.surface[a:b] for a, b in word.pieces),
                "rule": RULE,
                "vetoed": vetoed,
            }
        )
        if not vetoed:
            made.append(i)
    if not made:
        return tokens, rows
    return _split_tokens(tokens, np.array(made, dtype=np.int64), vocabulary), rows


def _split_tokens(tokens: _Tokens, made: np.ndarray, vocabulary: Vocabulary) -> _Tokens:
    """The token arrays with each token of ``made`` replaced by its pieces."""
    pieces = [vocabulary.types[t].pieces for t in tokens.type_id[made].tolist()]
    repeat = np.ones(len(tokens.type_id), dtype=np.int64)
    repeat[made] = [len(p) for p in pieces]
    out = _Tokens(*(np.repeat(column, repeat) for column in vars(tokens).values()))
    row = np.concatenate(([0], np.cumsum(repeat)[:-1]))
    for i, spans in zip(made.tolist(), pieces, strict=True):
        surface = vocabulary.types[tokens.type_id[i]].surface
        for k, (a, b) in enumerate(spans):
            r = row[i] + k
            out.type_id[r] = vocabulary.type_id(surface[a:b])
            out.start[r], out.end[r] = tokens.start[i] + a, tokens.start[i] + b
            out.touches[r] = tokens.touches[i] if k == 0 else True
            out.repaired[r] = True
    return out


def _paragraphs(line: np.ndarray, block: np.ndarray, doc: np.ndarray) -> np.ndarray:
    """Paragraph of every token, numbered consecutively over the paragraphs with tokens.

    ``line`` and ``block`` count the line breaks and the blank lines before each
    token. A document whose breaks between tokens are mostly blank lines (at
    least as many as single line breaks) has paragraphs separated by blank
    lines; any other has a paragraph per line (:mod:`analysis.text.quotes`).
    """
    if len(doc) == 0:
        return line
    same_doc = np.diff(doc) == 0
    blank = same_doc & (np.diff(block) != 0)
    single = same_doc & (np.diff(line) != 0) & ~blank
    n_docs = int(doc[-1]) + 1
    blanks = np.bincount(doc[1:][blank], minlength=n_docs)
    singles = np.bincount(doc[1:][single], minlength=n_docs)
    by_blank_lines = (blanks > 0) & (blanks >= singles)
    paragraph = np.where(by_blank_lines[doc], block, line)
    changes = (np.diff(paragraph) != 0) | ~same_doc
    return np.concatenate(([0], np.cumsum(changes)))


def _pair_quotes(flags, tokens: _Tokens, paragraph, doc, vocabulary) -> list[tuple[int, int]]:
    """Paired quotation marks of the batch, document by document (token positions)."""
    marks = np.flatnonzero(flags & QUOTE)
    pairs: list[tuple[int, int]] = []
    if len(marks) == 0:
        return pairs
    content = (flags & CONTENT) != 0
    words_before = np.cumsum(content) - content
    # Written as a closing mark: glued to the token before, not to a word after.
    word_after = np.zeros(len(flags), dtype=bool)
    word_after[:-1] = tokens.touches[1:] & content[1:]
    closing = tokens.touches & ~word_after
    mark_doc = doc[marks]
    for group in np.split(marks, np.flatnonzero(np.diff(mark_doc)) + 1):
        pairs += quote_rules.pair_marks(
            [
                quote_rules.Mark(
                    m,
                    vocabulary.types[tokens.type_id[m]].normalized,
                    int(paragraph[m]),
                    bool(closing[m]),
                    int(words_before[m]),
                )
                for m in group.tolist()
            ]
        )
    return pairs


def _sentences(tokens: _Tokens, flags, line, doc, pairs) -> np.ndarray:
    """Batch-wide sentence numbers (:func:`analysis.text.sentences.sentence_numbers`)."""
    attaches = (flags & CLOSER) != 0
    attaches[[close for _, close in pairs]] = True
    line_break_after = np.zeros(len(doc), dtype=bool)
    line_break_after[:-1] = line[1:] > line[:-1]
    line_break_after &= ~sentence_rules.quoted_line_breaks(line, pairs)
    terminator = (flags & TERMINATOR) != 0
    marks = sentence_rules.TokenMarks(
        terminator=terminator,
        ellipsis=(flags & ELLIPSIS) != 0,
        dot=(flags & DOT) != 0,
        continues=(flags & CONTINUES) != 0,
        soft_punct=(flags & SOFT_PUNCT) != 0,
        open_bracket=(flags & OPEN_BRACKET) != 0,
        close_bracket=(flags & CLOSE_BRACKET) != 0,
        latin_or_number=(flags & LATIN_OR_NUMBER) != 0,
        number=(flags & NUMBER) != 0,
        single_letter=(flags & SINGLE_LETTER) != 0,
        content=(flags & CONTENT) != 0,
        touches=tokens.touches,
        line_break_after=line_break_after,
        doc=doc,
    )
    return sentence_rules.sentence_numbers(
        terminator=terminator,
        pause=sentence_rules.pauses(marks),
        attaches=attaches,
        touches=tokens.touches,
        line_break_after=line_break_after,
        content=(flags & CONTENT) != 0,
        doc=doc,
    )


def _quotes(pairs, flags, sentence, paragraph, doc, first, tokens: _Tokens, vocabulary):
    """Quote rows, each token's innermost quote number, and whether it is inside a quote.

    Kind, verb and speaker come from :func:`analysis.text.quotes.annotate`.
    """
    n = len(doc)
    quote_id = np.full(n, -1, dtype=np.int64)
    in_quote = np.zeros(n, dtype=bool)
    rows: list[dict] = []
    types = vocabulary.types
    by_doc: dict[int, list[tuple[int, int]]] = {}
    for o, c in pairs:
        by_doc.setdefault(int(doc[o]), []).append((o, c))
    for d, doc_pairs in sorted(by_doc.items()):
        base = int(first[d])
        end = int(first[d + 1]) if d + 1 < len(first) else n
        ids = tokens.type_id[base:end]
        view = quote_rules.Document(
            flags=flags[base:end],
            sentence=sentence[base:end],
            paragraph=paragraph[base:end],
            ids=ids,
            word=lambda i, ids=ids: types[ids[i]],
            data=vocabulary.data,
        )
        local = [(o - base, c - base) for o, c in doc_pairs]
        for number, q in enumerate(quote_rules.annotate(view, local)):
            rows.append(
                {"doc": d, "quote_id": number, "open": q.open + base, "close": q.close + base,
                 "kind": q.kind, "verb": q.verb, "speaker": q.speaker,
                 "sentence": int(sentence[q.open + base])}
            )  # fmt: skip
        # Longest first, so that a nested quote's number is written over its host's.
        for number in sorted(range(len(local)), key=lambda k: local[k][0] - local[k][1]):
            o, c = doc_pairs[number]
            quote_id[o : c + 1] = number
            in_quote[o + 1 : c] = True
    return rows, quote_id, in_quote
