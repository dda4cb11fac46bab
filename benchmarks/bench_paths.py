"""Speed of the notebook path and the corpus-scale path, against the hand-written count.

Run by hand from the repository root (not part of the test suite):

    .venv/bin/python benchmarks/bench_paths.py                 # 50 MB synthetic + ANT
    .venv/bin/python benchmarks/bench_paths.py --rounds 1 --corpora synthetic

On each corpus, each method runs in a fresh process, in interleaved rounds
(method A, B, C, …, then again), and its best round counts, so that drift of a
shared machine does not land on one method. Methods:

* ``hand``: the count a scholar would write (``benchmarks/handwritten.py``);
* ``frozen notebook``, ``frozen scale``: the engine of commit
  ``benchmarks/frozen.py:FROZEN_COMMIT`` with its C extensions, building its
  tables and matching the frame lexicon, and its ``process_corpus`` on one worker;
* ``frozen scale (no C)``: the same without its extensions (its pure-Python fallback);
* ``notebook``, ``scale``: this engine, the same two paths.

Each time is the work on the corpus: interpreter start and the per-process set-up
(word list, split table; printed apart) are left out. Ratios are the hand-written
count's time divided by the method's (above 1: faster than the hand count), and
for this engine also divided by the frozen engine's ratio on the same path (the
target: at least 0.75).

Corpora: ``synthetic``, about 50 MB from :mod:`analysis.synthetic` (written once
under ``benchmarks/data/``); ``ant``, the ANT corpus's multisource archive
(``../shared/ant-corpus/``), imported once under ``build/ant/``.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import os
import random
import shutil
import subprocess
import sys
from pathlib import Path

import frozen

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "benchmarks" / "data"
ANT_ARCHIVE = ROOT.parent / "shared" / "ant-corpus" / "antcorpus-multisource-v2.1.tar.xz"
MB = 1_000_000

CHILD = r"""
import json, sys, time, warnings
from pathlib import Path
warnings.simplefilter("ignore")
method, metadata, out = sys.argv[1], Path(sys.argv[2]), sys.argv[3]
t = time.perf_counter()
if method == "hand":
    sys.path.insert(0, "benchmarks")
    import handwritten
    setup = time.perf_counter() - t
    t = time.perf_counter()
    hits = sum(handwritten.count_frames(metadata, Path("lexicons/frame_terms.csv")).values())
elif method.startswith("frozen"):
    from analysis import pipeline, scale
    from analysis.frames import match_lexicon
    from analysis.lexicon import load_frame_lexicon
    pipeline.prepare()
    lexicon = load_frame_lexicon()
    setup = time.perf_counter() - t
    t = time.perf_counter()
    if "notebook" in method:
        text = pipeline.analyse_corpus(None, metadata=metadata)
        hits = len(match_lexicon(text.tokens, text.quotes, lexicon).hits)
    else:
        summary = scale.process_corpus(metadata=metadata, lexicon=lexicon, progress=False)
        hits = int(summary.frame_counts["n"].sum())
else:
    from analysis.lexicon import load_frame_lexicon, match_lexicon
    from analysis.text.data import default_data
    from analysis.text.repair import part_table
    part_table(default_data())
    lexicon = load_frame_lexicon()
    setup = time.perf_counter() - t
    t = time.perf_counter()
    if method == "notebook":
        from analysis.engine import analyse_corpus
        text = analyse_corpus(None, metadata)
        hits = len(match_lexicon(text, lexicon).hits)
    else:
        from analysis import scale
        summary = scale.process_corpus(metadata=metadata, lexicon=lexicon, progress=False,
                                       output_dir=out)
        hits = int(summary.frame_counts["n"].sum())
