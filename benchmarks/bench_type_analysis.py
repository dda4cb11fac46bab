"""Per-word-type cost of the clitic analysis and the run-together split, old vs new.

The text stage runs ``analysis.clitics.analyse_clitics`` and
``analysis.repair.find_split`` once per distinct word type (issue #3), so their
cost per type bounds the pipeline's speed on a large corpus. This script times,
in one process and in alternating rounds (the minimum over rounds is reported,
CPU time of this process, so other jobs on the machine disturb it less):

* the previous implementation, kept unchanged in ``tests/reference_type_analysis.py``;
* the current one;

on two sets of words:

* the word types of a synthetic corpus (``analysis.synthetic.synthetic_corpus``,
  ``--mb`` MB, seed 0): every ``\\w+`` match containing an Arabic letter, as
  written (both functions are called on them, as in the issue's measurement;
  ``find_split`` also on their normalized forms, which is what the pipeline
  passes);
* wordfreq's whole Arabic list (620k forms, offline).

Every call is cold: the functions' caches are emptied before each timed pass
(the frequency list, the split search's part table and the clitic grammar
tables are per-process tables built once, before timing; their build time and
memory are printed separately). Both sets are also compared field by field
(every analysis's proclitics, bare form, enclitic and exact Zipf score, every
split), which is the differential check too slow for the test suite.

Usage: ``.venv/bin/python benchmarks/bench_type_analysis.py [--mb 50] [--rounds 3]
[--no-wordfreq]``.
"""

from __future__ import annotations

import argparse
import gc
import re
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

import reference_type_analysis as ref  # noqa: E402

from analysis import clitics, repair  # noqa: E402
from analysis.normalize import normalize_word  # noqa: E402

ARABIC = re.compile("[\u0600-\u06ff]")


def corpus_types(mb: float, seed: int) -> list[str]:
    """Distinct ``\\w+`` matches with an Arabic letter in a synthetic corpus."""
    from analysis.synthetic import synthetic_corpus

    found: set[str] = set()
    pattern = re.compile(r"\w+")
    for doc in synthetic_corpus(int(mb * 1_000_000), seed=seed):
        found.update(pattern.findall(doc))
    return sorted(w for w in found if ARABIC.search(w))


def wordfreq_forms() -> list[str]:
    """Every form of wordfreq's Arabic ``large`` list, as listed."""
    import wordfreq

    return [w for bucket in wordfreq.get_frequency_list("ar", "large") for w in bucket]


def cold_new() -> None:
    clitics.analyse_clitics.cache_clear()
    repair._search_split.cache_clear()


def cold_old() -> None:
    ref.analyse_clitics.cache_clear()
    ref.find_split.cache_clear()


def per_type(
    function: Callable[[str], object], words: list[str], reset: Callable[[], None]
) -> float:
    """CPU microseconds per word for one cold pass of ``function`` over ``words``."""
    reset()
    gc.collect()
    start = time.process_time()
    for word in words:
        function(word)
    return (time.process_time() - start) / len(words) * 1e6


def timings(words: list[str], normalized: list[str], rounds: int) -> dict[str, float]:
    passes = {
        "old analyse_clitics": (ref.analyse_clitics, words, cold_old),
        "new analyse_clitics": (clitics.analyse_clitics, words, cold_new),
        "old find_split": (ref.find_split, words, cold_old),
        "new find_split": (repair.find_split, words, cold_new),
        "old find_split (normalized)": (ref.find_split, normalized, cold_old),
        "new find_split (normalized)": (repair.find_split, normalized, cold_new),
    }
    best: dict[str, float] = {}
    for _ in range(rounds):
        for name, (function, items, reset) in passes.items():
            took = per_type(function, items, reset)
            best[name] = min(best.get(name, took), took)
    return best


