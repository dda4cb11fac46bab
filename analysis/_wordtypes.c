/* analysis._wordtypes: clitic columns and run-together test of word types (C).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The compiled twin of analysis.clitics.analyse_clitics (reduced to the columns
 * the text stage keeps per written word type) and of analysis.repair.find_split
 * (the specification: tests/test_wordtypes.py compares the two on wordfreq's
 * whole Arabic list, its clitic variants, run-together pairs and random
 * strings). This file holds no Arabic knowledge: analysis/wordtypes.py hands
 * every table, letter and threshold of analysis.clitics / analysis.repair to
 * configure(), and the rare words the fast path does not cover go back to the
 * Python functions themselves.
 *
 *   configure(**tables)      (analysis.wordtypes._configure; again when a table
 *                             changes, never while a call below runs)
 *   rows(surfaces) -> (bare, bares, proclitics, enclitic)
 *       four lists, one item per written word type: what
 *       found = analyse_clitics(surface) gives as found[0].bare,
 *       tuple(dict.fromkeys(a.bare for a in found)), found[0].proclitic_string
 *       and found[0].enclitic.
 *   splits(normalized) -> list of find_split(word) (tuple of cut points or None)
 *   splittable(normalized) -> bytes, 1 where find_split(word) is not None
 *   fallbacks() -> (rows, splits): words handed to the Python fallbacks so far
 *   table_bytes() -> memory held by the key table
 *
 * The analysis follows analyse_clitics step by step: the word normalized once
 * (the light form keeps the hamza forms, the whole form unifies them), its
 * leading run of proclitic letters and trailing run of enclitic letters select
 * the candidate segmentations from the grammar tables, each candidate's bare
 * form is looked up and tested against the same thresholds, and the accepted
 * ones are ranked by a stable insertion sort on the key of clitics._rank_key.
 *
 * Look-ups. A Python dict look-up of a fresh string in the 560k-entry frequency
 * dict costs ~400 ns on these machines (cache and TLB misses in ~60 MB of
 * scattered objects), which alone would cost ~0.7 us per word type. So
 * configure() copies the keys of the frequency dict, of the split part table
 * and of the exceptions set into one compact open-addressing table (~19 MB,
 * on transparent huge pages): per key its characters (UCS-2), the Zipf score
 * log10(freq) + offset computed once with the C library's log10 (what
 * math.log10 calls, so the same double as clitics.zipf), its part-table value
 * and whether it is an exception. Keys with characters beyond the BMP (a few
 * hundred emoji forms) are left out: a query with such a character asks the
 * Python dicts and set instead, so answers are always those of the dicts.
 *
 * Everything runs with the GIL held.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include "_hash.h"
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#ifdef __linux__
#include <sys/mman.h>
#endif

#define BMP 65536
#define REPLACE_FLAG 0x80000000u
#define NOT_IN_TABLE 0xFFFFFFFFu
#define MAX_REPLACEMENT 0xFF
/* Bound on the accepted analyses of one word (plan readings x enclitics + 1),
 * checked by configure(). */
#define MAX_CAND 64
/* Code tables of letter runs: at most this many entries. */
#define MAX_CODES (1 << 22)
/* Words up to this length are normalized into a buffer on the stack. */
#define WORD_STACK 128

/* Character classes (bits) of the BMP. */
enum { CLS_KEEP = 1, CLS_ALEF = 2, CLS_SPACE = 4, CLS_CONJ = 8 };

/* ------------------------------------------------------------------------ */
/* The key table.                                                             */

/* An entry in the arena, in uint16 units: len, flags, score index, part
 * index, then len UCS-2 characters. */
#define E_LEN 0
#define E_FLAGS 1
#define E_SCORE 2
#define E_PART 3
#define E_HEAD 4
#define F_EXCEPTION 1
#define NO_SCORE 0xFFFF   /* not in the frequency dict */
#define PART_ABSENT 0xFFFF /* not in the part table */
#define PART_PREFIX 0xFFFE /* in the part table with None (a prefix of parts) */
#define MAX_VALUES 0xFFFD

typedef struct {
    uint64_t *slots; /* hash >> 32 << 32 | (arena offset + 1); 0: empty */
    size_t mask;
    uint16_t *arena;
    size_t arena_len, arena_cap; /* in uint16 units */
    double *values;              /* distinct scores */
    Py_ssize_t nvalues;
    Py_ssize_t max_len; /* longest key */
    size_t slots_bytes, arena_bytes;
} KeyTable;

/* What a query finds. */
typedef struct {
    double score; /* Zipf score (0.0 when not in the frequency dict) */
    int part;     /* 0: a part (part_score), 1: None (a prefix), 2: absent */
    double part_score;
    int exception;
} Info;

/* hash_step, hash_final, HASH_SEED: analysis/_hash.h */

/* Memory of the key table: whole 2 MiB pages advised to be huge pages (the
 * table is read at random: with 4 KiB pages most look-ups also miss the TLB). */
#define HUGE ((size_t)2 << 20)

static void *
big_alloc(size_t nbytes, size_t *mapped)
{
    size_t size = (nbytes + HUGE - 1) & ~(HUGE - 1);
    void *p = NULL;
    if (size == 0)
        size = HUGE;
    if (posix_memalign(&p, HUGE, size) != 0)
        return NULL;
#if defined(__linux__) && defined(MADV_HUGEPAGE)
    madvise(p, size, MADV_HUGEPAGE); /* advice only: failure is harmless */
#endif
    *mapped = size;
    return p;
}

static void
table_free(KeyTable *t)
{
    free(t->slots);
    free(t->arena);
    PyMem_Free(t->values);
    memset(t, 0, sizeof(*t));
}

/* The entry of the key s[0:n] (all BMP, n <= max_len, hash h), or NULL. */
static inline const uint16_t *
table_find(const KeyTable *t, const Py_UCS4 *s, Py_ssize_t n, uint64_t h)
{
    size_t i = h & t->mask;
    uint64_t tag = h >> 32 << 32;
    for (;;) {
        uint64_t slot = t->slots[i];
        if (slot == 0)
            return NULL;
        if ((slot & 0xFFFFFFFF00000000ULL) == tag) {
            const uint16_t *e = t->arena + ((slot & 0xFFFFFFFFu) - 1);
            if (e[E_LEN] == n) {
                Py_ssize_t k = 0;
                while (k < n && e[E_HEAD + k] == s[k])
                    k++;
                if (k == n)
                    return e;
            }
        }
        i = (i + 1) & t->mask;
    }
}

static inline uint64_t
hash_of(const Py_UCS4 *s, Py_ssize_t n)
{
    uint64_t h = HASH_SEED;
    for (Py_ssize_t k = 0; k < n; k++)
        h = hash_step(h, s[k]);
    return hash_final(h, n);
}

/* The entry of key s[0:n], a new one (zeroed values) if absent; NULL if the
 * arena is full (configure() sizes it for every key). */
static uint16_t *
table_add(KeyTable *t, const Py_UCS4 *s, Py_ssize_t n)
{
    uint64_t h = hash_of(s, n);
    size_t i = h & t->mask;
    uint64_t tag = h >> 32 << 32;
    for (;;) {
        uint64_t slot = t->slots[i];
        if (slot == 0)
            break;
        if ((slot & 0xFFFFFFFF00000000ULL) == tag) {
            uint16_t *e = t->arena + ((slot & 0xFFFFFFFFu) - 1);
            Py_ssize_t k = 0;
            if (e[E_LEN] == n) {
                while (k < n && e[E_HEAD + k] == s[k])
                    k++;
                if (k == n)
                    return e;
            }
        }
        i = (i + 1) & t->mask;
    }
    if (t->arena_len + E_HEAD + (size_t)n > t->arena_cap || t->arena_len >= 0xFFFFFFFEu)
        return NULL;
    uint16_t *e = t->arena + t->arena_len;
    e[E_LEN] = (uint16_t)n;
    e[E_FLAGS] = 0;
    e[E_SCORE] = NO_SCORE;
    e[E_PART] = PART_ABSENT;
    for (Py_ssize_t k = 0; k < n; k++)
        e[E_HEAD + k] = (uint16_t)s[k];
    t->slots[i] = tag | (uint64_t)(t->arena_len + 1);
    t->arena_len += E_HEAD + (size_t)n;
    if (n > t->max_len)
        t->max_len = n;
    return e;
}

/* ------------------------------------------------------------------------ */
/* Tables (set by configure()).                                               */

typedef struct {
    PyObject *procs; /* proclitic string ("و+ل+ال"; "" for none), borrowed */
    int nprocs;      /* len(proclitics) */
    Py_ssize_t start;
    int article, conj_bare, conj_enclitic;
} Reading;

typedef struct {
    Py_ssize_t size; /* letters of the enclitic (0: the bare stem) */
    PyObject *enc;   /* the enclitic ("" for the bare stem), borrowed */
    int risky;       /* the stem needs min_risky_stem letters */
} Enclitic;

typedef struct {
    int first, n; /* a slice of the readings or enclitics arrays */
} Span;

