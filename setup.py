"""Build of the optional C extension ``analysis._scan`` (metadata: pyproject.toml).

``optional=True``: if the extension cannot be compiled (no C compiler), the
package still installs and :mod:`analysis.scan` falls back to the pure-Python
scanner (``analysis.scan.COMPILED`` is then False).
"""

from setuptools import Extension, setup

setup(
    ext_modules=[
        Extension(
            "analysis._scan",
            sources=["analysis/_scan.c"],
            optional=True,
        )
    ]
)