def report(label: str, words: list[str], rounds: int) -> None:
    normalized = sorted({normalize_word(w) for w in words} - {""})
    print(f"\n{label}: {len(words):,} types ({len(normalized):,} normalized)")
    best = timings(words, normalized, rounds)
    for name, value in best.items():
        print(f"  {name:30s} {value:6.2f} µs/type")
    for what in ("analyse_clitics", "find_split", "find_split (normalized)"):
        ratio = best[f"old {what}"] / best[f"new {what}"]
        print(f"  {what:30s} {ratio:5.1f}× faster")
    old = best["old analyse_clitics"] + best["old find_split"]
    new = best["new analyse_clitics"] + best["new find_split"]
    print(f"  both, per type: old {old:.2f} µs, new {new:.2f} µs ({old / new:.1f}× faster)")


def differences(words: list[str]) -> int:
    """Words whose analyses, attestation or split differ between old and new."""
    bad = 0
    for word in words:
        new = clitics.analyse_clitics(word)
        old = ref.analyse_clitics(word)
        same = [(a.proclitics, a.bare, a.enclitic, a.score.hex()) for a in new] == [
            (a.proclitics, a.bare, a.enclitic, a.score.hex()) for a in old
        ]
        same = same and all(type(a) is clitics.Analysis for a in new)
        same = same and clitics.has_attested_reading(word) == ref.is_known_word(word)
        same = same and repair.find_split(word) == ref.find_split(word)
        if not same:
            bad += 1
            if bad <= 5:
                print(f"  DIFFERENT: {word!r}")
    return bad


def memory() -> None:
    """Extra memory of the per-process tables the new code keeps (tracemalloc)."""
    clitics._frequencies()
    repair._part_table.cache_clear()
    repair.longest_part.cache_clear()
    tracemalloc.start()
    start = time.perf_counter()
    repair.longest_part()
    took = time.perf_counter() - start
    part_table = tracemalloc.get_traced_memory()[0]
    clitics._HEAD_PLANS.clear()
    clitics._TAIL_ENCLITICS.clear()
    start = time.perf_counter()
    clitics._build_plans()
    took_plans = time.perf_counter() - start
    plans = tracemalloc.get_traced_memory()[0] - part_table
    tracemalloc.stop()
    table, longest = repair._part_table()
    print(
        f"part table of the split search: {len(table):,} entries, {part_table / 1e6:.1f} MB,"
        f" built in {took:.2f} s (longest part {longest} letters)"
    )
    print(
        f"clitic grammar tables: {len(clitics._HEAD_PLANS):,} proclitic runs +"
        f" {len(clitics._TAIL_ENCLITICS):,} enclitic runs, {plans / 1e6:.1f} MB,"
        f" built in {took_plans:.2f} s"
    )


def cache_memory(words: list[str]) -> None:
    """Memory the functions' caches hold after one pass of both over ``words``."""
    sides = {
        "old": ((ref.analyse_clitics, ref.find_split), cold_old),
        "new": ((clitics.analyse_clitics, repair.find_split), cold_new),
    }
    for label, (functions, reset) in sides.items():
        reset()
        gc.collect()
        tracemalloc.start()
        for word in words:
            for function in functions:
                function(word)
        held = tracemalloc.get_traced_memory()[0]
        tracemalloc.stop()
        reset()
        print(f"  {label}: caches hold {held / 1e6:.1f} MB after one pass")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--mb", type=float, default=50.0)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--no-wordfreq", action="store_true", help="skip the 620k-form list")
    args = parser.parse_args()

    start = time.perf_counter()
    types = corpus_types(args.mb, args.seed)
    print(f"synthetic corpus of {args.mb:g} MB: {len(types):,} Arabic word types", end="")
    print(f" ({time.perf_counter() - start:.1f} s to build)")
    start = time.perf_counter()
    clitics._frequencies()
    print(f"frequency list loaded in {time.perf_counter() - start:.2f} s (shared by both)")
    memory()
    ref.longest_part()

    report("synthetic corpus", types, args.rounds)
    bad = differences(types)
    print(f"  words with any difference: {bad}")
    cache_memory(types)
    if not args.no_wordfreq:
        forms = wordfreq_forms()
        report("wordfreq Arabic list", forms, 1)
        more = differences(forms)
        print(f"  words with any difference: {more}")
        bad += more
    if bad:
        sys.exit("the new code's results differ from the reference")


if __name__ == "__main__":
    main()
