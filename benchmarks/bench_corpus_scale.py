"""Corpus-scale benchmark: MB/s and peak memory of the full pipeline vs. bare tokenizers.

Run by hand (not in the test suite); from the repository root:

    .venv/bin/python benchmarks/bench_corpus_scale.py --sizes 10,100,1000

For each size (MB of UTF-8 text) a varied synthetic corpus is written, streaming,
under ``benchmarks/data/`` (git-ignored; reused when already there). Then **one
child process per size** runs, on the same files and in this order:

1. ``re.findall(r"\\w+", text)`` per document (the bare-regex baseline);
2. ``pyarabic.araby.tokenize(text)`` per document;
3. the full pipeline, ``analysis.scale.process_corpus`` with one worker (load,
   sha256 check, normalize, tokenize, repair, sentences, quotes, clitics, frame
   matching with voice, reduction to per-document and per-outlet counts);
4. for the speed-up size only: the same with ``workers=2``, run before step 3 so
   that the forked workers do not inherit the word list and word-type vocabulary
   an in-process run would have loaded (both runs start cold).

Each step reads the files itself (so the ratios compare like with like, with the
page cache warm for all). Peak memory is the child's ``ru_maxrss`` after each step
(it never decreases, so the pipeline's figure includes the baselines'), and for
the 2-worker run the largest worker's (``RUSAGE_CHILDREN``). For the pipeline step
alone the child also records its own peak (``VmHWM``, reset just before the step
after giving the baselines' garbage back with ``malloc_trim``; with ``--workers
2`` this is the reducing parent's peak) and samples its and its workers' resident
memory every 10 s, so one can see whether memory grows during the run. The
parent prints a table and the ratios; numbers are from one run on a shared
machine, so treat small differences as noise.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import os
import random
import re
import resource
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "benchmarks" / "data"
SEED = ROOT / "corpus" / "algiers-sahrawi-solidarity-2009.txt"
OUTLETS = ["outlet-dz-a", "outlet-dz-b", "outlet-ma-a", "outlet-ma-b", "outlet-es-a"]
MB = 1_000_000


# --------------------------------------------------------------------------- #
# corpus generation (streaming to disk)
# --------------------------------------------------------------------------- #


def _texts(target_bytes: int, seed: int):
    """Varied synthetic documents: :mod:`analysis.synthetic` (seed sentences reshuffled
    and partly replaced, wordfreq sentences, quotations, numbers, diacritics, lost
    spaces), or, if that module is missing, a simpler recombination of the seed's
    clauses with about one word in six replaced from its vocabulary.
    """
    try:
        from analysis.synthetic import synthetic_corpus
    except ImportError:
        pass
    else:
        yield from synthetic_corpus(target_bytes, seed=seed)
        return
    rng = random.Random(seed)
    text = SEED.read_text(encoding="utf-8")
    clauses = [c.strip() for c in re.split("[·،]", text) if len(c.split()) >= 3]
    vocabulary = sorted(set(re.findall(r"\w+", text)))
    size = 0
    while size < target_bytes:
        sentences = []
        for _ in range(rng.randint(3, 12)):
            words: list[str] = []
            for clause in rng.sample(clauses, rng.randint(1, 3)):
                if words:
                    words[-1] += "،"
                words += [
                    rng.choice(vocabulary) if rng.random() < 0.17 else w for w in clause.split()
                ]
            sentences.append(" ".join(words) + "·")
        doc = " ".join(sentences) + "\n"
        size += len(doc.encode("utf-8"))
        yield doc


def generate(directory: Path, size_mb: int, seed: int = 2009) -> Path:
    """Write ~``size_mb`` MB of documents and a metadata table; return the table's path."""
    metadata = directory / "metadata.csv"
    done = directory / "COMPLETE"
    if done.exists():
        return metadata
    directory.mkdir(parents=True, exist_ok=True)
    target = size_mb * MB
    written = 0
    with open(metadata, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            [
                "doc_id",
                "file",
                "language",
                "title",
                "outlet",
                "date",
                "date_precision",
                "notes",
                "sha256",
            ]
        )
        meta_rng = random.Random(seed + 1)
        for i, text in enumerate(_texts(target, seed)):
            outlet = meta_rng.choice(OUTLETS)
            year = meta_rng.randint(2008, 2012)
            date = f"{year}-{meta_rng.randint(1, 12):02d}-{meta_rng.randint(1, 28):02d}"
            data = text.encode("utf-8")
            sub = directory / f"{i // 1000:05d}"
            if i % 1000 == 0:
                sub.mkdir(exist_ok=True)
            name = f"{sub.name}/doc{i:07d}.txt"
            (directory / name).write_bytes(data)
            writer.writerow(
                [
                    f"doc{i:07d}",
                    name,
                    "ar",
                    "synthetic",
                    outlet,
                    date,
                    "day",
                    "",
                    hashlib.sha256(data).hexdigest(),
                ]
            )
            written += len(data)
    done.write_text(f"{written}\n")
    return metadata


