"""The code base stays ruff-clean (lint rules and formatting from pyproject.toml)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def ruff(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "ruff", *args], cwd=ROOT, capture_output=True, text=True
    )


def test_ruff_check_passes_on_the_whole_project() -> None:
    result = ruff("check", ".")
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_format_leaves_the_code_unchanged() -> None:
    result = ruff("format", "--check", "analysis", "tests", "benchmarks", "evaluation", "config")
    assert result.returncode == 0, result.stdout + result.stderr