typedef struct {
    /* Python objects, owned by `refs` (a tuple holding every object below). */
    PyObject *refs;
    PyObject *freq, *exc, *parts;
    PyObject *empty;
    PyObject *row_fallback, *split_fallback;
    Py_UCS4 article[8], teh_marbuta[8]; /* as code points */
    Py_ssize_t article_len, teh_marbuta_len;
    Py_UCS4 teh;
    double margin, art_min, art_short_min, art_short_whole_min, zipf_offset;
    Py_ssize_t min_bare, min_risky, longest, min_length, max_parts, min_part;
    /* Grammar tables. */
    Reading *readings;
    Enclitic *enclitics;
    Span *heads; /* indexed by the code of a run of proclitic letters */
    Span *tails; /* ... of enclitic letters */
    Py_ssize_t head_max, tail_max;
    Py_ssize_t head_base, tail_base;
    Py_ssize_t max_tail_enclitics;
    /* Normalization: light form (keep-hamza table). */
    uint32_t *light_repl;
    Py_ssize_t max_repl;
    KeyTable keys;
} Config;

static Config g;                  /* zeroed: not configured */
static int g_configured = 0;
static int g_busy = 0;            /* a call is running (configure() refuses) */
static uint8_t g_cls[BMP];        /* CLS_* bits */
static uint8_t g_head_digit[BMP]; /* 1 + index in the proclitic letters, or 0 */
static uint8_t g_tail_digit[BMP]; /* 1 + index in the enclitic letters, or 0 */
static uint32_t g_light[BMP];     /* keep-hamza table entry, or NOT_IN_TABLE */
static uint32_t g_whole[BMP];     /* what an alef form becomes */
static Py_ssize_t g_row_fallbacks = 0, g_split_fallbacks = 0;

static void
config_free(Config *c)
{
    Py_CLEAR(c->refs);
    PyMem_Free(c->readings);
    PyMem_Free(c->enclitics);
    PyMem_Free(c->heads);
    PyMem_Free(c->tails);
    PyMem_Free(c->light_repl);
    table_free(&c->keys);
    memset(c, 0, sizeof(*c));
}

static inline int
is_space(Py_UCS4 ch)
{
    return ch < BMP ? (g_cls[ch] & CLS_SPACE) != 0 : Py_UNICODE_ISSPACE(ch);
}

/* ------------------------------------------------------------------------ */
/* Queries.                                                                   */

/* The Zipf score of a frequency as analysis.clitics.zipf computes it. */
static inline double
zipf_score(double freq)
{
    return freq != 0.0 ? log10(freq) + g.zipf_offset : 0.0;
}

/* query() for a key with a character beyond the BMP: the Python dicts and set. */
static int
query_python(const Py_UCS4 *s, Py_ssize_t n, Info *info)
{
    PyObject *key = PyUnicode_FromKindAndData(PyUnicode_4BYTE_KIND, s, n);
    if (key == NULL)
        return -1;
    int result = -1;
    PyObject *v = PyDict_GetItemWithError(g.freq, key);
    if (v == NULL && PyErr_Occurred())
        goto done;
    info->score = 0.0;
    if (v != NULL) {
        double f = PyFloat_AsDouble(v);
        if (f == -1.0 && PyErr_Occurred())
            goto done;
        info->score = zipf_score(f);
    }
    v = PyDict_GetItemWithError(g.parts, key);
    if (v == NULL && PyErr_Occurred())
        goto done;
    info->part = v == NULL ? 2 : v == Py_None ? 1 : 0;
    if (info->part == 0) {
        info->part_score = PyFloat_AsDouble(v);
        if (info->part_score == -1.0 && PyErr_Occurred())
            goto done;
    }
    info->exception = PySet_Contains(g.exc, key);
    if (info->exception < 0)
        goto done;
    result = 0;
done:
    Py_DECREF(key);
    return result;
}

/* Prefetching. The table is much larger than the caches, so a look-up waits
 * for memory twice (slot, then entry): ~0.4 us of the ~0.5 us a word type
 * costs without this. rows() therefore works on blocks of words in three
 * passes: the first runs each word's analysis in "collect" mode (query()
 * only records the hashes of the keys it is asked and prefetches their slots,
 * answering "absent", which makes the analysis ask every key it could ask),
 * the second prefetches the arena entries those slots point to, the third
 * runs the analyses for real, with the table's lines in the cache. */
#define MAX_KEYS 64
#define BLOCK 16

typedef struct {
    uint64_t hashes[MAX_KEYS];
    int n;
} Keys;

static Keys *g_collect = NULL; /* collect mode when set */

static inline void
prefetch_slot(uint64_t h)
{
    __builtin_prefetch(&g.keys.slots[h & g.keys.mask]);
}

/* Second pass: the entries of the slots whose tag matches (the slots were
 * prefetched by the first pass). */
static void
prefetch_entries(const Keys *keys)
{
    for (int k = 0; k < keys->n; k++) {
        uint64_t h = keys->hashes[k];
        uint64_t slot = g.keys.slots[h & g.keys.mask];
        if (slot != 0 && (slot & 0xFFFFFFFF00000000ULL) == (h >> 32 << 32))
            __builtin_prefetch(g.keys.arena + ((slot & 0xFFFFFFFFu) - 1));
    }
}

/* What the frequency dict, the part table and the exceptions set hold for
 * the key s[0:n]. 0, or -1 with an exception. */
static int
query(const Py_UCS4 *s, Py_ssize_t n, Info *info)
{
    Py_UCS4 any = 0;
    uint64_t h = HASH_SEED;
    for (Py_ssize_t k = 0; k < n; k++) {
        any |= s[k];
        h = hash_step(h, s[k]);
    }
    if (g_collect != NULL) {
        if (any < BMP && n <= g.keys.max_len && g_collect->n < MAX_KEYS) {
            h = hash_final(h, n);
            prefetch_slot(h);
            g_collect->hashes[g_collect->n++] = h;
        }
        info->score = 0.0;
        info->part = 2;
        info->exception = 0;
        return 0;
    }
    if (any >= BMP || n > 0xFFFF) /* not in the table (see load_keys) */
        return query_python(s, n, info);
    const uint16_t *e = n <= g.keys.max_len ? table_find(&g.keys, s, n, hash_final(h, n)) : NULL;
    if (e == NULL) {
        info->score = 0.0;
        info->part = 2;
        info->exception = 0;
        return 0;
    }
    info->score = e[E_SCORE] == NO_SCORE ? 0.0 : g.keys.values[e[E_SCORE]];
    info->part = e[E_PART] == PART_ABSENT ? 2 : e[E_PART] == PART_PREFIX ? 1 : 0;
    if (info->part == 0)
        info->part_score = g.keys.values[e[E_PART]];
    info->exception = e[E_FLAGS] & F_EXCEPTION;
    return 0;
}

