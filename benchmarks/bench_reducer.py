"""Reducer-only benchmark: peak memory of the process that folds chunk results.

Run by hand (not in the test suite); from the repository root:

    .venv/bin/python benchmarks/bench_reducer.py --sizes 10,100,1000

With ``workers > 1`` the parent of :func:`analysis.scale.process_corpus` only
receives :class:`analysis.scale.ChunkResult` objects and folds them; its memory is
the reducer's. Running the whole pipeline at 1 GB means generating 1 GB of files
and minutes of two cores, so this benchmark measures the reducer alone (1 GB in
1–3 minutes of one core, mostly spent making the synthetic chunks): for each size
(MB of text) a fresh child process feeds a ``_Reducer`` with synthetic chunk
results shaped like the real ones and then builds the final tables. With
``--no-trim`` the reducer's periodic ``malloc_trim`` is switched off (A/B).

The synthetic chunks are sized from a run of the real pipeline on the synthetic
corpus of ``bench_corpus_scale.py`` (per MB of text: 216 documents, 94,600 word
tokens; 50 documents per chunk; 5.8 lexicon-entry hit keys per document; five
outlets). Word forms are drawn from wordfreq's whole Arabic "large" list (620k
forms) with its frequencies, i.e. Zipf-distributed, which gives a larger (more
realistic) vocabulary than that corpus's generator (60k common words plus noise).
Each chunk goes through a pickle round trip, as it does between a worker and the
parent, so the reducer receives fresh string objects.

Printed per size: the child's resident memory after setup (imports and the
sampling tables), its peak while folding and its peak after building the tables
(``VmHWM`` from ``/proc/self/status``; the peak is reset after setup with
``/proc/self/clear_refs``), the vocabulary and table sizes, the bytes pickled per
chunk and the time spent folding and building.
"""

from __future__ import annotations

import argparse
import csv
import json
import pickle
import re
import subprocess
import sys
import time
from itertools import chain
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "benchmarks" / "data"
VOCAB = DATA / "reducer-vocabulary.npz"
OUTLETS = ["outlet-dz-a", "outlet-dz-b", "outlet-ma-a", "outlet-ma-b", "outlet-es-a"]
DOCS_PER_MB = 216  # measured: 1 MB of bench_corpus_scale's corpus = 216 documents
WORDS_PER_MB = 94_600  # ... and 94,600 tokens of kind "word"
HIT_KEYS_PER_DOC = 5.8  # ... and 5.8 distinct (frame, term, entry_id, voice) per document
CHUNK = 50  # process_corpus's default chunksize


def _status(field: str) -> float:
    """A ``/proc/self/status`` memory field (``VmHWM``, ``VmRSS``) in MB."""
    text = Path("/proc/self/status").read_text()
    return int(re.search(rf"{field}:\s+(\d+)", text).group(1)) / 1024


def _reset_peak() -> None:
    """Reset VmHWM to the current RSS (Linux ≥ 4.0)."""
    Path("/proc/self/clear_refs").write_text("5")


def prepare_vocabulary(path: Path = VOCAB) -> Path:
    """Save wordfreq's Arabic "large" list as one string, offsets and cumulative freqs."""
    if path.exists():
        return path
    import wordfreq

    pack = wordfreq.read_cBpack(wordfreq.available_languages("large")["ar"])
    words: list[str] = []
    freqs: list[float] = []
    for index, bucket in enumerate(pack):
        words.extend(bucket)
        freqs.extend([wordfreq.cB_to_freq(-index)] * len(bucket))
    lengths = np.fromiter((len(w) for w in words), dtype=np.int64, count=len(words))
    offsets = np.concatenate([[0], np.cumsum(lengths)])
    cdf = np.cumsum(np.asarray(freqs))
    path.parent.mkdir(parents=True, exist_ok=True)
    blob = np.frombuffer("".join(words).encode("utf-8"), dtype=np.uint8)
    np.savez(path, blob=blob, offsets=offsets, cdf=cdf / cdf[-1])
    return path


