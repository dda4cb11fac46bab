"""Per-word-type cost of the clitic columns and the run-together test, Python vs compiled.

The text stage analyses every new written word type once (issue #3): its
clitic columns (``analysis.clitics.analyse_clitics``) and whether its
normalized form is split as a run-together word (``analysis.repair.find_split``).
This script takes the distinct written types of a synthetic corpus
(``analysis.synthetic.synthetic_corpus``, ``--mb`` MB, seed 0, scanned in
batches of 200 documents by ``analysis.scan.scan``; the word types are those
whose normalized form ``analysis.tokens.token_kind`` calls "word") and times,
in one process, in alternating rounds (the minimum over ``--rounds`` counts;
wall clock and this process's CPU time):

* the Python reference, as the pipeline ran it: ``wordtypes.python_row(surface)``
  and ``len(w) >= MIN_LENGTH and find_split(w) is not None`` per type, with
  ``find_split``'s search cache emptied before each pass (every type is new);
* ``analysis.wordtypes.word_rows`` and ``splittable`` on the whole list, and
  again called once per batch on that batch's new types (as the pipeline calls
  them).

It also prints the bare regex pass ``re.findall(r"\\w+")`` over the same text
for scale, the fraction of types the compiled code hands back to Python
(``wordtypes.fallback_counts``) and the memory of its key table. Results are
compared first (every row and flag must be equal).

Usage: ``.venv/bin/python benchmarks/bench_wordtypes.py [--mb 10] [--rounds 3]``.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import time
from collections.abc import Callable

import numpy as np

from analysis import repair, wordtypes
from analysis.scan import scan
from analysis.synthetic import synthetic_corpus
from analysis.tokens import token_kind

SEPARATOR = "\n\n"  # between the documents of a batch, as analysis.pipeline joins them


def corpus_types(mb: float, seed: int) -> tuple[list[str], list[tuple[list[str], list[str]]]]:
    """The corpus's batches of text, and each batch's new word types (written, normalized)."""
    docs = list(synthetic_corpus(int(mb * 1_000_000), seed=seed))
    texts = [SEPARATOR.join(docs[i : i + 200]) for i in range(0, len(docs), 200)]
    seen: set[str] = set()
    batches = []
    for text in texts:
        sc = scan(text)
        first = np.unique(sc.scodes, return_index=True)[1]
        normalized = [sc.uniques[c] for c in sc.codes[first].tolist()]
        new_surfaces, new_normalized = [], []
        for surface, norm in zip(sc.suniques, normalized, strict=True):
            if surface not in seen and token_kind(norm) == "word":
                seen.add(surface)
                new_surfaces.append(surface)
                new_normalized.append(norm)
        batches.append((new_surfaces, new_normalized))
    return texts, batches


def python_pass(surfaces: list[str], normalized: list[str]) -> tuple[list, list]:
    repair._search_split.cache_clear()
    rows = [wordtypes.python_row(s) for s in surfaces]
    flags = [len(w) >= repair.MIN_LENGTH and repair.find_split(w) is not None for w in normalized]
    return rows, flags


def compiled_pass(surfaces: list[str], normalized: list[str]) -> tuple[list, list]:
    return list(zip(*wordtypes.word_rows(surfaces), strict=True)), wordtypes.splittable(
        normalized
    ).tolist()


def timed(function: Callable[[], object]) -> tuple[float, float]:
    t0, c0 = time.perf_counter(), time.process_time()
    function()
    return time.perf_counter() - t0, time.process_time() - c0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=10.0)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    print(f"compiled: {wordtypes.COMPILED}")
    texts, batches = corpus_types(args.mb, args.seed)
    surfaces = [s for batch in batches for s in batch[0]]
    normalized = [w for batch in batches for w in batch[1]]
    n = len(surfaces)
    megabytes = sum(len(t.encode("utf-8")) for t in texts) / 1e6
    print(
        f"corpus: {megabytes:.1f} MB UTF-8 in {len(texts)} batches; "
        f"{n:,} written word types ({n / megabytes:,.0f} per MB)"
    )
    print("load average (other jobs on the machine): {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))

    # Set-up outside the timings: the frequency list, the part table, the
    # grammar tables and (compiled) the key table.
    t0 = time.perf_counter()
    wordtypes.word_rows(["كتاب"]), wordtypes.splittable(["كتابكتاب"])
    print(f"set-up (tables, once per process): {time.perf_counter() - t0:.2f} s")
    if wordtypes.COMPILED:
        table = wordtypes._wordtypes.table_bytes()
        print(f"key table of the extension: {table / 2**20:.1f} MiB")

    # The results must agree before their speed means anything.
    before = wordtypes.fallback_counts()
    want, got = python_pass(surfaces, normalized), compiled_pass(surfaces, normalized)
    after = wordtypes.fallback_counts()
    assert got[0] == want[0], "clitic rows differ"
    assert got[1] == want[1], "run-together flags differ"
    rows_back, splits_back = after[0] - before[0], after[1] - before[1]
    print(
        f"handed back to Python: {rows_back} of {n} rows ({rows_back / n:.4%}), "
        f"{splits_back} of {n} split tests ({splits_back / n:.4%}); "
        f"{sum(want[1])} types splittable"
    )

    regex = re.compile(r"\w+")
    methods: dict[str, Callable[[], object]] = {
        "re.findall(r'\\w+') over the text": lambda: [regex.findall(t) for t in texts],
        "Python: clitic rows": lambda: [wordtypes.python_row(s) for s in surfaces],
        "Python: run-together test": lambda: python_pass([], normalized),
        "compiled: word_rows": lambda: wordtypes.word_rows(surfaces),
        "compiled: splittable": lambda: wordtypes.splittable(normalized),
        "compiled: both, per batch": lambda: [
            (wordtypes.word_rows(s), wordtypes.splittable(w)) for s, w in batches
        ],
    }
    best = {name: (float("inf"), float("inf")) for name in methods}
    for _ in range(args.rounds):
        for name, method in methods.items():
            wall, cpu = timed(method)
            best[name] = (min(best[name][0], wall), min(best[name][1], cpu))

    print(f"\nbest of {args.rounds} rounds; µs per written word type ({n:,} types)")
    print(f"{'':<36}{'--- wall clock ---':>22}  {'--- CPU time ---':>22}")
    print(f"{'method':<36}" + f"{'seconds':>10}{'µs/type':>12}  " * 2)
    for name, (wall, cpu) in best.items():
        print(f"{name:<36}{wall:>10.3f}{wall / n * 1e6:>12.3f}  {cpu:>10.3f}{cpu / n * 1e6:>12.3f}")
    python = best["Python: clitic rows"][1] + best["Python: run-together test"][1]
    compiled = best["compiled: word_rows"][1] + best["compiled: splittable"][1]
    regex_cpu = best["re.findall(r'\\w+') over the text"][1]
    print(
        f"\nper type, CPU: Python {python / n * 1e6:.3f} µs, compiled {compiled / n * 1e6:.3f} µs "
        f"({python / compiled:.1f}x faster); as a share of the bare regex pass: "
        f"Python {python / regex_cpu:.2f}x, compiled {compiled / regex_cpu:.2f}x"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
