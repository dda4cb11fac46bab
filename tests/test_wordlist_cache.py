"""The disk cache of the normalized word-frequency table never changes a result."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from analysis import clitics, wordlist_cache
from analysis.normalize import _TABLE


@pytest.fixture
def cache_dir(tmp_path, monkeypatch) -> Path:
    directory = tmp_path / "cache"
    monkeypatch.setattr(wordlist_cache, "CACHE_DIR", directory)
    return directory


def _same(a: dict[str, float], b: dict[str, float]) -> bool:
    """Equal keys in the same order and bit-identical floats."""
    return list(a) == list(b) and all(a[k].hex() == b[k].hex() for k in a)


def test_real_table_read_back_is_identical(cache_dir):
    data_file = clitics._wordfreq_data_file()
    key = wordlist_cache.cache_key(data_file, _TABLE)
    built = clitics._build_frequencies(data_file)
    first = wordlist_cache.cached_table(key, lambda: built)
    assert first is built  # nothing cached yet: the built table itself
    assert len(list(cache_dir.iterdir())) == 1

    def must_not_build():
        raise AssertionError("the cache was not used")

    again = wordlist_cache.cached_table(key, must_not_build)
    assert again is not built and _same(again, built)
    # Forms that share a wordfreq bucket share one float object after reading too.
    assert len({id(v) for v in again.values()}) == len(set(again.values()))


# A small table whose values were chosen by hand: sums that are not exact
# (0.1 + 0.2), a repeated value, a tiny and a large frequency, non-ASCII forms.
SMALL = {"في": 0.1 + 0.2, "من": 1e-9, "الشعب": 0.3, "x": 0.3, "دولة": 123.456}


def test_small_table_round_trip(cache_dir):
    assert _same(wordlist_cache.cached_table("k" * 64, lambda: dict(SMALL)), SMALL)
    assert _same(wordlist_cache.cached_table("k" * 64, lambda: {}), SMALL)  # read back


@pytest.mark.parametrize(
    "damage",
    [
        lambda blob: blob[: len(blob) // 2],  # truncated
        lambda blob: b"not a cache file",
        lambda blob: blob[:-1],  # the last form ("دولة") loses a byte
        lambda blob: blob[:-2] + b"xy",  # ... or two bytes change: still valid UTF-8
        lambda blob: blob.replace("الشعب".encode(), "الشعر".encode()),  # a form changed
        lambda blob: blob.replace(wordlist_cache.FORMAT, b"arabic-framing-wordfreq-cache 0\n"),
        lambda blob: b"",
    ],
)
def test_damaged_file_is_rebuilt(cache_dir, damage):
    wordlist_cache.cached_table("d" * 64, lambda: dict(SMALL))
    (path,) = cache_dir.iterdir()
    path.write_bytes(damage(path.read_bytes()))
    calls = []

    def build():
        calls.append(1)
        return dict(SMALL)

    result = wordlist_cache.cached_table("d" * 64, build)
    assert calls == [1] and _same(result, SMALL)
    # ... and the file is whole again.
    assert _same(wordlist_cache.cached_table("d" * 64, lambda: {}), SMALL)


def test_key_follows_data_and_normalization(tmp_path):
    data = tmp_path / "list.bin"
    data.write_bytes(b"one")
    key = wordlist_cache.cache_key(data, _TABLE)
    assert key == wordlist_cache.cache_key(data, dict(_TABLE))
    changed_table = dict(_TABLE)
    changed_table[ord("ى")] = "ى"  # alef maqsura no longer folded
    assert wordlist_cache.cache_key(data, changed_table) != key
    data.write_bytes(b"two")
    assert wordlist_cache.cache_key(data, _TABLE) != key


def test_unwritable_cache_still_gives_the_table(tmp_path, monkeypatch):
    if os.geteuid() == 0:
        # root may write anywhere: use a path below a regular file instead
        blocker = tmp_path / "file"
        blocker.write_text("x")
        monkeypatch.setattr(wordlist_cache, "CACHE_DIR", blocker / "cache")
    else:
        locked = tmp_path / "locked"
        locked.mkdir(mode=0o500)
        monkeypatch.setattr(wordlist_cache, "CACHE_DIR", locked / "cache")
    assert _same(wordlist_cache.cached_table("u" * 64, lambda: dict(SMALL)), SMALL)


def test_forms_with_a_newline_are_not_cached(cache_dir):
    odd = {"a\nb": 1.0}
    assert wordlist_cache.cached_table("n" * 64, lambda: odd) == odd
    assert not cache_dir.exists() or not any(cache_dir.iterdir())
