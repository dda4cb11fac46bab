"""Write the frozen engine's tables on the seed and a synthetic corpus (run once, by hand).

    .venv/bin/python tests/frozen/make_snapshot.py

Runs the engine of commit ``benchmarks/frozen.py:FROZEN_COMMIT`` (exported and
compiled by that module) in a child process and stores, under
``tests/frozen/snapshot/``, the synthetic texts it analysed and every table of
``analysis.study.run`` and ``analysis.scale.process_corpus`` as Parquet files.
``tests/test_frozen_engine.py`` compares the current engine with them.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

import frozen  # noqa: E402

CHILD = r"""
import csv, hashlib, random, sys, tempfile
from pathlib import Path
import pandas as pd
from analysis import measures, study, scale
from analysis.synthetic import synthetic_corpus

out, root = Path(sys.argv[1]), Path(sys.argv[2])
out.mkdir(parents=True, exist_ok=True)

def save(name, table):
    table = table.copy()
    if "bares" in table:
        table["bares"] = [list(b) for b in table["bares"]]
    table.to_parquet(out / f"{name}.parquet", index=False)

def tables(prefix, s):
    for name in ("tokens", "sentences", "quotes", "repairs", "hits", "actor_hits",
                 "exclusions", "coverage"):
        save(f"{prefix}-{name}", getattr(s, name))
    save(f"{prefix}-kwic", measures.kwic(s.hits, s.tokens))
    save(f"{prefix}-collocations", s.term_collocations())

tables("seed", study.run(metadata=root / "corpus" / "metadata.csv"))

corpus = Path(tempfile.mkdtemp())
rows, texts = [], []
rng = random.Random(5)
for k, text in enumerate(synthetic_corpus(600_000, seed=11)):
    doc_id = f"syn-{k:04d}"
    (corpus / f"{doc_id}.txt").write_text(text, encoding="utf-8")
    rows.append([doc_id, f"{doc_id}.txt", "ar", doc_id, rng.choice(["a", "b", "c"]),
                 "2018", "year", "", hashlib.sha256(text.encode()).hexdigest()])
    texts.append((doc_id, text))
with open(corpus / "metadata.csv", "w", encoding="utf-8", newline="") as h:
    w = csv.writer(h)
    w.writerow(["doc_id", "file", "language", "title", "outlet", "date", "date_precision",
                "notes", "sha256"])
    w.writerows(rows)
save("synthetic-texts", pd.DataFrame(texts, columns=["doc_id", "text"]))
tables("synthetic", study.run(metadata=corpus / "metadata.csv"))
summary = scale.process_corpus(metadata=corpus / "metadata.csv", progress=False)
for name in ("documents", "frame_counts", "term_hits", "term_counts"):
    save(f"scale-{name}", getattr(summary, name))
"""


def main() -> None:
    env = frozen.environment(dict(os.environ))
    subprocess.run(
        [sys.executable, "-c", CHILD, str(HERE / "snapshot"), str(ROOT)],
        env={**env, "ANALYSIS_PROJECT_ROOT": str(ROOT)},
        cwd=str(ROOT / "build"),
        check=True,
        stderr=subprocess.DEVNULL,
    )


if __name__ == "__main__":
    main()
