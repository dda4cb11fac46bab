"""A corpus-scale worker process imports neither pandas nor pyarrow.

Together they add about 80 MB to a process; a worker holds only the text stage,
the matcher and its vocabulary, so that every process of a large run stays small.
"""

from __future__ import annotations

import pickle
import subprocess
import sys
from pathlib import Path

from analysis.lexicon import Matcher, load_frame_lexicon
from analysis.scale.jobs import iter_jobs
from analysis.scale.worker import Options

ROOT = Path(__file__).resolve().parents[2]

CHILD = """
import pickle, sys
options, jobs = pickle.loads(sys.stdin.buffer.read())
from analysis.scale.worker import summarise_chunk
result = summarise_chunk(jobs, options)
assert result.documents[0][1] == "algiers-sahrawi-solidarity-2009"
print(sorted(m for m in ("pandas", "pyarrow") if m in sys.modules))
"""


def test_a_worker_runs_without_pandas() -> None:
    options = Options(Matcher(load_frame_lexicon()), "bare", True)
    jobs = list(iter_jobs(None, ROOT / "corpus" / "metadata.csv"))
    child = subprocess.run(
        [sys.executable, "-c", CHILD],
        input=pickle.dumps((options, jobs)),
        capture_output=True,
        check=True,
    )
    assert child.stdout.decode().strip() == "[]", child.stderr.decode()
