/* analysis/_hash.h: the hash of a string's code points, shared by
 * analysis/_scan.c (word types, the type index) and analysis/_wordtypes.c
 * (the compact key table).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * h = HASH_SEED; h = hash_step(h, ch) for each code point; hash_final(h, len):
 * FNV-1a style steps finished by a 64-bit mixer, so short Arabic words with
 * the same letters in another order still spread over the table. Include
 * after <Python.h> (Py_UCS4, Py_ssize_t).
 */
#ifndef ANALYSIS_HASH_H
#define ANALYSIS_HASH_H

#include <stdint.h>

#define HASH_SEED 0xcbf29ce484222325ULL

static inline uint64_t
hash_step(uint64_t h, Py_UCS4 ch)
{
    return (h ^ ch) * 0x100000001b3ULL;
}

static inline uint64_t
hash_final(uint64_t h, Py_ssize_t len)
{
    h ^= (uint64_t)len * 0x9E3779B97F4A7C15ULL;
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53ULL;
    h ^= h >> 33;
    return h;
}

#endif /* ANALYSIS_HASH_H */
