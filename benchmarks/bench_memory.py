"""Memory of the corpus-scale path on a large corpus: every process's peak, and whether it grows.

Run by hand from the repository root (not part of the test suite):

    .venv/bin/python benchmarks/bench_memory.py                  # 1 GB, 2 workers
    .venv/bin/python benchmarks/bench_memory.py --size 100 --workers 2
    .venv/bin/python benchmarks/bench_memory.py --study     # page 06's study on ANT

A child process runs ``analysis.scale.process_corpus`` on a synthetic corpus of
``--size`` MB (written once under ``benchmarks/data/``, see ``bench_paths.py``)
with ``--workers`` worker processes. This process samples the resident memory
(RSS) of the child and of its workers every second and prints, per process,
the peak and the peaks of each quarter of the run: flat means the last quarters
are no higher than the first. With ``--study``, the child runs the whole
comparative study of page 06 instead (``analysis.comparison.compare_outlets`` on
the ANT corpus, imported once under ``build/``, with ``--workers`` workers).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time

from bench_paths import ROOT, synthetic_corpus

CHILD = r"""
import sys, time, warnings
warnings.simplefilter("ignore")
from analysis import scale
t = time.perf_counter()
summary = scale.process_corpus(metadata=sys.argv[1], workers=int(sys.argv[2]), progress=False,
                               output_dir=sys.argv[3])
print(f"{time.perf_counter() - t:.1f} s, {len(summary.documents)} documents", flush=True)
"""

STUDY = r"""
import sys, time, warnings
warnings.simplefilter("ignore")
from analysis.comparison import compare_outlets
t = time.perf_counter()
study = compare_outlets(workers=int(sys.argv[2]))
print(f"{time.perf_counter() - t:.1f} s, available={study.available}", flush=True)
"""


def rss_mb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/statm") as handle:
            return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") // 1_000_000
    except OSError:
        return 0


def descendants(pid: int) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as handle:
                    parent = int(handle.read().rsplit(")", 1)[1].split()[1])
            except OSError:
                continue
            if parent == pid:
                found.append(int(entry))
    return found


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", type=int, default=1000, help="MB of synthetic text")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--study", action="store_true", help="page 06's study on ANT")
    args = parser.parse_args()
    metadata = "ANT" if args.study else synthetic_corpus(args.size)
    out = ROOT / "build" / "bench-memory-output"
    code = STUDY if args.study else CHILD
    child = subprocess.Popen(
        [sys.executable, "-c", code, str(metadata), str(args.workers), str(out)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    samples: dict[int, list[tuple[float, int]]] = {}
    start = time.perf_counter()
    while child.poll() is None:
        for pid in [child.pid, *descendants(child.pid)]:
            samples.setdefault(pid, []).append((time.perf_counter() - start, rss_mb(pid)))
        time.sleep(1)
    what = "compare_outlets on ANT" if args.study else f"process_corpus on {args.size} MB"
    print(f"{what}, {args.workers} workers: {child.stdout.read().strip()}")
    for pid, series in samples.items():
        role = "main" if pid == child.pid else "worker"
        series = [(t, m) for t, m in series if m]
        quarters = [
            max((m for t, m in series if q * series[-1][0] / 4 <= t <= (q + 1) * series[-1][0] / 4),
                default=0)
            for q in range(4)
        ]  # fmt: skip
        print(f"  {role:<7}{pid:>8}  peak {max(m for _, m in series):>4} MB  "
              f"quarters {quarters}  samples {len(series)}")  # fmt: skip


if __name__ == "__main__":
    main()
