"""Speed and memory of frame matching, as ratios to baselines run in this process.

Corpus: the seed article's sentences interleaved with random text drawn from
wordfreq's Arabic frequency list (Zipf-weighted, fixed seed), so that most word
types are new (per-type caches are not flattered the way a repeated article
flatters them). Baselines, timed on the same token table:

* ``text stage``: :func:`analysis.pipeline.analyse_text` on the same text;
* ``set lookup``: one Python pass over the tokens testing each bare form against
  the set of lexicon words (a lower bound for any per-token matcher).

Run: ``.venv/bin/python benchmarks/bench_frames.py [n_words]`` (default 200,000).
"""

from __future__ import annotations

import random
import sys
import time
import tracemalloc
from pathlib import Path

import wordfreq

from analysis.frames import coverage_report, match_lexicon
from analysis.lexicon import load_frame_lexicon, match_key
from analysis.pipeline import analyse_text

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "corpus" / "algiers-sahrawi-solidarity-2009.txt"


def make_text(n_words: int, seed: int = 0) -> str:
    rng = random.Random(seed)
    words = wordfreq.top_n_list("ar", 50_000)
    weights = [1.0 / (r + 10) for r in range(len(words))]
    sentences = SEED.read_text(encoding="utf-8").split("·")
    out: list[str] = []
    count = 0
    while count < n_words:
        chunk = rng.choices(words, weights, k=rng.randint(15, 40))
        out.append(" ".join(chunk) + "·")
        out.append(rng.choice(sentences) + "·")
        count += len(chunk) + len(out[-1].split())
    return " ".join(out)


def timed(fn, *args):
    t0 = time.perf_counter()
    result = fn(*args)
    return result, time.perf_counter() - t0


def main() -> None:
    n_words = int(sys.argv[1]) if len(sys.argv) > 1 else 200_000
    text = make_text(n_words)
    lexicon = load_frame_lexicon()
    tables, t_text = timed(lambda: analyse_text(text, "bench", warn=False))
    tokens = tables.tokens
    words = {match_key(w) for form in lexicon.entries["forms"] for f in form for w in f}

    def lookup() -> int:
        return sum(1 for bares in tokens["bares"] if any(match_key(b) in words for b in bares))

    _, t_lookup = timed(lookup)
    result, t_match = timed(match_lexicon, tokens, tables.quotes, lexicon)
    # Memory in a separate run: tracemalloc slows the traced code several times.
    tracemalloc.start()
    match_lexicon(tokens, tables.quotes, lexicon)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    _, t_cov = timed(coverage_report, tokens, lexicon, tables.quotes)
    mb = len(text.encode("utf-8")) / 1e6
    print(f"text: {mb:.2f} MB, {len(tokens):,} tokens, {len(result.hits):,} hits")
    print(f"text stage      {t_text:7.2f} s  ({mb / t_text:.2f} MB/s)")
    print(f"set lookup      {t_lookup:7.2f} s")
    print(
        f"match_lexicon   {t_match:7.2f} s  = {t_match / t_text:.2f} x text stage, "
        f"{t_match / t_lookup:.1f} x set lookup; peak traced memory {peak / 1e6:.1f} MB "
        f"(token table {tokens.memory_usage(deep=True).sum() / 1e6:.0f} MB)"
    )
    print(f"coverage_report {t_cov:7.2f} s  = {t_cov / t_text:.2f} x text stage")


if __name__ == "__main__":
    main()