# --------------------------------------------------------------------------- #
# child: measure one size
# --------------------------------------------------------------------------- #


def _rss_mb(who: int = resource.RUSAGE_SELF) -> float:
    return resource.getrusage(who).ru_maxrss / 1024  # Linux: KiB


def _status_mb(field: str, pid: int | str = "self") -> float:
    """A memory field of ``/proc/<pid>/status`` (``VmRSS``, ``VmHWM``) in MB."""
    text = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(rf"{field}:\s+(\d+)", text).group(1)) / 1024


def _children_rss_mb() -> list[float]:
    """Resident memory of this process's children (the pool's workers), in MB."""
    me = str(os.getpid())
    out = []
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            text = Path(entry.path, "status").read_text()
        except OSError:
            continue
        ppid = re.search(r"^PPid:\s+(\d+)", text, re.M)
        rss = re.search(r"VmRSS:\s+(\d+)", text)
        if ppid and rss and ppid.group(1) == me:
            out.append(int(rss.group(1)) / 1024)
    return out


class _MemoryTrace:
    """Sample the parent's and the workers' resident memory every ``every`` seconds."""

    def __init__(self, every: float = 10.0) -> None:
        self.every = every
        self.samples: list[tuple[float, float, float]] = []  # (s, parent MB, largest worker MB)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._start = time.perf_counter()

    def _run(self) -> None:
        while not self._stop.wait(self.every):
            workers = _children_rss_mb()
            self.samples.append(
                (
                    round(time.perf_counter() - self._start, 1),
                    round(_status_mb("VmRSS"), 1),
                    round(max(workers, default=0.0), 1),
                )
            )

    def __enter__(self) -> _MemoryTrace:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def _files(metadata: Path) -> list[Path]:
    with open(metadata, encoding="utf-8", newline="") as handle:
        return [metadata.parent / row["file"] for row in csv.DictReader(handle)]


def child(metadata: Path, speedup: bool, workers: int = 1) -> dict[str, object]:
    import warnings

    warnings.simplefilter("ignore")  # repair warnings of synthetic text are expected
    import pyarabic.araby as araby

    from analysis.scale import process_corpus

    result: dict[str, object] = {"rss_start_mb": _rss_mb()}
    files = _files(metadata)
    result["docs"] = len(files)
    result["bytes"] = sum(f.stat().st_size for f in files)
    del files  # the baselines re-read the table, like the pipeline does

    word = re.compile(r"\w+")
    result["load_before"] = os.getloadavg()[0]
    t, c = time.perf_counter(), time.process_time()
    n = 0
    for path in _files(metadata):
        n += len(word.findall(path.read_text(encoding="utf-8")))
    result["regex_s"], result["regex_tokens"] = time.perf_counter() - t, n
    result["regex_cpu_s"] = time.process_time() - c
    result["regex_rss_mb"] = _rss_mb()

    t, c = time.perf_counter(), time.process_time()
    n = 0
    for path in _files(metadata):
        n += len(araby.tokenize(path.read_text(encoding="utf-8")))
    result["pyarabic_s"], result["pyarabic_tokens"] = time.perf_counter() - t, n
    result["pyarabic_cpu_s"] = time.process_time() - c
    result["pyarabic_rss_mb"] = _rss_mb()

    two = None
    if speedup and workers == 1:
        # Before the one-worker run, so that neither run starts with what the other
        # loaded: the pool's workers are forked from this process, and after an
        # in-process run they would inherit its word list and word-type vocabulary.
        t = time.perf_counter()
        two = process_corpus(metadata=metadata, workers=2, progress=False)
        result["pipeline2_s"] = time.perf_counter() - t
        result["pipeline2_worker_rss_mb"] = _rss_mb(resource.RUSAGE_CHILDREN)
        result["pipeline2_parent_rss_mb"] = _rss_mb()

    # the parent's own peak during the pipeline step: the baselines' garbage is given
    # back to the system first and the peak (VmHWM) is reset (Linux >= 4.0)
    import ctypes
    import gc

    gc.collect()
    ctypes.CDLL("libc.so.6").malloc_trim(0)
    Path("/proc/self/clear_refs").write_text("5")
    result["pipeline_parent_start_mb"] = _status_mb("VmRSS")
    t, c = time.perf_counter(), time.process_time()
    with _MemoryTrace() as trace:
        summary = process_corpus(metadata=metadata, workers=workers, progress=False)
    result["pipeline_s"] = time.perf_counter() - t
    result["pipeline_parent_peak_mb"] = _status_mb("VmHWM")
    result["memory_trace"] = trace.samples
    result["pipeline_cpu_s"] = time.process_time() - c
    result["pipeline_rss_mb"] = _rss_mb()
    result["workers"] = workers
    if workers > 1:  # the work happened in the children: their CPU time and peak RSS
        usage = resource.getrusage(resource.RUSAGE_CHILDREN)
        result["pipeline_cpu_s"] = usage.ru_utime + usage.ru_stime
        result["pipeline_worker_rss_mb"] = _rss_mb(resource.RUSAGE_CHILDREN)
    result["pipeline_words"] = int(summary.documents["n_words"].sum())
    result["pipeline_forms"] = int(summary.term_counts["term"].nunique())
    result["pipeline_term_rows"] = len(summary.term_counts)
    result["pipeline_frame_rows"] = len(summary.frame_counts)
    result["pipeline_hits"] = int(summary.documents["n_hits"].sum())
    if two is not None:
        result["pipeline2_identical"] = two.equals(summary)
    result["load_after"] = os.getloadavg()[0]
    return result