/* query() of a + b (the key made of two pieces). */
static int
query2(const Py_UCS4 *a, Py_ssize_t na, const Py_UCS4 *b, Py_ssize_t nb, Info *info)
{
    Py_UCS4 stack[WORD_STACK];
    Py_UCS4 *buf = na + nb <= WORD_STACK ? stack : PyMem_Malloc((size_t)(na + nb) * 4);
    if (buf == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    memcpy(buf, a, (size_t)na * 4);
    memcpy(buf + na, b, (size_t)nb * 4);
    int r = query(buf, na + nb, info);
    if (buf != stack)
        PyMem_Free(buf);
    return r;
}

static inline PyObject *
make_str(const Py_UCS4 *s, Py_ssize_t n)
{
    return PyUnicode_FromKindAndData(PyUnicode_4BYTE_KIND, s, n);
}

/* ------------------------------------------------------------------------ */
/* Normalization of a word (clitics._light_and_whole).                        */

typedef struct {
    PyObject *word; /* the input, borrowed */
    Py_UCS4 *light, *whole;
    Py_ssize_t n;
    int whole_is_word; /* whole equals the input string */
    Py_UCS4 *heap;     /* when the stack buffer is too small */
    Py_UCS4 stack[2 * WORD_STACK];
} Word;

static void
word_free(Word *w)
{
    PyMem_Free(w->heap);
    w->heap = NULL;
}

/* Room for the light and whole forms of `cap` characters each. */
static int
word_room(Word *w, Py_ssize_t cap)
{
    if (cap <= WORD_STACK) {
        w->light = w->stack;
        w->whole = w->stack + WORD_STACK;
        return 0;
    }
    if ((size_t)cap > PY_SSIZE_T_MAX / 8) {
        PyErr_NoMemory();
        return -1;
    }
    w->heap = PyMem_Malloc((size_t)cap * 2 * sizeof(Py_UCS4));
    if (w->heap == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    w->light = w->heap;
    w->whole = w->heap + cap;
    return 0;
}

/* The light and whole forms of `word` into `w`: 1; 0 when the word needs the
 * general path (whitespace inside once normalized); -1 with an exception.
 * `w` must be released with word_free() whatever the result. */
static int
prepare(PyObject *word, Word *w)
{
    int kind = PyUnicode_KIND(word);
    const void *data = PyUnicode_DATA(word);
    Py_ssize_t n = PyUnicode_GET_LENGTH(word);
    w->word = word;
    w->heap = NULL;
    unsigned any = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        Py_UCS4 ch = PyUnicode_READ(kind, data, i);
        any |= ch < BMP ? g_cls[ch] : (Py_UNICODE_ISSPACE(ch) ? CLS_SPACE : 0);
    }
    if (!(any & (CLS_KEEP | CLS_SPACE))) {
        /* The usual case: the word is its own light form. */
        if (word_room(w, n) < 0)
            return -1;
        for (Py_ssize_t i = 0; i < n; i++) {
            Py_UCS4 ch = PyUnicode_READ(kind, data, i);
            w->light[i] = ch;
            w->whole[i] = ch < BMP && (g_cls[ch] & CLS_ALEF) ? g_whole[ch] : ch;
        }
        w->n = n;
        w->whole_is_word = !(any & CLS_ALEF);
        return 1;
    }
    /* normalize_word_keep_hamza: translate, then strip whitespace. */
    if ((size_t)n > PY_SSIZE_T_MAX / 8 / (size_t)g.max_repl) {
        PyErr_NoMemory();
        return -1;
    }
    if (word_room(w, n * g.max_repl) < 0)
        return -1;
    Py_UCS4 *buf = w->light;
    Py_ssize_t m = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        Py_UCS4 ch = PyUnicode_READ(kind, data, i);
        uint32_t e = ch < BMP ? g_light[ch] : NOT_IN_TABLE;
        if (e == NOT_IN_TABLE)
            buf[m++] = ch;
        else if (!(e & REPLACE_FLAG))
            buf[m++] = e;
        else {
            Py_ssize_t len = (e >> 16) & MAX_REPLACEMENT;
            const uint32_t *r = g.light_repl + (e & 0xFFFF);
            for (Py_ssize_t k = 0; k < len; k++)
                buf[m++] = r[k];
        }
    }
    Py_ssize_t s = 0, t = m;
    while (s < t && is_space(buf[s]))
        s++;
    while (t > s && is_space(buf[t - 1]))
        t--;
    for (Py_ssize_t k = s; k < t; k++) {
        if (is_space(buf[k]))
            return 0; /* whitespace inside: clitics._analyse_general */
    }
    w->light = buf + s;
    w->n = t - s;
    for (Py_ssize_t k = 0; k < w->n; k++) {
        Py_UCS4 ch = w->light[k];
        w->whole[k] = ch < BMP && (g_cls[ch] & CLS_ALEF) ? g_whole[ch] : ch;
    }
    w->whole_is_word = 0;
    return 1;
}

/* ------------------------------------------------------------------------ */
/* The clitic analysis (clitics.analyse_clitics).                             */

typedef struct {
    PyObject *procs; /* borrowed */
    Py_ssize_t start, len; /* the bare form is whole[start:start+len] ... */
    int marbuta;     /* ... + teh marbuta (then len counts it) */
    PyObject *enc;   /* borrowed */
    int rank;        /* len(proclitics) + bool(enclitic) */
    double score;
} Cand;

typedef struct {
    Cand c[MAX_CAND + 1];
    int n; /* the analyses, preferred first, the unsegmented word last */
} Result;

/* _rank_key(a) < _rank_key(b): (-rank, -score, -len(bare)) compared in order. */
static inline int
cand_less(const Cand *a, const Cand *b)
{
    if (a->rank != b->rank)
        return a->rank > b->rank;
    if (a->score != b->score)
        return a->score > b->score;
    return a->len > b->len;
}

static inline void
accept(Result *res, const Reading *r, Py_ssize_t start, Py_ssize_t len, int marbuta,
       const Enclitic *e, double score)
{
    Cand *c = &res->c[res->n++];
    c->procs = r->procs;
    c->start = start;
    c->len = len;
    c->marbuta = marbuta;
    c->enc = e->enc;
    c->rank = r->nprocs + (e->size > 0);
    c->score = score;
}

/* The analyses of the prepared word `w` into `res`. 0, or -1 with an
 * exception. */
static int
analyse(const Word *w, Result *res)
{
    const Py_UCS4 *light = w->light, *whole = w->whole;
    const Py_ssize_t n = w->n;
    Info info;
    res->n = 0;
    if (query(whole, n, &info) < 0)
        return -1;
    const double whole_score = info.score;
    const int whole_exception = info.exception;

    /* The plan of the leading run of proclitic letters (at most head_max). */
    Py_ssize_t code = 0;
    Py_ssize_t lim = n < g.head_max ? n : g.head_max;
    for (Py_ssize_t i = 0; i < lim; i++) {
        Py_UCS4 ch = light[i];
        int d = ch < BMP ? g_head_digit[ch] : 0;
        if (!d)
            break;
        code = code * g.head_base + d;
    }
    const Span plan = g.heads[code];
    /* The enclitics of the trailing run of enclitic letters (at most tail_max). */
    Enclitic opts[1 + MAX_CAND];
    opts[0].size = 0;
    opts[0].enc = g.empty;
    opts[0].risky = 0;
    int nenc = 0;
    if (n && light[n - 1] < BMP && g_tail_digit[light[n - 1]]) {
        Py_ssize_t j = n, stop = n > g.tail_max ? n - g.tail_max : 0;
        while (j > stop && light[j - 1] < BMP && g_tail_digit[light[j - 1]])
            j--;
        Py_ssize_t tcode = 0;
        for (Py_ssize_t i = j; i < n; i++)
            tcode = tcode * g.tail_base + g_tail_digit[light[i]];
        const Span tail = g.tails[tcode];
        for (int k = 0; k < tail.n; k++)
            opts[1 + k] = g.enclitics[tail.first + k];
        nenc = tail.n;
    }
    else if (plan.n == 1) {
        goto unsegmented; /* no proclitic, no enclitic: nothing to test */
    }
    if (whole_exception)
        goto unsegmented;

    const double threshold = whole_score + g.margin;
    /* "conjunction + a word of the exceptions list" (وكان); as in Python,
     * "" in "وف" is True. */
    int conj_exception = 0;
    if (n == 0 || (light[0] < BMP && (g_cls[light[0]] & CLS_CONJ))) {
        Py_ssize_t skip = n > 0; /* whole[1:] */
        if (query(whole + skip, n - skip, &info) < 0)
            return -1;
        conj_exception = info.exception;
    }
    for (int p = 0; p < plan.n; p++) {
        const Reading *rd = &g.readings[plan.first + p];
        const Py_ssize_t start = rd->start;
        /* As in analyse_clitics: the bare stem only with the article; the bare
         * stem and the enclitics with other proclitics; the enclitics alone
         * for the word without proclitics. */
        const Enclitic *o = rd->article || rd->nprocs ? opts : opts + 1;
        int no = rd->article ? 1 : rd->nprocs ? 1 + nenc : nenc;
        for (int k = 0; k < no; k++) {
            const Enclitic *e = &o[k];
            const Py_ssize_t end = n - e->size;
            if (e->size > 0) {
                if (end <= start)
                    continue; /* the enclitic would be the whole stem */
                if (e->risky && end - start < g.min_risky)
                    continue;
                if (end - start >= g.article_len) { /* whole.startswith(article, start, end) */
                    Py_ssize_t a = 0;
                    while (a < g.article_len && whole[start + a] == g.article[a])
                        a++;
                    if (a == g.article_len)
                        continue; /* a definite noun takes no possessive */
                }
                if (rd->conj_enclitic && conj_exception)
                    continue;
                if (light[end - 1] == g.teh) {
                    /* clitics._better_form((whole[start:end-1] + teh marbuta,
                     * whole[start:end]), threshold) */
                    int best = -1;
                    double best_score = 0.0;
                    for (int f = 0; f < 2; f++) {
                        Py_ssize_t len = f == 0 ? end - 1 - start + g.teh_marbuta_len
                                                : end - start;
                        if (len < g.min_bare)
                            continue;
                        int r = f == 0 ? query2(whole + start, end - 1 - start, g.teh_marbuta,
                                                g.teh_marbuta_len, &info)
                                       : query(whole + start, end - start, &info);
                        if (r < 0)
                            return -1;
                        double score = info.score;
                        if (score > 0 && score >= threshold && (best < 0 || score > best_score)) {
                            best = f;
                            best_score = score;
                        }
                    }
                    if (best == 0)
                        accept(res, rd, start, end - 1 - start + g.teh_marbuta_len, 1, e,
                               best_score);
                    else if (best == 1)
                        accept(res, rd, start, end - start, 0, e, best_score);
                    continue;
                }
            }
            else if (rd->conj_bare && conj_exception) {
                continue;
            }
            if (end - start < g.min_bare)
                continue;
            if (query(whole + start, end - start, &info) < 0)
                return -1;
            const double score = info.score;
            int ok;
            if (rd->article) {
                if (end - start > g.min_bare) {
                    ok = !(score < g.art_min && whole_score != 0);
                }
                else {
                    ok = 0;
                    if (score >= g.art_short_min) {
                        if (query2(g.article, g.article_len, whole + start, end - start, &info) < 0)
                            return -1;
                        ok = info.score >= g.art_short_whole_min;
                    }
                }
            }
            else {
                ok = score > 0 && score >= threshold;
            }
            if (ok)
                accept(res, rd, start, end - start, 0, e, score);
        }
    }
    /* Stable insertion sort on the rank key (list.sort is stable too). */
    for (int i = 1; i < res->n; i++) {
        Cand x = res->c[i];
        int j = i;
        while (j > 0 && cand_less(&x, &res->c[j - 1])) {
            res->c[j] = res->c[j - 1];
            j--;
        }
        res->c[j] = x;
    }
unsegmented:;
    Cand *u = &res->c[res->n++];
    u->procs = g.empty;
    u->start = 0;
    u->len = n;
    u->marbuta = 0;
    u->enc = g.empty;
    u->rank = 0;
    u->score = whole_score;
    return 0;
}

