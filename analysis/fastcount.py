r"""Corpus-scale counting without token tables: words, sentences and frame hits per document.

The full route (:func:`analysis.pipeline.analyse_text` → per-token pandas tables →
:func:`analysis.frames.match_lexicon`) does Python and pandas work for every token.
Counting a large corpus needs much less: per document the number of word tokens,
the number of sentences, and the frame hits with their voice. This module gets
exactly the same answers (``tests/test_fastcount.py`` checks it differentially) by
doing per-*document* work in C (``str.translate``, ``re``, ``collections.Counter``)
and Python work only per word *type* (cached across documents) and per *candidate*:

1. **Normalize** the document with :func:`analysis.normalize.normalize` (one
   ``str.translate``), keeping the offset map.
2. **Words**: the word, number and Latin tokens of :mod:`analysis.tokens` are
   exactly the ``\w+`` runs of the normalized text, so one ``findall`` and a
   ``Counter`` give the types; kind (``word`` = has an Arabic letter) and the
   run-together repair (:func:`analysis.repair.find_split`, vetoes per document)
   are looked up per type, so ``n_words`` counts repaired parts as the pipeline does.
3. **Sentences**: :mod:`analysis.sentences` breaks after every terminator
   (``. ! ? ؟ · … ۔``, not a decimal point between two touching numbers) and at
   every line break, then joins segments without a word to the sentence before.
   Closing marks that attach to a sentence are never words, so the sentence of a
   *word* depends only on the break positions: sentence ``k`` is the ``k``-th
   segment between breaks that contains a ``\w`` character.
4. **Frame candidates**: a word type can start a hit only if one of its
   comparison keys (its written form or a candidate bare form from
   :func:`analysis.clitics.analyse_clitics`, teh marbuta folded) is the first word
   of a lexicon form. An Aho-Corasick automaton of those keys (pyahocorasick)
   filters types by substring; survivors get the clitic test on the normalized
   form (a written hamza on an alef can only remove segmentations, so this is a
   superset). Results are cached per type.
5. **Exact matching on candidate sentences only**: each sentence holding a
   candidate is run through the text stage's own code
   (``analysis.pipeline._analyse_batch``, many sentences in one pass) and the
   resulting small token table through :func:`analysis.frames.match_lexicon`, so
   tokens, clitics, article rule, adjacency, guards (windows never leave a
   sentence) and longest-match-wins are the frame matcher's own rules.
6. **Voice**: quotation delimiters are found with one regex and paired by
   :func:`analysis.quotes.pair_delimiters` (on the delimiters only); a hit inside
   a quotation takes the innermost one (fewest tokens, as the pipeline does), and
   that quotation is typed (speech/term, verb, speaker) by
   :func:`analysis.quotes.annotate` on a window of text from the start of the
   sentence before it to its closing mark, which holds everything the rules
   look at.

Speed (``benchmarks/bench_fastcount.py``, 50 MB synthetic corpus, 2 shared cores
at load 2–5, one run; numbers vary ±30 % between runs): bare ``re.findall`` 38
MB/s; fastcount 2.0 MB/s cold (0.054×), 2.3 MB/s warm; counts only
(``match_frames=False``) 4.5 MB/s (0.12×); on the same 5 MB slice, cold, 1.5× the
full pipeline (which is already batched per 200 documents). Peak RSS 254 MB at
5 MB, 329 MB at 50 MB (per-type caches; the word-frequency list is ~110 MB);
counts only stays at 256 MB. The issues' 0.5× target is not met: normalization
alone (one ``str.translate``) runs at ~0.6× the regex here, and the per-document
Python work (sentence segments, candidate and quotation windows through the text
stage, the matcher) costs the rest.

What is *not* produced: token indices (``token_start``/``token_end`` of the hits
table) and the guard exclusions; use the full pipeline for KWIC and audits.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import pairwise

import ahocorasick
import numpy as np
import pandas as pd

from analysis import pipeline
from analysis import quotes as quotes_mod
from analysis.clitics import analyse_clitics
from analysis.frames import WORD, _compile, _has_article, _match, _Tokens
from analysis.lexicon import Lexicon, load_frame_lexicon, match_key
from analysis.normalize import NormalizedText, normalize
from analysis.repair import MIN_LENGTH, find_split, is_vetoed
from analysis.sentences import TERMINATORS
from analysis.tokens import _SPLIT_RE, QUOTE_CHARS, token_kind

__all__ = ["HIT_COLUMNS", "SUMMARY_COLUMNS", "FastCounts", "FastCounter", "count_corpus"]

SUMMARY_COLUMNS = [
    "doc_id",
    "n_chars",
    "n_tokens",
    "n_words",
    "n_sentences",
    "n_quotes",
    "n_repairs",
    "n_hits",
]
HIT_COLUMNS = [
    "doc_id",
    "sentence",
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
]

_WORD_RE = re.compile(r"\w+")
_OTHER_TOKEN_RE = re.compile(r"'+|([^\w\s'])\1*")  # the tokenizer's non-word tokens
_WORDCHAR_RE = re.compile(r"\w")
_BREAK_RE = re.compile("[" + re.escape("".join(sorted(TERMINATORS))) + "\n]")
_DECIMAL_RE = re.compile(r"(?<=\w)\.(?=\w)")
_DELIMITER_RE = re.compile("'{2,}|([" + re.escape(QUOTE_CHARS) + r"])\1*")
MAX_CACHED_TYPES = 2_000_000  # per-type caches stop growing here (memory stays bounded)


@dataclass
class FastCounts:
    """Per-document counts and the frame hits of a batch of documents.

    ``documents``: ``doc_id``, ``n_words`` (tokens of kind ``word``, after
    run-together repairs), ``n_sentences``. ``hits``: the columns of
    :data:`HIT_COLUMNS` (category column named after the lexicon), identical to the
    same columns of :func:`analysis.frames.match_lexicon` on the full pipeline.
    """

    documents: pd.DataFrame
    hits: pd.DataFrame


@dataclass
class _Doc:
    """Level-A facts about one document (offsets into its normalized text)."""

    doc_id: str
    text: str
    norm: NormalizedText
    breaks: list[int]  # positions of sentence breaks
    rank: list[int]  # per segment: sentence number of the last word segment ≤ it (-1: none)
    seg_has_word: list[bool]
    delimiters: list[tuple[int, int]]  # (start, end) of quotation delimiter tokens
    spans: list[quotes_mod.QuoteSpan] | None = None


class FastCounter:
    """Counts words, sentences and frame hits of documents (module docstring).

    One instance keeps its per-type caches across calls, so reuse it for a whole
    corpus (and one per worker process).
    """

    def __init__(self, lexicon: Lexicon | None = None, *, match_frames: bool = True) -> None:
        self.lexicon = lexicon or load_frame_lexicon()
        _, first = _compile(self.lexicon)
        self._first_keys = frozenset(first)
        self._automaton = ahocorasick.Automaton()
        for key in self._first_keys:
            variants = {key}
            if key.endswith("ه"):  # a stem in ت before an enclitic restores ة (folded ه)
                variants.add(key[:-1] + "ت")
            for v in variants:
                self._automaton.add_word(v, v)
        self._automaton.make_automaton()
        self._word_info: dict[str, tuple[bool, tuple[int, ...] | None]] = {}
        self._candidate: dict[str, bool] = {}
        self._token_cache: dict[tuple[str, str], tuple] = {}
        self._seen: set[str] = set()
        self._verbs: dict[str, bool] = {}
        self._word_types: set[str] = set()
        self._split_types: set[str] = set()
        self._candidate_types: set[str] = set()
        guards = [g.window for gs in self.lexicon.entries["guards"] for g in gs]
        self._guard = max(guards, default=0)
        self._longest = max(len(w) for fs in self.lexicon.entries["forms"] for w in fs)
        self.column = self.lexicon.column
        #: False: counts only (no frame matching, ``n_hits`` is NA); about 4× faster.
        self.match_frames = match_frames

    # ------------------------------------------------------------------ types

    def _info(self, word: str) -> tuple[bool, tuple[int, ...] | None]:
        r"""``(is a word-kind token, repair cut points or None)`` of a ``\w+`` type."""
        info = self._word_info.get(word)
        if info is None:
            is_word = token_kind(word) == "word"
            cuts = find_split(word) if is_word and len(word) >= MIN_LENGTH else None
            info = (is_word, cuts)
            if len(self._word_info) < MAX_CACHED_TYPES:
                self._word_info[word] = info
        return info

    def _is_candidate(self, word: str) -> bool:
        r"""Whether a ``\w+`` type may be the first word of a lexicon form (superset)."""
        found = self._candidate.get(word)
        if found is None:
            found = self._test_candidate(word)
            if len(self._candidate) < MAX_CACHED_TYPES:
                self._candidate[word] = found
        return found

    def _test_candidate(self, word: str) -> bool:
        folded = match_key(word)
        if next(self._automaton.iter(folded), None) is None:
            return False  # no key is even a substring
        is_word, cuts = self._info(word)
        if not is_word:
            return False
        if cuts is not None:
            return True  # repaired parts: keep (a vetoed repair leaves it whole)
        # The clitic analysis of the written form may differ from the normalized
        # one only by a hamza on an alef (أل is not the article), and such a hamza
        # only removes segmentations; the normalized form's keys are a superset.
        keys = {folded, *(match_key(a.bare) for a in analyse_clitics(word))}
        return not keys.isdisjoint(self._first_keys)

    # ------------------------------------------------------------------ level A

    def _scan(
        self, doc_id: str, text: str, vetoes: list
    ) -> tuple[_Doc, tuple[int, int, int], list[int]]:
        """Normalize and count one document.

        Returns the document's facts, ``(n_tokens, n_words, n_repairs)`` and the
        normalized start of every candidate word.
        """
        norm = normalize(text)
        nt = norm.text
        counts = Counter(_WORD_RE.findall(nt))
        types = counts.keys()
        # Types seen before are classified by set operations (C loops); only new
        # types are looked at in Python.
        word_types, split_types, candidate_types = (
            self._word_types,
            self._split_types,
            self._candidate_types,
        )
        new = types - self._seen
        if new:
            if len(self._seen) + len(new) > MAX_CACHED_TYPES:  # keep memory bounded
                word_types, split_types, candidate_types = (
                    set(word_types),
                    set(split_types),
                    set(candidate_types),
                )
            else:
                self._seen |= new
            for word in new:
                is_word, cuts = self._info(word)
                if is_word:
                    word_types.add(word)
                    if cuts is not None:
                        split_types.add(word)
                if self.match_frames and self._is_candidate(word):
                    candidate_types.add(word)
        n_words = sum(map(counts.__getitem__, types & word_types))
        n_tokens = sum(counts.values()) + len(_OTHER_TOKEN_RE.findall(nt))
        n_repairs = 0
        for word in types & split_types:
            if not is_vetoed(vetoes, doc_id, word):
                extra = counts[word] * len(self._info(word)[1])  # type: ignore[arg-type]
                n_words += extra
                n_tokens += extra
                n_repairs += counts[word]
        candidates = types & candidate_types
        # Sentence breaks: terminators (not a decimal point) and line breaks.
        breaks = [m.start() for m in _BREAK_RE.finditer(nt)]
        if "." in nt:
            decimals = {
                m.start()
                for m in _DECIMAL_RE.finditer(nt)
                if token_kind(_word_around(nt, m.start() - 1)) == "number"
                and token_kind(_word_around(nt, m.start() + 1)) == "number"
            }
            if decimals:
                breaks = [b for b in breaks if b not in decimals]
        bounds = [-1, *breaks, len(nt)]
        seg_has_word = [_WORDCHAR_RE.search(nt, a + 1, b) is not None for a, b in pairwise(bounds)]
        rank = []
        r = -1
        for has in seg_has_word:
            r += has
            rank.append(r)
        delimiters = [m.span() for m in _DELIMITER_RE.finditer(nt)]
        doc = _Doc(doc_id, text, norm, breaks, rank, seg_has_word, delimiters)
        positions: list[int] = []
        for word in candidates:
            positions.extend(_occurrences(nt, word))
        return doc, (n_tokens, n_words, n_repairs), positions

    def _sentence_of(self, doc: _Doc, position: int) -> int:
        """Sentence number of the token at normalized ``position`` (word or opener)."""
        seg = bisect_right(doc.breaks, position)
        r = doc.rank[seg]
        return max(r, 0)  # a leading segment without words joins the first sentence

    def _segment(self, doc: _Doc, seg: int) -> tuple[int, int]:
        """Normalized ``[start, end)`` of segment ``seg`` (between two breaks)."""
        a = doc.breaks[seg - 1] + 1 if seg > 0 else 0
        b = doc.breaks[seg] if seg < len(doc.breaks) else len(doc.norm.text)
        return a, b

    # ------------------------------------------------------------------ public

    def count(self, items: Iterable[tuple[str, str]], batch: int = 200) -> Iterator[FastCounts]:
        """Count ``(doc_id, text)`` pairs; yields one :class:`FastCounts` per batch.

        Texts are originals (BOM removed), as for :func:`analysis.pipeline.analyse_text`.
        Memory is bounded by one batch; documents are consumed lazily.
        """
        pending: list[tuple[str, str]] = []
        for item in items:
            pending.append(item)
            if len(pending) >= batch:
                yield self._count_batch(pending)
                pending = []
        if pending:
            yield self._count_batch(pending)

    def count_text(self, text: str, doc_id: str = "doc") -> FastCounts:
        """Counts and hits of one text."""
        return self._count_batch([(doc_id, text)])

    # ------------------------------------------------------------------ batch

    def _count_batch(self, items: list[tuple[str, str]]) -> FastCounts:
        vetoes = pipeline._vetoes()
        docs: list[_Doc] = []
        summary: list[list] = []
        windows: list[tuple[int, int, int, int]] = []  # (doc, sentence, norm start, norm end)
        for k, (doc_id, text) in enumerate(items):
            doc, (n_tokens, n_words, n_repairs), positions = self._scan(doc_id, text, vetoes)
            docs.append(doc)
            if any(doc.seg_has_word):
                n_sentences = doc.rank[-1] + 1
            elif text.strip():  # only punctuation: let the text stage decide
                n_sentences = len(pipeline._analyse(text, doc_id, "fast").sentences)
            else:
                n_sentences = 0
            n_quotes = len(self._pairs(doc)) if doc.delimiters else 0
            summary.append(
                [doc_id, len(text), n_tokens, n_words, n_sentences, n_quotes, n_repairs, 0]
            )
            if positions and self.match_frames:
                windows.extend(self._windows(k, doc, positions))
        hits = self._match_windows(docs, windows)
        per_doc = np.bincount(hits.pop("position").to_numpy(np.int64), minlength=len(items))
        for row, n_hits in zip(summary, per_doc.tolist(), strict=True):
            row[-1] = n_hits
        documents = pd.DataFrame(summary, columns=SUMMARY_COLUMNS)
        documents["doc_id"] = documents["doc_id"].astype(str)
        if not self.match_frames:
            documents["n_hits"] = pd.array([pd.NA] * len(documents), dtype="Int64")
        return FastCounts(documents, hits)

    def _windows(self, k: int, doc: _Doc, positions: list[int]) -> list[tuple[int, int, int, int]]:
        """Text windows holding every candidate with all the context matching reads.

        Around a candidate word: ``guard`` word tokens before it, and after it the
        rest of the longest form plus ``guard`` word tokens (never past the sentence).
        Windows that share a token are merged, so a window is self-contained.
        """
        nt = doc.norm.text
        by_segment: dict[int, list[int]] = {}
        for p in positions:
            by_segment.setdefault(bisect_right(doc.breaks, p), []).append(p)
        out = []
        before, after = self._guard, self._guard + self._longest - 1
        for seg, starts in sorted(by_segment.items()):
            a, b = self._segment(doc, seg)
            runs = [m.span() for m in _WORD_RE.finditer(nt, a, b)]
            known = self._word_types
            word = [
                (t in known) if t in self._seen else self._info(t)[0]
                for t in (nt[s:e] for s, e in runs)
            ]
            index = {s: i for i, (s, _) in enumerate(runs)}
            intervals = []
            for p in sorted(starts):
                i = index[p]
                lo, need = i, before
                while lo > 0 and need > 0:
                    lo -= 1
                    need -= word[lo]
                hi, need = i, after
                while hi < len(runs) - 1 and need > 0:
                    hi += 1
                    need -= word[hi]
                if intervals and lo <= intervals[-1][1]:
                    intervals[-1][1] = max(intervals[-1][1], hi)
                else:
                    intervals.append([lo, hi])
            sentence = doc.rank[seg]
            for lo, hi in intervals:
                out.append((k, sentence, runs[lo][0], runs[hi][1]))
        return out

    def _match_windows(self, docs: list[_Doc], windows: list[tuple[int, int, int, int]]):
        """Run the text stage on the windows and frames' matcher on their tokens."""
        columns = [c.format(column=self.column) for c in HIT_COLUMNS]
        if not windows:
            return _hits_frame([], columns)
        # One text-stage item per document: its windows joined by a paragraph break,
        # so each window is one sentence of the item (windows hold no break).
        by_doc: dict[int, list[tuple[int, int, int]]] = {}
        true_sentence: list[int] = []
        for k, sentence, a, b in windows:
            by_doc.setdefault(k, []).append((len(true_sentence), a, b))
            true_sentence.append(sentence)
        items, plans = [], []
        for k, group in by_doc.items():
            doc = docs[k]
            texts, item_starts, bases = [], [], []
            position = 0
            for _w, a, b in group:
                oa, ob = doc.norm.span(a, b)
                texts.append(doc.text[oa:ob])
                item_starts.append(position)
                bases.append(oa)
                position += ob - oa + len(pipeline.SEPARATOR)
            items.append((doc.doc_id, pipeline.SEPARATOR.join(texts)))
            plans.append((k, group[0][0], np.array(item_starts), np.array(bases)))
        tok = _TokenView()
        offset = 0
        for (k, first_w, item_starts, bases), res in zip(
            plans, pipeline._analyse_batch(items, "fast"), strict=True
        ):
            window = np.searchsorted(item_starts, res.start, side="right") - 1
            if not np.array_equal(window, res.sentence):
                raise AssertionError(f"fastcount: a window of {docs[k].doc_id!r} spans sentences")
            shift = bases[window] - item_starts[window]
            # The matcher sees the document's position (doc_ids need not be unique).
            tok.add(self, f"{k:09d}", window + first_w, offset, res, shift)
            offset += len(res.surface) + 2  # a gap: documents never look adjacent
        tok.finish()
        raw = _match(tok, None, self.lexicon).hits
        if len(raw) == 0:
            return _hits_frame([], columns)
        raw["sentence"] = [true_sentence[w] for w in raw["sentence"]]
        self._add_voice(raw, docs)
        raw["position"] = raw["doc_id"].astype(int)
        raw["doc_id"] = [docs[k].doc_id for k in raw["position"]]
        return _hits_frame(raw[[*columns, "position"]].to_dict("records"), columns)

    def _clitic_keys(self, surface: str, kind: str, normalized: str) -> tuple:
        """``(written, keys, proclitics, definite, bare)`` of one token, cached per form."""
        cache_key = (surface, kind)
        row = self._token_cache.get(cache_key)
        if row is None:
            bare, bares, procs, encl = pipeline._clitic_row(surface, kind, normalized)
            written = match_key(normalized)
            keys = frozenset({written, *(match_key(b) for b in bares if b)})
            definite = _has_article(procs) or encl != ""
            row = (written, keys, procs, definite, bare)
            if len(self._token_cache) < MAX_CACHED_TYPES:
                self._token_cache[cache_key] = row
        return row

    # ------------------------------------------------------------------ voice

    def _pairs(self, doc: _Doc) -> list[quotes_mod.QuoteSpan]:
        """Paired quotation spans of a document (indices into ``doc.delimiters``)."""
        if doc.spans is None:
            nt = doc.norm.text
            normalized = [nt[s:e] for s, e in doc.delimiters]
            starts = [s for s, _ in doc.delimiters]
            doc.spans = quotes_mod.pair_delimiters(
                list(range(len(normalized))), normalized, nt, starts
            )
        return doc.spans

    def _add_voice(self, raw: pd.DataFrame, docs: list[_Doc]) -> None:
        """Fill voice, speaker, quote_id and quote_kind of the hits (in place)."""
        by_id = {f"{k:09d}": d for k, d in enumerate(docs)}
        quote_of = [
            self._quote_of(by_id[d], s)
            for d, s in zip(raw["doc_id"], raw["start"].tolist(), strict=True)
        ]
        needed = sorted({(d, q) for d, q in zip(raw["doc_id"], quote_of, strict=True) if q >= 0})
        typed = self._annotate([(by_id[d], q) for d, q in needed])
        kinds = dict(zip(needed, typed, strict=True))
        voice, speaker, qids, qkinds = [], [], [], []
        for d, q in zip(raw["doc_id"], quote_of, strict=True):
            if q < 0:
                voice.append("narration")
                speaker.append("")
                qids.append(pd.NA)
                qkinds.append("")
                continue
            kind, who = kinds[(d, q)]
            quoted = kind == "speech"
            voice.append("quoted" if quoted else "narration")
            speaker.append(who if quoted else "")
            qids.append(q)
            qkinds.append(kind)
        raw["voice"] = voice
        raw["speaker"] = speaker
        raw["quote_id"] = pd.array(qids, dtype="Int64")
        raw["quote_kind"] = qkinds

    def _quote_of(self, doc: _Doc, start: int) -> int:
        """Id of the innermost quotation holding the word at original ``start`` (-1: none)."""
        if not doc.delimiters:
            return -1
        spans = self._pairs(doc)
        if not spans:
            return -1
        nstart = _normalized_position(doc.norm, start)
        inside = [
            qid
            for qid, span in enumerate(spans)
            if doc.delimiters[span.open_token][0] < nstart < doc.delimiters[span.close_token][0]
        ]
        if not inside:
            return -1
        if len(inside) == 1:
            return inside[0]
        # Innermost = fewest tokens; ties: the later quotation (the pipeline's order).
        lengths = [self._token_length(doc, spans[q]) for q in inside]
        best = min(lengths)
        return [q for q, n in zip(inside, lengths, strict=True) if n == best][-1]

    def _token_length(self, doc: _Doc, span: quotes_mod.QuoteSpan) -> int:
        """``close_token - open_token`` as the pipeline counts it (repaired parts too)."""
        nt = doc.norm.text
        a = doc.delimiters[span.open_token][0]
        b = doc.delimiters[span.close_token][0]
        tokens = [m.group(1) for m in _SPLIT_RE.finditer(nt, a, b)]
        extra = 0
        vetoes = pipeline._vetoes()
        for tok in tokens:
            if _WORD_RE.fullmatch(tok):
                _, cuts = self._info(tok)
                if cuts is not None and not is_vetoed(vetoes, doc.doc_id, tok):
                    extra += len(cuts)
        return len(tokens) + extra

    def _annotate(self, wanted: list[tuple[_Doc, int]]) -> list[tuple[str, str]]:
        """``(kind, speaker)`` of quotations, by quotes.annotate on text windows.

        A window runs from the start of the sentence before the opening mark to a
        few tokens after the closing mark; all windows go through the text stage in
        one batch.
        """
        if not wanted:
            return []
        by_doc: dict[int, list[tuple[int, _Doc, int, int, int, int]]] = {}
        for n, (doc, qid) in enumerate(wanted):
            span = self._pairs(doc)[qid]
            o_start = doc.delimiters[span.open_token][0]
            c_end = doc.delimiters[span.close_token][1]
            s = self._sentence_of(doc, o_start)
            if s == 0:
                a = 0
            else:  # start of the word segment of sentence s - 1
                seg = next(i for i, r in enumerate(doc.rank) if r == s - 1 and doc.seg_has_word[i])
                a = self._segment(doc, seg)[0]
            # A verb counts only before the opening mark, and the speaker name after
            # it stops at the first non-word token (at the latest the opening mark),
            # so nothing after the closing mark is read.
            b = c_end
            by_doc.setdefault(id(doc), []).append((n, doc, qid, a, b, s))
        # Per document, overlapping windows are merged (extra text before a window
        # only adds sentences the rules do not read) and joined by paragraph breaks
        # into one text-stage item.
        items, plans = [], []
        for quotes in by_doc.values():
            doc = quotes[0][1]
            merged: list[list] = []
            for q in sorted(quotes, key=lambda q: q[3]):
                if merged and q[3] < merged[-1][1]:
                    merged[-1][1] = max(merged[-1][1], q[4])
                    merged[-1][2].append(q)
                else:
                    merged.append([q[3], q[4], [q]])
            texts, layout = [], []
            position = 0
            for a, b, members in merged:
                oa, ob = doc.norm.span(a, b)
                texts.append(doc.text[oa:ob])
                layout.append((position, oa, a, members))
                position += ob - oa + len(pipeline.SEPARATOR)
            items.append((doc.doc_id, pipeline.SEPARATOR.join(texts)))
            plans.append((doc, layout))
        out: list[tuple[str, str]] = [("", "")] * len(wanted)
        for (doc, layout), res in zip(plans, pipeline._analyse_batch(items, "fast"), strict=True):
            sentence = res.sentence.tolist()
            verbs = [
                i
                for i, (k, t) in enumerate(zip(res.kind, res.normalized, strict=True))
                if k == "word" and self._is_verb(t)
            ]
            for item_start, oa, a, members in layout:
                shift = item_start - oa
                word = _WORD_RE.search(doc.norm.text, a)
                offset = None
                if word is not None:  # item sentence − global sentence, in this window
                    w_item = self._original(doc, word.start()) + shift
                    wi = int(np.searchsorted(res.start, w_item))
                    offset = sentence[wi] - self._sentence_of(doc, word.start())
                for n, _doc, qid, _a, _b, s in members:
                    span = self._pairs(doc)[qid]
                    oi = int(
                        np.searchsorted(
                            res.start,
                            self._original(doc, doc.delimiters[span.open_token][0]) + shift,
                        )
                    )
                    ci = int(
                        np.searchsorted(
                            res.start,
                            self._original(doc, doc.delimiters[span.close_token][0]) + shift,
                        )
                    )
                    local = quotes_mod.QuoteSpan(oi, ci)
                    sent = sentence
                    if offset is not None and sentence[oi] != s + offset:
                        # The item pairs delimiters afresh, which could attach this
                        # opening mark to the sentence before; its sentence is known.
                        sent = list(sentence)
                        sent[oi] = s + offset
                    quotes_mod.annotate([local], res.normalized, res.surface, res.kind, sent, verbs)
                    out[n] = (local.kind, local.speaker)
        return out

    def _is_verb(self, normalized: str) -> bool:
        """Whether a word token is a speech verb (:func:`analysis.quotes.verb_form`), cached."""
        found = self._verbs.get(normalized)
        if found is None:
            found = quotes_mod.verb_form(normalized) is not None
            if len(self._verbs) < MAX_CACHED_TYPES:
                self._verbs[normalized] = found
        return found

    @staticmethod
    def _original(doc: _Doc, position: int) -> int:
        """Original offset of the normalized character at ``position``."""
        if doc.norm.index is None:
            return position
        return int(doc.norm.index[position])


