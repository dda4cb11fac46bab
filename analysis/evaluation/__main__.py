"""``python -m analysis.evaluation [dev|test|all] [--errors FILE] [--by outlet]``.

Prints the scores of the analysis on a part of the evaluation corpus and,
with ``--errors``, writes every disagreement with its context to a CSV file.
"""

from __future__ import annotations

import argparse
import sys

import pandas as pd

from analysis.errors import AnalysisError
from analysis.evaluation.gold import articles
from analysis.evaluation.metrics import errors, evaluate, scores


def main(argv: list[str] | None = None) -> int:
    """Run the evaluation from the command line."""
    parser = argparse.ArgumentParser(prog="python -m analysis.evaluation")
    parser.add_argument("split", choices=["dev", "test", "all"], default="dev", nargs="?")
    parser.add_argument("--by", choices=["outlet", "category", "topic"], default=None)
    parser.add_argument("--errors", metavar="FILE", help="write every error to this CSV file")
    args = parser.parse_args(argv)
    try:
        results = evaluate(articles(None if args.split == "all" else args.split))
    except AnalysisError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    columns = [c for c in [args.by, "component", "tp", "fp", "fn", "precision", "recall", "f1",
                           "accuracy", "per_10000_words"] if c]  # fmt: skip
    with pd.option_context("display.width", 160, "display.max_rows", 500):
        print(scores(results, by=args.by)[columns].round(3).to_string(index=False))
    if args.errors:
        errors(results).to_csv(args.errors, index=False, encoding="utf-8-sig")
    return 0


if __name__ == "__main__":
    sys.exit(main())
