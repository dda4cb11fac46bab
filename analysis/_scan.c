/* analysis._scan: normalization + tokenization + word types in one pass (C).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The compiled twin of analysis.scan.scan_reference (the specification; the
 * tests compare the two field by field). This file holds no Arabic knowledge:
 * analysis/scan.py builds the normalization tables once from
 * analysis.normalize._TABLE/_TRAILING and hands them to configure().
 *
 *   configure(table, replacements, trailing)   (once per process)
 *       table         buffer of 65536 uint32, one entry per BMP code point:
 *                     < 0x110000: the code point it becomes (itself if unchanged);
 *                     0x80000000 | len << 16 | offset: it becomes the len code
 *                     points replacements[offset:offset + len] (len 0 = deleted,
 *                     len <= 255).
 *                     Code points >= U+10000 are always kept as they are.
 *       replacements  buffer of uint32 code points.
 *       trailing      buffer of 65536 bytes: 1 for the characters (diacritics,
 *                     tatweel) that a token's original end skips over.
 *   scan(text) -> (ntext, index, nstart, nend, start, end, codes, uniques,
 *                  scodes, suniques)
 *   lookup(mapping, keys) -> Buffer of int64: mapping.get(key, -1) for each
 *       key of the list keys (a dict whose values are ints), the text stage's
 *       per-batch look-up of its word types in the process-wide vocabulary.
 *       index is None when every character was replaced by exactly one
 *       character; it and the six token arrays are Buffer objects holding int64
 *       values (numpy.frombuffer(buf, dtype=numpy.int64), writable, no copy).
 *   Index(): a hash map str -> int64 owned by C, the faster replacement for
 *       that dict (~310 ns per look-up of a fresh str): lookup(keys), add(keys,
 *       ids), keep(ids), clear(), items(), len(). See "Index" below.
 *
 * Tokens are exactly those of re.split(r"(\w+|'+|([^\w\s'])\2*)") on the
 * normalized text: maximal runs of word characters (Py_UNICODE_ISALNUM or "_",
 * as in Python's re), maximal runs of "'", maximal runs of one repeated other
 * non-space (not Py_UNICODE_ISSPACE) character. A token's original span starts
 * at the original character of its first normalized character and ends after
 * the original character of its last one plus any trailing marks after it
 * (analysis.normalize.NormalizedText.end_offsets). Token types are interned in
 * open-addressing hash tables over code-point spans; each type's str is created
 * once, at the end, in first-occurrence order (a written form equal to its
 * normalized form shares the normalized str object).
 *
 * The character loop runs without the GIL (it touches no Python object: the
 * input str is immutable and kept alive by the caller's reference).
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include "_hash.h"
#include <pythread.h>
#include <stdint.h>
#include <string.h>
#ifdef __linux__
#include <sys/mman.h>
#endif

#define BMP 65536
#define REPLACE_FLAG 0x80000000u
#define MAX_REPLACEMENT 0xFF
#define NO_CHAR 0xFFFFFFFFu

enum { C_SPACE = 0, C_WORD = 1, C_OTHER = 2 };

/* ------------------------------------------------------------------------ */
/* Tables (set once by configure(); read-only afterwards).                   */

/* g_table holds configure()'s table as given (to compare a second call);
 * g_entry is the form the loop reads: one load gives the new character, its
 * class and whether it is unchanged:
 *   bits 0-20 the code point, 24-25 its class, 26 ENTRY_SAME (unchanged);
 *   or REPLACE_FLAG | len << 16 | offset (len <= 255). */
#define ENTRY_SAME (1u << 26)
#define ENTRY_CP(e) ((e) & 0x1FFFFFu)
#define ENTRY_CLASS(e) (((e) >> 24) & 3u)
static uint32_t g_table[BMP];
static uint32_t g_entry[BMP];
static uint8_t g_trailing[BMP];
static uint32_t *g_repl = NULL;
static Py_ssize_t g_repl_len = 0;
static int g_configured = 0;
/* Output kind needed for input kinds 1 and 2 (an entry may map to a wider
 * character than its own kind holds). */
static int g_out_kind1 = 1, g_out_kind2 = 2;
/* Character classes of Python's re for the BMP (computed at import). */
static uint8_t g_class[BMP];

static inline uint8_t
char_class(Py_UCS4 ch)
{
    if (ch < BMP)
        return g_class[ch];
    if (Py_UNICODE_ISALNUM(ch))
        return C_WORD;
    if (Py_UNICODE_ISSPACE(ch))
        return C_SPACE;
    return C_OTHER;
}

/* ------------------------------------------------------------------------ */
/* Memory blocks. Large arrays (>= 1 MiB) are mapped directly and advised to
 * use transparent huge pages: on these machines a fresh 4 KiB page costs
 * ~1.8 us to fault in, a fresh 2 MiB page ~0.35 us per 4 KiB, and the arrays
 * handed to Python are always fresh memory (measured: scan on 750 kB batches
 * went from ~55 to ~95 MB/s without the faults). Smaller blocks come from
 * PyMem_RawMalloc. A header in front of the data says which one it is, so a
 * single blk_free() releases either. Safe without the GIL.
 *
 * Freed mapped blocks are kept in a small pool (at most POOL_BYTES) and handed
 * out again: the arrays of the previous batch, once Python drops them, become
 * the next batch's arrays without the kernel clearing and faulting in fresh
 * pages (measured: ~20 % of a batch's time). The pool (32 MiB, about one
 * batch of 200 news documents) is the only memory kept between calls. Blocks
 * are whole 2 MiB pages, so a small array occupies 2 MiB once written. */

#define POOL_SLOTS 16
#define POOL_BYTES ((size_t)32 << 20)

typedef struct {
    char *base;
    size_t mapped;
} PoolEntry;

static PoolEntry g_pool[POOL_SLOTS];
static size_t g_pool_bytes = 0;
static PyThread_type_lock g_pool_lock = NULL;

#define BLK_HEADER 64
#ifndef BLK_MAP_MIN /* -DBLK_MAP_MIN=... to check everything under valgrind */
#define BLK_MAP_MIN ((size_t)1 << 20)
#endif
#define BLK_HUGE ((size_t)2 << 20)

typedef struct {
    size_t mapped; /* bytes mapped (header included); 0 = PyMem_RawMalloc */
} BlockHeader;

static inline BlockHeader *
blk_header(void *data)
{
    return (BlockHeader *)((char *)data - BLK_HEADER);
}

