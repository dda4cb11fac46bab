"""Speed and peak memory of analysis.fastcount against baselines, in one run.

Builds once (and then reuses) a varied synthetic Arabic corpus of at least
``--mb`` megabytes under ``benchmarks/data/fastcount-<mb>MB/`` (git-ignored;
analysis.synthetic: seed sentences recombined plus Zipf-sampled wordfreq words,
quotes after speech verbs, numbers, diacritics, lost spaces), stored as part files
of 1,000 documents separated by U+001E. Every method runs in its own forked child
that streams the part files (the corpus is never held in memory) and reports its
wall time and peak RSS (``resource.getrusage(...).ru_maxrss``):

* ``regex``     ``re.findall(r"\\w+", doc)`` per document (the speed reference)
* ``pyarabic``  ``pyarabic.araby.tokenize(doc)``
* ``pipeline``  analysis.pipeline.analyse_texts + analysis.frames.match_lexicon
  (the full route) on the first ``--pipeline-mb`` megabytes only (it is slow; the
  slice is said in the output)
* ``fastcount`` analysis.fastcount.FastCounter.count, cold (fresh caches), then
  a warm second pass in the same child, and on a 1/5 slice to show that memory
  does not grow with the corpus
* ``fastcount counts only``: ``FastCounter(match_frames=False)`` (no hits)
* ``fastcount ×2`` the same with a pool of 2 worker processes (one part file per
  task), against 1 worker.

Ratios are to the regex's MB/s measured in the same run. Usage:
``.venv/bin/python benchmarks/bench_fastcount.py [--mb 50] [--pipeline-mb 5]``.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import re
import resource
import sys
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent
SEP = "\x1e"
DOCS_PER_PART = 1000


def build(mb: float, seed: int) -> Path:
    """Write the corpus (once); returns its folder."""
    folder = ROOT / "data" / f"fastcount-{mb:g}MB-seed{seed}"
    if (folder / "COMPLETE").exists():
        return folder
    from analysis.synthetic import synthetic_corpus

    folder.mkdir(parents=True, exist_ok=True)
    batch: list[str] = []
    part = 0
    for doc in synthetic_corpus(int(mb * 1_000_000), seed=seed):
        batch.append(doc)
        if len(batch) == DOCS_PER_PART:
            (folder / f"part-{part:04d}.txt").write_text(SEP.join(batch), encoding="utf-8")
            batch, part = [], part + 1
    if batch:
        (folder / f"part-{part:04d}.txt").write_text(SEP.join(batch), encoding="utf-8")
    (folder / "COMPLETE").write_text("ok\n", encoding="utf-8")
    return folder


def parts(folder: Path) -> list[Path]:
    return sorted(folder.glob("part-*.txt"))


def stream(files: list[Path], limit_bytes: float = float("inf")) -> Iterator[tuple[str, str]]:
    """``(doc_id, text)`` pairs, one part file in memory at a time."""
    size = 0
    for f in files:
        for i, doc in enumerate(f.read_text(encoding="utf-8").split(SEP)):
            if size >= limit_bytes:
                return
            size += len(doc.encode("utf-8"))
            yield f"{f.stem}-{i:04d}", doc


def _count_file(path: str) -> tuple[int, int]:
    """Pool task: fastcount one part file in a worker (counter kept per process)."""
    global _WORKER_COUNTER
    if _WORKER_COUNTER is None:
        from analysis.fastcount import FastCounter

        _WORKER_COUNTER = FastCounter()
    words = hits = 0
    for result in _WORKER_COUNTER.count(stream([Path(path)])):
        words += int(result.documents["n_words"].sum())
        hits += len(result.hits)
    return words, hits


_WORKER_COUNTER = None


def _child(method: str, files: list[str], limit: float, queue) -> None:
    paths = [Path(f) for f in files]
    out: dict[str, float] = {}
    if method == "regex":
        pattern = re.compile(r"\w+")
        t0 = time.perf_counter()
        n = sum(len(pattern.findall(d)) for _, d in stream(paths, limit))
    elif method == "pyarabic":
        import pyarabic.araby as araby

        t0 = time.perf_counter()
        n = sum(len(araby.tokenize(d)) for _, d in stream(paths, limit))
    elif method == "pipeline":
        from analysis.clitics import zipf
        from analysis.frames import match_lexicon
        from analysis.lexicon import load_frame_lexicon
        from analysis.pipeline import analyse_texts

        lexicon = load_frame_lexicon()
        zipf("في")  # the word-frequency list loads once per process, not timed
        t0 = time.perf_counter()
        n = 0
        for tables in analyse_texts(stream(paths, limit)):
            n += len(match_lexicon(tables.tokens, tables.quotes, lexicon).hits)
    elif method in ("fastcount", "fastcount-warm", "counts"):
        from analysis.clitics import zipf
        from analysis.fastcount import FastCounter

        zipf("في")
        counter = FastCounter(match_frames=method != "counts")
        t0 = time.perf_counter()
        n = sum(len(r.hits) for r in counter.count(stream(paths, limit)))
        if method == "fastcount-warm":  # second pass, every type cached
            out["cold_s"] = time.perf_counter() - t0
            t0 = time.perf_counter()
            n = sum(len(r.hits) for r in counter.count(stream(paths, limit)))
    elif method.startswith("pool"):
        workers = int(method.split(":")[1])
        t0 = time.perf_counter()
        with mp.get_context("fork").Pool(workers) as pool:
            results = pool.map(_count_file, files, chunksize=1)
        n = sum(h for _, h in results)
    else:
        raise ValueError(method)
    out["seconds"] = time.perf_counter() - t0
    out["n"] = n
    out["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    if method.startswith("pool"):
        out["peak_mb"] = max(
            out["peak_mb"], resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        )
    queue.put(out)


def measure(method: str, files: list[Path], limit: float = float("inf")) -> dict[str, float]:
    ctx = mp.get_context("fork")
    queue = ctx.Queue()
    process = ctx.Process(target=_child, args=(method, [str(f) for f in files], limit, queue))
    process.start()
    result = queue.get()
    process.join()
    return result


def size_of(files: list[Path], limit: float = float("inf")) -> float:
    return sum(len(d.encode("utf-8")) for _, d in stream(files, limit)) / 1e6


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--mb", type=float, default=50.0)
    parser.add_argument("--pipeline-mb", type=float, default=5.0)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()

    t0 = time.perf_counter()
    # Built in a child so that this parent (forked for every measurement) never
    # holds the word list or the corpus.
    with mp.get_context("fork").Pool(1) as pool:
        folder = pool.apply(build, (args.mb, args.seed))
    files = parts(folder)
    total = size_of(files)
    n_docs = sum(1 for _ in stream(files))
    print(
        f"corpus: {folder.relative_to(ROOT.parent)}: {n_docs} documents, {total:.1f} MB UTF-8, "
        f"{len(files)} part files (ready in {time.perf_counter() - t0:.0f} s); "
        f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"
    )
    small = args.pipeline_mb * 1e6
    small_mb = size_of(files, small)
    fifth = total * 1e6 / 5
    fifth_mb = size_of(files, fifth)
    runs = [
        ("regex", "regex", total, float("inf")),
        ("pyarabic.tokenize", "pyarabic", total, float("inf")),
        (f"full pipeline ({small_mb:.0f} MB slice)", "pipeline", small_mb, small),
        (f"regex ({small_mb:.0f} MB slice)", "regex", small_mb, small),
        (f"fastcount ({small_mb:.0f} MB slice)", "fastcount", small_mb, small),
        (f"fastcount ({fifth_mb:.0f} MB slice)", "fastcount", fifth_mb, fifth),
        ("fastcount warm (2nd pass)", "fastcount-warm", total, float("inf")),
        ("fastcount counts only (no frames)", "counts", total, float("inf")),
        ("fastcount, 1 worker pool", "pool:1", total, float("inf")),
        ("fastcount, 2 worker pool", "pool:2", total, float("inf")),
    ]
    results = []
    for label, method, mb, limit in runs:
        r = measure(method, files, limit)
        results.append((label, method, mb, r))
        print(f"  … {label}: {r['seconds']:.1f} s", file=sys.stderr)
    regex_speed = results[0][2] / results[0][3]["seconds"]
    print(f"{'method':<34}{'MB':>6}{'seconds':>9}{'MB/s':>8}{'× regex':>9}{'peak RSS MB':>13}")
    for label, method, mb, r in results:
        speed = mb / r["seconds"]
        print(
            f"{label:<34}{mb:>6.1f}{r['seconds']:>9.1f}{speed:>8.2f}"
            f"{speed / regex_speed:>9.3f}{r['peak_mb']:>13.0f}"
        )
        if method == "fastcount-warm":
            cold = mb / r["cold_s"]
            print(
                f"{'fastcount cold (1st pass, same)':<34}{mb:>6.1f}{r['cold_s']:>9.1f}"
                f"{cold:>8.2f}{cold / regex_speed:>9.3f}{'(same)':>13}"
            )

    by = {m: (mb, r) for _, m, mb, r in results}
    one, two = by["pool:1"][1]["seconds"], by["pool:2"][1]["seconds"]
    print(f"1 → 2 workers speed-up: {one / two:.2f}×")
    pipe_mb, pipe = by["pipeline"]
    fast_mb, fast = by["fastcount-warm"]
    same = [r for label, m, mb, r in results if m == "fastcount" and mb == pipe_mb][0]
    print(
        f"on the same {pipe_mb:.0f} MB slice, cold: fastcount "
        f"{pipe['seconds'] / same['seconds']:.2f}× the full pipeline's speed; hits: "
        f"pipeline {int(pipe['n'])}, fastcount {int(same['n'])}"
    )
    ratio = (fast_mb / fast["cold_s"]) / regex_speed
    print(f"target fastcount ≥ 0.5 × regex: {'met' if ratio >= 0.5 else 'NOT met'} ({ratio:.3f} ×)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
