"""Speed of the compiled scanner against the bare regex and the pure-Python reference.

Builds a ~10 MB varied synthetic Arabic corpus (analysis.synthetic), joins its
documents into batches of 200 (as the text stage does) and times, on the same
strings, in one process:

* ``re.findall(r"\\w+", text)``        the speed reference (finds words only);
* ``analysis.scan.scan_reference``    normalize + tokenize + factorize (Python);
* ``analysis.scan.scan``              the C extension ``analysis._scan`` (one pass:
  normalized text, offset map, all tokens incl. punctuation, both type tables).

The regex and the compiled scan run ``--repeat`` times over the whole corpus,
interleaved, and the best time counts (the machine is shared, so the minimum is
the least disturbed); the reference runs once, at the end. It prints MB/s
(UTF-8 megabytes) and the ratio to the regex, by wall-clock time and by this
process's CPU time (``time.process_time``: not inflated when other jobs take the
cores); the target for the compiled scan is >= 2x the regex. A second table does
the same one document at a time (per-call overhead). Usage:
``.venv/bin/python benchmarks/bench_scan.py [--mb 10] [--seed 0] [--repeat 3]``.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import time
from collections.abc import Callable

from analysis.scan import COMPILED, scan, scan_reference
from analysis.synthetic import synthetic_corpus

WORD_RE = re.compile(r"\w+")
REGEX = "re.findall(r'\\w+')"


def regex(text: str) -> int:
    return len(WORD_RE.findall(text))


def compiled(text: str) -> int:
    return len(scan(text))


def reference(text: str) -> int:
    return len(scan_reference(text))


def best_times(
    methods: dict[str, Callable[[str], int]], texts: list[str], repeat: int
) -> dict[str, tuple[float, float]]:
    """Best (wall, CPU) seconds of each method over all ``texts``."""
    best = {name: (float("inf"), float("inf")) for name in methods}
    for _ in range(repeat):
        for name, method in methods.items():
            t0, c0 = time.perf_counter(), time.process_time()
            for text in texts:
                method(text)
            wall, cpu = time.perf_counter() - t0, time.process_time() - c0
            best[name] = (min(best[name][0], wall), min(best[name][1], cpu))
    return best


def report(title: str, times: dict[str, tuple[float, float]], megabytes: float) -> None:
    print(f"\n{title}")
    print(f"{'':<26}{'--- wall clock ---':>26}  {'--- CPU time ---':>26}")
    print(f"{'method':<26}" + f"{'seconds':>9}{'MB/s':>9}{'x regex':>8}  " * 2)
    base = times[REGEX]
    for name, (wall, cpu) in times.items():
        print(
            f"{name:<26}{wall:>9.3f}{megabytes / wall:>9.1f}{base[0] / wall:>8.2f}  "
            f"{cpu:>9.3f}{megabytes / cpu:>9.1f}{base[1] / cpu:>8.2f}"
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=10.0)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    if not COMPILED:
        print("analysis._scan is not built: scan() is the pure-Python reference")
    docs = list(synthetic_corpus(int(args.mb * 1_000_000), seed=args.seed))
    batches = ["".join(docs[i : i + 200]) for i in range(0, len(docs), 200)]
    megabytes = sum(len(d.encode("utf-8")) for d in docs) / 1e6
    chars = sum(map(len, docs))
    print(f"corpus: {len(docs)} documents, {megabytes:.1f} MB UTF-8, {chars:,} characters")
    print("load average (other jobs on the machine): {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))
    # The results must agree before their speed means anything.
    for text in batches[:2]:
        a, b = scan(text), scan_reference(text)
        assert a.ntext == b.ntext and a.uniques == b.uniques and a.suniques == b.suniques
        assert (a.codes == b.codes).all() and (a.end == b.end).all()
    methods = {
        REGEX: regex,
        "scan (compiled)" if COMPILED else "scan (fallback)": compiled,
    }
    # The reference is timed once, after the others: interleaved, its hundreds
    # of MB of Python objects would disturb the caches and heap of the others.
    times = best_times(methods, batches, args.repeat)
    times["scan_reference (Python)"] = best_times({"": reference}, batches, 1)[""]
    report(
        f"batches of 200 documents ({len(batches)} texts), best of {args.repeat}", times, megabytes
    )
    report(
        f"one document at a time ({len(docs)} texts), best of {args.repeat}",
        best_times(methods, docs, args.repeat),
        megabytes,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