static void *
blk_alloc(size_t nbytes)
{
    if (nbytes > (size_t)PY_SSIZE_T_MAX - 2 * BLK_HUGE)
        return NULL;
    size_t total = nbytes + BLK_HEADER;
    char *base;
    size_t mapped = 0;
#if defined(__linux__) && defined(MADV_HUGEPAGE)
    if (nbytes >= BLK_MAP_MIN) {
        /* Map one huge page more than needed, keep a 2 MiB aligned window. */
        mapped = (total + BLK_HUGE - 1) & ~(BLK_HUGE - 1);
        /* The smallest pooled block that is large enough, if not wastefully so. */
        base = NULL;
        PyThread_acquire_lock(g_pool_lock, WAIT_LOCK);
        int best = -1;
        for (int k = 0; k < POOL_SLOTS; k++) {
            size_t m = g_pool[k].mapped;
            if (g_pool[k].base != NULL && m >= mapped && m <= 2 * mapped &&
                (best < 0 || m < g_pool[best].mapped))
                best = k;
        }
        if (best >= 0) {
            base = g_pool[best].base;
            mapped = g_pool[best].mapped;
            g_pool_bytes -= mapped;
            g_pool[best].base = NULL;
            g_pool[best].mapped = 0;
        }
        PyThread_release_lock(g_pool_lock);
        if (base != NULL) {
            ((BlockHeader *)base)->mapped = mapped;
            return base + BLK_HEADER;
        }
        char *raw = mmap(NULL, mapped + BLK_HUGE, PROT_READ | PROT_WRITE,
                         MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (raw == MAP_FAILED)
            return NULL;
        base = (char *)(((uintptr_t)raw + BLK_HUGE - 1) & ~(uintptr_t)(BLK_HUGE - 1));
        if (base > raw)
            munmap(raw, (size_t)(base - raw));
        if (raw + mapped + BLK_HUGE > base + mapped)
            munmap(base + mapped, (size_t)(raw + mapped + BLK_HUGE - (base + mapped)));
        madvise(base, mapped, MADV_HUGEPAGE); /* advice only: failure is harmless */
    }
    else
#endif
    {
        base = PyMem_RawMalloc(total);
        if (base == NULL)
            return NULL;
    }
    ((BlockHeader *)base)->mapped = mapped;
    return base + BLK_HEADER;
}

static void
blk_free(void *data)
{
    if (data == NULL)
        return;
    BlockHeader *h = blk_header(data);
#ifdef __linux__
    if (h->mapped) {
        int kept = 0;
        PyThread_acquire_lock(g_pool_lock, WAIT_LOCK);
        if (g_pool_bytes + h->mapped <= POOL_BYTES) {
            for (int k = 0; k < POOL_SLOTS; k++) {
                if (g_pool[k].base == NULL) {
                    g_pool[k].base = (char *)h;
                    g_pool[k].mapped = h->mapped;
                    g_pool_bytes += h->mapped;
                    kept = 1;
                    break;
                }
            }
        }
        PyThread_release_lock(g_pool_lock);
        if (!kept)
            munmap(h, h->mapped);
        return;
    }
#endif
    PyMem_RawFree(h);
}

/* A block of `nbytes` holding the first `used` bytes of `data` (which is freed;
 * also on failure, when NULL is returned). Only `used` bytes are copied, so
 * untouched pages of the old block are never read. */
static void *
blk_realloc(void *data, size_t used, size_t nbytes)
{
    if (data == NULL)
        return blk_alloc(nbytes);
    BlockHeader *h = blk_header(data);
    if (h->mapped == 0 && nbytes < BLK_MAP_MIN) {
        char *base = PyMem_RawRealloc(h, nbytes + BLK_HEADER);
        if (base == NULL) {
            PyMem_RawFree(h);
            return NULL;
        }
        return base + BLK_HEADER;
    }
    if (h->mapped && nbytes + BLK_HEADER <= h->mapped)
        return data;
    void *fresh = blk_alloc(nbytes);
    if (fresh != NULL)
        memcpy(fresh, data, used);
    blk_free(data);
    return fresh;
}

/* Gives back what lies beyond the first `nbytes` (whole huge pages only). */
static void *
blk_shrink(void *data, size_t nbytes)
{
    BlockHeader *h = blk_header(data);
    size_t total = nbytes + BLK_HEADER;
#ifdef __linux__
    if (h->mapped) {
        size_t keep = (total + BLK_HUGE - 1) & ~(BLK_HUGE - 1);
        if (keep < h->mapped) {
            munmap((char *)h + keep, h->mapped - keep);
            h->mapped = keep;
        }
        return data;
    }
#endif
    char *base = PyMem_RawRealloc(h, total);
    return base != NULL ? base + BLK_HEADER : data;
}

/* ------------------------------------------------------------------------ */
/* Buffer: owns a block of int64 values, exposes the buffer protocol.        */

typedef struct {
    PyObject_HEAD
    void *data;
    Py_ssize_t nbytes;
} BufferObject;

static int
buffer_getbuffer(BufferObject *self, Py_buffer *view, int flags)
{
    static int64_t empty;
    void *data = self->data != NULL ? self->data : (void *)&empty;
    return PyBuffer_FillInfo(view, (PyObject *)self, data, self->nbytes, 0, flags);
}

static void
buffer_dealloc(BufferObject *self)
{
    blk_free(self->data);
    Py_TYPE(self)->tp_free((PyObject *)self);
}

static PyBufferProcs buffer_as_buffer = {
    (getbufferproc)buffer_getbuffer,
    NULL,
};

static PyTypeObject BufferType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "analysis._scan.Buffer",
    .tp_basicsize = sizeof(BufferObject),
    .tp_dealloc = (destructor)buffer_dealloc,
    .tp_as_buffer = &buffer_as_buffer,
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = "int64 values made by analysis._scan.scan (use numpy.frombuffer).",
};

/* Wraps `data` (n int64 values; ownership passes to the Buffer, also on error). */
static PyObject *
buffer_wrap(int64_t *data, Py_ssize_t n)
{
    BufferObject *self = PyObject_New(BufferObject, &BufferType);
    if (self == NULL) {
        blk_free(data);
        return NULL;
    }
    if (n == 0) {
        blk_free(data);
        data = NULL;
    }
    else {
        data = blk_shrink(data, (size_t)n * sizeof(int64_t)); /* the growth's slack */
    }
    self->data = data;
    self->nbytes = n * (Py_ssize_t)sizeof(int64_t);
    return (PyObject *)self;
}

/* ------------------------------------------------------------------------ */
/* Interning of code-point spans.                                            */

/* 8 bytes, so that the slots of a batch's ~20k types fit in the L2 cache. */
typedef struct {
    uint32_t tag; /* high half of the hash */
    uint32_t id;  /* type id + 1; 0: empty slot */
} Slot;

#define MAX_TYPES ((Py_ssize_t)UINT32_MAX - 1)

typedef struct {
    uint64_t hash;
    int64_t off;  /* byte offset of the type's characters in the arena */
    int64_t len;  /* in characters */
    int64_t link; /* the type with the same string in the other table, or -1 */
} TypeRec;

/* Distinct strings: hash slots, one record per type, and an arena holding a
 * copy of each type's characters one after the other (compact, so lookups of
 * repeated words stay in cache instead of touching their first occurrence). */
typedef struct {
    Slot *slots;
    size_t mask;
    TypeRec *types;
    Py_ssize_t n, cap;
    char *arena;
    size_t arena_len, arena_cap;
} Intern;

/* hash_step, hash_final, HASH_SEED: analysis/_hash.h */

static int
intern_init(Intern *t, Py_ssize_t nslots_hint)
{
    size_t nslots = 1024;
    while (nslots < (size_t)nslots_hint && nslots < ((size_t)1 << 40))
        nslots <<= 1;
    t->slots = blk_alloc(nslots * sizeof(Slot));
    t->cap = (Py_ssize_t)(nslots / 2);
    if (t->cap > MAX_TYPES)
        t->cap = MAX_TYPES;
    t->types = blk_alloc((size_t)t->cap * sizeof(TypeRec));
    t->arena_cap = (size_t)t->cap * 16;
    t->arena = blk_alloc(t->arena_cap);
    t->arena_len = 0;
    t->n = 0;
    t->mask = nslots - 1;
    if (!t->slots || !t->types || !t->arena)
        return -1;
    memset(t->slots, 0, nslots * sizeof(Slot));
    return 0;
}

static void
intern_free(Intern *t)
{
    blk_free(t->slots);
    blk_free(t->types);
    blk_free(t->arena);
    t->slots = NULL;
    t->types = NULL;
    t->arena = NULL;
}

/* Doubles the slot array (load factor stays <= 1/2) and the type records. */
static int
intern_grow(Intern *t)
{
    size_t nslots = (t->mask + 1) * 2;
    if (t->cap >= MAX_TYPES || nslots > ((size_t)PY_SSIZE_T_MAX / sizeof(Slot) / 2))
        return -1;
    Slot *slots = blk_alloc(nslots * sizeof(Slot));
    if (slots == NULL)
        return -1;
    memset(slots, 0, nslots * sizeof(Slot));
    size_t mask = nslots - 1;
    for (size_t i = 0; i <= t->mask; i++) {
        if (t->slots[i].id == 0)
            continue;
        /* The slot index uses the low bits of the hash, which the slot does not
         * keep: recompute them from the type's characters. */
        size_t j = t->types[t->slots[i].id - 1].hash & mask;
        while (slots[j].id != 0)
            j = (j + 1) & mask;
        slots[j] = t->slots[i];
    }
    blk_free(t->slots);
    t->slots = slots;
    t->mask = mask;
    Py_ssize_t cap = (Py_ssize_t)(nslots / 2);
    if (cap > MAX_TYPES)
        cap = MAX_TYPES;
    t->types = blk_realloc(t->types, (size_t)t->n * sizeof(TypeRec),
                           (size_t)cap * sizeof(TypeRec));
    if (t->types == NULL)
        return -1;
    t->cap = cap;
    return 0;
}