# --------------------------------------------------------------------------- #
# parent
# --------------------------------------------------------------------------- #


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10,100", help="MB of text, comma-separated")
    parser.add_argument(
        "--speedup-size",
        type=int,
        default=None,
        help="size (MB) at which to time 2 workers (default: the smallest)",
    )
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument(
        "--workers",
        type=int,
        default=1,
        help="worker processes for the pipeline step (default 1; >1 skips the speed-up run)",
    )
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--speedup", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(child(args.child, args.speedup, args.workers)))
        return
    sizes = [int(s) for s in args.sizes.split(",")]
    speedup_size = args.speedup_size or min(sizes)
    rows = []
    for size in sizes:
        t = time.perf_counter()
        metadata = generate(args.data / f"synthetic-{size}MB", size)
        print(
            f"[{size} MB] corpus ready in {time.perf_counter() - t:.0f} s: {metadata.parent}",
            file=sys.stderr,
        )
        cmd = [sys.executable, __file__, "--child", str(metadata), "--workers", str(args.workers)]
        if size == speedup_size:
            cmd.append("--speedup")
        out = subprocess.run(cmd, check=True, capture_output=True, text=True)
        row = json.loads(out.stdout.strip().splitlines()[-1])
        row["size"] = size
        rows.append(row)
        print(f"[{size} MB] {json.dumps(row)}", file=sys.stderr)

    print(
        "\nsize  docs     MB   regex MB/s  pyarabic MB/s  pipeline MB/s"
        "  pipeline/regex wall (CPU)  peak RSS MB regex/pyarabic/pipeline  load avg"
    )
    for r in rows:
        mb = r["bytes"] / MB
        cpu_ratio = r["regex_cpu_s"] / r["pipeline_cpu_s"]
        print(
            f"{r['size']:>4}  {r['docs']:>6}  {mb:>6.1f}  {mb / r['regex_s']:>10.2f}"
            f"  {mb / r['pyarabic_s']:>13.2f}  {mb / r['pipeline_s']:>13.2f}"
            f"  {r['regex_s'] / r['pipeline_s']:>14.4f} ({cpu_ratio:.4f})"
            f"  {r['regex_rss_mb']:>14.0f} / {r['pyarabic_rss_mb']:.0f} / "
            f"{r['pipeline_rss_mb']:.0f}"
            f"  {r['load_before']:.1f} -> {r['load_after']:.1f}"
        )
        if r.get("workers", 1) > 1:
            print(
                f"      (pipeline with {r['workers']} worker processes: CPU time summed over "
                f"them; largest worker peak RSS {r['pipeline_worker_rss_mb']:.0f} MB)"
            )
        if "pipeline_parent_peak_mb" in r:
            trace = r["memory_trace"]
            # about ten samples spread over the run (each once, for a short run)
            picks = dict.fromkeys(int(k * (len(trace) - 1) / 10) for k in range(11))
            tenth = [trace[k] for k in picks] if trace else []
            print(
                f"      pipeline step: parent {r['pipeline_parent_start_mb']:.0f} MB at the start, "
                f"peak {r['pipeline_parent_peak_mb']:.0f} MB (VmHWM) for {r['pipeline_forms']:,} "
                f"word forms, {r['pipeline_term_rows']:,} term_counts rows, "
                f"{r['pipeline_frame_rows']:,} frame_counts rows; resident MB over the run "
                "(s, parent, largest worker): "
                + ", ".join(f"{a:.0f}/{b:.0f}/{c:.0f}" for a, b, c in tenth)
            )
    for r in rows:
        if "pipeline2_s" in r:
            print(
                f"\nspeed-up 1 -> 2 workers at {r['size']} MB: "
                f"{r['pipeline_s'] / r['pipeline2_s']:.2f}x wall "
                f"({r['pipeline_s']:.1f} s -> {r['pipeline2_s']:.1f} s; largest worker "
                f"{r['pipeline2_worker_rss_mb']:.0f} MB RSS; identical tables: "
                f"{r['pipeline2_identical']}). On a shared machine the load average "
                "above says how many cores were really free."
            )


if __name__ == "__main__":
    main()