seconds = time.perf_counter() - t
print(json.dumps({"seconds": seconds, "setup": setup, "hits": hits}))
"""

METHODS = ["hand", "frozen notebook", "frozen scale", "frozen scale (no C)", "notebook", "scale"]


def synthetic_corpus(size_mb: int) -> Path:
    """``size_mb`` MB of varied synthetic documents and their metadata table (made once)."""
    folder = DATA / f"synthetic-{size_mb}mb"
    if (folder / "COMPLETE").exists():
        return folder / "metadata.csv"
    sys.path.insert(0, str(ROOT))
    from analysis.synthetic import synthetic_corpus as documents

    shutil.rmtree(folder, ignore_errors=True)
    (folder / "texts").mkdir(parents=True)
    rng = random.Random(2009)
    with open(folder / "metadata.csv", "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["doc_id", "file", "language", "title", "outlet", "date",
                         "date_precision", "notes", "sha256"])  # fmt: skip
        for k, text in enumerate(documents(size_mb * MB, seed=2009)):
            data = text.encode("utf-8")
            (folder / "texts" / f"d{k:06d}.txt").write_bytes(data)
            outlet = rng.choice(["a", "b", "c", "d", "e"])
            writer.writerow([f"d{k:06d}", f"texts/d{k:06d}.txt", "ar", "", outlet, "2018",
                             "year", "", hashlib.sha256(data).hexdigest()])  # fmt: skip
    (folder / "COMPLETE").touch()
    return folder / "metadata.csv"


def ant_corpus() -> Path | None:
    """The ANT multisource archive as a corpus folder (imported once), or None."""
    folder = ROOT / "build" / "ant" / "multisource"
    if (folder / "metadata.csv").exists():
        return folder / "metadata.csv"
    if not ANT_ARCHIVE.exists():
        return None
    sys.path.insert(0, str(ROOT))
    from analysis.corpus.importers import import_trec

    return import_trec(ANT_ARCHIVE, folder).metadata


def frozen_without_c() -> Path:
    """The frozen tree again, without its compiled extensions (made once)."""
    source = frozen.materialise()
    folder = source.parent / f"{source.name}-python"
    if not (folder / ".built").exists():
        shutil.rmtree(folder, ignore_errors=True)
        shutil.copytree(source, folder, ignore=shutil.ignore_patterns("*.so", "build"))
        (folder / ".built").touch()
    return folder


def run(method: str, metadata: Path) -> dict:
    env = dict(os.environ, PYTHONHASHSEED="0", MPLBACKEND="Agg")
    folder = ROOT  # the child imports ``analysis`` from its working folder
    if method.startswith("frozen"):
        folder = frozen_without_c() if "no C" in method else frozen.materialise()
        env.update(PYTHONPATH=str(folder), ANALYSIS_PROJECT_ROOT=str(folder))
    out = ROOT / "build" / "bench-scale-output"
    child = subprocess.run(
        [sys.executable, "-c", CHILD, method, str(metadata.resolve()), str(out)],
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
    )
    if child.returncode != 0:
        raise SystemExit(f"{method} failed:\n{child.stderr[-3000:]}")
    return json.loads(child.stdout.strip().splitlines()[-1])


def report(name: str, metadata: Path, results: dict[str, list[dict]]) -> None:
    size = sum((metadata.parent / r["file"]).stat().st_size for r in csv.DictReader(open(metadata)))
    best = {m: min(r["seconds"] for r in rounds) for m, rounds in results.items()}
    print(f"\n{name}: {size / MB:.0f} MB of text; best of {len(next(iter(results.values())))}")
    print(f"{'method':<22}{'seconds':>9}{'MB/s':>7}{'× hand':>8}  set-up  hits  rounds")
    for method, rounds in results.items():
        ratio = best["hand"] / best[method]
        times = ", ".join(f"{r['seconds']:.1f}" for r in rounds)
        print(f"{method:<22}{best[method]:>9.1f}{size / MB / best[method]:>7.1f}{ratio:>8.2f}"
              f"  {rounds[0]['setup']:>5.1f}s {rounds[0]['hits']:>6}  {times}")  # fmt: skip
    for path, old in (("notebook", "frozen notebook"), ("scale", "frozen scale")):
        if path in best and old in best:
            share = best[old] / best[path]
            verdict = "meets" if share >= 0.75 else "misses"
            print(f"{path}: {share:.2f} of the frozen engine's ratio ({verdict} the 0.75 target)")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--size", type=int, default=50, help="MB of synthetic text")
    parser.add_argument("--corpora", default="synthetic,ant",
                        help="synthetic, ant, and/or paths of metadata.csv files")  # fmt: skip
    parser.add_argument("--methods", default=",".join(METHODS))
    args = parser.parse_args()
    methods = args.methods.split(",")
    corpora = {}
    if "synthetic" in args.corpora:
        corpora["synthetic"] = synthetic_corpus(args.size)
    for item in args.corpora.split(","):
        if item.endswith(".csv"):  # any corpus folder's metadata table
            corpora[Path(item).parent.name] = Path(item)
    if "ant" in args.corpora.split(","):
        metadata = ant_corpus()
        if metadata is None:
            print(f"ANT corpus not found ({ANT_ARCHIVE}): skipped")
        else:
            corpora["ANT multisource"] = metadata
    for name, metadata in corpora.items():
        results: dict[str, list[dict]] = {m: [] for m in methods}
        for _ in range(args.rounds):
            for method in methods:
                results[method].append(run(method, metadata))
                print(f"  {name}: {method} {results[method][-1]['seconds']:.1f} s", flush=True)
        report(name, metadata, results)


if __name__ == "__main__":
    main()