/* memcmp(a, b, n) == 0 without a library call for the short spans of words. */
static inline int
same_bytes(const char *a, const char *b, size_t n)
{
    while (n >= 8) {
        uint64_t x, y;
        memcpy(&x, a, 8);
        memcpy(&y, b, 8);
        if (x != y)
            return 0;
        a += 8;
        b += 8;
        n -= 8;
    }
    while (n--) {
        if (*a++ != *b++)
            return 0;
    }
    return 1;
}

/* Id of the string of `len` characters (kind bytes each) at `s`; a new id if
 * it was not seen before. -1 on memory error. */
static inline int64_t
intern(Intern *t, const char *s, int kind, uint64_t hash, Py_ssize_t len)
{
    size_t i = hash & t->mask;
    size_t nbytes = (size_t)len * kind;
    uint32_t tag = (uint32_t)(hash >> 32);
    for (;;) {
        Slot *slot = &t->slots[i];
        if (slot->id == 0)
            break;
        if (slot->tag == tag) {
            TypeRec *rec = &t->types[slot->id - 1];
            if (rec->hash == hash && rec->len == len &&
                same_bytes(t->arena + rec->off, s, nbytes))
                return slot->id - 1;
        }
        i = (i + 1) & t->mask;
    }
    if (t->n == t->cap) {
        if (intern_grow(t) < 0)
            return -1;
        i = hash & t->mask;
        while (t->slots[i].id != 0)
            i = (i + 1) & t->mask;
    }
    if (t->arena_len + nbytes > t->arena_cap) {
        size_t cap = t->arena_cap * 2 + nbytes;
        t->arena = blk_realloc(t->arena, t->arena_len, cap);
        if (t->arena == NULL)
            return -1;
        t->arena_cap = cap;
    }
    int64_t id = t->n++;
    t->slots[i].tag = tag;
    t->slots[i].id = (uint32_t)(id + 1);
    t->types[id].hash = hash;
    t->types[id].off = (int64_t)t->arena_len;
    t->types[id].len = len;
    t->types[id].link = -1;
    memcpy(t->arena + t->arena_len, s, nbytes);
    t->arena_len += nbytes;
    return id;
}

/* ------------------------------------------------------------------------ */
/* The scan.                                                                 */

enum { A_NSTART, A_NEND, A_START, A_END, A_CODES, A_SCODES, N_ARRAYS };

typedef struct {
    /* input */
    const void *in;
    Py_ssize_t n;
    /* normalized text */
    void *out;
    int64_t *index; /* NULL while every character was replaced one to one */
    Py_ssize_t out_len, out_cap;
    Py_UCS4 out_or; /* OR of all output characters (gives the str's kind) */
    /* tokens */
    int64_t *arr[N_ARRAYS];
    Py_ssize_t ntok, tcap;
    Intern norm, surf;
} State;

static int
grow_out(State *st, int out_kind, Py_ssize_t need)
{
    Py_ssize_t cap = st->out_cap;
    while (cap < need) {
        if (cap > PY_SSIZE_T_MAX / 16)
            return -1;
        cap = cap * 2 + 16;
    }
    st->out = blk_realloc(st->out, (size_t)st->out_len * out_kind, (size_t)cap * out_kind);
    if (st->out == NULL)
        return -1;
    if (st->index != NULL) {
        st->index = blk_realloc(st->index, (size_t)st->out_len * sizeof(int64_t),
                                (size_t)cap * sizeof(int64_t));
        if (st->index == NULL)
            return -1;
    }
    st->out_cap = cap;
    return 0;
}

static int
start_index(State *st)
{
    st->index = blk_alloc((size_t)(st->out_cap ? st->out_cap : 1) * sizeof(int64_t));
    if (st->index == NULL)
        return -1;
    for (Py_ssize_t k = 0; k < st->out_len; k++)
        st->index[k] = k; /* so far every character was kept one to one */
    return 0;
}

static int
grow_tokens(State *st)
{
    if (st->tcap > PY_SSIZE_T_MAX / 32)
        return -1;
    Py_ssize_t cap = st->tcap * 2 + 64;
    for (int a = 0; a < N_ARRAYS; a++) {
        st->arr[a] = blk_realloc(st->arr[a], (size_t)st->ntok * sizeof(int64_t),
                                 (size_t)cap * sizeof(int64_t));
        if (st->arr[a] == NULL)
            return -1;
    }
    st->tcap = cap;
    return 0;
}

static inline Py_UCS4
read_char(int kind, const void *data, Py_ssize_t i)
{
    if (kind == 1)
        return ((const Py_UCS1 *)data)[i];
    if (kind == 2)
        return ((const Py_UCS2 *)data)[i];
    return ((const Py_UCS4 *)data)[i];
}

static inline void
write_char(int kind, void *data, Py_ssize_t i, Py_UCS4 ch)
{
    if (kind == 1)
        ((Py_UCS1 *)data)[i] = (Py_UCS1)ch;
    else if (kind == 2)
        ((Py_UCS2 *)data)[i] = (Py_UCS2)ch;
    else
        ((Py_UCS4 *)data)[i] = ch;
}

/* Records the token [tn, st->out_len) whose characters came from original
 * positions tsrc..last_src. `clean`: every original character in
 * [tsrc, last_src] was kept as it is, so the written form equals the
 * normalized one. */
static inline int
finish_token(State *st, int in_kind, int out_kind, Py_ssize_t tn, Py_ssize_t tsrc,
             Py_ssize_t last_src, uint64_t h, int clean)
{
    if (st->ntok == st->tcap && grow_tokens(st) < 0)
        return -1;
    Py_ssize_t k = st->ntok++;
    Py_ssize_t nend = st->out_len;
    Py_ssize_t len = nend - tn;
    Py_ssize_t end = last_src + 1;
    while (end < st->n) {
        Py_UCS4 c = read_char(in_kind, st->in, end);
        if (c >= BMP || !g_trailing[c])
            break;
        end++;
    }
    uint64_t hash = hash_final(h, len);
    int64_t code =
        intern(&st->norm, (const char *)st->out + (size_t)tn * out_kind, out_kind, hash, len);
    if (code < 0)
        return -1;
    int64_t scode;
    if (clean && end == last_src + 1) {
        /* Same code points as the normalized token, hence the same hash. */
        scode = st->norm.types[code].link;
        if (scode < 0) {
            scode = intern(&st->surf, (const char *)st->in + (size_t)tsrc * in_kind, in_kind,
                           hash, len);
            if (scode < 0)
                return -1;
            st->norm.types[code].link = scode;
            st->surf.types[scode].link = code;
        }
    }
    else {
        uint64_t sh = HASH_SEED;
        for (Py_ssize_t p = tsrc; p < end; p++)
            sh = hash_step(sh, read_char(in_kind, st->in, p));
        scode = intern(&st->surf, (const char *)st->in + (size_t)tsrc * in_kind, in_kind,
                       hash_final(sh, end - tsrc), end - tsrc);
        if (scode < 0)
            return -1;
    }
    st->arr[A_NSTART][k] = tn;
    st->arr[A_NEND][k] = nend;
    st->arr[A_START][k] = tsrc;
    st->arr[A_END][k] = end;
    st->arr[A_CODES][k] = code;
    st->arr[A_SCODES][k] = scode;
    return 0;
}

/* The character loop, specialised by the compiler for each (in_kind, out_kind)
 * pair. Invariant at the top of each iteration: out_cap >= out_len + (n - i),
 * so one-to-one and deleted characters never need a capacity check. The
 * output position and pointers live in locals (writes through a char pointer
 * would otherwise force the compiler to reload them) and are stored back into
 * `st` before any helper that reads them. */
