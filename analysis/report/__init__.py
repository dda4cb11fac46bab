"""The report: notebooks executed in fresh kernels and exported as offline HTML for reviewers.

``python -m analysis.report`` (``make report``) runs :func:`analysis.report.build.main`;
:mod:`analysis.report.notebooks` executes and parameterises notebooks,
:mod:`analysis.report.html` turns them into sanitized right-to-left pages,
:mod:`analysis.report.staging` swaps a run's outputs in at once, and
:mod:`analysis.report.display` shows tables in notebooks.
"""

from __future__ import annotations

from analysis.report.build import OutputLayout, build_reports, main, write_atomic
from analysis.report.html import (
    export_html,
    notebook_title,
    render_index,
    sanitize_fragment,
    text_output,
)
from analysis.report.notebooks import (
    NOTEBOOK_PATTERN,
    NotebookExecutionError,
    coerce_parameter,
    declared_parameter_types,
    declared_parameters,
    discover_notebooks,
    execute_notebook,
    inject_parameters,
    parse_parameter_value,
    select_notebooks,
    strip_notebook,
)
from analysis.report.staging import ReportWriteError

__all__ = [
    "NOTEBOOK_PATTERN",
    "NotebookExecutionError",
    "OutputLayout",
    "ReportWriteError",
    "build_reports",
    "coerce_parameter",
    "declared_parameter_types",
    "declared_parameters",
    "discover_notebooks",
    "execute_notebook",
    "export_html",
    "inject_parameters",
    "main",
    "notebook_title",
    "parse_parameter_value",
    "render_index",
    "sanitize_fragment",
    "select_notebooks",
    "strip_notebook",
    "text_output",
    "write_atomic",
]