/* The bare form of an analysis as a new str. */
static PyObject *
bare_str(const Word *w, const Cand *c)
{
    if (c->start == 0 && c->len == w->n && !c->marbuta && w->whole_is_word)
        return Py_NewRef(w->word);
    if (!c->marbuta)
        return make_str(w->whole + c->start, c->len);
    Py_ssize_t stem = c->len - g.teh_marbuta_len;
    Py_UCS4 stack[WORD_STACK];
    Py_UCS4 *buf = c->len <= WORD_STACK ? stack : PyMem_Malloc((size_t)c->len * 4);
    if (buf == NULL)
        return PyErr_NoMemory();
    memcpy(buf, w->whole + c->start, (size_t)stem * 4);
    memcpy(buf + stem, g.teh_marbuta, (size_t)g.teh_marbuta_len * 4);
    PyObject *s = make_str(buf, c->len);
    if (buf != stack)
        PyMem_Free(buf);
    return s;
}

/* Whether two analyses have the same bare form. */
static int
same_bare(const Word *w, const Cand *a, const Cand *b)
{
    if (a->len != b->len)
        return 0;
    Py_ssize_t stem_a = a->marbuta ? a->len - g.teh_marbuta_len : a->len;
    for (Py_ssize_t k = 0; k < a->len; k++) {
        Py_UCS4 ca = k < stem_a ? w->whole[a->start + k] : g.teh_marbuta[k - stem_a];
        Py_ssize_t stem_b = b->marbuta ? b->len - g.teh_marbuta_len : b->len;
        Py_UCS4 cb = k < stem_b ? w->whole[b->start + k] : g.teh_marbuta[k - stem_b];
        if (ca != cb)
            return 0;
    }
    return 1;
}

/* ------------------------------------------------------------------------ */
/* The run-together split (repair.find_split).                                */

/* The part-table value of s[a:b]: 0 with *score (a part), 1 (None: a prefix
 * of parts only), 2 (absent), -1 with an exception. */
static inline int
part_get(const Py_UCS4 *s, Py_ssize_t a, Py_ssize_t b, double *score)
{
    Info info;
    if (query(s + a, b - a, &info) < 0)
        return -1;
    *score = info.part_score;
    return info.part;
}

/* repair._best_split: the dynamic programming over cut positions. The cuts
 * into `cuts` (*ncuts of them; 0: no split). 0, or -1 with an exception. */