static inline __attribute__((always_inline)) int
scan_loop(State *st, const int in_kind, const int out_kind)
{
    const Py_ssize_t n = st->n;
    const void *in = st->in;
    void *out = st->out;
    int64_t *index = st->index;
    Py_ssize_t o = st->out_len;
    int state = 0;            /* 0: outside a token; 1: word run; 2: run of pchar */
    Py_UCS4 pchar = NO_CHAR;  /* the repeated character of a state-2 run */
    Py_ssize_t tn = 0, tsrc = 0, last_src = -1, last_changed = -1;
    uint64_t h = HASH_SEED;
    Py_UCS4 out_or = 0;

#define EMIT(CH, CLS, SRC)                                                              \
    do {                                                                                \
        Py_UCS4 ch_ = (CH);                                                             \
        uint32_t cls_ = (CLS);                                                          \
        if (state == 1 ? cls_ == C_WORD : ch_ == pchar) {                               \
            h = hash_step(h, ch_);                                                      \
        }                                                                               \
        else {                                                                          \
            if (state != 0) {                                                           \
                st->out_len = o;                                                        \
                if (finish_token(st, in_kind, out_kind, tn, tsrc, last_src, h,          \
                                 last_changed < tsrc) < 0)                              \
                    return -1;                                                          \
                state = 0;                                                              \
                pchar = NO_CHAR;                                                        \
            }                                                                           \
            if (cls_ != C_SPACE) {                                                      \
                state = cls_ == C_WORD ? 1 : 2;                                         \
                pchar = cls_ == C_WORD ? NO_CHAR : ch_;                                 \
                tn = o;                                                                 \
                tsrc = (SRC);                                                           \
                h = hash_step(HASH_SEED, ch_);                                          \
            }                                                                           \
        }                                                                               \
        write_char(out_kind, out, o, ch_);                                              \
        if (index != NULL)                                                              \
            index[o] = (SRC);                                                           \
        o++;                                                                            \
        out_or |= ch_;                                                                  \
        last_src = (SRC);                                                               \
    } while (0)

    for (Py_ssize_t i = 0; i < n; i++) {
        Py_UCS4 c = read_char(in_kind, in, i);
        uint32_t e = (in_kind < 4 || c < BMP) ? g_entry[c] : ENTRY_SAME;
        if (e & ENTRY_SAME) {
            EMIT(c, (in_kind < 4 || c < BMP) ? ENTRY_CLASS(e) : char_class(c), i);
            continue;
        }
        last_changed = i;
        if (!(e & REPLACE_FLAG)) {
            EMIT(ENTRY_CP(e), ENTRY_CLASS(e), i);
            continue;
        }
        Py_ssize_t len = (e >> 16) & MAX_REPLACEMENT;
        const uint32_t *repl = g_repl + (e & 0xFFFF);
        if (len != 1 && index == NULL) {
            st->out_len = o;
            if (start_index(st) < 0)
                return -1;
            index = st->index;
        }
        if (len > 1 && st->out_cap < o + len + (n - i - 1)) {
            st->out_len = o;
            if (grow_out(st, out_kind, o + len + (n - i - 1)) < 0)
                return -1;
            out = st->out;
            index = st->index;
        }
        for (Py_ssize_t r = 0; r < len; r++)
            EMIT(repl[r], char_class(repl[r]), i);
    }
    st->out_len = o;
    if (state != 0 &&
        finish_token(st, in_kind, out_kind, tn, tsrc, last_src, h, last_changed < tsrc) < 0)
        return -1;
#undef EMIT
    st->out_or = out_or;
    return 0;
}

static int scan_11(State *st) { return scan_loop(st, 1, 1); }
static int scan_12(State *st) { return scan_loop(st, 1, 2); }
static int scan_14(State *st) { return scan_loop(st, 1, 4); }
static int scan_22(State *st) { return scan_loop(st, 2, 2); }
static int scan_24(State *st) { return scan_loop(st, 2, 4); }
static int scan_44(State *st) { return scan_loop(st, 4, 4); }

static void
state_free(State *st)
{
    blk_free(st->out);
    blk_free(st->index);
    for (int a = 0; a < N_ARRAYS; a++)
        blk_free(st->arr[a]);
    intern_free(&st->norm);
    intern_free(&st->surf);
    memset(st, 0, sizeof(*st));
}

/* The list of the types' str objects, in id order. A type whose string is a
 * type of `shared` (t->link) reuses that str object. */
static PyObject *
type_strings(const Intern *t, int kind, PyObject *shared)
{
    PyObject *list = PyList_New(t->n);
    if (list == NULL)
        return NULL;
    for (Py_ssize_t id = 0; id < t->n; id++) {
        if (shared != NULL && t->types[id].link >= 0) {
            PyObject *s = PyList_GET_ITEM(shared, t->types[id].link);
            Py_INCREF(s);
            PyList_SET_ITEM(list, id, s);
            continue;
        }
        PyObject *s =
            PyUnicode_FromKindAndData(kind, t->arena + t->types[id].off, t->types[id].len);
        if (s == NULL) {
            Py_DECREF(list);
            return NULL;
        }
        PyList_SET_ITEM(list, id, s);
    }
    return list;
}

static PyObject *
make_ntext(const State *st, int out_kind)
{
    Py_UCS4 maxchar = st->out_or < 128      ? 127
                      : st->out_or < 256    ? 255
                      : st->out_or < BMP    ? 0xFFFF
                                            : 0x10FFFF;
    int kind = maxchar < 256 ? 1 : maxchar < BMP ? 2 : 4;
    if (kind != out_kind)
        return PyUnicode_FromKindAndData(out_kind, st->out, st->out_len);
    PyObject *s = PyUnicode_New(st->out_len, maxchar);
    if (s == NULL)
        return NULL;
    if (st->out_len)
        memcpy(PyUnicode_DATA(s), st->out, (size_t)st->out_len * kind);
    return s;
}

static PyObject *
scan(PyObject *Py_UNUSED(module), PyObject *text)
{
    if (!PyUnicode_Check(text)) {
        PyErr_Format(PyExc_TypeError, "scan() needs a str, not %.100s", Py_TYPE(text)->tp_name);
        return NULL;
    }
    if (!g_configured) {
        PyErr_SetString(PyExc_RuntimeError, "analysis._scan.configure() was not called");
        return NULL;
    }
#if PY_VERSION_HEX < 0x030C0000
    if (PyUnicode_READY(text) < 0)
        return NULL;
#endif
    int in_kind = PyUnicode_KIND(text);
    int out_kind = in_kind == 1 ? g_out_kind1 : in_kind == 2 ? g_out_kind2 : 4;
    State st;
    memset(&st, 0, sizeof(st));
    st.in = PyUnicode_DATA(text);
    st.n = PyUnicode_GET_LENGTH(text);
    int failed = 0;
    Py_BEGIN_ALLOW_THREADS
    st.out_cap = st.n + 16;
    st.out = blk_alloc((size_t)st.out_cap * out_kind);
    /* News text has ~0.21 tokens per character; pages never written cost nothing. */
    st.tcap = (st.n < (1 << 25) ? st.n : (1 << 25)) / 4 + 64;
    for (int a = 0; a < N_ARRAYS; a++) {
        st.arr[a] = blk_alloc((size_t)st.tcap * sizeof(int64_t));
        if (st.arr[a] == NULL)
            failed = 1;
    }
    /* Room for n/8 types (a news document has ~0.12 types per character, a
     * batch of 200 documents ~0.04), at most 2^15 before growing. */
    Py_ssize_t hint = st.n / 4 < 1 << 16 ? st.n / 4 : 1 << 16;
    if (st.out == NULL || failed || intern_init(&st.norm, hint) < 0 ||
        intern_init(&st.surf, hint) < 0)
        failed = 1;
    else {
        int k = in_kind * 10 + out_kind;
        failed = (k == 11   ? scan_11(&st)
                  : k == 12 ? scan_12(&st)
                  : k == 14 ? scan_14(&st)
                  : k == 22 ? scan_22(&st)
                  : k == 24 ? scan_24(&st)
                            : scan_44(&st)) < 0;
    }
    Py_END_ALLOW_THREADS
    if (failed) {
        state_free(&st);
        return PyErr_NoMemory();
    }

    PyObject *ntext = NULL, *index = NULL, *uniques = NULL, *suniques = NULL;
    PyObject *arrays[N_ARRAYS] = {NULL};
    PyObject *result = NULL;
    ntext = make_ntext(&st, out_kind);
    if (ntext == NULL)
        goto done;
    uniques = type_strings(&st.norm, out_kind, NULL);
    if (uniques == NULL)
        goto done;
    suniques = type_strings(&st.surf, in_kind, uniques);
    if (suniques == NULL)
        goto done;
    if (st.index != NULL) {
        index = buffer_wrap(st.index, st.out_len);
        st.index = NULL; /* owned by the Buffer now (or freed) */
        if (index == NULL)
            goto done;
    }
    else {
        index = Py_NewRef(Py_None);
    }
    for (int a = 0; a < N_ARRAYS; a++) {
        arrays[a] = buffer_wrap(st.arr[a], st.ntok);
        st.arr[a] = NULL;
        if (arrays[a] == NULL)
            goto done;
    }
    result = PyTuple_Pack(10, ntext, index, arrays[A_NSTART], arrays[A_NEND],
                          arrays[A_START], arrays[A_END], arrays[A_CODES], uniques,
                          arrays[A_SCODES], suniques);
done:
    Py_XDECREF(ntext);
    Py_XDECREF(index);
    Py_XDECREF(uniques);
    Py_XDECREF(suniques);
    for (int a = 0; a < N_ARRAYS; a++)
        Py_XDECREF(arrays[a]);
    state_free(&st);
    return result;
}

