"""Benchmark of the measures stage on a synthetic 1M-token table.

Prints each measure's time and its ratio to a pandas groupby-size baseline over the
same tokens, run in the same process: `python benchmarks/bench_measures.py`.
"""

import time

import numpy as np
import pandas as pd

from analysis import measures as m

rng = np.random.default_rng(0)
n_docs, per_doc = 2000, 500  # 1M tokens
vocab = np.array([f"w{i}" for i in range(5000)], dtype=object)
rows = []
doc = np.repeat([f"d{i}" for i in range(n_docs)], per_doc)
idx = np.tile(np.arange(per_doc), n_docs)
kind = np.where(rng.random(len(doc)) < 0.1, "punct", "word")
surface = np.where(kind == "word", vocab[rng.zipf(1.3, len(doc)) % 5000], ",")
start = idx * 6
end = start + 5
sent = idx // 25
tokens = pd.DataFrame(
    {
        "doc_id": doc,
        "sentence": sent,
        "index": idx,
        "start": start,
        "end": end,
        "surface": surface,
        "kind": kind,
        "bare": surface,
    }
)
wordpos = np.flatnonzero(kind == "word")
hp = rng.choice(wordpos, 50_000, replace=False)
hits = pd.DataFrame(
    {
        "doc_id": doc[hp],
        "sentence": sent[hp],
        "token_start": idx[hp],
        "token_end": idx[hp] + 1,
        "start": start[hp],
        "end": end[hp],
        "frame": rng.choice(list("ABCDEF"), len(hp)),
        "term": surface[hp],
        "voice": "narration",
        "speaker": "",
    }
)


def t(label, f, *a, **k):
    t0 = time.perf_counter()
    f(*a, **k)
    dt = time.perf_counter() - t0
    print(f"{label}: {dt:.3f}s")
    return dt


base = t("baseline groupby size over tokens", lambda: tokens.groupby(["doc_id", "bare"]).size())
for label, f in [
    ("count_by_document", lambda: m.count_by_document(hits)),
    ("rates_per_1000", lambda: m.rates_per_1000(m.count_by_document(hits), tokens)),
    ("kwic window 5", lambda: m.kwic(hits, tokens, window=5)),
    ("collocations w1 span 4", lambda: m.collocations(tokens, "w1", span=4, form="surface")),
    ("dispersion sentence", lambda: m.dispersion(hits, tokens, parts="sentence")),
    ("dispersion document", lambda: m.dispersion(hits, tokens, parts="document")),
    ("keyness", lambda: m.keyness(tokens.iloc[:500000], tokens.iloc[500000:], form="surface")),
    ("cooccurrence", lambda: m.cooccurrence(hits, actor="frame")),
]:
    dt = t(label, f)
    print(f"   ratio to baseline {dt / base:.1f}")