static int
best_split(const Py_UCS4 *s, Py_ssize_t n, Py_ssize_t *cuts, int *ncuts)
{
    const Py_ssize_t no_split = g.max_parts + 1;
    Py_ssize_t *parts = PyMem_Malloc((size_t)(n + 1) * sizeof(Py_ssize_t));
    Py_ssize_t *last_start = PyMem_Malloc((size_t)(n + 1) * sizeof(Py_ssize_t));
    double *neg_sum = PyMem_Malloc((size_t)(n + 1) * sizeof(double));
    int result = -1;
    *ncuts = 0;
    if (parts == NULL || last_start == NULL || neg_sum == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    for (Py_ssize_t i = 0; i <= n; i++) {
        parts[i] = no_split;
        neg_sum[i] = 0.0;
        last_start[i] = 0;
    }
    parts[0] = 0;
    for (Py_ssize_t start = 0; start < n - g.min_part + 1; start++) {
        Py_ssize_t count = parts[start];
        if (count >= g.max_parts)
            continue;
        count++;
        double base = neg_sum[start];
        Py_ssize_t stop = n < start + g.longest ? n : start + g.longest;
        for (Py_ssize_t end = start + g.min_part; end <= stop; end++) {
            double score;
            int r = part_get(s, start, end, &score);
            if (r < 0)
                goto done;
            if (r == 1)
                continue; /* a prefix of a common word, not one itself */
            if (r == 2)
                break; /* no common word starts with s[start:end] */
            double total = base - score;
            Py_ssize_t old = parts[end];
            if (count < old || (count == old && total < neg_sum[end])) {
                parts[end] = count;
                neg_sum[end] = total;
                last_start[end] = start;
            }
        }
    }
    result = 0;
    if (parts[n] > g.max_parts || parts[n] < 2) /* a split has 2+ parts */
        goto done;
    int k = 0;
    for (Py_ssize_t position = last_start[n]; position; position = last_start[position])
        cuts[k++] = position;
    for (int a = 0, b = k - 1; a < b; a++, b--) {
        Py_ssize_t t = cuts[a];
        cuts[a] = cuts[b];
        cuts[b] = t;
    }
    *ncuts = k;
done:
    PyMem_Free(parts);
    PyMem_Free(last_start);
    PyMem_Free(neg_sum);
    return result;
}

/* repair._search_split on s[0:n]: cuts (at most max_parts - 1) into `cuts`,
 * *ncuts of them (0: no split). 0, or -1 with an exception. */
static int
search_split(const Py_UCS4 *s, Py_ssize_t n, Py_ssize_t *cuts, int *ncuts)
{
    *ncuts = 0;
    /* Parts that start the word, in increasing order of length. */
    Py_ssize_t nfirst = 0;
    Py_ssize_t stop = n < g.longest ? n : g.longest;
    Py_ssize_t first_end[stop + 1];
    double first_score[stop + 1];
    for (Py_ssize_t end = g.min_part; end <= stop; end++) {
        double score;
        int r = part_get(s, 0, end, &score);
        if (r < 0)
            return -1;
        if (r == 1)
            continue;
        if (r == 2)
            break;
        if (end == n)
            return 0; /* the word itself is one part: never split */
        first_end[nfirst] = end;
        first_score[nfirst++] = score;
    }
    double best_total = 0.0;
    Py_ssize_t best_cut = 0;
    for (Py_ssize_t k = 0; k < nfirst; k++) {
        Py_ssize_t cut = first_end[k];
        if (n - cut < g.min_part || n - cut > g.longest)
            continue;
        double second;
        int r = part_get(s, cut, n, &second);
        if (r < 0)
            return -1;
        if (r != 0)
            continue;
        double total = (0.0 - first_score[k]) - second;
        if (!best_cut || total < best_total) {
            best_total = total;
            best_cut = cut;
        }
    }
    if (best_cut) {
        cuts[0] = best_cut;
        *ncuts = 1;
        return 0;
    }
    if (!nfirst)
        return 0;
    return best_split(s, n, cuts, ncuts);
}

/* find_split(word): a new reference to the tuple of cut points, or None; NULL
 * with an exception. Words with characters that normalization would change go
 * to the Python function. */
static PyObject *
split_of(PyObject *word)
{
    Py_ssize_t n = PyUnicode_GET_LENGTH(word);
    if (n < g.min_length || n > g.max_parts * g.longest)
        Py_RETURN_NONE;
    int kind = PyUnicode_KIND(word);
    const void *data = PyUnicode_DATA(word);
    Word w;
    w.word = word;
    w.heap = NULL;
    if (word_room(&w, n) < 0)
        return NULL;
    for (Py_ssize_t i = 0; i < n; i++) {
        Py_UCS4 ch = PyUnicode_READ(kind, data, i);
        unsigned cls = ch < BMP ? g_cls[ch] : (Py_UNICODE_ISSPACE(ch) ? CLS_SPACE : 0);
        if (cls & (CLS_KEEP | CLS_ALEF | CLS_SPACE)) {
            word_free(&w);
            g_split_fallbacks++;
            return PyObject_CallOneArg(g.split_fallback, word);
        }
        w.light[i] = w.whole[i] = ch;
    }
    w.n = n;
    w.whole_is_word = 1;
    PyObject *result = NULL;
    Info info;
    Py_ssize_t cuts[g.max_parts > 0 ? g.max_parts : 1];
    int ncuts;
    /* Attested as a whole (clitics.whole_is_attested): never split. */
    if (query(w.whole, n, &info) < 0)
        goto done;
    if (info.score > 0) {
        result = Py_NewRef(Py_None);
        goto done;
    }
    if (search_split(w.whole, n, cuts, &ncuts) < 0)
        goto done;
    if (ncuts == 0) {
        result = Py_NewRef(Py_None);
        goto done;
    }
    /* A clitic reading attested (repair.is_known_word): never split. */
    Result res;
    if (analyse(&w, &res) < 0)
        goto done;
    int known = 0;
    for (int k = 0; k < res.n; k++)
        known |= res.c[k].score > 0;
    if (known) {
        result = Py_NewRef(Py_None);
        goto done;
    }
    result = PyTuple_New(ncuts);
    if (result == NULL)
        goto done;
    for (int k = 0; k < ncuts; k++) {
        PyObject *v = PyLong_FromSsize_t(cuts[k]);
        if (v == NULL) {
            Py_CLEAR(result);
            goto done;
        }
        PyTuple_SET_ITEM(result, k, v);
    }
done:
    word_free(&w);
    return result;
}

/* ------------------------------------------------------------------------ */
/* Entry points.                                                              */

static int
check_ready(void)
{
    if (!g_configured) {
        PyErr_SetString(PyExc_RuntimeError, "analysis._wordtypes.configure() was not called");
        return -1;
    }
    return 0;
}

/* The str at position i of the fast sequence, or NULL with a TypeError. */
static PyObject *
item_str(PyObject *seq, Py_ssize_t i, const char *func)
{
    PyObject *s = PySequence_Fast_GET_ITEM(seq, i);
    if (!PyUnicode_Check(s)) {
        PyErr_Format(PyExc_TypeError, "%s(): item %zd is a %.100s, not a str", func, i,
                     Py_TYPE(s)->tp_name);
        return NULL;
    }
#if PY_VERSION_HEX < 0x030C0000
    if (PyUnicode_READY(s) < 0)
        return NULL;
#endif
    return s;
}

/* One row (bare, bares, proclitics, enclitic) from the fallback; 0 or -1. */
static int
fallback_row(PyObject *word, PyObject **cols)
{
    g_row_fallbacks++;
    PyObject *row = PyObject_CallOneArg(g.row_fallback, word);
    if (row == NULL)
        return -1;
    if (!PyTuple_Check(row) || PyTuple_GET_SIZE(row) != 4) {
        Py_DECREF(row);
        PyErr_SetString(PyExc_TypeError, "the row fallback must return a 4-tuple");
        return -1;
    }
    for (int k = 0; k < 4; k++)
        cols[k] = Py_NewRef(PyTuple_GET_ITEM(row, k));
    Py_DECREF(row);
    return 0;
}

/* The row of one written word type, prepared in `w` (prepare()'s result
 * `state`): new references in cols; 0 or -1. */
static int
word_row(PyObject *word, Word *w, int state, PyObject **cols)
{
    Result res;
    if (state == 0)
        return fallback_row(word, cols);
    if (analyse(w, &res) < 0)
        return -1;
    /* bares: tuple(dict.fromkeys(a.bare for a in found)) */
    int distinct[MAX_CAND + 1];
    Py_ssize_t nd = 0;
    for (int k = 0; k < res.n; k++) {
        int seen = 0;
        for (Py_ssize_t j = 0; j < nd && !seen; j++)
            seen = same_bare(w, &res.c[distinct[j]], &res.c[k]);
        if (!seen)
            distinct[nd++] = k;
    }
    PyObject *bares = PyTuple_New(nd);
    if (bares == NULL)
        return -1;
    for (Py_ssize_t j = 0; j < nd; j++) {
        PyObject *s = bare_str(w, &res.c[distinct[j]]);
        if (s == NULL) {
            Py_DECREF(bares);
            return -1;
        }
        PyTuple_SET_ITEM(bares, j, s);
    }
    cols[0] = Py_NewRef(PyTuple_GET_ITEM(bares, 0)); /* distinct[0] == 0 */
    cols[1] = bares;
    cols[2] = Py_NewRef(res.c[0].procs);
    cols[3] = Py_NewRef(res.c[0].enc);
    return 0;
}

/* The rows of the words seq[base:base + m] (m <= BLOCK) into the lists, in
 * the three passes described at MAX_KEYS. 0, or -1 with an exception. */
static int
rows_block(PyObject *seq, Py_ssize_t base, int m, Word *ws, Keys *keys, PyObject **lists)
{
    int state[BLOCK];
    int ready = 0, result = -1;
    for (int j = 0; j < m; j++) {
        PyObject *word = item_str(seq, base + j, "rows");
        if (word == NULL)
            goto done;
        state[j] = prepare(word, &ws[j]);
        ready = j + 1;
        if (state[j] < 0)
            goto done;
        keys[j].n = 0;
        if (state[j] > 0) {
            Result ignored;
            g_collect = &keys[j];
            int r = analyse(&ws[j], &ignored);
            g_collect = NULL;
            if (r < 0)
                goto done;
        }
    }
    for (int j = 0; j < m; j++)
        prefetch_entries(&keys[j]);
    for (int j = 0; j < m; j++) {
        PyObject *cols[4];
        if (word_row(PySequence_Fast_GET_ITEM(seq, base + j), &ws[j], state[j], cols) < 0)
            goto done;
        for (int k = 0; k < 4; k++)
            PyList_SET_ITEM(lists[k], base + j, cols[k]);
    }
    result = 0;
done:
    for (int j = 0; j < ready; j++)
        word_free(&ws[j]);
    return result;
}

static PyObject *
rows(PyObject *Py_UNUSED(module), PyObject *arg)
{
    if (check_ready() < 0)
        return NULL;
    PyObject *seq = PySequence_Fast(arg, "rows() needs a sequence of str");
    if (seq == NULL)
        return NULL;
    Py_ssize_t n = PySequence_Fast_GET_SIZE(seq);
    PyObject *lists[4] = {NULL, NULL, NULL, NULL};
    PyObject *result = NULL;
    Word *ws = PyMem_Malloc(BLOCK * sizeof(Word));
    Keys *keys = PyMem_Malloc(BLOCK * sizeof(Keys));
    g_busy++;
    if (ws == NULL || keys == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    for (int k = 0; k < 4; k++) {
        lists[k] = PyList_New(n);
        if (lists[k] == NULL)
            goto done;
    }
    for (Py_ssize_t base = 0; base < n; base += BLOCK) {
        int m = n - base < BLOCK ? (int)(n - base) : BLOCK;
        if (rows_block(seq, base, m, ws, keys, lists) < 0)
            goto done;
    }
    result = PyTuple_Pack(4, lists[0], lists[1], lists[2], lists[3]);
done:
    g_busy--;
    PyMem_Free(ws);
    PyMem_Free(keys);
    for (int k = 0; k < 4; k++)
        Py_XDECREF(lists[k]);
    Py_DECREF(seq);
    return result;
}

/* find_split of every word of `seq` (blocks of BLOCK words, the whole-word
 * look-up of each prefetched first): into `list` (the tuples or None) or into
 * `flags` (1 where not None). 0, or -1 with an exception. */
static int
split_all(PyObject *seq, const char *func, PyObject *list, char *flags)
{
    Py_ssize_t n = PySequence_Fast_GET_SIZE(seq);
    Keys keys;
    for (Py_ssize_t base = 0; base < n; base += BLOCK) {
        int m = n - base < BLOCK ? (int)(n - base) : BLOCK;
        keys.n = 0;
        for (int j = 0; j < m; j++) {
            PyObject *word = item_str(seq, base + j, func);
            if (word == NULL)
                return -1;
            Py_ssize_t len = PyUnicode_GET_LENGTH(word);
            if (len < g.min_length || len > g.keys.max_len)
                continue; /* answered without a look-up, or not in the table */
            int kind = PyUnicode_KIND(word);
            const void *data = PyUnicode_DATA(word);
            uint64_t h = HASH_SEED;
            Py_UCS4 any = 0;
            for (Py_ssize_t k = 0; k < len; k++) {
                Py_UCS4 ch = PyUnicode_READ(kind, data, k);
                any |= ch;
                h = hash_step(h, ch);
            }
            if (any < BMP) {
                h = hash_final(h, len);
                prefetch_slot(h);
                keys.hashes[keys.n++] = h;
            }
        }
        prefetch_entries(&keys);
        for (int j = 0; j < m; j++) {
            PyObject *v = split_of(PySequence_Fast_GET_ITEM(seq, base + j));
            if (v == NULL)
                return -1;
            if (list != NULL) {
                PyList_SET_ITEM(list, base + j, v);
            }
            else {
                flags[base + j] = v != Py_None;
                Py_DECREF(v);
            }
        }
    }
    return 0;
}

static PyObject *
splits(PyObject *Py_UNUSED(module), PyObject *arg)
{
    if (check_ready() < 0)
        return NULL;
    PyObject *seq = PySequence_Fast(arg, "splits() needs a sequence of str");
    if (seq == NULL)
        return NULL;
    PyObject *list = PyList_New(PySequence_Fast_GET_SIZE(seq));
    g_busy++;
    if (list != NULL && split_all(seq, "splits", list, NULL) < 0)
        Py_CLEAR(list);
    g_busy--;
    Py_DECREF(seq);
    return list;
}

static PyObject *
splittable(PyObject *Py_UNUSED(module), PyObject *arg)
{
    if (check_ready() < 0)
        return NULL;
    PyObject *seq = PySequence_Fast(arg, "splittable() needs a sequence of str");
    if (seq == NULL)
        return NULL;
    PyObject *out = PyBytes_FromStringAndSize(NULL, PySequence_Fast_GET_SIZE(seq));
    g_busy++;
    if (out != NULL && split_all(seq, "splittable", NULL, PyBytes_AS_STRING(out)) < 0)
        Py_CLEAR(out);
    g_busy--;
    Py_DECREF(seq);
    return out;
}

static PyObject *
table_bytes(PyObject *Py_UNUSED(module), PyObject *Py_UNUSED(arg))
{
    return PyLong_FromSize_t(g.keys.slots_bytes + g.keys.arena_bytes +
                             (size_t)g.keys.nvalues * sizeof(double));
}

static PyObject *
fallbacks(PyObject *Py_UNUSED(module), PyObject *Py_UNUSED(arg))
{
    return Py_BuildValue("(nn)", g_row_fallbacks, g_split_fallbacks);
}

/* ------------------------------------------------------------------------ */
/* configure()                                                                */

/* Sets digit[ch] = 1 + position for the letters of `letters` (all BMP, at
 * most 254, distinct); returns the base of the codes (letters + 1), or -1. */
static Py_ssize_t
set_digits(uint8_t *digit, PyObject *letters, const char *name)
{
    Py_ssize_t n = PyUnicode_GET_LENGTH(letters);
    if (n > 254) {
        PyErr_Format(PyExc_ValueError, "configure(): too many %s", name);
        return -1;
    }
    memset(digit, 0, BMP);
    for (Py_ssize_t i = 0; i < n; i++) {
        Py_UCS4 ch = PyUnicode_READ_CHAR(letters, i);
        if (ch >= BMP || digit[ch]) {
            PyErr_Format(PyExc_ValueError,
                         "configure(): %s must be distinct characters of the BMP", name);
            return -1;
        }
        digit[ch] = (uint8_t)(i + 1);
    }
    return n + 1;
}

/* The code of a run of letters (each with a digit), or -1 with ValueError. */
static Py_ssize_t
run_code(PyObject *run, const uint8_t *digit, Py_ssize_t base, Py_ssize_t max, const char *name)
{
    Py_ssize_t n = PyUnicode_GET_LENGTH(run);
    Py_ssize_t code = 0;
    if (n > max)
        goto bad;
    for (Py_ssize_t i = 0; i < n; i++) {
        Py_UCS4 ch = PyUnicode_READ_CHAR(run, i);
        if (ch >= BMP || !digit[ch])
            goto bad;
        code = code * base + digit[ch];
    }
    return code;
bad:
    PyErr_Format(PyExc_ValueError, "configure(): %s key %R is not a run of its letters", name,
                 run);
    return -1;
}

/* Longest key of a dict of str keys, or -1 with an exception. */
static Py_ssize_t
longest_key(PyObject *dict, const char *name)
{
    Py_ssize_t pos = 0, longest = 0;
    PyObject *key, *value;
    while (PyDict_Next(dict, &pos, &key, &value)) {
        if (!PyUnicode_Check(key)) {
            PyErr_Format(PyExc_TypeError, "configure(): %s keys must be str", name);
            return -1;
        }
        if (PyUnicode_GET_LENGTH(key) > longest)
            longest = PyUnicode_GET_LENGTH(key);
    }
    return longest;
}

/* Size of the code table of runs of up to `max` letters in base `base`. */
static Py_ssize_t
code_space(Py_ssize_t base, Py_ssize_t max, const char *name)
{
    Py_ssize_t size = 1;
    for (Py_ssize_t i = 0; i < max; i++) {
        if (size > MAX_CODES / base) {
            PyErr_Format(PyExc_ValueError, "configure(): %s runs too long", name);
            return -1;
        }
        size *= base;
    }
    return size;
}

/* Fills c->heads from head_plans: {run: ((procs, nprocs, start, article,
 * conj_bare, conj_enclitic), ...)}; equal plans share their readings. */
static int
load_heads(Config *c, PyObject *head_plans)
{
    Py_ssize_t size = code_space(c->head_base, c->head_max, "head plan");
    if (size < 0)
        return -1;
    c->heads = PyMem_Calloc((size_t)size, sizeof(Span));
    PyObject *seen = PyDict_New(); /* plan -> index of its first reading */
    Py_ssize_t cap = 0, nread = 0;
    int ok = -1;
    if (c->heads == NULL || seen == NULL)
        goto done;
    for (Py_ssize_t i = 0; i < size; i++)
        c->heads[i].n = -1; /* no plan */
    Py_ssize_t pos = 0;
    PyObject *key, *plan;
    while (PyDict_Next(head_plans, &pos, &key, &plan)) {
        Py_ssize_t code = run_code(key, g_head_digit, c->head_base, c->head_max, "head plan");
        if (code < 0)
            goto done;
        if (!PyTuple_Check(plan)) {
            PyErr_SetString(PyExc_TypeError, "configure(): a head plan must be a tuple");
            goto done;
        }
        Py_ssize_t np = PyTuple_GET_SIZE(plan);
        PyObject *known = PyDict_GetItemWithError(seen, plan);
        if (known == NULL && PyErr_Occurred())
            goto done;
        if (known != NULL) {
            c->heads[code].first = (int)PyLong_AsLong(known);
            c->heads[code].n = (int)np;
            continue;
        }
        if (nread + np > cap) {
            cap = (nread + np) * 2 + 16;
            Reading *grown = PyMem_Realloc(c->readings, (size_t)cap * sizeof(Reading));
            if (grown == NULL) {
                PyErr_NoMemory();
                goto done;
            }
            c->readings = grown;
        }
        for (Py_ssize_t k = 0; k < np; k++) {
            Reading *r = &c->readings[nread + k];
            PyObject *t = PyTuple_GET_ITEM(plan, k);
            PyObject *procs;
            int article, conj_bare, conj_enclitic;
            if (!PyTuple_Check(t) ||
                !PyArg_ParseTuple(t, "Uinppp", &procs, &r->nprocs, &r->start, &article,
                                  &conj_bare, &conj_enclitic)) {
                if (!PyErr_Occurred())
                    PyErr_SetString(PyExc_TypeError, "configure(): a reading must be a tuple");
                goto done;
            }
            r->procs = procs; /* kept alive by head_plans, held in c->refs */
            r->article = article;
            r->conj_bare = conj_bare;
            r->conj_enclitic = conj_enclitic;
        }
        PyObject *index = PyLong_FromSsize_t(nread);
        if (index == NULL || PyDict_SetItem(seen, plan, index) < 0) {
            Py_XDECREF(index);
            goto done;
        }
        Py_DECREF(index);
        c->heads[code].first = (int)nread;
        c->heads[code].n = (int)np;
        nread += np;
    }
    for (Py_ssize_t i = 0; i < size; i++) {
        /* Every run of up to head_max letters has a plan; other codes
         * (a digit 0 inside) never occur. */
        Py_ssize_t v = i, valid = 1;
        while (v) {
            if (v % c->head_base == 0)
                valid = 0;
            v /= c->head_base;
        }
        if (valid && c->heads[i].n < 0) {
            PyErr_SetString(PyExc_ValueError,
                            "configure(): head_plans lacks a run of proclitic letters");
            goto done;
        }
    }
    ok = 0;
done:
    Py_XDECREF(seen);
    return ok;
}

/* Fills c->tails from tail_enclitics: {run: ((size, enclitic, risky), ...)}. */
static int
load_tails(Config *c, PyObject *tail_enclitics)
{
    Py_ssize_t size = code_space(c->tail_base, c->tail_max, "tail");
    if (size < 0)
        return -1;
    c->tails = PyMem_Calloc((size_t)size, sizeof(Span));
    if (c->tails == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    for (Py_ssize_t i = 0; i < size; i++)
        c->tails[i].n = -1;
    Py_ssize_t total = 0, pos = 0;
    PyObject *key, *encs;
    while (PyDict_Next(tail_enclitics, &pos, &key, &encs)) {
        if (!PyTuple_Check(encs)) {
            PyErr_SetString(PyExc_TypeError, "configure(): tail enclitics must be tuples");
            return -1;
        }
        total += PyTuple_GET_SIZE(encs);
    }
    c->enclitics = PyMem_Calloc((size_t)(total ? total : 1), sizeof(Enclitic));
    if (c->enclitics == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    Py_ssize_t n = 0;
    pos = 0;
    while (PyDict_Next(tail_enclitics, &pos, &key, &encs)) {
        Py_ssize_t code = run_code(key, g_tail_digit, c->tail_base, c->tail_max, "tail");
        if (code < 0)
            return -1;
        Py_ssize_t ne = PyTuple_GET_SIZE(encs);
        c->tails[code].first = (int)n;
        c->tails[code].n = (int)ne;
        if (ne > c->max_tail_enclitics)
            c->max_tail_enclitics = ne;
        for (Py_ssize_t k = 0; k < ne; k++) {
            Enclitic *e = &c->enclitics[n++];
            PyObject *t = PyTuple_GET_ITEM(encs, k);
            int risky;
            if (!PyTuple_Check(t) || !PyArg_ParseTuple(t, "nUp", &e->size, &e->enc, &risky)) {
                if (!PyErr_Occurred())
                    PyErr_SetString(PyExc_TypeError, "configure(): an enclitic must be a tuple");
                return -1;
            }
            e->risky = risky;
            if (e->size != PyUnicode_GET_LENGTH(e->enc) || e->size < 1) {
                PyErr_SetString(PyExc_ValueError,
                                "configure(): an enclitic's size must be its length (1+)");
                return -1;
            }
        }
    }
    for (Py_ssize_t i = 0; i < size; i++) {
        Py_ssize_t v = i, valid = 1;
        while (v) {
            if (v % c->tail_base == 0)
                valid = 0;
            v /= c->tail_base;
        }
        if (valid && c->tails[i].n < 0) {
            PyErr_SetString(PyExc_ValueError,
                            "configure(): tail_enclitics lacks a run of enclitic letters");
            return -1;
        }
    }
    return 0;
}

/* Distinct scores: the index of `v` in t->values (by its bits), a new one if
 * unseen; -1 when there are too many. */
#define VMAP_SLOTS ((size_t)1 << 17)

static int
value_index(KeyTable *t, uint64_t *vkeys, int32_t *vidx, double v)
{
    uint64_t bits;
    memcpy(&bits, &v, sizeof(bits));
    size_t i = hash_final(bits, 0) & (VMAP_SLOTS - 1);
    while (vidx[i] >= 0) {
        if (vkeys[i] == bits)
            return vidx[i];
        i = (i + 1) & (VMAP_SLOTS - 1);
    }
    if (t->nvalues >= MAX_VALUES)
        return -1;
    vkeys[i] = bits;
    vidx[i] = (int32_t)t->nvalues;
    t->values[t->nvalues++] = v;
    return vidx[i];
}

/* The code points of `key` into *buf (grown as needed): its length, or -1 if
 * it is not stored (a character beyond the BMP, or longer than an entry can
 * say: query() sends such keys to the Python objects). -2 on memory error. */
static Py_ssize_t
key_points(PyObject *key, Py_UCS4 **buf, Py_ssize_t *cap)
{
    Py_ssize_t n = PyUnicode_GET_LENGTH(key);
    if (n > 0xFFFF)
        return -1;
    if (n > *cap) {
        Py_UCS4 *grown = PyMem_Realloc(*buf, (size_t)n * sizeof(Py_UCS4));
        if (grown == NULL)
            return -2;
        *buf = grown;
        *cap = n;
    }
    int kind = PyUnicode_KIND(key);
    const void *data = PyUnicode_DATA(key);
    for (Py_ssize_t k = 0; k < n; k++) {
        Py_UCS4 ch = PyUnicode_READ(kind, data, k);
        if (ch >= BMP)
            return -1;
        (*buf)[k] = ch;
    }
    return n;
}

/* Upper bound on the arena units and keys of a dict's or set's str keys;
 * -1 with TypeError if a key is not a str. */
static int
count_keys(PyObject *keys, size_t *units, size_t *count)
{
    PyObject *it = PyObject_GetIter(keys);
    if (it == NULL)
        return -1;
    PyObject *key;
    while ((key = PyIter_Next(it)) != NULL) {
        if (!PyUnicode_Check(key)) {
            Py_DECREF(key);
            Py_DECREF(it);
            PyErr_SetString(PyExc_TypeError, "configure(): table keys must be str");
            return -1;
        }
        *units += E_HEAD + (size_t)PyUnicode_GET_LENGTH(key);
        *count += 1;
        Py_DECREF(key);
    }
    Py_DECREF(it);
    return PyErr_Occurred() ? -1 : 0;
}

/* Builds c->keys from the frequency dict, the part table and the exceptions. */
static int
load_keys(Config *c, PyObject *freq, PyObject *parts, PyObject *exc)
{
    KeyTable *t = &c->keys;
    size_t units = 0, count = 0;
    if (count_keys(freq, &units, &count) < 0 || count_keys(parts, &units, &count) < 0 ||
        count_keys(exc, &units, &count) < 0)
        return -1;
    size_t nslots = 1024;
    while (nslots * 7 / 10 < count)
        nslots <<= 1; /* load factor <= 0.7 (~0.55 in practice: keys are shared) */
    uint64_t *vkeys = PyMem_Malloc(VMAP_SLOTS * sizeof(uint64_t));
    int32_t *vidx = PyMem_Malloc(VMAP_SLOTS * sizeof(int32_t));
    Py_UCS4 *buf = NULL;
    Py_ssize_t cap = 0;
    int ok = -1;
    t->slots = big_alloc(nslots * sizeof(uint64_t), &t->slots_bytes);
    t->arena = big_alloc((units ? units : 1) * sizeof(uint16_t), &t->arena_bytes);
    t->values = PyMem_Malloc((MAX_VALUES + 1) * sizeof(double));
    if (vkeys == NULL || vidx == NULL || t->slots == NULL || t->arena == NULL ||
        t->values == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    memset(t->slots, 0, nslots * sizeof(uint64_t));
    memset(vidx, 0xFF, VMAP_SLOTS * sizeof(int32_t));
    t->mask = nslots - 1;
    t->arena_cap = units;
    Py_ssize_t pos = 0;
    PyObject *key, *value;
    while (PyDict_Next(freq, &pos, &key, &value)) {
        Py_ssize_t n = key_points(key, &buf, &cap);
        if (n == -2)
            goto nomem;
        if (n < 0)
            continue;
        double f = PyFloat_AsDouble(value);
        if (f == -1.0 && PyErr_Occurred())
            goto done;
        double score = f != 0.0 ? log10(f) + c->zipf_offset : 0.0;
        uint16_t *e = table_add(t, buf, n);
        int v = value_index(t, vkeys, vidx, score);
        if (e == NULL || v < 0)
            goto full;
        e[E_SCORE] = (uint16_t)v;
    }
    pos = 0;
    while (PyDict_Next(parts, &pos, &key, &value)) {
        Py_ssize_t n = key_points(key, &buf, &cap);
        if (n == -2)
            goto nomem;
        if (n < 0)
            continue;
        uint16_t *e = table_add(t, buf, n);
        if (e == NULL)
            goto full;
        if (value == Py_None) {
            e[E_PART] = PART_PREFIX;
            continue;
        }
        double score = PyFloat_AsDouble(value);
        if (score == -1.0 && PyErr_Occurred())
            goto done;
        int v = value_index(t, vkeys, vidx, score);
        if (v < 0)
            goto full;
        e[E_PART] = (uint16_t)v;
    }
    PyObject *it = PyObject_GetIter(exc);
    if (it == NULL)
        goto done;
    while ((key = PyIter_Next(it)) != NULL) {
        Py_ssize_t n = key_points(key, &buf, &cap);
        uint16_t *e = n >= 0 ? table_add(t, buf, n) : NULL;
        Py_DECREF(key);
        if (n == -2) {
            Py_DECREF(it);
            goto nomem;
        }
        if (n < 0)
            continue;
        if (e == NULL) {
            Py_DECREF(it);
            goto full;
        }
        e[E_FLAGS] |= F_EXCEPTION;
    }
    Py_DECREF(it);
    if (PyErr_Occurred())
        goto done;
    double *shrunk = PyMem_Realloc(t->values, (size_t)(t->nvalues ? t->nvalues : 1) * sizeof(double));
    if (shrunk != NULL)
        t->values = shrunk;
    ok = 0;
    goto done;
full:
    PyErr_SetString(PyExc_ValueError, "configure(): too many distinct scores or keys");
    goto done;
nomem:
    PyErr_NoMemory();
done:
    PyMem_Free(vkeys);
    PyMem_Free(vidx);
    PyMem_Free(buf);
    return ok;
}

static PyObject *
configure(PyObject *Py_UNUSED(module), PyObject *args, PyObject *kwargs)
{
    static char *kwlist[] = {"frequencies", "exceptions", "light_table", "light_replacements",
                             "alef_forms", "alef", "head_plans", "tail_enclitics",
                             "proclitic_letters", "enclitic_letters", "conjunction_letters",
                             "article", "teh", "teh_marbuta", "margin", "article_min_zipf",
                             "article_short_min_zipf", "article_short_whole_min_zipf",
                             "min_bare", "min_risky_stem", "zipf_offset", "part_table",
                             "longest", "min_length", "max_parts", "min_part_length",
                             "row_fallback", "split_fallback", NULL};
    PyObject *freq, *exc, *alef_forms, *alef, *heads, *tails, *pro, *enc, *conj;
    PyObject *article, *teh, *teh_marbuta, *parts, *row_fb, *split_fb;
    Py_buffer table, repl;
    Config c;
    memset(&c, 0, sizeof(c));
    if (!PyArg_ParseTupleAndKeywords(
            args, kwargs, "O!Oy*y*UUO!O!UUUUUUddddnndO!nnnnOO:configure", kwlist,
            &PyDict_Type, &freq, &exc, &table, &repl, &alef_forms, &alef, &PyDict_Type, &heads,
            &PyDict_Type, &tails, &pro, &enc, &conj, &article, &teh, &teh_marbuta, &c.margin,
            &c.art_min, &c.art_short_min, &c.art_short_whole_min, &c.min_bare, &c.min_risky,
            &c.zipf_offset, &PyDict_Type, &parts, &c.longest, &c.min_length, &c.max_parts,
            &c.min_part, &row_fb, &split_fb))
        return NULL;
    PyObject *result = NULL;
    if (g_busy) {
        PyErr_SetString(PyExc_RuntimeError, "configure(): called while a word list is analysed");
        goto done;
    }
    if (!PyAnySet_Check(exc) || !PyCallable_Check(row_fb) || !PyCallable_Check(split_fb)) {
        PyErr_SetString(PyExc_TypeError,
                        "configure(): exceptions must be a set, the fallbacks callables");
        goto done;
    }
    if (table.len != BMP * 4 || repl.len % 4 != 0 || repl.len / 4 > 0xFFFF ||
        PyUnicode_GET_LENGTH(alef) != 1 || PyUnicode_GET_LENGTH(teh) != 1 ||
        PyUnicode_GET_LENGTH(article) > 8 || PyUnicode_GET_LENGTH(teh_marbuta) > 8 ||
        c.min_part < 1 || c.max_parts < 1 || c.longest < 0 || c.longest > 4096 ||
        c.max_parts > 64) {
        PyErr_SetString(PyExc_ValueError,
                        "configure(): light_table must be 65536 uint32, replacements at most "
                        "65535 uint32, alef and teh one character, article and teh marbuta at "
                        "most 8, 1 <= min_part_length, "
                        "1 <= max_parts <= 64, longest <= 4096");
        goto done;
    }
    /* The light table (the format of analysis._scan's, NOT_IN_TABLE for keys
     * absent from the table). */
    const uint32_t *t = table.buf;
    Py_ssize_t nrepl = repl.len / 4;
    c.max_repl = 1;
    for (Py_ssize_t ch = 0; ch < BMP; ch++) {
        uint32_t e = t[ch];
        if (e == NOT_IN_TABLE)
            continue;
        if (e & REPLACE_FLAG) {
            uint32_t off = e & 0xFFFF, len = (e >> 16) & 0x7FFF;
            if (len > MAX_REPLACEMENT || off + len > (uint32_t)nrepl) {
                PyErr_Format(PyExc_ValueError, "configure(): light_table entry U+%04zX is invalid",
                             ch);
                goto done;
            }
            if ((Py_ssize_t)len > c.max_repl)
                c.max_repl = len;
        }
        else if (e > 0x10FFFF) {
            PyErr_Format(PyExc_ValueError, "configure(): light_table entry U+%04zX is invalid", ch);
            goto done;
        }
    }
    const uint32_t *r = repl.buf;
    for (Py_ssize_t k = 0; k < nrepl; k++) {
        if (r[k] > 0x10FFFF) {
            PyErr_SetString(PyExc_ValueError, "configure(): a replacement is not a code point");
            goto done;
        }
    }
    c.light_repl = PyMem_Malloc((size_t)(nrepl ? nrepl : 1) * 4);
    if (c.light_repl == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    memcpy(c.light_repl, r, (size_t)nrepl * 4);
    Py_UCS4 alef_cp = PyUnicode_READ_CHAR(alef, 0);
    for (Py_ssize_t i = 0; i < PyUnicode_GET_LENGTH(alef_forms); i++) {
        if (PyUnicode_READ_CHAR(alef_forms, i) >= BMP) {
            PyErr_SetString(PyExc_ValueError, "configure(): alef forms must be in the BMP");
            goto done;
        }
    }
    for (Py_ssize_t i = 0; i < PyUnicode_GET_LENGTH(conj); i++) {
        if (PyUnicode_READ_CHAR(conj, i) >= BMP) {
            PyErr_SetString(PyExc_ValueError, "configure(): conjunction letters must be in the BMP");
            goto done;
        }
    }
    /* From here on the shared tables are rewritten: a failure leaves the module
     * unconfigured until the next successful call. */
    g_configured = 0;
    c.head_base = set_digits(g_head_digit, pro, "proclitic letters");
    c.tail_base = set_digits(g_tail_digit, enc, "enclitic letters");
    c.head_max = longest_key(heads, "head_plans");
    c.tail_max = longest_key(tails, "tail_enclitics");
    if (c.head_base < 0 || c.tail_base < 0 || c.head_max < 0 || c.tail_max < 0 ||
        load_heads(&c, heads) < 0 || load_tails(&c, tails) < 0)
        goto done;
    Py_ssize_t max_plan = 0;
    for (Py_ssize_t i = 0, size = code_space(c.head_base, c.head_max, "head plan"); i < size; i++)
        if (c.heads[i].n > max_plan)
            max_plan = c.heads[i].n;
    if (max_plan * (1 + c.max_tail_enclitics) > MAX_CAND) {
        PyErr_SetString(PyExc_ValueError, "configure(): too many candidate analyses per word");
        goto done;
    }
    if (load_keys(&c, freq, parts, exc) < 0)
        goto done;
    c.empty = PyUnicode_New(0, 0);
    c.refs = Py_BuildValue("(OOOOOOOOO)", freq, exc, heads, tails, parts, row_fb, split_fb,
                           c.empty, alef_forms);
    Py_XDECREF(c.empty);
    if (c.refs == NULL)
        goto done;
    c.freq = freq;
    c.exc = exc;
    c.parts = parts;
    c.article_len = PyUnicode_GET_LENGTH(article);
    for (Py_ssize_t i = 0; i < c.article_len; i++)
        c.article[i] = PyUnicode_READ_CHAR(article, i);
    c.teh_marbuta_len = PyUnicode_GET_LENGTH(teh_marbuta);
    for (Py_ssize_t i = 0; i < c.teh_marbuta_len; i++)
        c.teh_marbuta[i] = PyUnicode_READ_CHAR(teh_marbuta, i);
    c.teh = PyUnicode_READ_CHAR(teh, 0);
    c.row_fallback = row_fb;
    c.split_fallback = split_fb;
    /* Character classes. */
    for (Py_UCS4 ch = 0; ch < BMP; ch++) {
        g_light[ch] = t[ch];
        g_whole[ch] = ch;
        g_cls[ch] = (t[ch] != NOT_IN_TABLE ? CLS_KEEP : 0) |
                    (Py_UNICODE_ISSPACE(ch) ? CLS_SPACE : 0);
    }
    for (Py_ssize_t i = 0; i < PyUnicode_GET_LENGTH(alef_forms); i++) {
        Py_UCS4 ch = PyUnicode_READ_CHAR(alef_forms, i);
        g_cls[ch] |= CLS_ALEF;
        g_whole[ch] = alef_cp;
    }
    for (Py_ssize_t i = 0; i < PyUnicode_GET_LENGTH(conj); i++)
        g_cls[PyUnicode_READ_CHAR(conj, i)] |= CLS_CONJ;
    config_free(&g);
    g = c;
    memset(&c, 0, sizeof(c));
    g_configured = 1;
    result = Py_NewRef(Py_None);
done:
    config_free(&c);
    PyBuffer_Release(&table);
    PyBuffer_Release(&repl);
    return result;
}

/* ------------------------------------------------------------------------ */

static PyMethodDef methods[] = {
    {"configure", (PyCFunction)(void (*)(void))configure, METH_VARARGS | METH_KEYWORDS,
     "configure(**tables): set the grammar, frequency and split tables (see "
     "analysis.wordtypes)."},
    {"rows", rows, METH_O,
     "rows(surfaces) -> (bare, bares, proclitics, enclitic): the clitic columns of each "
     "written word type."},
    {"splits", splits, METH_O,
     "splits(normalized) -> [find_split(w) for w in normalized]."},
    {"splittable", splittable, METH_O,
     "splittable(normalized) -> bytes, 1 where find_split(w) is not None."},
    {"fallbacks", fallbacks, METH_NOARGS,
     "fallbacks() -> (rows, splits): words handed to the Python fallbacks so far."},
    {"table_bytes", table_bytes, METH_NOARGS,
     "table_bytes() -> bytes of memory held by the key table (slots, arena, scores)."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module_def = {
    PyModuleDef_HEAD_INIT,
    .m_name = "analysis._wordtypes",
    .m_doc = "Clitic columns and run-together test of word types (see analysis.wordtypes).",
    .m_size = -1,
    .m_methods = methods,
};

PyMODINIT_FUNC
PyInit__wordtypes(void)
{
    return PyModule_Create(&module_def);
}
