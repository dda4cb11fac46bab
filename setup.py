"""Build of the optional C extensions (metadata: pyproject.toml).

``analysis._scan`` (the one-pass scanner), ``analysis._wordtypes`` (clitic
columns and run-together test per word type) and ``analysis._columns`` (per-type
values spread to tokens; needs numpy's headers, a build requirement).
``optional=True``: if an extension cannot be compiled (no C compiler), the
package still installs and :mod:`analysis.scan`, :mod:`analysis.wordtypes` and
:mod:`analysis.columns` fall back to Python and numpy (their ``COMPILED`` is
then False).
"""

from setuptools import Extension, setup

try:  # analysis._columns uses the NumPy C API (numpy is a build requirement)
    import numpy

    COLUMNS = [
        Extension(
            "analysis._columns",
            sources=["analysis/_columns.c"],
            include_dirs=[numpy.get_include()],
            optional=True,
        )
    ]
except ImportError:  # pragma: no cover - then analysis.columns uses numpy's take
    COLUMNS = []

setup(
    ext_modules=[
        Extension(
            "analysis._scan",
            sources=["analysis/_scan.c"],
            depends=["analysis/_hash.h"],
            optional=True,
        ),
        Extension(
            "analysis._wordtypes",
            sources=["analysis/_wordtypes.c"],
            depends=["analysis/_hash.h"],
            optional=True,
        ),
        *COLUMNS,
    ]
)
