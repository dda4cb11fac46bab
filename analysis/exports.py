"""Public names of a package, imported when first used.

The packages' ``__init__`` files name what a user may import from them
(``from analysis.engine import analyse_texts``) without importing every module
at once: a corpus-scale worker process imports only the text stage and the
matcher, never pandas, which keeps it small (about 130 MB instead of 210 MB).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable


def lazy_exports(package: str, exports: dict[str, str]) -> Callable[[str], object]:
    """A module ``__getattr__`` for ``package``: ``exports`` maps each name to its module."""

    def __getattr__(name: str) -> object:
        module = exports.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        return getattr(importlib.import_module(module), name)

    return __getattr__
