"""Shared fixtures.

The session-wide ``corpus_untouched`` fixture enforces the project's data-safety
rule: nothing, in any test, may write into ``corpus/``. It hashes every file there
before the session and again after it, and fails the run on any difference.
"""

from __future__ import annotations

import hashlib
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent / "support"))

from browser_support import CHROMIUM, MISSING, Browser, launch  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"


def snapshot(directory: Path) -> dict[str, str]:
    """Map each file under ``directory`` (relative path) to its sha256 and mode."""
    result = {}
    for path in sorted(directory.rglob("*")):
        if path.is_file():
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
            result[str(path.relative_to(directory))] = f"{digest} {path.stat().st_mode:o}"
    return result


@pytest.fixture(scope="session", autouse=True)
def corpus_untouched() -> Iterator[None]:
    before = snapshot(CORPUS)
    yield
    after = snapshot(CORPUS)
    assert after == before, "a test changed files in corpus/ (it must stay read-only)"


@pytest.fixture(scope="session")
def project_root() -> Path:
    return ROOT


@pytest.fixture(scope="module")
def chromium(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Browser]:
    """Debian's headless Chromium, network cut off; one per test module."""
    if not CHROMIUM.exists():
        pytest.skip(MISSING)
    with launch(tmp_path_factory.mktemp("chromium-profile")) as browser:
        yield browser
