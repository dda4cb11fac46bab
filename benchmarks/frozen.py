"""Today's engine, frozen: the code of commit ``FROZEN_COMMIT`` built beside the project.

The benchmarks run the engine of that commit (with its three C extensions) and
the current one side by side, in one run, so the ratios compare like with like
on whatever machine runs them. ``materialise()`` exports that commit's tree with
``git archive`` into ``build/frozen-<commit>/`` and compiles its extensions in
place; a process then imports it with ``PYTHONPATH`` set to that folder.
"""

from __future__ import annotations

import subprocess
import sys
import tarfile
from io import BytesIO
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FROZEN_COMMIT = "a9580b4"  # the last commit with _scan.c, _wordtypes.c and _columns.c
FOLDER = ROOT / "build" / f"frozen-{FROZEN_COMMIT}"


def materialise() -> Path:
    """The frozen tree, exported and compiled once (reused afterwards)."""
    done = FOLDER / ".built"
    if done.exists():
        return FOLDER
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", "--format=tar", FROZEN_COMMIT],
        capture_output=True,
        check=False,
    )
    if archive.returncode != 0:
        raise SystemExit(
            f"cannot export commit {FROZEN_COMMIT} (a clone with full history is needed): "
            + archive.stderr.decode(errors="replace")
        )
    FOLDER.mkdir(parents=True, exist_ok=True)
    with tarfile.open(fileobj=BytesIO(archive.stdout)) as tar:
        tar.extractall(FOLDER, filter="data")
    # Only the extensions are built here: without pyproject.toml, setup.py needs
    # nothing but setuptools and numpy (an older setuptools rejects its metadata).
    (FOLDER / "pyproject.toml").unlink()
    subprocess.run(
        [sys.executable, "setup.py", "-q", "build_ext", "--inplace"],
        cwd=FOLDER,
        check=True,
        capture_output=True,
    )
    done.touch()
    return FOLDER


def environment(env: dict[str, str]) -> dict[str, str]:
    """``env`` for a child process that imports the frozen ``analysis``."""
    folder = materialise()
    return {**env, "PYTHONPATH": str(folder), "ANALYSIS_PROJECT_ROOT": str(folder)}


if __name__ == "__main__":
    print(materialise())
