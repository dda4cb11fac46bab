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

How it is fast (issue #7). Almost no token can match: a few percent of the
tokens of a news text have a comparison form that is a lexicon word or a guard
word. So the matcher

1. marks, without a Python step per token, the tokens that have such a form. The
   text stage hands every token of a word type the same ``bares`` tuple and
   ``normalized`` string, so tokens are grouped by the address of their tuple
   (read from the object array: no Python step per token; grouping by address
   never merges two different objects), each type is tested once with C-level
   set operations, and the result is spread to the tokens with numpy. Types
   already tested in an earlier batch are found by address in a bounded cache
   that keeps its objects alive (:class:`_FlagCache`), so they are not touched
   again; tokens whose string is not their type's are tested one by one;
2. groups the marked tokens into types (written form, bare forms, clitics, kind)
   and decides once per type, in Python, which lexicon forms can start there,
   which later word of which form it can be, and which guards it fires (cached
   per type value, bounded);
3. spreads those decisions to the marked positions with numpy, checks multi-word
   continuations word position by word position with numpy, and walks guard
   windows in Python for the (rare) candidates of guarded entries only;
4. resolves longest-match overlaps in Python among multi-word hits only (single-
   word hits are chosen per position with numpy), looks voices up in the quotes
   table with one sorted search, and builds the tables column by column.

Every rule and every tie-break is the one of the straightforward implementation
kept at the end of this module (:func:`_reference_match_lexicon`,
:func:`_reference_coverage_report`); ``tests/test_frames_fast.py`` checks that both
give identical tables, and ``benchmarks/bench_frames.py`` times both. Token tables
the fast path cannot read safely (empty, non-integer positions, document ids that
are not strings) go to the reference implementation; tables not sorted by
document are read in place when each document is one run of tokens, else sorted
first as the reference does.
"""

from __future__ import annotations

import ctypes
import threading
from collections import defaultdict
from dataclasses import dataclass
from itertools import chain, product, repeat

import numpy as np
import pandas as pd

from analysis.errors import AnalysisError
from analysis.lexicon import Guard, Lexicon, load_actor_lexicon, load_frame_lexicon, match_key
from analysis.normalize import HEH, TEH_MARBUTA
from analysis.pipeline import TextArrays

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
_EXCLUSION_COLUMNS = ["guard", "guard_word", "guard_index"]
_COVERAGE_COLUMNS = [
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


# ---------------------------------------------------------------------------
# The matcher: numpy over tokens, Python once per word type and per rare candidate


def _spellings(key: str) -> list[str]:
    """Every string whose comparison form (:func:`match_key`) is ``key``.

    ``match_key`` folds ة into ه, so each ه of a key may have been written ة.
    Testing a token's raw strings against these spellings is the same as folding
    each of them and testing the folded form, but needs no Python call per token.
    (``tests/test_frames_fast.py`` checks that ``match_key`` changes no other
    character.)
    """
    slots = [(HEH, TEH_MARBUTA) if ch == HEH else (ch,) for ch in key]
    return ["".join(chars) for chars in product(*slots)]


@dataclass(frozen=True)
class _Decision:
    """What a token type can do: forms it starts, later words it matches, guards it fires."""

    starts: tuple[int, ...]  # form ids, in the order the reference discovers them
    later: tuple[int, ...]  # form id * width + word position (>= 1)
    guards: frozenset[int]  # guard ids whose words the type shows


_NOTHING = _Decision((), (), frozenset())


@dataclass(frozen=True)
class _Lexicon:
    """A lexicon prepared for :func:`_find`: its forms as indexes and arrays.

    ``decisions`` caches :class:`_Decision` per token type (normalized, bares,
    proclitics, enclitic, kind); it is emptied when it reaches
    :data:`_DECISIONS_MAX` entries, so memory stays flat on any corpus.
    """

    forms: list[_Form]
    first: dict[str, list[_Form]]  # first-word key -> forms (the reference's index)
    form_id: dict[int, int]  # id(form) -> position in forms
    later: dict[str, list[tuple[int, int]]]  # key -> (form, word position >= 1)
    guard_words: dict[str, list[int]]  # guard word -> guard ids
    entry_guards: list[list[tuple[int, Guard]]]  # per entry: (guard id, guard), in order
    spellings: frozenset[str]  # raw spellings of every term key and guard word
    width: int  # most words in one form
    n_words: np.ndarray  # per form
    entry: np.ndarray  # per form
    letters: np.ndarray  # per form
    exact: np.ndarray  # per form
    guarded: np.ndarray  # per entry: has guards
    decisions: dict[tuple, _Decision]
    bares_flags: _FlagCache


#: Guards the module's caches when threads share them (e.g. a threaded Dask worker).
_LOCK = threading.Lock()
#: Prepared lexicons by content (forms, match modes, guards), oldest first.
_LEXICONS: dict[tuple, _Lexicon] = {}
_LEXICONS_MAX = 4
#: Bound of each prepared lexicon's per-type decision cache (~0.5 kB an entry).
_DECISIONS_MAX = 20_000
#: Bound of each prepared lexicon's cache of word-type flags (types kept alive).
_FLAGS_MAX = 100_000


class _FlagCache:
    """Whether a word type has a lexicon spelling, remembered by object address.

    The text stage hands the same ``bares`` tuple and ``normalized`` string to
    every token of a word type, in every batch, so most types of a batch were
    tested in an earlier one; looking their addresses up touches no object
    (testing them does, and on a large heap that is most of the cost). Per
    ``bares`` address the cache holds the flag of the tuple, the address of the
    ``normalized`` string seen with it and that string's flag, packed in one
    integer. An address identifies an object only while the object lives, so the
    cache keeps a reference to every object it remembers: an address found in it
    is that very object. Only tuples and strings (immutable) are remembered; the
    cache is emptied before it would hold more than :data:`_FLAGS_MAX` types
    (``2 * _FLAGS_MAX`` objects). Addresses are kept sorted, so a batch's types
    are looked up with one ``np.searchsorted``.
    """

    def __init__(self) -> None:
        self.clear()

    def clear(self) -> None:
        """Forget everything (and release the objects kept alive)."""
        # One attribute holds both arrays, so a reader always sees a matching pair.
        self.table = (np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64))
        self.objects: list[object] = []  # every tuple and string remembered

    @property
    def keys(self) -> np.ndarray:
        """The remembered ``bares`` addresses, sorted."""
        return self.table[0]

    @staticmethod
    def _find(keys: np.ndarray, addresses: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        if len(keys) == 0:
            return np.zeros(len(addresses), dtype=np.intp), np.zeros(len(addresses), bool)
        at = np.minimum(np.searchsorted(keys, addresses), len(keys) - 1)
        return at, keys[at] == addresses

    def lookup(self, addresses: np.ndarray) -> np.ndarray:
        """Per ``bares`` address: the packed flags, or -1 if unknown."""
        keys, values = self.table
        at, found = self._find(keys, addresses)
        return np.where(found, values[at] if len(keys) else -1, -1)

    def remember(
        self, addresses: np.ndarray, packed: np.ndarray, tuples: list, strings: list
    ) -> None:
        """Remember ``packed`` flags of (``bares``, ``normalized``) object pairs."""
        if len(addresses) > _FLAGS_MAX:
            return
        if set(map(type, tuples)) != {tuple} or set(map(type, strings)) != {str}:
            keep = [
                i
                for i, (b, n) in enumerate(zip(tuples, strings, strict=True))
                if type(b) is tuple and type(n) is str
            ]
            addresses, packed = addresses[keep], packed[keep]
            tuples, strings = [tuples[i] for i in keep], [strings[i] for i in keep]
        with _LOCK:
            if len(self.objects) + 2 * len(addresses) > 2 * _FLAGS_MAX:
                self.clear()
            # Keep the objects alive before their addresses become findable.
            self.objects.extend(tuples)
            self.objects.extend(strings)
            keys, values = self.table
            at, found = self._find(keys, addresses)
            values = values.copy()
            values[at[found]] = packed[found]  # a known tuple seen with a new string
            new = np.flatnonzero(~found)
            order = new[np.argsort(addresses[new])]
            where = np.searchsorted(keys, addresses[order])
            self.table = (
                np.insert(keys, where, addresses[order]),
                np.insert(values, where, packed[order]),
            )


def _prepare_lexicon(lexicon: Lexicon) -> _Lexicon:
    """The prepared form of ``lexicon``, built once per distinct content.

    The cache key is what matching reads from the lexicon (forms, match modes and
    guards of every entry, in order), so an edited or reloaded lexicon gets its
    own preparation; labels, glosses and ids are read from ``lexicon`` on each call.
    """
    entries = lexicon.entries
    key = (
        tuple(entries["forms"]),
        tuple(entries["match"]),
        tuple(entries["guards"]),
    )
    with _LOCK:
        found = _LEXICONS.get(key)
        if found is None:
            found = _build_lexicon(lexicon)
            if len(_LEXICONS) >= _LEXICONS_MAX:
                del _LEXICONS[next(iter(_LEXICONS))]
            _LEXICONS[key] = found
    return found


def _build_lexicon(lexicon: Lexicon) -> _Lexicon:
    """Index a lexicon's forms by every word key and its guards by guard word."""
    forms, first = _compile(lexicon)
    later: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for f, form in enumerate(forms):
        for j in range(1, len(form.keys)):
            for key in form.keys[j]:
                later[key].append((f, j))
    guard_words: dict[str, list[int]] = defaultdict(list)
    entry_guards: list[list[tuple[int, Guard]]] = []
    gid = 0
    for guards in lexicon.entries["guards"]:
        own = []
        for guard in guards:
            own.append((gid, guard))
            for word in guard.words:
                guard_words[word].append(gid)
            gid += 1
        entry_guards.append(own)
    keys = {key for form in forms for word_keys in form.keys for key in word_keys}
    keys |= set(guard_words)
    return _Lexicon(
        forms=forms,
        first=dict(first),
        form_id={id(form): f for f, form in enumerate(forms)},
        later=dict(later),
        guard_words=dict(guard_words),
        entry_guards=entry_guards,
        spellings=frozenset(chain.from_iterable(_spellings(k) for k in keys)),
        width=max((len(form.keys) for form in forms), default=1),
        n_words=np.array([len(form.keys) for form in forms], dtype=np.int64),
        entry=np.array([form.entry for form in forms], dtype=np.int64),
        letters=np.array([form.letters for form in forms], dtype=np.int64),
        exact=np.array([form.exact for form in forms], dtype=bool),
        guarded=np.array([len(g) > 0 for g in entry_guards], dtype=bool),
        decisions={},
        bares_flags=_FlagCache(),
    )


def _addresses(values: np.ndarray) -> np.ndarray:
    """The address (CPython ``id``, divided by 16) of every object an object array holds.

    An object array stores pointers; reading them as integers costs no Python
    step per element. Equal addresses mean the very same object, so grouping by
    address never merges two different values (it may split equal ones, which
    only repeats an identical per-type decision). The caller keeps ``values``
    (hence its objects) alive while it uses the addresses.
    """
    if values.dtype != object or not values.flags.c_contiguous:
        raise TypeError("_addresses needs a contiguous object array")
    if len(values) == 0:
        return np.zeros(0, dtype=np.intp)
    raw = (ctypes.c_ssize_t * len(values)).from_address(values.ctypes.data)
    # Objects are 16-byte aligned and at least 16 bytes long, so dropping the
    # four low (always zero) bits keeps one value per object and hashes better.
    return np.frombuffer(raw, dtype=np.intp) >> 4


def _objects(column: pd.Series) -> np.ndarray:
    """A column as a contiguous object array (no copy for the text stage's columns)."""
    return np.ascontiguousarray(column.to_numpy(dtype=object))


def _group(*arrays: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Codes of the distinct tuples across ``arrays`` (hashable values), and a position of each."""
    code = pd.factorize(arrays[0])[0]
    for more in arrays[1:]:
        part, uniques = pd.factorize(more)
        code = pd.factorize(code * len(uniques) + part)[0]
    rep = np.empty(int(code.max()) + 1 if len(code) else 0, dtype=np.intp)
    rep[code] = np.arange(len(code), dtype=np.intp)
    return code, rep


def _group_mixed(*arrays: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """:func:`_group` of integer arrays with one hash table instead of one per array.

    The integers of a row are mixed into one (wrapping arithmetic). A collision
    would merge two different rows, so the grouping is checked and, should that
    ever happen, made exactly.
    """
    mixed = arrays[0].astype(np.int64)
    for more in arrays[1:]:
        mixed = mixed * np.int64(-7046029254386353131) + more
    code, rep = _group(mixed)
    if all((a[rep][code] == a).all() for a in arrays):
        return code, rep
    return _group(*arrays)


def _member(values: object, words: frozenset[str]) -> np.ndarray:
    """True per element of ``values`` (any iterable) that is one of ``words``: a C loop."""
    return np.frombuffer(bytearray(map(words.__contains__, values)), dtype=bool)


def _tuples_with_a_word(values: list, words: frozenset[str]) -> np.ndarray:
    """True per ``bares`` value (tuple of strings) with an element in ``words``.

    A value that is not a tuple or list counts as no bare forms, as in
    :func:`_keys_of`: the type is checked where a word was found (a string's
    letters are not bare forms), or everywhere if a value is not iterable.
    ``values`` is a list: map() over a list is several times faster than over an
    array.
    """
    try:
        found = ~np.frombuffer(bytearray(map(words.isdisjoint, values)), dtype=bool)
    except TypeError:  # None, NaN…: no bare forms
        values = [b if isinstance(b, (tuple, list)) else () for b in values]
        return ~np.frombuffer(bytearray(map(words.isdisjoint, values)), dtype=bool)
    for i in np.flatnonzero(found).tolist():
        if not isinstance(values[i], (tuple, list)):
            found[i] = False
    return found


@dataclass(frozen=True)
class _Table:
    """Column arrays of a token table: each document one run of tokens in ``index`` order.

    The runs may come in any ``doc_id`` order (``doc_rank`` gives the reference's
    order; see :func:`_document_runs`). ``word_code`` groups the tokens by the
    ``bares`` object they hold (the text stage gives every token of a word type
    the same tuple), ``word_rep`` is a position of each group, and ``odd`` lists
    the tokens whose ``normalized`` object differs from that of their group's
    representative (none for the text stage's tables; each is tested on its own).
    """

    n: int
    doc: np.ndarray
    doc_starts: np.ndarray  # position where each document's run begins
    doc_rank: np.ndarray  # rank of each run's doc_id (the reference sorts by it)
    sentence: np.ndarray
    index: np.ndarray
    start: np.ndarray
    end: np.ndarray
    kind: np.ndarray
    normalized: np.ndarray
    bares: np.ndarray
    proclitics: np.ndarray
    enclitic: np.ndarray | None
    in_quote: np.ndarray
    quote_id: pd.api.extensions.ExtensionArray  # Int64
    repaired: np.ndarray | None
    surface: np.ndarray | None
    bare: np.ndarray | None
    word_code: np.ndarray
    word_rep: np.ndarray
    bares_at: np.ndarray  # addresses of the bares objects
    odd: np.ndarray
    type_at: list[np.ndarray]  # addresses of normalized, proclitics, kind (, enclitic)


def _document_runs(doc: np.ndarray, index: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
    """Where each document's run of tokens begins, and the rank of its ``doc_id``.

    Returns None unless every document is one run of tokens with ``index`` never
    decreasing (the text stage's tables, whatever the order of the documents):
    then sorting by (``doc_id``, ``index``) as the reference does only reorders
    whole runs, which the matcher reproduces by ranking the runs by ``doc_id``
    instead of moving the tokens. Document ids must be strings.
    """
    changes = np.flatnonzero(np.diff(_addresses(doc)) != 0) + 1
    try:
        differ = np.asarray(doc[changes] != doc[changes - 1], dtype=bool)
    except (TypeError, ValueError):  # e.g. pd.NA has no truth value
        return None
    starts = np.concatenate(([0], changes[differ])).astype(np.intp)
    names = doc[starts].tolist()
    if not all(isinstance(d, str) for d in names) or len(set(names)) < len(names):
        return None
    falls = np.flatnonzero(index[1:] < index[:-1]) + 1
    if len(falls) and not np.isin(falls, starts).all():
        return None
    rank = np.empty(len(names), dtype=np.intp)
    rank[sorted(range(len(names)), key=names.__getitem__)] = np.arange(len(names))
    return starts, rank


def _table(tokens: pd.DataFrame) -> _Table | None:
    """The arrays the matcher reads, or None for tables only the reference reads.

    Returns None for an empty table and for non-integer positions or document ids
    that are not strings (the reference implementation handles those as before).
    """
    _require(tokens, TOKEN_COLUMNS, "tokens")
    if len(tokens) == 0:
        return None
    if any(tokens[c].dtype.kind not in "iu" for c in ("sentence", "index", "start", "end")):
        return None
    runs = _document_runs(_objects(tokens["doc_id"]), tokens["index"].to_numpy())
    if runs is None:
        tokens = tokens.sort_values(["doc_id", "index"], kind="stable").reset_index(drop=True)
        runs = _document_runs(_objects(tokens["doc_id"]), tokens["index"].to_numpy())
        if runs is None:
            return None
    normalized = _objects(tokens["normalized"])
    bares = _objects(tokens["bares"])
    normalized_at = _addresses(normalized)
    bares_at = _addresses(bares)
    code, rep = _group(bares_at)
    odd = np.flatnonzero(normalized_at[rep][code] != normalized_at)

    def optional(column: str) -> np.ndarray | None:
        return _objects(tokens[column]) if column in tokens else None

    kind, proclitics, enclitic = (
        _objects(tokens["kind"]),
        _objects(tokens["proclitics"]),
        optional("enclitic"),
    )

    return _Table(
        n=len(tokens),
        doc=_objects(tokens["doc_id"]),
        doc_starts=runs[0],
        doc_rank=runs[1],
        sentence=tokens["sentence"].to_numpy(),
        index=tokens["index"].to_numpy(),
        start=tokens["start"].to_numpy(),
        end=tokens["end"].to_numpy(),
        kind=kind,
        normalized=normalized,
        bares=bares,
        proclitics=proclitics,
        enclitic=enclitic,
        in_quote=tokens["in_quote"].to_numpy(),
        quote_id=tokens["quote_id"].astype("Int64").array,
        repaired=tokens["repaired"].to_numpy() if "repaired" in tokens else None,
        surface=optional("surface"),
        bare=optional("bare"),
        word_code=code,
        word_rep=rep,
        bares_at=bares_at,
        odd=odd,
        type_at=[normalized_at]
        + [_addresses(v) for v in (proclitics, kind, enclitic) if v is not None],
    )


def _table_of_arrays(arrays: TextArrays) -> _Table | None:
    """:func:`_table` straight from the text stage's arrays (no pandas tables).

    The columns are the ones :func:`analysis.pipeline._tables` would put in the
    tokens table, as the same objects (so grouping by address works the same).
    """
    n = len(arrays)
    if n == 0:
        return None
    doc_names = np.empty(len(arrays.doc_ids), dtype=object)
    doc_names[:] = arrays.doc_ids
    doc = doc_names[arrays.doc]
    index = np.arange(n, dtype=np.int64) - arrays.first[arrays.doc]
    runs = _document_runs(doc, index)
    if runs is None:  # e.g. a document id given twice in one batch
        return None
    base = arrays.doc_starts[arrays.doc]
    tok = arrays.tokens
    surfaces = np.empty(len(tok.suniques), dtype=object)
    surfaces[:] = tok.suniques
    normalized = arrays.attribute("normalized")
    bares = arrays.attribute("bares")
    kind = arrays.kind
    proclitics, enclitic = arrays.attribute("proclitics"), arrays.attribute("enclitic")
    normalized_at = _addresses(normalized)
    bares_at = _addresses(bares)
    code, rep = _group(bares_at)
    odd = np.flatnonzero(normalized_at[rep][code] != normalized_at)
    outside = arrays.quote_id < 0
    return _Table(
        n=n,
        doc=doc,
        doc_starts=runs[0],
        doc_rank=runs[1],
        sentence=arrays.sentence,
        index=index,
        start=tok.start - base,
        end=tok.end - base,
        kind=kind,
        normalized=normalized,
        bares=bares,
        proclitics=proclitics,
        enclitic=enclitic,
        in_quote=arrays.in_quote,
        quote_id=pd.arrays.IntegerArray(np.where(outside, 0, arrays.quote_id), outside),
        repaired=arrays.repaired,
        surface=surfaces[tok.scodes],
        bare=arrays.attribute("bare"),
        word_code=code,
        word_rep=rep,
        bares_at=bares_at,
        odd=odd,
        type_at=[normalized_at] + [_addresses(v) for v in (proclitics, kind, enclitic)],
    )


def _quotes_of_arrays(arrays: TextArrays) -> pd.DataFrame:
    """The columns of the quotes table the matcher reads (voice and speaker)."""
    q = arrays.quotes
    quote_doc = arrays.doc[q.open_token]
    names = np.empty(len(arrays.doc_ids), dtype=object)
    names[:] = arrays.doc_ids
    return pd.DataFrame(
        {
            "doc_id": names[quote_doc],
            "quote_id": np.arange(len(q), dtype=np.int64) - np.searchsorted(quote_doc, quote_doc),
            "kind": q.kind,
            "speaker": q.speaker,
        }
    )


def match_arrays(arrays: TextArrays, lexicon: Lexicon) -> MatchResult:
    """:func:`match_lexicon` on a batch the text stage returned as arrays.

    Gives the tables :func:`match_lexicon` gives on that batch's tokens and quotes
    tables, without building them (corpus-scale counting,
    :func:`analysis.scale.summarise_chunk`).
    """
    tab = _table_of_arrays(arrays)
    if tab is None:
        from analysis.pipeline import _tables

        tables = _tables(arrays)
        return match_lexicon(tables.tokens, tables.quotes, lexicon)
    return _find(tab, _quotes_of_arrays(arrays), lexicon, _prepare_lexicon(lexicon)).result


def _marked(tab: _Table, spellings: frozenset[str], cache: _FlagCache | None = None) -> np.ndarray:
    """Sorted positions of the tokens with a written or bare form in ``spellings``.

    Each word type (``bares`` object) is tested once, or found in ``cache``, and
    the result spread to the tokens; tokens whose ``normalized`` string is not
    their type's (``tab.odd``) are tested one by one.
    """
    rep_at = tab.bares_at[tab.word_rep]
    norm_at = tab.type_at[0][tab.word_rep]
    packed = cache.lookup(rep_at) if cache is not None else np.full(len(rep_at), -1)
    # Unknown types, and known tuples seen with another string: test them.
    new = np.flatnonzero((packed < 0) | ((packed >> 2) != norm_at))
    flags = (packed & 3) != 0
    if len(new):
        at = tab.word_rep[new]
        tuples, strings = tab.bares[at].tolist(), tab.normalized[at].tolist()
        has_bare = _tuples_with_a_word(tuples, spellings)
        has_norm = _member(strings, spellings)
        flags[new] = has_bare | has_norm
        if cache is not None:
            cache.remember(
                rep_at[new],
                (norm_at[new] << 2) | (has_norm.astype(np.int64) << 1) | has_bare,
                tuples,
                strings,
            )
    mask = flags[tab.word_code]
    if len(tab.odd):
        mask[tab.odd] |= _member(tab.normalized[tab.odd].tolist(), spellings)
    return np.flatnonzero(mask)


def _types_at(tab: _Table, pos: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Type code per position and a representative position per type.

    A type is everything a matching decision reads: written form, bares,
    proclitics, enclitic and kind (grouped by object, see :func:`_addresses`).
    """
    if len(pos) == 0:
        return np.zeros(0, dtype=np.intp), np.zeros(0, dtype=np.intp)
    code, rep = _group_mixed(tab.word_code[pos], *(at[pos] for at in tab.type_at))
    return code, pos[rep]


def _word_matches(
    keys: frozenset[str],
    needs_definite: frozenset[str],
    exact: bool,
    first: bool,
    written: str,
    token_keys: frozenset[str],
    definite: bool,
    only_article: bool,
) -> bool:
    """True if a word token of this type matches a term word (the reference's rule)."""
    if exact:
        return written in keys
    if not first and written not in keys and not only_article:
        return False
    common = keys & token_keys
    if not common:
        return False
    return bool(common - needs_definite) or definite


def _decision(
    lex: _Lexicon, normalized: str, bares: object, proclitics: object, enclitic: object
) -> _Decision:
    """The :class:`_Decision` of a word token type (rules of ``_Tokens.matches``)."""
    written, keys = _keys_of(normalized, bares)
    definite = _has_article(proclitics) or (isinstance(enclitic, str) and enclitic != "")
    only_article = _only_article(proclitics)
    found: dict[int, _Form] = {}
    for key in keys:
        for form in lex.first.get(key, ()):
            found[id(form)] = form
    starts = tuple(
        lex.form_id[i]
        for i, form in found.items()
        if _word_matches(
            form.keys[0],
            form.needs_definite[0],
            form.exact,
            True,
            written,
            keys,
            definite,
            only_article,
        )
    )
    later = {
        f * lex.width + j
        for key in keys
        for f, j in lex.later.get(key, ())
        if _word_matches(
            lex.forms[f].keys[j],
            lex.forms[f].needs_definite[j],
            lex.forms[f].exact,
            False,
            written,
            keys,
            definite,
            only_article,
        )
    }
    guards = frozenset(g for key in keys for g in lex.guard_words.get(key, ()))
    return _Decision(starts, tuple(sorted(later)), guards)


def _decide(tab: _Table, lex: _Lexicon, reps: np.ndarray) -> list[_Decision]:
    """The decision of each type (``reps``: a position of each), cached per type value."""
    cache = lex.decisions
    out: list[_Decision] = []
    enclitics = tab.enclitic[reps].tolist() if tab.enclitic is not None else [""] * len(reps)
    for kind, *args in zip(
        tab.kind[reps].tolist(),
        tab.normalized[reps].tolist(),
        tab.bares[reps].tolist(),
        tab.proclitics[reps].tolist(),
        enclitics,
        strict=True,
    ):
        if kind != WORD:
            out.append(_NOTHING)  # only word tokens match, continue or fire guards
            continue
        key = tuple(args)
        try:
            decision = cache.get(key)
        except TypeError:  # bares given as a list: not hashable, not cached
            out.append(_decision(lex, *key))
            continue
        if decision is None:
            decision = _decision(lex, *key)
            if len(cache) >= _DECISIONS_MAX:
                cache.clear()
            cache[key] = decision
        out.append(decision)
    return out


@dataclass(frozen=True)
class _Candidates:
    """Every (start, end, form) where a form matches, in the reference's discovery order."""

    p: np.ndarray  # first token position
    q: np.ndarray  # one past the last token position
    form: np.ndarray
    k: np.ndarray  # order of discovery among the candidates at one position


def _candidates_fast(
    tab: _Table, lex: _Lexicon, pos: np.ndarray, code: np.ndarray, types: list[_Decision]
) -> _Candidates:
    """Candidates from the per-type decisions, multi-word forms checked word by word."""
    n_starts = np.fromiter((len(d.starts) for d in types), dtype=np.intp, count=len(types))
    counts = n_starts[code]
    p = np.repeat(pos, counts)
    k = np.arange(len(p), dtype=np.intp) - np.repeat(np.cumsum(counts) - counts, counts)
    flat = np.fromiter(
        chain.from_iterable(d.starts for d in types), dtype=np.intp, count=int(n_starts.sum())
    )
    form = flat[np.repeat((np.cumsum(n_starts) - n_starts)[code], counts) + k]
    n_words = lex.n_words[form]
    ok = np.ones(len(p), dtype=bool)
    if lex.width > 1 and (n_words > 1).any():
        span = len(lex.forms) * lex.width
        later = np.fromiter(
            chain.from_iterable(
                (t * span + c for c in d.later) for t, d in enumerate(types) if d.later
            ),
            dtype=np.int64,
        )
        later.sort()
        for j in range(1, lex.width):
            sel = np.flatnonzero(ok & (n_words > j))
            if len(sel) == 0:
                break
            q = p[sel] + j
            inside = q < tab.n
            q = np.minimum(q, tab.n - 1)
            follows = (
                inside
                & (tab.doc[q] == tab.doc[q - 1])
                & (tab.sentence[q] == tab.sentence[q - 1])
                & (tab.index[q] == tab.index[q - 1] + 1)
            )
            at = np.minimum(np.searchsorted(pos, q), len(pos) - 1)
            wanted = code[at].astype(np.int64) * span + form[sel] * lex.width + j
            found = np.minimum(np.searchsorted(later, wanted), max(len(later) - 1, 0))
            matched = later[found] == wanted if len(later) else np.zeros(len(sel), dtype=bool)
            ok[sel] = follows & (pos[at] == q) & matched
    return _Candidates(p[ok], p[ok] + n_words[ok], form[ok], k[ok])


def _guard_fired(
    tab: _Table,
    p: int,
    q: int,
    guards: list[tuple[int, Guard]],
    firing: dict[int, frozenset[int]],
) -> tuple[Guard, int] | None:
    """The first guard (and window token) that fires on candidate ``[p, q)``.

    Windows count word tokens only and stop at the sentence (or document) end;
    ``firing`` maps a position to the guard ids its word fires.
    """
    doc, sentence = tab.doc[p], tab.sentence[p]
    for gid, guard in guards:
        step, r = (1, q) if guard.direction == "next" else (-1, p - 1)
        seen = 0
        while 0 <= r < tab.n and seen < guard.window:
            if tab.doc[r] != doc or tab.sentence[r] != sentence:
                break
            if tab.kind[r] == WORD:
                seen += 1
                if gid in firing.get(r, ()):
                    return guard, r
            r += step
    return None


def _span_columns(tab: _Table, p: np.ndarray, q: np.ndarray) -> tuple[np.ndarray, ...]:
    """``surface``, ``form`` and ``repaired`` of spans ``[p, q)``, word position by word position.

    A multi-token surface restores the original gap as one space unless the
    tokens touch (a run-together word the text stage split is shown as written).
    """
    form = tab.normalized[p]
    surface = tab.surface[p] if tab.surface is not None else form.copy()
    repaired = (
        tab.repaired[p].astype(bool) if tab.repaired is not None else np.zeros(len(p), dtype=bool)
    )
    length = q - p
    for j in range(1, int(length.max()) if len(p) else 0):
        sel = np.flatnonzero(length > j)
        r = p[sel] + j
        if tab.surface is not None:
            gap = np.where(tab.start[r] == tab.end[r - 1], "", " ").astype(object)
            surface[sel] = surface[sel] + gap + tab.surface[r]
        else:
            surface[sel] = surface[sel] + " " + tab.normalized[r]
        form[sel] = form[sel] + " " + tab.normalized[r]
        if tab.repaired is not None:
            repaired[sel] |= tab.repaired[r].astype(bool)
    return surface, form, repaired


class _QuoteIndex:
    """The quotes table keyed by (document, quote id), later rows winning.

    This is the reference's ``_quote_index`` dictionary as sorted integer keys, so
    that many hits are looked up at once. Documents are numbered by their run in
    the token table; quotes of other documents are never looked up.
    """

    def __init__(self, tab: _Table, quotes: pd.DataFrame | None) -> None:
        self.quotes = quotes
        self.names = tab.doc[tab.doc_starts].tolist()
        self.ready = False

    def _prepare(self) -> None:
        quotes = self.quotes
        self.ready = True
        self.keys = np.zeros(0, dtype=np.int64)
        self.fallback: dict[tuple[str, int], tuple[str, str]] | None = None
        if quotes is None or len(quotes) == 0:
            return
        qid = quotes["quote_id"].to_numpy()
        if qid.dtype.kind not in "iu":
            self.fallback = _quote_index(quotes)
            return
        run = dict(zip(self.names, range(len(self.names)), strict=True))
        qdoc = quotes["doc_id"].to_numpy(dtype=object).tolist()
        qrun = np.fromiter(map(run.get, qdoc, repeat(-1)), dtype=np.int64, count=len(qdoc))
        self.rows = np.flatnonzero(qrun >= 0)
        if len(self.rows) == 0:
            return
        ids = qid[self.rows].astype(np.int64)
        self.low, high = int(ids.min()), int(ids.max())
        self.width = high - self.low + 1
        if self.width * len(self.names) >= 2**62:
            self.fallback = _quote_index(quotes)
            return
        keys = qrun[self.rows] * self.width + (ids - self.low)
        order = np.argsort(keys, kind="stable")  # equal keys keep table order: last wins
        self.keys, self.rows = keys[order], self.rows[order]
        self.kind = quotes["kind"].to_numpy(dtype=object)
        self.speaker = quotes["speaker"].to_numpy(dtype=object)

    def lookup(
        self, runs: np.ndarray, docs: np.ndarray, ids: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """``(found, kind, speaker)`` for the quotes (document run, quote id) of hits."""
        if not self.ready:
            self._prepare()
        m = len(ids)
        if self.fallback is not None:
            rows = [self.fallback.get((d, q)) for d, q in zip(docs, ids.tolist(), strict=True)]
            found = np.array([r is not None for r in rows], dtype=bool)
            kind = np.array([r[0] for r in rows if r is not None], dtype=object)
            speaker = np.array([r[1] for r in rows if r is not None], dtype=object)
            return found, kind, speaker
        if len(self.keys) == 0:
            return np.zeros(m, dtype=bool), np.zeros(0, dtype=object), np.zeros(0, dtype=object)
        inside = (ids >= self.low) & (ids < self.low + self.width)
        wanted = runs * self.width + (np.clip(ids, self.low, self.low + self.width - 1) - self.low)
        at = np.searchsorted(self.keys, wanted, side="right") - 1
        found = inside & (at >= 0) & (self.keys[np.maximum(at, 0)] == wanted)
        rows = self.rows[at[found]]
        speaker = np.array(
            [s if isinstance(s, str) else "" for s in self.speaker[rows].tolist()], dtype=object
        )
        return found, self.kind[rows], speaker


def _voice_columns(
    tab: _Table, p: np.ndarray, quotes: _QuoteIndex
) -> tuple[np.ndarray, np.ndarray, pd.api.extensions.ExtensionArray, np.ndarray]:
    """``voice``, ``speaker``, ``quote_id``, ``quote_kind`` of hits starting at ``p``.

    A hit is ``quoted`` if its first token is inside a quotation (``in_quote``)
    whose row in the quotes table has kind ``speech``; it then carries the
    speaker. Quote delimiters carry a quote id but are not inside the quotation.
    """
    m = len(p)
    voice = np.full(m, "narration", dtype=object)
    speaker = np.full(m, "", dtype=object)
    kind = np.full(m, "", dtype=object)
    values = np.zeros(m, dtype=np.int64)
    missing = np.ones(m, dtype=bool)
    qid = tab.quote_id[p]
    inside = np.flatnonzero(tab.in_quote[p].astype(bool) & ~np.asarray(qid.isna(), dtype=bool))
    if len(inside):
        ids = np.asarray(qid[inside].to_numpy(dtype=np.int64))
        values[inside] = ids
        missing[inside] = False
        at = p[inside]
        runs = np.searchsorted(tab.doc_starts, at, side="right") - 1
        found, kinds, speakers = quotes.lookup(runs, tab.doc[at], ids)
        rows = inside[found]
        kind[rows] = kinds
        speech = np.asarray(kinds == "speech", dtype=bool)
        voice[rows[speech]] = "quoted"
        speaker[rows[speech]] = speakers[speech]
    return voice, speaker, pd.arrays.IntegerArray(values, missing), kind


#: Empty hit tables by column names (built once; handed out as copies).
_EMPTY: dict[tuple[str, ...], pd.DataFrame] = {}


def _empty(columns: list[str]) -> pd.DataFrame:
    """An empty hit table with the reference's dtypes."""
    key = tuple(columns)
    if key not in _EMPTY:
        _EMPTY[key] = _frame([], columns)
    return _EMPTY[key].copy()


def _hit_table(
    tab: _Table,
    lexicon: Lexicon,
    lex: _Lexicon,
    quotes: _QuoteIndex,
    c: _Candidates,
    extra: dict[str, np.ndarray] | None = None,
) -> pd.DataFrame:
    """The hits (or exclusions, with ``extra`` columns) table, built column by column."""
    column = lexicon.column
    columns = [name.format(column=column) for name in _HIT_COLUMNS]
    if extra is not None:
        columns += _EXCLUSION_COLUMNS
    if len(c.p) == 0:
        return _empty(columns)
    entry = lex.entry[c.form]
    last = c.q - 1
    surface, form, repaired = _span_columns(tab, c.p, c.q)
    voice, speaker, quote_id, quote_kind = _voice_columns(tab, c.p, quotes)
    entries = lexicon.entries

    def of_entry(name: str) -> np.ndarray:
        return entries[name].to_numpy(dtype=object)[entry]

    data: dict[str, object] = {
        "doc_id": tab.doc[c.p],
        "sentence": tab.sentence[c.p].astype(np.int64),
        "token_start": tab.index[c.p].astype(np.int64),
        "token_end": tab.index[last].astype(np.int64) + 1,
        "start": tab.start[c.p].astype(np.int64),
        "end": tab.end[last].astype(np.int64),
        "surface": surface,
        column: of_entry(column),
        "term": of_entry("term"),
        "entry_id": of_entry("entry_id"),
        "gloss": of_entry("gloss"),
        "voice": voice,
        "speaker": speaker,
        "quote_id": quote_id,
        "quote_kind": quote_kind,
        "match": of_entry("match"),
        "form": form,
        "repaired": repaired,
        **(extra or {}),
    }
    return pd.DataFrame(data, copy=False)


def _take(c: _Candidates, rows: np.ndarray) -> _Candidates:
    return _Candidates(c.p[rows], c.q[rows], c.form[rows], c.k[rows])


@dataclass(frozen=True)
class _Found:
    """A match result and the token position where each exclusion starts."""

    result: MatchResult
    exclusion_positions: np.ndarray


def _find(tab: _Table, quotes: pd.DataFrame | None, lexicon: Lexicon, lex: _Lexicon) -> _Found:
    """:func:`match_lexicon` on a prepared table (same rules as :func:`_reference_match`)."""
    pos = _marked(tab, lex.spellings, lex.bares_flags)
    code, reps = _types_at(tab, pos)
    types = _decide(tab, lex, reps)
    cand = _candidates_fast(tab, lex, pos, code, types)
    # Sense guards, in discovery order, for candidates of guarded entries only.
    excluded: list[int] = []
    fired: list[tuple[Guard, int]] = []
    entries = lex.entry[cand.form]
    guarded = np.flatnonzero(lex.guarded[entries])
    if len(guarded):
        fires = np.fromiter((len(d.guards) > 0 for d in types), dtype=bool, count=len(types))
        at = np.flatnonzero(fires[code])
        firing = dict(
            zip(pos[at].tolist(), [types[t].guards for t in code[at].tolist()], strict=True)
        )
        for i in guarded.tolist():
            hit = _guard_fired(
                tab, int(cand.p[i]), int(cand.q[i]), lex.entry_guards[entries[i]], firing
            )
            if hit is not None:
                excluded.append(i)
                fired.append(hit)
    keep = np.ones(len(cand.p), dtype=bool)
    keep[excluded] = False
    kept = _take(cand, np.flatnonzero(keep))
    # Longest match wins: more tokens, then more letters, then exact before bare,
    # then lexicon order, then position, then discovery order; overlaps dropped.
    length = kept.q - kept.p
    order = np.lexsort(
        (
            kept.k,
            kept.p,
            lex.entry[kept.form],
            ~lex.exact[kept.form],
            -lex.letters[kept.form],
            -length,
        )
    )
    rank = np.empty(len(order), dtype=np.intp)
    rank[order] = np.arange(len(order), dtype=np.intp)
    taken: set[int] = set()
    chosen: list[int] = []
    for i in order[length[order] > 1].tolist():
        span = range(int(kept.p[i]), int(kept.q[i]))
        if any(x in taken for x in span):
            continue
        taken.update(span)
        chosen.append(i)
    singles = order[length[order] == 1]
    if taken:
        singles = singles[~np.isin(kept.p[singles], np.fromiter(taken, dtype=np.int64))]
    _, first = np.unique(kept.p[singles], return_index=True)
    picked = np.concatenate((np.array(chosen, dtype=np.intp), singles[first]))
    hits = _take(kept, picked)
    hits = _take(hits, _table_order(tab, hits, rank[picked]))
    ex = _take(cand, np.array(excluded, dtype=np.intp))
    ex_order = _table_order(tab, ex, np.arange(len(excluded)))
    ex = _take(ex, ex_order)
    fired = [fired[i] for i in ex_order.tolist()]
    words = tab.surface if tab.surface is not None else tab.normalized
    guard_at = np.array([r for _, r in fired], dtype=np.intp)
    extra = {
        "guard": np.array([g.text for g, _ in fired], dtype=object),
        "guard_word": words[guard_at],
        "guard_index": tab.index[guard_at].astype(np.int64),
    }
    quote_index = _QuoteIndex(tab, quotes)
    return _Found(
        MatchResult(
            _hit_table(tab, lexicon, lex, quote_index, hits),
            _hit_table(tab, lexicon, lex, quote_index, ex, extra),
        ),
        ex.p,
    )


def _table_order(tab: _Table, c: _Candidates, tie: np.ndarray) -> np.ndarray:
    """Row order of a hit table: document, token start, token end, then ``tie``."""
    doc = tab.doc_rank[np.searchsorted(tab.doc_starts, c.p, side="right") - 1]
    return np.lexsort((tie, tab.index[c.q - 1], tab.index[c.p], doc))


def _check_quotes(quotes: pd.DataFrame | None) -> None:
    if quotes is not None and len(quotes):
        _require(quotes, QUOTE_COLUMNS, "quotes")


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
    tab = _table(tokens)
    if tab is None:
        return _reference_match_lexicon(tokens, quotes, lexicon)
    _check_quotes(quotes)
    return _find(tab, quotes, lexicon, _prepare_lexicon(lexicon)).result


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


def _near_miss_index(
    forms: list[_Form],
) -> tuple[dict[str, list[_Form]], dict[str, list[_Form]], dict[str, list[_Form]]]:
    """First-word keys of phrases, of exact entries and of one-word bare forms."""
    heads: dict[str, list[_Form]] = defaultdict(list)  # first words of phrases
    singles: dict[str, list[_Form]] = defaultdict(list)  # one-word bare forms
    exacts: dict[str, list[_Form]] = defaultdict(list)
    for form in forms:
        target = exacts if form.exact else heads if len(form.keys) > 1 else singles
        for key in form.keys[0]:
            target[key].append(form)
    return heads, exacts, singles


def _near_miss_keys(
    heads: dict[str, list[_Form]], exacts: dict[str, list[_Form]], singles: dict[str, list[_Form]]
) -> set[str]:
    """Every token key for which :func:`_near_misses` can report something.

    A key is reported if it is a phrase head or an exact entry's word, or if it is
    a one-word form plus or minus one of :data:`COMMON_SUFFIXES`.
    """
    keys = set(heads) | set(exacts)
    for word in singles:
        for suffix in COMMON_SUFFIXES:
            keys.add(word + suffix)
            if word.endswith(suffix):
                keys.add(word[: -len(suffix)])
    return keys


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
    tab = _table(tokens)
    if tab is None:
        return _reference_coverage_report(tokens, lexicon, quotes)
    _check_quotes(quotes)
    lex = _prepare_lexicon(lexicon)
    found = _find(tab, quotes, lexicon, lex)
    hits, exclusions = found.result.hits, found.result.exclusions
    column = lexicon.column
    entries = lexicon.entries
    covered: set[tuple[object, int]] = set()
    for d, a, b in zip(hits["doc_id"], hits["token_start"], hits["token_end"], strict=True):
        covered.update((d, i) for i in range(a, b))
    records = entries[[column, "term", "entry_id"]].to_dict("records")
    rows: list[dict[str, object]] = []

    def add(p: int, reason: str, entry: int, detail: str) -> None:
        e = records[entry]
        rows.append(
            {
                "doc_id": tab.doc[p],
                "sentence": int(tab.sentence[p]),
                "index": int(tab.index[p]),
                "start": int(tab.start[p]),
                "end": int(tab.end[p]),
                "surface": tab.surface[p] if tab.surface is not None else tab.normalized[p],
                "normalized": tab.normalized[p],
                "bare": tab.bare[p] if tab.bare is not None else "",
                "reason": reason,
                column: e[column],
                "term": e["term"],
                "entry_id": e["entry_id"],
                "detail": detail,
            }
        )

    entry_pos = {eid: i for i, eid in enumerate(entries["entry_id"])}
    for ex, p in zip(
        exclusions.itertuples(index=False), found.exclusion_positions.tolist(), strict=True
    ):
        if all((ex.doc_id, i) not in covered for i in range(ex.token_start, ex.token_end)):
            # The reference reports the last token with this (doc_id, index).
            while (
                p + 1 < tab.n and tab.doc[p + 1] == tab.doc[p] and tab.index[p + 1] == tab.index[p]
            ):
                p += 1
            add(p, "guard", entry_pos[ex.entry_id], f"guard {ex.guard} fired on '{ex.guard_word}'")
            covered.update((ex.doc_id, i) for i in range(ex.token_start, ex.token_end))

    heads, exacts, singles = _near_miss_index(lex.forms)
    spellings = frozenset(
        chain.from_iterable(_spellings(k) for k in _near_miss_keys(heads, exacts, singles))
    )
    pos = _marked(tab, spellings)
    word = np.flatnonzero(tab.kind[pos] == WORD)
    pos = pos[word]
    code, reps = _types_at(tab, pos)
    misses = []
    for r in reps.tolist():
        written, keys = _keys_of(tab.normalized[r], tab.bares[r])
        misses.append(_near_misses(keys, written, heads, exacts, singles))
    for p, t in zip(pos.tolist(), code.tolist(), strict=True):
        if misses[t] and (tab.doc[p], int(tab.index[p])) not in covered:
            for reason, entry, detail in misses[t]:
                add(p, reason, entry, detail)
    columns = [c.format(column=column) for c in _COVERAGE_COLUMNS]
    out = pd.DataFrame(rows, columns=columns)
    return out.sort_values(["doc_id", "index", "entry_id"], kind="stable").reset_index(drop=True)


# ---------------------------------------------------------------------------
# Reference implementation: the straightforward matcher, token by token.
#
# It states the matching rules in their plainest form. The fast matcher above
# must give identical tables (tests/test_frames_fast.py compares them on the seed
# article, hostile inputs and a synthetic corpus) and
# benchmarks/bench_frames.py times both. Token tables the fast path does not read
# (empty, non-integer positions, document ids that are not strings) come here.


def _reference_match_lexicon(
    tokens: pd.DataFrame, quotes: pd.DataFrame | None, lexicon: Lexicon
) -> MatchResult:
    """:func:`match_lexicon`, token by token."""
    return _reference_match(_Tokens(tokens), quotes, lexicon)


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


def _reference_match(tok: _Tokens, quotes: pd.DataFrame | None, lexicon: Lexicon) -> MatchResult:
    """The reference :func:`match_lexicon` on an already prepared token table."""
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


def _reference_coverage_report(
    tokens: pd.DataFrame,
    lexicon: Lexicon | None = None,
    quotes: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """The reference :func:`coverage_report` (kept for the differential tests)."""
    lexicon = lexicon or load_frame_lexicon()
    tok = _Tokens(tokens)
    result = _reference_match(tok, quotes, lexicon)
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