def write_metadata(path: Path, n_docs: int, seed: int = 7) -> list[str]:
    """A metadata table for ``n_docs`` synthetic documents; returns each one's outlet."""
    rng = np.random.default_rng(seed)
    outlets = [OUTLETS[i] for i in rng.integers(0, len(OUTLETS), n_docs)]
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            ["doc_id", "file", "language", "title", "outlet", "date", "date_precision", "notes"]
        )
        for i, outlet in enumerate(outlets):
            day = f"20{8 + i % 5:02d}-{1 + i % 12:02d}-{1 + i % 28:02d}"
            writer.writerow([f"doc{i:07d}", f"doc{i:07d}.txt", "ar", "s", outlet, day, "day", ""])
    return outlets


def _hit_keys() -> list[tuple[str, str, str, str]]:
    """(frame, term, entry_id, voice) keys of the real frame lexicon."""
    with open(ROOT / "lexicons" / "frame_terms.csv", encoding="utf-8", newline="") as handle:
        rows = [(r["frame"], r["term"]) for r in csv.DictReader(handle)]
    return [(f, t, f"{f}/{t}", v) for f, t in rows for v in ("narration", "quoted")]


def load_sampler() -> tuple[str, np.ndarray, np.ndarray, list[tuple[str, str, str, str]]]:
    """The word list as one string, its offsets, cumulative frequencies; hit keys."""
    with np.load(VOCAB) as data:
        blob = data["blob"].tobytes().decode("utf-8")
        return blob, data["offsets"], data["cdf"], _hit_keys()


