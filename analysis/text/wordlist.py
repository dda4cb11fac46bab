"""Word frequencies for Arabic, offline: the evidence behind clitic analysis and repairs.

The table comes from wordfreq's Arabic "large" list (about 620k word forms from
Wikipedia, subtitles, news and web text, shipped inside the wheel, so it works
offline). Each form is normalized with :func:`analysis.text.normalize.normalize_word`
and forms that normalize alike have their frequencies summed.

Building the table takes ~0.7 s, so it is kept in ``build/cache/`` as a pickle
whose file name carries a SHA-256 of everything it depends on (wordfreq's data
file, the normalization table and this format): a new wordfreq release or a
change to normalization gives a new file, and a stale table is never read. The
cache is a speed-up only; delete it at will.
"""

from __future__ import annotations

import hashlib
import importlib.util
import math
import os
import pickle
import tempfile
from array import array
from functools import lru_cache
from pathlib import Path

from analysis.paths import BUILD_DIR
from analysis.text.normalize import NORMALIZATION_TABLE, normalize_word

CACHE_DIR = BUILD_DIR / "cache"
FORMAT = "wordfreq-ar-normalized-v6"


def zipf(word_normalized: str) -> float:
    """Zipf frequency (log10 per billion words) of a normalized word; 0 if unknown."""
    freq = frequencies().get(word_normalized)
    return math.log10(freq) + 9 if freq else 0.0


def is_known(word_normalized: str) -> bool:
    """Whether the normalized word form is attested (Zipf above 0)."""
    return zipf(word_normalized) > 0


@lru_cache(maxsize=1)
def frequencies() -> dict[str, float]:
    """Frequency of every normalized word form, from the cache or built afresh."""
    data_file = _data_file()
    key = hashlib.sha256(FORMAT.encode())
    key.update(data_file.read_bytes())
    key.update(repr(sorted(NORMALIZATION_TABLE.items())).encode())
    path = CACHE_DIR / f"wordfreq-{key.hexdigest()[:24]}.pickle"
    try:
        with open(path, "rb") as handle:
            words, codes, values = pickle.load(handle)
        return dict(zip(words, map(values.__getitem__, codes), strict=True))
    except (OSError, pickle.UnpicklingError, EOFError, ValueError, TypeError):
        pass
    table = _build(data_file)
    _write(path, table)
    return table


def _data_file() -> Path:
    """Wordfreq's packed Arabic list, found without importing wordfreq (~0.3 s) if possible."""
    spec = importlib.util.find_spec("wordfreq")
    if spec is not None and spec.origin is not None:
        candidate = Path(spec.origin).parent / "data" / "large_ar.msgpack.gz"
        if candidate.is_file():
            return candidate
    import wordfreq

    return Path(wordfreq.available_languages("large")["ar"])


def _build(data_file: Path) -> dict[str, float]:
    """The normalized table from wordfreq's packed list (one bucket of words per centibel)."""
    import wordfreq

    totals: dict[str, float] = {}
    for index, bucket in enumerate(wordfreq.read_cBpack(str(data_file))):
        freq = wordfreq.cB_to_freq(-index)
        for word in bucket:
            key = normalize_word(word)
            totals[key] = totals.get(key, 0.0) + freq
    shared: dict[float, float] = {}  # one object per distinct value: ~13 MB less
    return {key: shared.setdefault(value, value) for key, value in totals.items()}


def _write(path: Path, table: dict[str, float]) -> None:
    """Write the cache atomically; a folder that cannot be written just means no cache.

    The words, and each word's value as an index into the distinct values, so
    that the table read back shares one float object per value, as built.
    """
    values = list(dict.fromkeys(table.values()))
    index = {value: k for k, value in enumerate(values)}
    codes = array("I", (index[v] for v in table.values()))
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        with os.fdopen(handle, "wb") as out:
            pickle.dump((list(table), codes, values), out, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, path)
    except OSError:
        return
