"""Per-key cost of the vocabulary's batch look-up: dict against the compiled Index.

The text stage maps each batch's distinct written word types to ids in a
process-wide vocabulary of up to 100k types. This times that look-up, on the
same batches, in one process:

* ``analysis.scan.lookup(dict, keys)``   a Python dict, ``PyDict_GetItemWithError``
  per key from C (what ``pipeline._Vocabulary`` does today);
* ``analysis._scan.Index.lookup(keys)``  the C hash map behind
  ``analysis.scan.TypeIndex`` (own code-point hash, prefetched probes);
* ``TypeIndex.lookup(keys)``             the same through its Python wrapper
  (one ``numpy.frombuffer`` per batch more).

The corpus is ``analysis.synthetic.synthetic_corpus`` joined into batches of 200
documents, as the text stage does. Both maps hold the same first 100k distinct
written types of the corpus (the vocabulary's bound), then every batch's
``scan(batch).suniques`` is looked up in each. The keys must be fresh str
objects, as in the pipeline (a str caches its siphash once a dict has hashed
it, which would flatter the dict): each method gets its own scan of the batch,
and the order of the methods alternates from batch to batch. The results must
agree before their speed counts. Prints ns per look-up (wall and process CPU
time, best of ``--repeat`` passes) and the ratio to the dict.
Usage: ``.venv/bin/python benchmarks/bench_type_index.py [--mb 20] [--repeat 3]``.

Measured 2026-11-29 (--mb 50, best of 3, 1,086,948 look-ups, 96.5 % present):
dict 363 ns per key, Index 55 ns (6.6x), TypeIndex 55 ns.
"""

from __future__ import annotations

import argparse
import os
import sys
import time

import numpy as np

from analysis import scan as scan_module
from analysis.scan import TypeIndex, lookup, scan
from analysis.synthetic import synthetic_corpus

MAX_TYPES = 100_000


def build_maps(batches: list[str]) -> tuple[dict[str, int], object, TypeIndex]:
    """The dict, the C Index and a TypeIndex over the first MAX_TYPES distinct types."""
    vocabulary: dict[str, int] = {}
    for text in batches:
        for key in scan(text).suniques:
            if len(vocabulary) == MAX_TYPES:
                break
            vocabulary.setdefault(key, len(vocabulary))
        if len(vocabulary) == MAX_TYPES:
            break
    keys = list(vocabulary)
    ids = np.arange(len(keys), dtype=np.int64)
    index = scan_module._scan.Index()
    index.add(keys, ids)
    wrapped = TypeIndex(compiled=True)
    wrapped.add(keys, ids)
    return vocabulary, index, wrapped


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=20.0)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    if not scan_module.COMPILED:
        print("analysis._scan is not built: nothing to compare")
        return 1
    docs = list(synthetic_corpus(int(args.mb * 1_000_000), seed=args.seed))
    batches = ["".join(docs[i : i + 200]) for i in range(0, len(docs), 200)]
    megabytes = sum(len(d.encode("utf-8")) for d in docs) / 1e6
    print(f"corpus: {len(docs)} documents, {megabytes:.1f} MB UTF-8, {len(batches)} batches")
    print("load average (other jobs on the machine): {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))
    vocabulary, index, wrapped = build_maps(batches)
    print(f"maps hold {len(vocabulary):,} distinct written types")

    methods = {
        "dict  scan.lookup": lambda keys: lookup(vocabulary, keys),
        "Index.lookup (C)": lambda keys: np.frombuffer(index.lookup(keys), dtype=np.int64),
        "TypeIndex.lookup": wrapped.lookup,
    }
    names = list(methods)
    best = {name: (float("inf"), float("inf")) for name in names}
    total_keys = hits = 0
    for _ in range(args.repeat):
        spent = {name: [0.0, 0.0] for name in names}
        total_keys = hits = 0
        for b, text in enumerate(batches):
            order = names[b % len(names) :] + names[: b % len(names)]
            results = {}
            for name in order:
                keys = scan(text).suniques  # fresh str objects for each method
                t0, c0 = time.perf_counter(), time.process_time()
                results[name] = methods[name](keys)
                spent[name][0] += time.perf_counter() - t0
                spent[name][1] += time.process_time() - c0
            want = results[names[0]]
            for name in names[1:]:
                assert np.array_equal(results[name], want), (name, b)
            total_keys += len(want)
            hits += int((want >= 0).sum())
        for name in names:
            best[name] = (min(best[name][0], spent[name][0]), min(best[name][1], spent[name][1]))
    print(
        f"{total_keys:,} look-ups per pass ({hits / total_keys:.1%} present), best of {args.repeat}"
    )
    columns = f"{'ns/key':>9}{'x dict':>8}"
    print(f"{'method':<20}{'wall s':>9}{columns}  {'CPU s':>9}{columns}")
    base = best[names[0]]
    for name in names:
        wall, cpu = best[name]
        print(
            f"{name:<20}{wall:>9.3f}{wall / total_keys * 1e9:>9.1f}{base[0] / wall:>8.2f}  "
            f"{cpu:>9.3f}{cpu / total_keys * 1e9:>9.1f}{base[1] / cpu:>8.2f}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
