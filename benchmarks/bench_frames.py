"""Speed and memory of frame matching, as ratios to baselines run in this process.

Corpus: :func:`analysis.synthetic.synthetic_corpus` (seed 0; most word types are
new to the per-type caches, unlike a repeated article), analysed once by the text
stage in batches of 200 documents (:func:`analysis.pipeline.analyse_texts`), as
:mod:`analysis.scale` does. On the same text and token tables this times

* ``re.findall(r"\\w+")`` over the whole text: the bare-regex baseline of issues
  #3/#7 (the whole text pipeline must run at >= 0.5x its speed);
* the matcher (:func:`analysis.frames.match_lexicon`), frame and actor lexicons,
  batch by batch, with its per-type caches emptied before each round (so batch 1
  of a round finds nothing cached, later batches find the types of earlier
  ones, as in one pass over a corpus), and again with the caches kept (a second
  pass over the same corpus, e.g. a notebook run again);
* the previous, token-by-token matcher kept as the reference
  (``analysis.frames._reference_match_lexicon``), once, and checks that both give
  identical tables;
* :func:`analysis.frames.coverage_report` and its reference, frame lexicon.

Times are CPU seconds of this process (``time.process_time``), the best of
``--repeat`` rounds for the fast functions (the machine is shared: wall-clock time
counts other jobs' turns). Memory: peak traced allocation (``tracemalloc``) of
one batch's matching, against the size of that batch's token table.

Run: ``.venv/bin/python benchmarks/bench_frames.py [--mb 5] [--repeat 5]``.
"""

from __future__ import annotations

import argparse
import re
import time
import tracemalloc

import pandas as pd

from analysis import frames
from analysis.lexicon import load_actor_lexicon, load_frame_lexicon
from analysis.pipeline import analyse_texts
from analysis.synthetic import synthetic_corpus

WORD_RE = re.compile(r"\w+")


def cpu(fn, *args) -> tuple[object, float]:
    t0 = time.process_time()
    result = fn(*args)
    return result, time.process_time() - t0


def best(fn, repeat: int) -> float:
    return min(cpu(fn)[1] for _ in range(repeat))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mb", type=float, default=5.0, help="corpus size in MB (UTF-8)")
    parser.add_argument("--repeat", type=int, default=5, help="rounds for the fast timings")
    parser.add_argument("--no-reference", action="store_true", help="skip the slow reference")
    args = parser.parse_args()

    texts = list(synthetic_corpus(int(args.mb * 1e6), seed=0))
    text = "\n".join(texts)
    mb = len(text.encode("utf-8")) / 1e6
    pairs = ((f"doc{i:06d}", t) for i, t in enumerate(texts))
    batches = [(t.tokens, t.quotes) for t in analyse_texts(pairs, batch=200)]
    n_tokens = sum(len(tokens) for tokens, _ in batches)
    lexicons = {"frames": load_frame_lexicon(), "actors": load_actor_lexicon()}
    print(
        f"corpus: {mb:.2f} MB, {len(texts):,} documents, {len(batches)} batches, "
        f"{n_tokens:,} tokens"
    )

    t_re = best(lambda: WORD_RE.findall(text), args.repeat)
    print(f"re.findall(r'\\w+')   {1000 * t_re / mb:7.1f} ms/MB  (baseline)")

    for name, lexicon in lexicons.items():

        def fast(lexicon=lexicon, cold: bool = True) -> list[frames.MatchResult]:
            if cold:  # forget every per-type result of earlier rounds
                frames._LEXICONS.clear()
            return [frames.match_lexicon(tok, q, lexicon) for tok, q in batches]

        t_new = best(fast, args.repeat)
        t_warm = best(lambda lexicon=lexicon: fast(lexicon, cold=False), args.repeat)
        n_hits = sum(len(r.hits) for r in fast())
        print(
            f"match {name:7s} new  {1000 * t_new / mb:7.1f} ms/MB  "
            f"= {t_new / t_re:5.2f} x re time (speed {t_re / t_new:5.2f} x re); "
            f"{n_hits:,} hits"
        )
        print(
            f"match {name:7s} new, second pass over the same corpus (types cached) "
            f"{1000 * t_warm / mb:5.1f} ms/MB = {t_warm / t_re:5.2f} x re time"
        )
        if args.no_reference:
            continue
        reference, t_old = cpu(
            lambda lexicon=lexicon: [
                frames._reference_match_lexicon(tok, q, lexicon) for tok, q in batches
            ]
        )
        for new, old in zip(fast(), reference, strict=True):
            pd.testing.assert_frame_equal(new.hits, old.hits)
            pd.testing.assert_frame_equal(new.exclusions, old.exclusions)
        print(
            f"match {name:7s} old  {1000 * t_old / mb:7.1f} ms/MB  "
            f"= {t_old / t_re:5.2f} x re time; new is {t_old / t_new:5.1f} x faster, "
            "identical tables"
        )

    frames_lexicon = lexicons["frames"]
    tokens, quotes = batches[0]
    t_cov = best(lambda: frames.coverage_report(tokens, frames_lexicon, quotes), args.repeat)
    line = f"coverage (batch 0)   {1000 * t_cov:7.1f} ms"
    if not args.no_reference:
        old, t_cov_old = cpu(frames._reference_coverage_report, tokens, frames_lexicon, quotes)
        pd.testing.assert_frame_equal(frames.coverage_report(tokens, frames_lexicon, quotes), old)
        line += f"; reference {1000 * t_cov_old:7.1f} ms (identical)"
    print(line)

    # Memory in separate runs: tracemalloc slows the traced code several times.
    table_mb = tokens.memory_usage(deep=True).sum() / 1e6
    for label, fn in (
        ("new", frames.match_lexicon),
        ("old", None if args.no_reference else frames._reference_match_lexicon),
    ):
        if fn is None:
            continue
        tracemalloc.start()
        fn(tokens, quotes, frames_lexicon)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        print(
            f"peak traced memory ({label}, batch 0): {peak / 1e6:6.1f} MB "
            f"(token table {table_mb:.0f} MB)"
        )
    prepared = list(frames._LEXICONS.values())
    decisions = sum(len(lex.decisions) for lex in prepared)
    flags = sum(len(lex.bares_flags.keys) for lex in prepared)
    kept = sum(len(lex.bares_flags.objects) for lex in prepared)
    print(
        f"caches of {len(prepared)} prepared lexicons: {decisions:,} per-type decisions "
        f"(bound {frames._DECISIONS_MAX:,} each), {flags:,} word-type flags keeping "
        f"{kept:,} objects alive (bound {frames._FLAGS_MAX:,} types each)"
    )


if __name__ == "__main__":
    main()
