"""A disk cache for the normalized word-frequency table (a speed-up only).

:func:`analysis.clitics._frequencies` turns wordfreq's packed Arabic list (~620k
forms) into a table of normalized forms and summed frequencies. That takes ~0.7 s,
once per process: a notebook kernel, a benchmark, every worker of a pool. This
module keeps the finished table in ``build/cache/`` and reads it back in ~0.1 s.

The file name carries a SHA-256 of everything the table depends on: the bytes of
wordfreq's data file, the normalization table (:data:`analysis.normalize._TABLE`)
and this format's version. A new wordfreq release or a change to normalization
therefore gives a new file and the table is rebuilt; nothing is ever read from a
stale cache. A missing, unreadable or damaged file is rebuilt silently, and when
``build/`` cannot be written the table is simply built every time: the cache never
changes a result (``tests/test_wordlist_cache.py`` checks that the table read
back equals the freshly built one, order and float bits included).
"""

from __future__ import annotations

import hashlib
import os
import struct
import tempfile
from collections.abc import Callable
from operator import itemgetter
from pathlib import Path

import numpy as np

from analysis.paths import BUILD_DIR

FORMAT = b"arabic-framing-wordfreq-cache 3\n"
DIGEST_SIZE = 16  # BLAKE2b of the rest of the file, checked on every read
CACHE_DIR = BUILD_DIR / "cache"


def cache_key(data_file: Path, table: dict[int, str]) -> str:
    """SHA-256 (hex) of the data file's bytes, the normalization table and the format."""
    digest = hashlib.sha256(FORMAT)
    digest.update(data_file.read_bytes())
    digest.update(repr(sorted(table.items())).encode("utf-8"))
    return digest.hexdigest()


def _encode(freqs: dict[str, float]) -> bytes | None:
    """The table as bytes.

    Layout: :data:`FORMAT`; a BLAKE2b digest of everything after it (so a
    truncated or damaged file is never read as a smaller table); the number of
    forms and of distinct frequencies
    (two little-endian uint64); the distinct frequencies (float64); for each form
    the index of its frequency (uint32); the forms in the table's order, UTF-8,
    separated by newlines.
    """
    keys = list(freqs)
    if any("\n" in k for k in keys):
        return None  # cannot be written in this format: not cached
    values = np.fromiter(freqs.values(), dtype=np.float64, count=len(keys))
    distinct, inverse = np.unique(values, return_inverse=True)
    payload = b"".join(
        (
            struct.pack("<QQ", len(keys), len(distinct)),
            distinct.astype("<f8").tobytes(),
            inverse.astype("<u4").tobytes(),
            "\n".join(keys).encode("utf-8"),
        )
    )
    return FORMAT + hashlib.blake2b(payload, digest_size=DIGEST_SIZE).digest() + payload


def _decode(blob: bytes) -> dict[str, float] | None:
    """The table from :func:`_encode`'s bytes, or None if they are not a valid file."""
    head = len(FORMAT) + DIGEST_SIZE
    if not blob.startswith(FORMAT) or len(blob) < head + 16:
        return None
    payload = memoryview(blob)[head:]
    if hashlib.blake2b(payload, digest_size=DIGEST_SIZE).digest() != blob[len(FORMAT) : head]:
        return None
    count, n_distinct = struct.unpack_from("<QQ", blob, head)
    at = head + 16
    end = at + 8 * n_distinct + 4 * count
    if len(blob) < end:
        return None
    distinct = np.frombuffer(blob, dtype="<f8", count=n_distinct, offset=at)
    index = np.frombuffer(blob, dtype="<u4", count=count, offset=at + 8 * n_distinct)
    if count and (n_distinct == 0 or int(index.max()) >= n_distinct):
        return None
    if not np.isfinite(distinct).all():
        return None
    try:
        keys = blob[end:].decode("utf-8").split("\n") if count else []
    except UnicodeDecodeError:
        return None
    if len(keys) != count:
        return None
    if count == 0:
        return {}
    # Equal frequencies share one float object (most forms share their wordfreq
    # bucket's value), as in the freshly built table: ~13 MB less than one each.
    floats = distinct.tolist()
    values = itemgetter(*index.tolist())(floats) if count > 1 else (floats[int(index[0])],)
    return dict(zip(keys, values, strict=True))


def cached_table(key: str, build: Callable[[], dict[str, float]]) -> dict[str, float]:
    """The table stored under ``key``, or ``build()``'s result (then stored)."""
    path = CACHE_DIR / f"wordfreq-ar-{key[:32]}.bin"
    try:
        found = _decode(path.read_bytes())
    except OSError:
        found = None
    if found is not None:
        return found
    freqs = build()
    blob = _encode(freqs)
    if blob is not None:
        _write_atomically(path, blob)
    return freqs


def _write_atomically(path: Path, blob: bytes) -> None:
    """Write ``blob`` to ``path`` via a temporary file; give up quietly on OSError.

    Several processes (a pool's workers) may build the table at once: each writes
    its own temporary file and renames it, so a reader sees a whole file or none.
    """
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
    except OSError:
        return
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(blob)
        os.replace(tmp, path)
    except OSError:
        try:
            os.unlink(tmp)
        except OSError:
            pass
