"""Where the project's inputs and outputs live.

The package is installed in editable mode from the repository, so data files that
scholars edit (lexicons, configuration) stay at the top of the repository rather
than inside the package. ``ANALYSIS_PROJECT_ROOT`` overrides the location, which
tests use to work on a temporary copy.
"""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(os.environ.get("ANALYSIS_PROJECT_ROOT", Path(__file__).resolve().parent.parent))
CORPUS_DIR = PROJECT_ROOT / "corpus"
METADATA_FILE = CORPUS_DIR / "metadata.csv"
LEXICON_DIR = PROJECT_ROOT / "lexicons"
CONFIG_DIR = PROJECT_ROOT / "config"
FIGURES_DIR = PROJECT_ROOT / "figures"
REPORTS_DIR = PROJECT_ROOT / "reports"
NOTEBOOKS_DIR = PROJECT_ROOT / "notebooks"
BUILD_DIR = PROJECT_ROOT / "build"


def display_path(path: str | Path) -> str:
    """A path as the user typed it: relative to the working directory when possible."""
    try:
        return str(Path(path).resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)
