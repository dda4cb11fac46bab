"""Build of the optional C extensions (metadata: pyproject.toml).

``analysis._scan`` (the one-pass scanner) and ``analysis._wordtypes`` (clitic
columns and run-together test per word type). ``optional=True``: if an
extension cannot be compiled (no C compiler), the package still installs and
:mod:`analysis.scan` / :mod:`analysis.wordtypes` fall back to pure Python
(their ``COMPILED`` is then False).
"""

from setuptools import Extension, setup

setup(
    ext_modules=[
        Extension(
            "analysis._scan",
            sources=["analysis/_scan.c"],
            optional=True,
        ),
        Extension(
            "analysis._wordtypes",
            sources=["analysis/_wordtypes.c"],
            optional=True,
        ),
    ]
)