/* ------------------------------------------------------------------------ */
/* configure()                                                                */

static int
kind_of(Py_UCS4 ch)
{
    return ch < 256 ? 1 : ch < BMP ? 2 : 4;
}

static PyObject *
configure(PyObject *Py_UNUSED(module), PyObject *args)
{
    Py_buffer table, repl, trailing;
    if (!PyArg_ParseTuple(args, "y*y*y*:configure", &table, &repl, &trailing))
        return NULL;
    PyObject *result = NULL;
    uint32_t *repl_copy = NULL;
    if (table.len != BMP * 4 || trailing.len != BMP || repl.len % 4 != 0 ||
        repl.len / 4 > 0xFFFF) {
        PyErr_SetString(PyExc_ValueError,
                        "configure(): table must be 65536 uint32, trailing 65536 bytes, "
                        "replacements at most 65535 uint32");
        goto done;
    }
    Py_ssize_t nrepl = repl.len / 4;
    const uint32_t *t = table.buf;
    const uint32_t *r = repl.buf;
    for (Py_ssize_t k = 0; k < nrepl; k++) {
        if (r[k] > 0x10FFFF) {
            PyErr_Format(PyExc_ValueError, "configure(): replacement %zd is not a code point", k);
            goto done;
        }
    }
    if (g_configured) {
        /* The tables are read without the GIL by running scans: never changed. */
        if (nrepl == g_repl_len && memcmp(g_table, t, sizeof(g_table)) == 0 &&
            memcmp(g_trailing, trailing.buf, sizeof(g_trailing)) == 0 &&
            memcmp(g_repl, r, (size_t)nrepl * 4) == 0)
            result = Py_NewRef(Py_None);
        else
            PyErr_SetString(PyExc_RuntimeError,
                            "configure(): the tables are already set (once per process)");
        goto done;
    }
    int out1 = 1, out2 = 2;
    for (Py_ssize_t c = 0; c < BMP; c++) {
        uint32_t e = t[c];
        int kind = 1;
        if (e & REPLACE_FLAG) {
            uint32_t off = e & 0xFFFF, len = (e >> 16) & 0x7FFF;
            if (len > MAX_REPLACEMENT || off + len > (uint32_t)nrepl) {
                PyErr_Format(PyExc_ValueError,
                             "configure(): table entry U+%04zX: replacement too long or out of range",
                             c);
                goto done;
            }
            for (uint32_t k = 0; k < len; k++)
                if (kind_of(r[off + k]) > kind)
                    kind = kind_of(r[off + k]);
        }
        else if (e > 0x10FFFF) {
            PyErr_Format(PyExc_ValueError, "configure(): table entry U+%04zX is invalid", c);
            goto done;
        }
        else {
            kind = kind_of(e);
        }
        if (c < 256 && kind > out1)
            out1 = kind;
        if (kind > out2)
            out2 = kind;
    }
    repl_copy = PyMem_RawMalloc(nrepl ? (size_t)nrepl * 4 : 4);
    if (repl_copy == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    memcpy(repl_copy, r, (size_t)nrepl * 4);
    memcpy(g_table, t, sizeof(g_table));
    for (Py_UCS4 c = 0; c < BMP; c++) {
        uint32_t e = t[c];
        g_entry[c] = (e & REPLACE_FLAG) ? e
                                        : e | (uint32_t)char_class(e) << 24 |
                                              (e == c ? ENTRY_SAME : 0);
    }
    memcpy(g_trailing, trailing.buf, sizeof(g_trailing));
    g_repl = repl_copy;
    g_repl_len = nrepl;
    g_out_kind1 = out1;
    g_out_kind2 = out2;
    g_configured = 1;
    result = Py_NewRef(Py_None);
done:
    PyBuffer_Release(&table);
    PyBuffer_Release(&repl);
    PyBuffer_Release(&trailing);
    return result;
}

/* ------------------------------------------------------------------------ */
/* lookup()                                                                   */

static PyObject *
lookup(PyObject *Py_UNUSED(module), PyObject *args)
{
    PyObject *mapping, *keys;
    if (!PyArg_ParseTuple(args, "O!O!:lookup", &PyDict_Type, &mapping, &PyList_Type, &keys))
        return NULL;
    Py_ssize_t n = PyList_GET_SIZE(keys);
    int64_t *out = blk_alloc((size_t)(n > 0 ? n : 1) * sizeof(int64_t));
    if (out == NULL)
        return PyErr_NoMemory();
    for (Py_ssize_t i = 0; i < n; i++) {
        /* A key's __eq__ or __hash__ (not a str) could change the list: re-check. */
        if (i >= PyList_GET_SIZE(keys)) {
            PyErr_SetString(PyExc_RuntimeError, "lookup(): keys changed size");
            goto fail;
        }
        PyObject *key = Py_NewRef(PyList_GET_ITEM(keys, i));
        PyObject *value = PyDict_GetItemWithError(mapping, key); /* borrowed */
        Py_DECREF(key);
        if (value == NULL) {
            if (PyErr_Occurred())
                goto fail;
            out[i] = -1;
            continue;
        }
        long long v = PyLong_AsLongLong(value);
        if (v == -1 && PyErr_Occurred())
            goto fail;
        out[i] = v;
    }
    return buffer_wrap(out, n);
fail:
    blk_free(out);
    return NULL;
}

/* ------------------------------------------------------------------------ */
/* Index: a hash map str -> int64 owned by C.                                 */

/* The text stage's process-wide vocabulary of written word types (see
 * analysis.scan.TypeIndex, the Python face and the dict reference). A dict
 * look-up of a fresh str costs ~310 ns: its siphash is not cached yet, and the
 * dict's index, entry, stored key and int value are four cache misses in a
 * ~100k-entry table. Here:
 *   - the hash is computed here, from the characters' bytes, kind and length
 *     (str_hash; a fresh str's siphash is slower, and not needed);
 *   - slots are the 8-byte Slot above (tag = high half of the hash, id =
 *     entry position + 1), load factor <= 1/2, linear probing;
 *   - entries (key, hash, id) are kept in insertion order; the id is stored
 *     in the entry, so a hit touches slot, entry and the key's characters;
 *   - lookup() hashes all keys first (prefetching each key object a few keys
 *     ahead: fresh keys are out of cache), then walks them with a software
 *     pipeline that prefetches the slot INDEX_AHEAD keys ahead, the entry
 *     of its first tag match 2/3 as far ahead and the stored key's
 *     characters 1/3 as far ahead, so the misses of several keys overlap;
 *   - slot and entry arrays come from blk_alloc (huge pages when >= 1 MiB:
 *     fewer TLB misses on random probes).
 * Keys must be exact str objects (a subclass could redefine equality, which
 * this map would not see). They are held by reference (one reference each),
 * never copied, and released by clear(), keep() and deallocation. An exact
 * str cannot refer to anything, so the Index needs no GC support, and
 * releasing one runs no Python code.
 * Equal strings have the same kind (PEP 393 strings are canonical), so two
 * keys are equal when kind, length and bytes are. Comparing the kind matters
 * when hashes collide: "ab" (kind 1) and U+6261 U+6463 (kind 2) share their
 * first two bytes.
 * Thread safety: every method runs with the GIL held and never releases it
 * (no callback into Python code either), so each call is atomic with respect
 * to other threads. Not for free-threaded builds without the GIL. */

typedef struct {
    PyObject *key; /* an exact str; the index owns one reference */
    uint64_t hash;
    int64_t id;
} IndexEntry;

typedef struct {
    PyObject_HEAD
    Slot *slots;          /* mask + 1 slots */
    size_t mask;
    IndexEntry *entries;  /* n used of cap, in insertion order */
    Py_ssize_t n, cap;
    uint64_t hash_mask;   /* ANDed into every hash: all ones; less only in tests */
} IndexObject;

#define INDEX_MIN_SLOTS 8 /* small: tests with a few keys already make the table grow */
#ifndef INDEX_AHEAD /* keys between a slot's prefetch and its key's comparison */
#define INDEX_AHEAD 16 /* measured at 100k keys: 3: 110 ns, 6: 81, 12-18: ~60, 24-36: ~65 */
#endif

/* A str's hash: its characters' bytes read 8 at a time, with its kind and
 * length. (Equal strings have the same kind, so the bytes can stand for the
 * code points; a word of ~6 Arabic letters is two reads, where the scanner's
 * per-code-point hash takes six dependent multiplications.) */
static inline uint64_t
str_hash(PyObject *s)
{
    Py_ssize_t len = PyUnicode_GET_LENGTH(s);
    int kind = PyUnicode_KIND(s);
    const unsigned char *p = PyUnicode_DATA(s);
    size_t nbytes = (size_t)len * kind;
    uint64_t h = HASH_SEED;
    for (; nbytes >= 8; p += 8, nbytes -= 8) {
        uint64_t w;
        memcpy(&w, p, 8);
        h = (h ^ w) * 0x9E3779B97F4A7C15ULL;
        h ^= h >> 31;
    }
    if (nbytes) { /* the last 1-7 bytes, never read beyond them */
        uint64_t w = 0;
        size_t k = 0;
        if (nbytes & 4) {
            uint32_t v;
            memcpy(&v, p, 4);
            w = v;
            k = 4;
        }
        if (nbytes & 2) {
            uint16_t v;
            memcpy(&v, p + k, 2);
            w |= (uint64_t)v << (8 * k);
            k += 2;
        }
        if (nbytes & 1)
            w |= (uint64_t)p[k] << (8 * k);
        h = (h ^ w) * 0x9E3779B97F4A7C15ULL;
    }
    return hash_final(h, len * 4 + kind);
}

static inline int
str_same(PyObject *a, PyObject *b)
{
    if (a == b)
        return 1;
    Py_ssize_t len = PyUnicode_GET_LENGTH(a);
    int kind = PyUnicode_KIND(a);
    return len == PyUnicode_GET_LENGTH(b) && kind == (int)PyUnicode_KIND(b) &&
           same_bytes(PyUnicode_DATA(a), PyUnicode_DATA(b), (size_t)len * kind);
}

static inline uint64_t
index_hash(const IndexObject *self, PyObject *key)
{
    return str_hash(key) & self->hash_mask;
}

/* Position of the entry holding `key` (hash h), or -1. */
static inline Py_ssize_t
index_find(const IndexObject *self, PyObject *key, uint64_t h)
{
    uint32_t tag = (uint32_t)(h >> 32);
    for (size_t j = h & self->mask;; j = (j + 1) & self->mask) {
        Slot s = self->slots[j];
        if (s.id == 0)
            return -1;
        if (s.tag == tag) {
            const IndexEntry *e = &self->entries[s.id - 1];
            if (e->hash == h && str_same(e->key, key))
                return (Py_ssize_t)s.id - 1;
        }
    }
}

/* Puts every entry in the (empty) slots. */
static void
index_fill(Slot *slots, size_t mask, const IndexEntry *entries, Py_ssize_t n)
{
    for (Py_ssize_t i = 0; i < n; i++) {
        uint64_t h = entries[i].hash;
        size_t j = h & mask;
        while (slots[j].id != 0)
            j = (j + 1) & mask;
        slots[j].tag = (uint32_t)(h >> 32);
        slots[j].id = (uint32_t)(i + 1);
    }
}

/* Replaces the slots by `nslots` (a power of two) filled from the entries. */
static int
index_rehash(IndexObject *self, size_t nslots)
{
    Slot *slots = blk_alloc(nslots * sizeof(Slot));
    if (slots == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    memset(slots, 0, nslots * sizeof(Slot));
    index_fill(slots, nslots - 1, self->entries, self->n);
    blk_free(self->slots);
    self->slots = slots;
    self->mask = nslots - 1;
    return 0;
}

/* Room for `total` entries (slots at most half full). Changes nothing on error. */
static int
index_reserve(IndexObject *self, Py_ssize_t total)
{
    if (total > MAX_TYPES) {
        PyErr_SetString(PyExc_OverflowError, "Index: too many keys");
        return -1;
    }
    if (total > self->cap) {
        Py_ssize_t cap = self->cap > 0 ? self->cap : 4;
        while (cap < total)
            cap *= 2;
        IndexEntry *entries = blk_alloc((size_t)cap * sizeof(IndexEntry));
        if (entries == NULL) {
            PyErr_NoMemory();
            return -1;
        }
        if (self->n)
            memcpy(entries, self->entries, (size_t)self->n * sizeof(IndexEntry));
        blk_free(self->entries);
        self->entries = entries;
        self->cap = cap;
    }
    size_t nslots = self->mask + 1;
    while (nslots < 2 * (size_t)total)
        nslots <<= 1;
    if (nslots != self->mask + 1)
        return index_rehash(self, nslots);
    return 0;
}

/* Empties the index (fresh minimal arrays); releases the keys last. 0 or -1. */
static int
index_reset(IndexObject *self)
{
    Slot *slots = blk_alloc(INDEX_MIN_SLOTS * sizeof(Slot));
    if (slots == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    memset(slots, 0, INDEX_MIN_SLOTS * sizeof(Slot));
    IndexEntry *entries = self->entries;
    Py_ssize_t n = self->n;
    blk_free(self->slots);
    self->slots = slots;
    self->mask = INDEX_MIN_SLOTS - 1;
    self->entries = NULL;
    self->n = self->cap = 0;
    for (Py_ssize_t i = 0; i < n; i++)
        Py_DECREF(entries[i].key);
    blk_free(entries);
    return 0;
}

static PyObject *
index_new(PyTypeObject *type, PyObject *args, PyObject *kwargs)
{
    static char *kwlist[] = {"hash_mask", NULL};
    unsigned long long hash_mask = ~0ULL;
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "|K:Index", kwlist, &hash_mask))
        return NULL;
    IndexObject *self = (IndexObject *)type->tp_alloc(type, 0);
    if (self == NULL)
        return NULL;
    self->hash_mask = hash_mask;
    if (index_reset(self) < 0) {
        Py_DECREF(self);
        return NULL;
    }
    return (PyObject *)self;
}

static void
index_dealloc(IndexObject *self)
{
    for (Py_ssize_t i = 0; i < self->n; i++)
        Py_DECREF(self->entries[i].key);
    blk_free(self->entries);
    blk_free(self->slots);
    Py_TYPE(self)->tp_free((PyObject *)self);
}

static Py_ssize_t
index_len(IndexObject *self)
{
    return self->n;
}

/* The key at position i of the list `keys`, if it is an exact str. */
static inline PyObject *
index_key(PyObject *keys, Py_ssize_t i, const char *func)
{
    PyObject *key = PyList_GET_ITEM(keys, i);
    if (!PyUnicode_CheckExact(key)) {
        PyErr_Format(PyExc_TypeError, "Index.%s(): key %zd is a %.100s, not a str", func, i,
                     Py_TYPE(key)->tp_name);
        return NULL;
    }
#if PY_VERSION_HEX < 0x030C0000
    if (PyUnicode_READY(key) < 0)
        return NULL;
#endif
    return key;
}

/* A C-contiguous buffer of int64 values (numpy int64 arrays, array('q')). */
static int
get_int64s(PyObject *obj, Py_buffer *view, const char *func)
{
    if (PyObject_GetBuffer(obj, view, PyBUF_C_CONTIGUOUS | PyBUF_FORMAT) < 0)
        return -1;
    const char *f = view->format != NULL ? view->format : "B";
    if (*f == '@' || *f == '=' || (PY_LITTLE_ENDIAN && *f == '<'))
        f++;
    if (view->itemsize != 8 || (f[0] != 'q' && f[0] != 'l') || f[1] != '\0') {
        PyErr_Format(PyExc_TypeError, "Index.%s(): ids must be a buffer of int64, not format '%s'",
                     func, view->format != NULL ? view->format : "B");
        PyBuffer_Release(view);
        return -1;
    }
    return 0;
}

static PyObject *
index_lookup(IndexObject *self, PyObject *keys)
{
    if (!PyList_Check(keys)) {
        PyErr_Format(PyExc_TypeError, "Index.lookup() needs a list, not %.100s",
                     Py_TYPE(keys)->tp_name);
        return NULL;
    }
    Py_ssize_t n = PyList_GET_SIZE(keys);
    int64_t *out = blk_alloc((size_t)(n > 0 ? n : 1) * sizeof(int64_t));
    if (out == NULL)
        return PyErr_NoMemory();
    /* Pass 1: every key's hash, kept in out[] until its id replaces it. The
     * keys are fresh objects, mostly out of the L1 and L2 caches: each one's
     * header and characters are prefetched a few keys ahead. */
    for (Py_ssize_t i = 0; i < n; i++) {
        if (i + INDEX_AHEAD < n) {
            const char *k = (const char *)PyList_GET_ITEM(keys, i + INDEX_AHEAD);
            __builtin_prefetch(k);
            __builtin_prefetch(k + 64);
        }
        PyObject *key = index_key(keys, i, "lookup");
        if (key == NULL) {
            blk_free(out);
            return NULL;
        }
        out[i] = (int64_t)index_hash(self, key);
    }
    /* Pass 2, a pipeline of four stages over the keys (A, B, C: distances in
     * keys; see each stage's comment). cand[] holds, per key in flight,
     * the entry (position + 1) of its first slot with a matching tag, 0 when
     * its probe met an empty slot first (then the key is certainly absent). */
    enum { A = INDEX_AHEAD, B = 2 * INDEX_AHEAD / 3, C = INDEX_AHEAD / 3, RING = 32 };
    uint32_t cand[RING];
    const Slot *slots = self->slots;
    const IndexEntry *entries = self->entries;
    size_t mask = self->mask;
    for (Py_ssize_t i = 0; i < n + A; i++) {
        if (i < n) /* stage 1: the first slot */
            __builtin_prefetch(&slots[(uint64_t)out[i] & mask]);
        Py_ssize_t j = i - (A - B);
        if (j >= 0 && j < n) { /* stage 2: the first tag match's entry */
            uint64_t h = (uint64_t)out[j];
            uint32_t tag = (uint32_t)(h >> 32), c = 0;
            for (size_t s = h & mask; slots[s].id != 0; s = (s + 1) & mask) {
                if (slots[s].tag == tag) {
                    c = slots[s].id;
                    __builtin_prefetch(&entries[c - 1]);
                    break;
                }
            }
            cand[j % RING] = c;
        }
        j = i - (A - C);
        if (j >= 0 && j < n && cand[j % RING] != 0) { /* stage 3: its characters */
            const char *k = (const char *)entries[cand[j % RING] - 1].key;
            __builtin_prefetch(k);
            __builtin_prefetch(k + 64);
        }
        j = i - A;
        if (j >= 0) { /* stage 4: the answer */
            uint64_t h = (uint64_t)out[j];
            uint32_t c = cand[j % RING];
            PyObject *key = PyList_GET_ITEM(keys, j);
            if (c == 0) {
                out[j] = -1;
            }
            else if (entries[c - 1].hash == h && str_same(entries[c - 1].key, key)) {
                out[j] = entries[c - 1].id;
            }
            else { /* a tag collision: the whole probe */
                Py_ssize_t p = index_find(self, key, h);
                out[j] = p < 0 ? -1 : entries[p].id;
            }
        }
    }
    return buffer_wrap(out, n);
}

static PyObject *
index_add(IndexObject *self, PyObject *args)
{
    PyObject *keys, *ids_obj;
    if (!PyArg_ParseTuple(args, "O!O:add", &PyList_Type, &keys, &ids_obj))
        return NULL;
    Py_buffer ids;
    if (get_int64s(ids_obj, &ids, "add") < 0)
        return NULL;
    PyObject *result = NULL;
    uint64_t *hashes = NULL;
    Py_ssize_t m = PyList_GET_SIZE(keys), n0 = self->n;
    const int64_t *id = ids.buf;
    if (ids.len / 8 != m) {
        PyErr_Format(PyExc_ValueError, "Index.add(): %zd keys but %zd ids", m, ids.len / 8);
        goto done;
    }
    hashes = PyMem_Malloc((size_t)(m > 0 ? m : 1) * sizeof(uint64_t));
    if (hashes == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    for (Py_ssize_t i = 0; i < m; i++) {
        PyObject *key = index_key(keys, i, "add");
        if (key == NULL)
            goto done;
        if (id[i] < 0) {
            PyErr_Format(PyExc_ValueError, "Index.add(): id %lld (key %zd) is negative",
                         (long long)id[i], i);
            goto done;
        }
        hashes[i] = index_hash(self, key);
    }
    if (index_reserve(self, n0 + m) < 0)
        goto done;
    for (Py_ssize_t i = 0; i < m; i++) {
        PyObject *key = PyList_GET_ITEM(keys, i);
        uint64_t h = hashes[i];
        if (index_find(self, key, h) >= 0) {
            /* Undo this call's insertions: the index is as it was. */
            for (Py_ssize_t k = n0; k < self->n; k++)
                Py_DECREF(self->entries[k].key);
            self->n = n0;
            memset(self->slots, 0, (self->mask + 1) * sizeof(Slot));
            index_fill(self->slots, self->mask, self->entries, n0);
            PyErr_Format(PyExc_ValueError, "Index.add(): key %zd (%R) is already present", i,
                         key);
            goto done;
        }
        size_t j = h & self->mask;
        while (self->slots[j].id != 0)
            j = (j + 1) & self->mask;
        self->slots[j].tag = (uint32_t)(h >> 32);
        self->slots[j].id = (uint32_t)(self->n + 1);
        self->entries[self->n].key = Py_NewRef(key);
        self->entries[self->n].hash = h;
        self->entries[self->n].id = id[i];
        self->n++;
    }
    result = Py_NewRef(Py_None);
done:
    PyMem_Free(hashes);
    PyBuffer_Release(&ids);
    return result;
}

static inline uint64_t
id_hash(int64_t id)
{
    return hash_final((uint64_t)id, 0);
}

static PyObject *
index_keep(IndexObject *self, PyObject *ids_obj)
{
    Py_buffer ids;
    if (get_int64s(ids_obj, &ids, "keep") < 0)
        return NULL;
    PyObject *result = NULL;
    Py_ssize_t m = ids.len / 8;
    const int64_t *id = ids.buf;
    /* id -> its position in ids: open addressing, pos[] = position + 1, 0 = empty. */
    size_t nslots = 16;
    while (nslots < 2 * (size_t)m)
        nslots <<= 1;
    size_t mask = nslots - 1;
    int64_t *keyed = PyMem_Malloc(nslots * sizeof(int64_t));
    Py_ssize_t *pos = PyMem_Calloc(nslots, sizeof(Py_ssize_t));
    char *found = PyMem_Calloc(m > 0 ? (size_t)m : 1, 1);
    Py_ssize_t *renumber = PyMem_Malloc((size_t)(self->n > 0 ? self->n : 1) * sizeof(Py_ssize_t));
    PyObject **dropped = PyMem_Malloc((size_t)(self->n > 0 ? self->n : 1) * sizeof(PyObject *));
    if (keyed == NULL || pos == NULL || found == NULL || renumber == NULL || dropped == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    for (Py_ssize_t k = 0; k < m; k++) {
        size_t s = id_hash(id[k]) & mask;
        while (pos[s] != 0 && keyed[s] != id[k])
            s = (s + 1) & mask;
        if (pos[s] != 0) {
            PyErr_Format(PyExc_ValueError, "Index.keep(): id %lld is given twice",
                         (long long)id[k]);
            goto done;
        }
        keyed[s] = id[k];
        pos[s] = k + 1;
    }
    /* Each entry's new id (-1: dropped); nothing changes until all are found
     * (from there on, nothing can fail). */
    for (Py_ssize_t i = 0; i < self->n; i++) {
        int64_t v = self->entries[i].id;
        size_t s = id_hash(v) & mask;
        while (pos[s] != 0 && keyed[s] != v)
            s = (s + 1) & mask;
        renumber[i] = pos[s] != 0 ? pos[s] - 1 : -1;
        if (pos[s] != 0)
            found[pos[s] - 1] = 1;
    }
    for (Py_ssize_t k = 0; k < m; k++) {
        if (!found[k]) {
            PyErr_Format(PyExc_ValueError, "Index.keep(): id %lld is not in the index",
                         (long long)id[k]);
            goto done;
        }
    }
    /* Compact the entries in their order; release the dropped keys last. */
    Py_ssize_t w = 0, d = 0, n = self->n;
    for (Py_ssize_t i = 0; i < n; i++) {
        if (renumber[i] < 0) {
            dropped[d++] = self->entries[i].key;
            continue;
        }
        self->entries[w] = self->entries[i];
        self->entries[w].id = renumber[i];
        w++;
    }
    memset(self->slots, 0, (self->mask + 1) * sizeof(Slot));
    index_fill(self->slots, self->mask, self->entries, w);
    self->n = w;
    for (Py_ssize_t k = 0; k < d; k++)
        Py_DECREF(dropped[k]);
    result = Py_NewRef(Py_None);
done:
    PyMem_Free(keyed);
    PyMem_Free(pos);
    PyMem_Free(found);
    PyMem_Free(renumber);
    PyMem_Free(dropped);
    PyBuffer_Release(&ids);
    return result;
}

static PyObject *
index_clear(IndexObject *self, PyObject *Py_UNUSED(ignored))
{
    if (index_reset(self) < 0)
        return NULL;
    Py_RETURN_NONE;
}

static int
entry_order(const void *a, const void *b)
{
    const IndexEntry *x = *(const IndexEntry *const *)a, *y = *(const IndexEntry *const *)b;
    if (x->id != y->id)
        return x->id < y->id ? -1 : 1;
    return x < y ? -1 : x > y; /* equal ids: insertion order */
}

static PyObject *
index_items(IndexObject *self, PyObject *Py_UNUSED(ignored))
{
    Py_ssize_t n = self->n;
    const IndexEntry **order = PyMem_Malloc((size_t)(n > 0 ? n : 1) * sizeof(IndexEntry *));
    if (order == NULL)
        return PyErr_NoMemory();
    int sorted = 1;
    for (Py_ssize_t i = 0; i < n; i++) {
        order[i] = &self->entries[i];
        if (i > 0 && self->entries[i].id < self->entries[i - 1].id)
            sorted = 0;
    }
    if (!sorted)
        qsort(order, (size_t)n, sizeof(order[0]), entry_order);
    PyObject *list = PyList_New(n), *result = NULL;
    int64_t *ids = blk_alloc((size_t)(n > 0 ? n : 1) * sizeof(int64_t));
    if (list == NULL || ids == NULL) {
        if (list != NULL)
            PyErr_NoMemory();
        Py_XDECREF(list);
        blk_free(ids);
        PyMem_Free(order);
        return NULL;
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        PyList_SET_ITEM(list, i, Py_NewRef(order[i]->key));
        ids[i] = order[i]->id;
    }
    PyMem_Free(order);
    PyObject *buf = buffer_wrap(ids, n);
    if (buf != NULL)
        result = PyTuple_Pack(2, list, buf);
    Py_DECREF(list);
    Py_XDECREF(buf);
    return result;
}

static PyMethodDef index_methods[] = {
    {"lookup", (PyCFunction)index_lookup, METH_O,
     "lookup(keys: list[str]) -> Buffer of int64: each key's id, -1 when absent."},
    {"add", (PyCFunction)index_add, METH_VARARGS,
     "add(keys: list[str], ids: int64 buffer): insert new keys (ids >= 0); a key already "
     "present (or twice in keys) is a ValueError and nothing is added."},
    {"keep", (PyCFunction)index_keep, METH_O,
     "keep(ids: int64 buffer): keep only the keys whose id is in ids (distinct, each "
     "present), renumbered 0, 1, 2, ... in the order of ids."},
    {"clear", (PyCFunction)index_clear, METH_NOARGS, "clear(): remove every key."},
    {"items", (PyCFunction)index_items, METH_NOARGS,
     "items() -> (list of keys, Buffer of their int64 ids), by id (then insertion order)."},
    {NULL, NULL, 0, NULL},
};

static PySequenceMethods index_as_sequence = {
    .sq_length = (lenfunc)index_len,
};

static PyTypeObject IndexType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "analysis._scan.Index",
    .tp_basicsize = sizeof(IndexObject),
    .tp_dealloc = (destructor)index_dealloc,
    .tp_as_sequence = &index_as_sequence,
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = "Index(hash_mask=~0): a hash map from str to int64 owned by C (see "
              "analysis.scan.TypeIndex). hash_mask < all ones forces collisions (tests).",
    .tp_methods = index_methods,
    .tp_new = index_new,
};

/* ------------------------------------------------------------------------ */

static PyMethodDef methods[] = {
    {"lookup", lookup, METH_VARARGS,
     "lookup(mapping, keys) -> Buffer of int64: mapping.get(key, -1) for each key."},
    {"configure", configure, METH_VARARGS,
     "configure(table, replacements, trailing): set the normalization tables."},
    {"scan", scan, METH_O,
     "scan(text) -> (ntext, index, nstart, nend, start, end, codes, uniques, scodes, "
     "suniques)."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module_def = {
    PyModuleDef_HEAD_INIT,
    .m_name = "analysis._scan",
    .m_doc = "One-pass normalization, tokenization and word types (see analysis.scan).",
    .m_size = -1,
    .m_methods = methods,
};

PyMODINIT_FUNC
PyInit__scan(void)
{
    for (Py_UCS4 c = 0; c < BMP; c++)
        g_class[c] = (Py_UNICODE_ISALNUM(c) || c == '_') ? C_WORD
                     : Py_UNICODE_ISSPACE(c)             ? C_SPACE
                                                         : C_OTHER;
    if (g_pool_lock == NULL && (g_pool_lock = PyThread_allocate_lock()) == NULL)
        return PyErr_NoMemory();
    if (PyType_Ready(&BufferType) < 0 || PyType_Ready(&IndexType) < 0)
        return NULL;
    PyObject *m = PyModule_Create(&module_def);
    if (m == NULL)
        return NULL;
    Py_INCREF(&BufferType);
    if (PyModule_AddObject(m, "Buffer", (PyObject *)&BufferType) < 0) {
        Py_DECREF(&BufferType);
        Py_DECREF(m);
        return NULL;
    }
    Py_INCREF(&IndexType);
    if (PyModule_AddObject(m, "Index", (PyObject *)&IndexType) < 0) {
        Py_DECREF(&IndexType);
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