class _TokenView(_Tokens):
    """The frame matcher's token view, filled from window arrays (no pandas table)."""

    def __init__(self) -> None:  # noqa: D107 - filled by add()/finish()
        self.doc, self.sentence, self.index, self.start, self.end = [], [], [], [], []
        self.is_word, self.normalized, self.proclitics, self.definite = [], [], [], []
        self.repaired, self.surface, self.bare, self.written, self.keys = [], [], [], [], []

    def add(
        self, counter: FastCounter, doc_id: str, window: np.ndarray, offset: int, res, shift
    ) -> None:
        """Append one document's window tokens (each window its own sentence number).

        ``shift`` turns the item's offsets into the document's original offsets.
        """
        n = len(res.surface)
        self.doc.extend([doc_id] * n)
        self.sentence.extend(window.tolist())
        self.index.extend(range(offset, offset + n))
        self.start.extend((res.start + shift).tolist())
        self.end.extend((res.end + shift).tolist())
        self.is_word.extend(k == WORD for k in res.kind)
        self.normalized.extend(res.normalized)
        self.surface.extend(res.surface)
        self.repaired.extend(res.repaired.tolist())
        for s, k, nz in zip(res.surface, res.kind, res.normalized, strict=True):
            written, keys, procs, definite, bare = counter._clitic_keys(s, k, nz)
            self.written.append(written)
            self.keys.append(keys)
            self.proclitics.append(procs)
            self.definite.append(definite)
            self.bare.append(bare)

    def finish(self) -> None:
        """Arrays where the matcher slices or indexes them; nobody is in a quotation."""
        self.n = len(self.doc)
        self.doc = np.asarray(self.doc, dtype=object)
        self.normalized = np.asarray(self.normalized, dtype=object)
        self.surface = np.asarray(self.surface, dtype=object)
        self.repaired = np.asarray(self.repaired, dtype=bool)
        self.in_quote = [False] * self.n
        self.quote_id = [pd.NA] * self.n