def chunks(outlet_codes: np.ndarray, sampler: tuple, seed: int = 11):
    """Yield (pickled size, unpickled ChunkResult) for documents of the given outlets."""
    from analysis.scale import ChunkResult, DocumentSummary, TermCounts, _smallest

    blob, offsets, cdf, keys = sampler
    rng = np.random.default_rng(seed)
    n_docs = len(outlet_codes)
    outlets = [OUTLETS[int(c)] for c in outlet_codes]  # shared str objects
    words_per_doc = WORDS_PER_MB / DOCS_PER_MB
    for first in range(0, n_docs, CHUNK):
        seqs = range(first, min(first + CHUNK, n_docs))
        lengths = rng.integers(1, int(2 * words_per_doc), len(seqs))
        ids = np.searchsorted(cdf, rng.random(int(lengths.sum())), side="right")
        ids = np.minimum(ids, len(cdf) - 1)
        doc_of_token = np.repeat(np.arange(len(seqs)), lengths)
        documents = []
        for k, seq in enumerate(seqs):
            picked = rng.choice(len(keys), rng.poisson(HIT_KEYS_PER_DOC))
            hits = {keys[j]: int(rng.integers(1, 4)) for j in picked}
            counts = (4600, 520, int(lengths[k]), 20, 2, 1, sum(hits.values()), seq % 2)
            note = ["a tatweel run was removed"] if seq % 2 else []
            documents.append(
                DocumentSummary(seq, f"doc{seq:07d}", outlets[seq], counts, hits, note)
            )
        # what summarise_chunk sends: each distinct form once, rows sorted by group
        names = list(dict.fromkeys(outlets[s] for s in seqs))
        code = np.array([names.index(outlets[s]) for s in seqs], dtype=np.int64)
        forms, form = np.unique(ids, return_inverse=True)
        width = len(forms)
        rows, n = np.unique(code[doc_of_token] * width + form, return_counts=True)
        terms = TermCounts(
            forms=[blob[offsets[f] : offsets[f + 1]] for f in forms],
            groups=names,
            group=_smallest(rows // width),
            form=_smallest(rows % width),
            n=_smallest(n),
        )
        payload = pickle.dumps(ChunkResult(documents, terms), protocol=pickle.HIGHEST_PROTOCOL)
        yield len(payload), pickle.loads(payload)


def child(size_mb: int, metadata: Path, trim: bool = True) -> dict[str, object]:
    """Fold ``size_mb`` MB worth of synthetic chunks; return the measurements."""
    import analysis.scale
    from analysis.scale import _Reducer

    if not trim:  # for an A/B comparison of the reducer's periodic malloc_trim
        analysis.scale._TRIM_EVERY = 1 << 62

    with open(metadata, encoding="utf-8", newline="") as handle:
        codes = np.array([OUTLETS.index(r["outlet"]) for r in csv.DictReader(handle)], np.int8)
    stream = chunks(codes, load_sampler())
    first = next(stream)  # the generator's own first-use allocations (~7 MB) are set-up
    import ctypes

    ctypes.CDLL("libc.so.6").malloc_trim(0)  # the set-up's garbage is not the reducer's
    out: dict[str, object] = {"size": size_mb, "docs": len(codes), "trim": trim}
    out["setup_rss_mb"] = _status("VmRSS")
    _reset_peak()
    reducer = _Reducer("outlet")
    fold = 0.0
    pickled = 0
    n_chunks = 0
    t_all = time.perf_counter()
    for size, chunk in chain([first], stream):
        t = time.perf_counter()
        reducer.add_chunk(chunk)
        fold += time.perf_counter() - t
        pickled += size
        n_chunks += 1
        del chunk
    del first
    out["make_and_fold_s"] = time.perf_counter() - t_all
    out["fold_s"] = fold
    out["pickled_kb_per_chunk"] = pickled / max(n_chunks, 1) / 1024
    out["fold_peak_mb"] = _status("VmHWM")
    out["fold_rss_mb"] = _status("VmRSS")
    t = time.perf_counter()
    summary = reducer.result(metadata, "bare", "bench")
    out["result_s"] = time.perf_counter() - t
    out["peak_mb"] = _status("VmHWM")
    out["term_rows"] = len(summary.term_counts)
    out["distinct_forms"] = int(summary.term_counts["term"].nunique())
    out["frame_rows"] = len(summary.frame_counts)
    out["words"] = int(summary.documents["n_words"].sum())
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10,100,1000", help="MB of text, comma-separated")
    parser.add_argument(
        "--no-trim", action="store_true", help="disable the reducer's periodic malloc_trim"
    )
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--metadata", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(child(args.child, args.metadata, trim=not args.no_trim)))
        return
    prepare_vocabulary()
    rows = []
    for size in [int(s) for s in args.sizes.split(",")]:
        metadata = DATA / f"reducer-{size}MB.csv"
        write_metadata(metadata, size * DOCS_PER_MB)
        cmd = [sys.executable, __file__, "--child", str(size), "--metadata", str(metadata)]
        cmd += ["--no-trim"] if args.no_trim else []
        done = subprocess.run(cmd, check=True, capture_output=True, text=True)
        rows.append(json.loads(done.stdout.strip().splitlines()[-1]))
        print(json.dumps(rows[-1]), file=sys.stderr)
        metadata.unlink()
    print(
        "\n  MB    docs   words (M)  forms   term rows  KB/chunk  setup MB"
        "  peak folding  peak total  fold s  tables s"
    )
    for r in rows:
        print(
            f"{r['size']:>4}  {r['docs']:>7}  {r['words'] / 1e6:>8.1f}  {r['distinct_forms']:>7}"
            f"  {r['term_rows']:>9}  {r['pickled_kb_per_chunk']:>8.0f}  {r['setup_rss_mb']:>8.0f}"
            f"  {r['fold_peak_mb']:>12.0f}  {r['peak_mb']:>10.0f}  {r['fold_s']:>6.1f}"
            f"  {r['result_s']:>8.1f}"
        )


if __name__ == "__main__":
    main()