def _normalized_position(norm: NormalizedText, original: int) -> int:
    """Normalized index of the character that came from original offset ``original``."""
    if norm.index is None:
        return original
    return int(np.searchsorted(norm.index, original))


def _word_around(text: str, i: int) -> str:
    r"""The ``\w+`` run containing ``text[i]``."""
    a = i
    while a > 0 and _WORDCHAR_RE.match(text, a - 1):
        a -= 1
    m = _WORD_RE.match(text, a)
    return m.group() if m else ""


def _occurrences(text: str, word: str) -> Iterator[int]:
    r"""Start positions of ``word`` as a whole ``\w+`` run in ``text``."""
    n = len(word)
    i = text.find(word)
    while i >= 0:
        if (i == 0 or not _WORDCHAR_RE.match(text, i - 1)) and not _WORDCHAR_RE.match(text, i + n):
            yield i
        i = text.find(word, i + 1)


def _hits_frame(rows: list[dict], columns: list[str]) -> pd.DataFrame:
    """The hits table (plus ``position``: the document's place in its batch)."""
    out = pd.DataFrame(rows, columns=[*columns, "position"])
    out["position"] = out["position"].astype("int64")
    out["quote_id"] = out["quote_id"].astype("Int64")
    for col in ("sentence", "start", "end"):
        out[col] = out[col].astype("int64")
    for col in columns:
        if col not in ("sentence", "start", "end", "quote_id"):
            out[col] = out[col].astype(str)
    return out.sort_values(["position", "start", "end"], kind="stable").reset_index(drop=True)


def count_corpus(
    items: Iterable[tuple[str, str]], lexicon: Lexicon | None = None, batch: int = 200
) -> FastCounts:
    """Count all ``(doc_id, text)`` pairs and concatenate the results (small corpora)."""
    counter = FastCounter(lexicon)
    parts = list(counter.count(items, batch=batch))
    if not parts:
        return counter._count_batch([])
    return FastCounts(
        pd.concat([p.documents for p in parts], ignore_index=True),
        pd.concat([p.hits for p in parts], ignore_index=True),
    )
