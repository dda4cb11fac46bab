"""Execute the numbered notebooks and export them as offline HTML for reviewers.

Run as ``python -m analysis.report`` (``make report`` does). For every
``notebooks/NN-name.ipynb`` (two digits, a dash, a name) it

1. executes the notebook top to bottom in a fresh ``python3`` kernel of the running
   interpreter (the project venv), with the notebook's folder as working directory;
   papermill-style parameters (``-p key value``) are injected after the cell tagged
   ``parameters``. The committed source notebooks are never rewritten; executed
   copies go to ``build/notebooks/``, without timing metadata, so re-running gives
   the same text;
2. exports each executed notebook to one self-contained HTML file in ``reports/``
   and a variant without code in ``reports/no-code/``, plus an ``index.html`` in
   each. The pages load nothing from the network (no require.js, MathJax, mermaid,
   widgets or web fonts; images are inline ``data:`` URIs), every HTML or Markdown
   fragment is sanitized (nh3 allow-list: no script, no event handler, images only
   from ``data:``), and Arabic is laid out right to left per element
   (``dir="auto"`` on prose blocks, table cells and printed lines holding Arabic),
   never for the whole page, so code stays left to right.

Nothing is written until every selected notebook has executed and every page is
rendered: a failing notebook makes the command exit with status 1 and a message
naming the notebook, the cell and the failing line, and leaves the previous reports
and figures as they were (figures saved during the failed run are rolled back); the
notebook as far as it ran is saved to ``build/notebooks/failed/`` for inspection.
Every file is written to a temporary file in its own folder and then renamed over
the old one, so no reader ever sees half a file. Bad usage exits with status 2.

A parameterised run (``-p``) writes to ``--output-dir`` (default
``build/runs/<parameters>``), never over the main reports and figures: notebooks
that declare a ``figures_dir`` parameter get the run's own ``figures/`` folder.

``--strip`` removes outputs and execution counts from the source notebooks (for
contributors, before committing); ``--strip --check`` only reports which ones need it.
"""

from __future__ import annotations

import argparse
import ast
import atexit
import copy
import os
import re
import secrets
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
import markupsafe
import nbformat
import nh3
from nbformat import NotebookNode

from analysis import paths
from analysis.errors import AnalysisError, ConfigError

__all__ = [
    "NOTEBOOK_PATTERN",
    "NotebookExecutionError",
    "OutputLayout",
    "build_reports",
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

#: Which notebooks are part of the report: ``01-corpus.ipynb``, ``02-frames.ipynb``…
NOTEBOOK_PATTERN = "[0-9][0-9]-*.ipynb"
TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"
TEMPLATE_NAME = "offline_rtl"
INDEX_TEMPLATE = "report_index.html.j2"
NO_CODE_DIR = "no-code"
KERNEL_NAME = "python3"
PARAMETERS_TAG = "parameters"
INJECTED_TAG = "injected-parameters"
#: The parameter through which a notebook learns where to save its figures.
FIGURES_PARAMETER = "figures_dir"
DEFAULT_TIMEOUT = 600
#: A kernel that fails to start (before any cell ran) is started again, this often.
KERNEL_START_ATTEMPTS = 3

#: Output types shown in the HTML, best first. JavaScript, widget views and mermaid
#: diagrams need scripts (from a CDN): such outputs fall back to their next type.
DISPLAY_PRIORITY = [
    "text/html",
    "text/markdown",
    "image/svg+xml",
    "image/png",
    "image/jpeg",
    "text/latex",
    "text/plain",
]

# Letters of right-to-left scripts (Hebrew, Arabic, Syriac, Thaana, NKo, Samaritan,
# Mandaic, Arabic Extended, Hebrew and Arabic presentation forms).
_RTL_LETTER = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc]")

# --- sanitizing ---------------------------------------------------------------------

_ALLOWED_TAGS = set(nh3.ALLOWED_TAGS) | {"style", "tfoot", "section", "bdi", "bdo"}
# Removed with everything inside them (nh3 would otherwise keep their text).
_CLEAN_CONTENT_TAGS = {"script", "iframe", "object", "embed", "template", "svg", "math"}
# No style="" attributes: nh3 cannot filter them while it keeps <style> elements, and
# the elements matter more (pandas Styler puts all its formatting there).
_ALLOWED_ATTRIBUTES: dict[str, set[str]] = {
    "*": {"class", "id", "dir", "lang", "title", "align"},
    "a": {"href", "hreflang"},
    "img": {"src", "alt", "width", "height"},
    "td": {"rowspan", "colspan", "headers"},
    "th": {"rowspan", "colspan", "headers", "scope"},
    "ol": {"start"},
    "col": {"span"},
    "colgroup": {"span"},
    "table": {"border"},
}
_DATA_IMAGE = re.compile(r"data:image/(png|jpeg|gif|webp|svg\+xml);base64,", re.IGNORECASE)
_NOTEBOOK_LINK = re.compile(r"^(?![a-z][a-z0-9+.-]*:|/)([^#?]*)\.ipynb(#.*)?$", re.IGNORECASE)
# <style> elements (pandas, Styler) are kept unless their CSS could reach the network
# or hide such a reach behind escapes.
_STYLE_ELEMENT = re.compile(r"<style\b[^>]*>(.*?)</style>", re.IGNORECASE | re.DOTALL)
_CSS_FETCH = re.compile(r"url\s*\(|@import|image-set|image\s*\(|\\|expression\s*\(|src\s*:", re.I)
# Blocks that get dir="auto" when they have no dir of their own. After nh3 every tag
# is serialized canonically (lower-case names, attribute values in double quotes with
# '"' escaped), so a start tag is matched exactly by this expression.
_DIR_AUTO_TAG = re.compile(
    r'<(p|li|ul|ol|h[1-6]|blockquote|td|th|caption|dt|dd|figcaption)((?:\s+[^\s=>/"]+(?:="[^"]*")?)*)\s*>'
)
_HAS_DIR = re.compile(r'\sdir="')


def _filter_attribute(tag: str, attribute: str, value: str) -> str | None:
    """Keep an attribute value, rewrite it, or drop it (``None``).

    Images may only come from inline ``data:image/…`` URIs (no request is ever made
    for them); ``data:`` is refused everywhere else. Relative links to another
    notebook (``02-frames.ipynb#part``) are rewritten to its HTML export.
    """
    lowered = value.strip().lower()
    if tag == "img" and attribute == "src":
        return value if _DATA_IMAGE.match(lowered) else None
    if attribute == "href":
        if lowered.startswith("data:"):
            return None
        link = _NOTEBOOK_LINK.match(value.strip())
        if link:
            return f"{link.group(1)}.html{link.group(2) or ''}"
    return value


def _drop_fetching_styles(html: str) -> str:
    """Remove ``<style>`` elements whose CSS could make the browser fetch something."""
    return _STYLE_ELEMENT.sub(lambda m: "" if _CSS_FETCH.search(m.group(1)) else m.group(0), html)


def _add_dir_auto(html: str) -> str:
    """Give prose blocks and table cells ``dir="auto"`` unless they set ``dir`` already."""

    def add(match: re.Match[str]) -> str:
        if _HAS_DIR.search(match.group(2)):
            return match.group(0)
        return f'<{match.group(1)}{match.group(2)} dir="auto">'

    return _DIR_AUTO_TAG.sub(add, html)


def sanitize_fragment(html: str) -> markupsafe.Markup:
    """Return ``html`` made safe to show offline, with per-element text direction.

    Used on every HTML or Markdown fragment of a notebook (markdown cells, HTML
    outputs such as DataFrames, raw HTML cells). An allow-list sanitizer (nh3, the
    Rust *ammonia* library) removes scripts, event handlers, frames, forms and
    anything not listed; ``<style>`` elements are kept (pandas' table styles) unless
    they could load something. Then each paragraph, list, heading, quote and table
    cell without a ``dir`` gets ``dir="auto"``: the browser lays it out right to left
    if its first strong letter is Arabic, left to right otherwise.
    """
    cleaned = nh3.clean(
        str(html),
        tags=_ALLOWED_TAGS,
        clean_content_tags=_CLEAN_CONTENT_TAGS,
        attributes=_ALLOWED_ATTRIBUTES,
        attribute_filter=_filter_attribute,
        url_schemes={"http", "https", "mailto", "data"},
        strip_comments=True,
        link_rel="noopener noreferrer",
    )
    return markupsafe.Markup(_add_dir_auto(_drop_fetching_styles(cleaned)))  # noqa: S704


def text_output(text: str) -> markupsafe.Markup:
    """Return printed text as escaped HTML for a ``<pre>``, Arabic lines right to left.

    Text without right-to-left letters is rendered as nbconvert does (ANSI colours to
    HTML, everything escaped). Text with Arabic becomes one ``<div dir="auto">`` per
    line, so each line (a concordance line, a printed sentence) takes its direction
    from its first strong letter while English lines and code-like lines stay left
    to right.
    """
    from nbconvert.filters.ansi import ansi2html

    if not _RTL_LETTER.search(text):
        return markupsafe.Markup(ansi2html(text))  # noqa: S704
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    rendered = (
        f'<div class="bidi-line" dir="auto">{ansi2html(line) if line else "<br>"}</div>'
        for line in lines
    )
    return markupsafe.Markup("".join(rendered))  # noqa: S704


# --- files --------------------------------------------------------------------------


def write_atomic(path: Path, data: str | bytes) -> None:
    """Write ``data`` to ``path`` so that readers see the old file or the new one, whole.

    The data go to a new temporary file in the same folder (same file system), are
    flushed to disk, and the file is renamed over ``path`` (``os.replace`` is atomic
    on POSIX and Windows). If anything fails the temporary file is removed and
    ``path`` is untouched. The new file gets the usual permissions (0666 less umask).
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(6)}.tmp")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def _display(path: Path) -> str:
    """A path as the user typed it: relative to the working directory when possible."""
    try:
        return str(Path(path).resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


# --- which notebooks ----------------------------------------------------------------


def discover_notebooks(notebooks_dir: Path) -> list[Path]:
    """Return the report's notebooks in ``notebooks_dir`` (``NN-name.ipynb``), in order."""
    folder = Path(notebooks_dir)
    if not folder.is_dir():
        raise ConfigError("no such notebooks folder", folder)
    return sorted(folder.glob(NOTEBOOK_PATTERN))


def select_notebooks(notebooks: Sequence[Path], names: Iterable[str]) -> list[Path]:
    """Return the notebooks named in ``names``, in report order.

    A name may be the file name (``02-frames.ipynb``), its stem (``02-frames``) or
    its number (``02``). An unknown name raises :class:`ConfigError` listing the
    available notebooks.
    """
    chosen: list[Path] = []
    for name in names:
        matches = [
            nb for nb in notebooks if name in (nb.name, nb.stem, nb.name[:2]) and nb not in chosen
        ]
        if not matches and not any(name in (nb.name, nb.stem, nb.name[:2]) for nb in notebooks):
            available = ", ".join(nb.stem for nb in notebooks) or "none"
            raise ConfigError(f"no notebook named {name!r}; available: {available}")
        chosen.extend(matches)
    return [nb for nb in notebooks if nb in chosen]


# --- parameters ---------------------------------------------------------------------


def parse_parameter_value(text: str) -> object:
    """Turn a ``-p key value`` value into a Python value, as papermill's CLI does.

    ``True``/``False``/``None`` become those constants, integers and floats become
    numbers, anything else stays a string (``-p article 2010-x.txt`` is a string).
    """
    if text in {"True", "False", "None"}:
        return {"True": True, "False": False, "None": None}[text]
    for convert in (int, float):
        try:
            return convert(text)
        except ValueError:
            pass
    return text


def _parameters_cell(nb: NotebookNode) -> NotebookNode | None:
    for cell in nb.cells:
        if cell.cell_type == "code" and PARAMETERS_TAG in cell.get("metadata", {}).get("tags", []):
            return cell
    return None


def declared_parameters(nb: NotebookNode, path: Path | None = None) -> list[str]:
    """Return the names assigned at top level in the notebook's ``parameters`` cell.

    The cell is read as Python (after IPython turns any ``%magic`` into calls), so
    every assignment counts, whatever its comment says; papermill's own line parser
    gives up on lines such as ``x = None  # None = all; or "a,b"``. A notebook
    without such a cell declares nothing; a cell that is not valid Python raises
    :class:`ConfigError` naming ``path``.
    """
    from IPython.core.inputtransformer2 import TransformerManager

    cell = _parameters_cell(nb)
    if cell is None:
        return []
    try:
        tree = ast.parse(TransformerManager().transform_cell(cell.source))
    except SyntaxError as error:
        raise ConfigError(
            f"the 'parameters' cell is not valid Python: {error.msg}",
            None if path is None else _display(path),
            error.lineno,
        ) from error
    names: list[str] = []
    for statement in tree.body:
        targets: list[ast.expr] = []
        if isinstance(statement, ast.Assign):
            targets = list(statement.targets)
        elif isinstance(statement, ast.AnnAssign):
            targets = [statement.target]
        while targets:
            target = targets.pop(0)
            if isinstance(target, ast.Name) and target.id not in names:
                names.append(target.id)
            elif isinstance(target, (ast.Tuple, ast.List)):
                targets[:0] = list(target.elts)
    return names


def inject_parameters(nb: NotebookNode, parameters: Mapping[str, object]) -> NotebookNode:
    """Return a copy of ``nb`` with a papermill ``injected-parameters`` cell.

    The cell comes right after the ``parameters`` cell (at the top if there is
    none) and has a fixed cell id, so that two runs with the same parameters give
    the same notebook.
    """
    from papermill.parameterize import parameterize_notebook

    nb = copy.deepcopy(nb)
    nb.metadata.setdefault("papermill", {})
    untagged = [cell for cell in nb.cells if "tags" not in cell.metadata]
    for cell in untagged:  # papermill reads cell.metadata.tags on every cell
        cell.metadata["tags"] = []
    injected = parameterize_notebook(
        nb, dict(parameters), kernel_name=KERNEL_NAME, language="python"
    )
    for cell in injected.cells:
        if INJECTED_TAG in cell.metadata.get("tags", []):
            cell["id"] = INJECTED_TAG
        elif any(cell is bare for bare in untagged) and not cell.metadata["tags"]:
            del cell.metadata["tags"]
    return injected


# --- execution ----------------------------------------------------------------------


class NotebookExecutionError(AnalysisError):
    """A notebook raised an error (or timed out, or its kernel died) while executing.

    ``cell_number`` counts the cells of the source notebook from 1, markdown
    cells included (the injected parameters cell is not counted), as a reader
    numbers the cells in JupyterLab. ``executed`` holds the notebook as far as it
    got, with the error output in the failing cell.
    """

    def __init__(
        self,
        notebook: Path,
        cell_number: int | None,
        cell: NotebookNode | None,
        problem: str,
        executed: NotebookNode | None = None,
    ):
        self.notebook = Path(notebook)
        self.cell_number = cell_number
        self.cell_id = None if cell is None else cell.get("id")
        self.problem = problem
        self.executed = executed
        self.saved_copy: Path | None = None
        where = "before the first cell"
        if cell is not None:
            first_line = next((line for line in cell.source.splitlines() if line.strip()), "")
            if len(first_line) > 80:
                first_line = first_line[:77] + "..."
            labels = []
            if cell.get("execution_count") is not None:
                labels.append(f"In [{cell.execution_count}]")
            if self.cell_id:
                labels.append(f'id "{self.cell_id}"')
            where = f"in cell {cell_number}" + (f" ({', '.join(labels)})" if labels else "")
            where += f", which starts: {first_line!r}"
        super().__init__(f"notebook failed {where}:\n{problem}", _display(self.notebook))


def _kernel_manager() -> Any:
    """A kernel manager that always starts ipykernel under the running interpreter.

    Jupyter would otherwise look ``python3`` up in the user's and system kernel
    folders, where a spec may point at some other Python; the report must run in
    the project venv that runs this module.
    """
    from ipykernel.kernelspec import RESOURCES, get_kernel_dict
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel
    from jupyter_client.manager import KernelManager

    class RunningPythonKernelSpecs(KernelSpecManager):
        """Only one kernel: ``python3`` on ``sys.executable``."""

        def find_kernel_specs(self) -> dict[str, str]:
            return {KERNEL_NAME: RESOURCES}

        def get_kernel_spec(self, kernel_name: str) -> Any:
            if kernel_name != KERNEL_NAME:
                raise NoSuchKernel(kernel_name)
            return self.kernel_spec_class(resource_dir=RESOURCES, **get_kernel_dict())

    return KernelManager(kernel_name=KERNEL_NAME, kernel_spec_manager=RunningPythonKernelSpecs())


def _kernel_environment() -> dict[str, str]:
    """The kernel's environment: ours, made reproducible, with inline figures.

    ``make`` exports ``MPLBACKEND=Agg`` for scripts and tests; inside a kernel that
    would stop figures from being shown, so the inline backend is forced.
    """
    environment = dict(os.environ)
    environment.setdefault("PYTHONHASHSEED", "0")
    environment.setdefault("SOURCE_DATE_EPOCH", "1259625600")
    environment["MPLBACKEND"] = "module://matplotlib_inline.backend_inline"
    environment.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
    return environment


def _strip_ansi(text: str) -> str:
    return re.sub(r"\x1b\[[0-9;]*[A-Za-z]", "", text)


def _source_cell_number(nb: NotebookNode, index: int) -> int:
    """1-based position of cell ``index`` among the cells that came from the source."""
    return sum(
        1
        for cell in nb.cells[: index + 1]
        if INJECTED_TAG not in cell.get("metadata", {}).get("tags", [])
    )


def execute_notebook(
    source: Path,
    parameters: Mapping[str, object] | None = None,
    *,
    timeout: int = DEFAULT_TIMEOUT,
) -> NotebookNode:
    """Execute ``source`` in a fresh kernel and return the executed notebook.

    The working directory is the notebook's folder; ``parameters`` are injected as
    papermill does; no timing metadata is recorded, and memory addresses in text reprs
    are masked (see :func:`_normalize_addresses`). The file itself is not changed.
    Raises :class:`NotebookExecutionError` (with the notebook as far as it got) if a
    cell fails, a cell runs longer than ``timeout`` seconds, or the kernel dies.
    """
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

    source = Path(source)
    try:
        nb = nbformat.read(source, as_version=4)
    except Exception as error:  # nbformat raises several unrelated types
        raise ConfigError(f"cannot read the notebook: {error}", _display(source)) from error
    if parameters:
        nb = inject_parameters(nb, parameters)
    current: dict[str, int] = {}

    def on_cell_start(cell: NotebookNode, cell_index: int) -> None:
        current["index"] = cell_index

    for attempt in range(1, KERNEL_START_ATTEMPTS + 1):
        client = NotebookClient(
            nb,
            km=_kernel_manager(),
            timeout=timeout,
            record_timing=False,
            allow_errors=False,
            resources={"metadata": {"path": str(source.parent)}},
            on_cell_start=on_cell_start,
            # ipykernel warns on every start that its local TCP sockets are unencrypted;
            # errors still reach the terminal, and cell errors are in the notebook anyway.
            extra_arguments=["--IPKernelApp.log_level=ERROR"],
        )
        try:
            client.execute(env=_kernel_environment())
            break
        except (CellExecutionError, CellTimeoutError, RuntimeError) as error:
            index = current.get("index")
            if index is None and isinstance(error, RuntimeError):
                # The kernel never got to the first cell (it did not start or answer
                # in time, e.g. on a loaded machine): nothing ran, so try again.
                # nbclient leaves an exit hook for the failed kernel that fails at exit.
                atexit.unregister(client._cleanup_kernel)
                if attempt < KERNEL_START_ATTEMPTS:
                    continue
                problem = f"the kernel did not start ({attempt} attempts): {error}"
                raise NotebookExecutionError(source, None, None, problem, None) from error
            if not isinstance(error, (CellExecutionError, CellTimeoutError, DeadKernelError)):
                raise
            cell = None if index is None else nb.cells[index]
            number = None if index is None else _source_cell_number(nb, index)
            problem = _describe_failure(error, cell)
            raise NotebookExecutionError(source, number, cell, problem, nb) from error
    _normalize_addresses(nb)
    return nb


_ADDRESS = re.compile(r"\bat 0x[0-9a-fA-F]{4,16}>")


def _normalize_addresses(nb: NotebookNode) -> None:
    """Replace memory addresses in rich outputs' text reprs (``<Styler at 0x7f…>``).

    Such reprs (of Stylers, matplotlib artists…) change on every run although nothing
    else does; with ``at 0x…`` in their place re-running a notebook gives the same
    file. Printed text (streams) is left exactly as the code printed it.
    """
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if isinstance(data.get("text/plain"), str):
                data["text/plain"] = _ADDRESS.sub("at 0x…>", data["text/plain"])


def _describe_failure(error: Exception, cell: NotebookNode | None) -> str:
    """The error first, then the failing line in the cell's own code, without colours.

    IPython's traceback has one entry per frame; the entry that starts with
    ``Cell In[n], line m`` is the notebook's own code (deeper frames are library
    internals a reader rarely needs, and they are in the saved notebook anyway).
    """
    from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

    if isinstance(error, CellExecutionError):
        summary = f"{error.ename}: {error.evalue}"
        for output in (cell or {}).get("outputs", []):
            if output.get("output_type") != "error":
                continue
            frames = [_strip_ansi(entry) for entry in output.get("traceback", [])]
            own = next((frame for frame in frames if frame.startswith("Cell In[")), "")
            lines = [line for line in own.splitlines() if line.strip()]
            if lines:
                arrow = next((i for i, line in enumerate(lines) if "---->" in line), 1)
                return "\n".join([summary, lines[0], *lines[max(1, arrow - 2) : arrow + 1]])
        return summary
    if isinstance(error, CellTimeoutError):
        return f"the cell did not finish within the timeout ({error})"
    if isinstance(error, DeadKernelError):
        return f"the kernel died ({error})"
    return str(error)


# --- export -------------------------------------------------------------------------


def notebook_title(nb: NotebookNode, fallback: str) -> str:
    """The notebook's title: ``metadata.title``, else its first Markdown heading."""
    title = nb.metadata.get("title")
    if isinstance(title, str) and title.strip():
        return title.strip()
    for cell in nb.cells:
        if cell.cell_type != "markdown":
            continue
        for line in cell.source.splitlines():
            heading = re.match(r"^\s{0,3}#{1,6}\s+(.+?)\s*#*\s*$", line)
            if heading:
                text = re.sub(r"[*_`]", "", heading.group(1))
                return re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text).strip()
    return fallback


def _exporter(include_code: bool) -> Any:
    from nbconvert import HTMLExporter
    from traitlets.config import Config

    config = Config({"NbConvertBase": {"display_data_priority": DISPLAY_PRIORITY}})
    exporter = HTMLExporter(
        config=config,
        template_name=TEMPLATE_NAME,
        extra_template_basedirs=[str(TEMPLATES_DIR)],
        exclude_input=not include_code,
        exclude_input_prompt=not include_code,
        exclude_output_prompt=not include_code,
        embed_images=True,
        sanitize_html=False,  # done by our own filters, see sanitize_fragment
        skip_svg_encoding=False,
    )
    exporter.register_filter("sanitize_fragment", sanitize_fragment)
    exporter.register_filter("text_output", text_output)
    return exporter


def export_html(nb: NotebookNode, source: Path, *, include_code: bool = True) -> str:
    """Return the offline HTML page for the executed notebook ``nb``.

    ``source`` is the notebook's file: its folder resolves Markdown images (which
    are embedded), its stem names the page. ``include_code=False`` hides code cells'
    input (for readers who want text and figures only).
    """
    nb = copy.deepcopy(nb)
    nb.metadata.pop("widgets", None)  # widget state needs a CDN script to show
    nb.metadata["title"] = notebook_title(nb, Path(source).stem)
    resources = {"metadata": {"name": Path(source).stem, "path": str(Path(source).parent)}}
    html, _ = _exporter(include_code).from_notebook_node(nb, resources=resources)
    return html


@dataclass(frozen=True)
class IndexEntry:
    """One line of the index page."""

    name: str
    title: str
    href: str
    other_href: str | None


def render_index(
    entries: Sequence[IndexEntry],
    *,
    heading: str,
    description: str,
    other_label: str,
    parameters: Mapping[str, object] | None = None,
) -> str:
    """Return the HTML of an index page (autoescaped; titles laid out by ``dir="auto"``)."""
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES_DIR)),
        autoescape=True,
        keep_trailing_newline=True,
    )
    template = environment.get_template(INDEX_TEMPLATE)
    return template.render(
        entries=entries,
        heading=heading,
        description=description,
        other_label=other_label,
        parameters=sorted((parameters or {}).items()),
    )


# --- the whole build ----------------------------------------------------------------


@dataclass(frozen=True)
class OutputLayout:
    """Where a run writes: executed notebooks, HTML reports, and notebooks' figures."""

    executed_dir: Path
    reports_dir: Path
    figures_dir: Path

    @classmethod
    def default(cls) -> OutputLayout:
        """The main run: ``build/notebooks``, ``reports/``, ``figures/``."""
        return cls(paths.BUILD_DIR / "notebooks", paths.REPORTS_DIR, paths.FIGURES_DIR)

    @classmethod
    def under(cls, output_dir: Path) -> OutputLayout:
        """A separate run: ``notebooks/``, ``reports/`` and ``figures/`` in ``output_dir``."""
        output_dir = Path(output_dir)
        return cls(output_dir / "notebooks", output_dir / "reports", output_dir / "figures")

    @property
    def no_code_dir(self) -> Path:
        """The reports without code cells."""
        return self.reports_dir / NO_CODE_DIR


def _run_slug(parameters: Mapping[str, object]) -> str:
    """A folder name for a parameterised run, readable and safe on every file system."""
    parts = [f"{key}-{value}" for key, value in sorted(parameters.items())]
    slug = re.sub(r"[^A-Za-z0-9._-]+", "_", "_".join(parts)).strip("._") or "run"
    return slug[:80]


def _path_for_notebook(target: Path, notebook_dir: Path) -> str:
    """``target`` as the notebook should see it (its folder is the working directory).

    Relative inside the project (the notebooks folder's parent), so executed
    notebooks do not depend on where the clone lives; absolute elsewhere, where a
    relative path would only be a long climb (``../../../tmp/run``).
    """
    target, base = Path(target).resolve(), Path(notebook_dir).resolve()
    if target.is_relative_to(base.parent):
        return os.path.relpath(target, base)
    return str(target)


class _FiguresGuard:
    """Keep a copy of the figures folder while notebooks run; put it back if one fails.

    Notebooks save their figures themselves, during execution. If a later notebook
    fails, the figures of the run are not the ones the previous reports show: the
    folder is then restored (changed files copied back with their old times, new
    files removed), so a failed run leaves the previous good output as it was.
    """

    def __init__(self, folder: Path, scratch: Path):
        self.folder = Path(folder)
        self.scratch = Path(scratch)
        self.backup: Path | None = None
        self.saved: dict[str, tuple[int, int]] = {}

    def _files(self) -> dict[str, tuple[int, int]]:
        if not self.folder.is_dir():
            return {}
        return {
            str(path.relative_to(self.folder)): (path.stat().st_size, path.stat().st_mtime_ns)
            for path in self.folder.rglob("*")
            if path.is_file()
        }

    def __enter__(self) -> _FiguresGuard:
        self.scratch.mkdir(parents=True, exist_ok=True)
        self.backup = Path(tempfile.mkdtemp(prefix=".figures-backup-", dir=self.scratch))
        self.saved = self._files()
        for relative in self.saved:
            copy = self.backup / relative
            copy.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(self.folder / relative, copy)
        return self

    def restore(self) -> None:
        """Put the folder back as it was when the guard was entered."""
        assert self.backup is not None
        for relative, stat in self._files().items():
            if relative not in self.saved:
                (self.folder / relative).unlink()
            elif stat != self.saved[relative]:
                temporary = self.folder / f"{relative}.{secrets.token_hex(6)}.restore"
                shutil.copy2(self.backup / relative, temporary)
                os.replace(temporary, self.folder / relative)
        for relative in self.saved:
            if not (self.folder / relative).exists():
                (self.folder / relative).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(self.backup / relative, self.folder / relative)

    def __exit__(self, *exc_info: object) -> None:
        if exc_info[0] is not None:
            self.restore()
        if self.backup is not None:
            shutil.rmtree(self.backup, ignore_errors=True)


def build_reports(
    notebooks: Sequence[Path],
    layout: OutputLayout,
    parameters: Mapping[str, object] | None = None,
    *,
    timeout: int = DEFAULT_TIMEOUT,
    log: Callable[[str], None] = print,
) -> list[Path]:
    """Execute ``notebooks`` and write their executed copies, HTML pages and indexes.

    Every notebook is executed and every page rendered before anything is written.
    If a notebook fails, :class:`NotebookExecutionError` is raised, the figures
    folder is restored, the notebook as far as it got is saved to
    ``<executed_dir>/failed/`` for inspection, and no report changes. Returns the
    files written, in order.
    """
    parameters = dict(parameters or {})
    sources = [Path(nb) for nb in notebooks]
    if not sources:
        raise ConfigError("no notebooks to run (expected files named NN-name.ipynb)")
    declared = {nb: declared_parameters(nbformat.read(nb, as_version=4), nb) for nb in sources}
    unknown = sorted(set(parameters) - {name for names in declared.values() for name in names})
    if unknown:
        raise ConfigError(
            f"parameter(s) {', '.join(unknown)} not declared in the 'parameters' cell of "
            + ", ".join(_display(nb) for nb in sources)
        )
    for source in sources:
        if (layout.executed_dir / source.name).resolve() == source.resolve():
            raise ConfigError(
                f"the executed copies would overwrite the source notebooks in "
                f"{_display(layout.executed_dir)}; choose another --output-dir"
            )
    main_run = layout == OutputLayout.default()
    if not main_run:
        layout.figures_dir.mkdir(parents=True, exist_ok=True)

    executed: list[tuple[Path, NotebookNode]] = []
    with _FiguresGuard(layout.figures_dir, layout.executed_dir.parent):
        for source in sources:
            own = {key: value for key, value in parameters.items() if key in declared[source]}
            if not main_run and FIGURES_PARAMETER in declared[source]:
                own[FIGURES_PARAMETER] = _path_for_notebook(layout.figures_dir, source.parent)
            elif not main_run:
                log(
                    f"warning: {_display(source)} declares no '{FIGURES_PARAMETER}' "
                    "parameter; figures it saves go where it says, perhaps over the main ones"
                )
            started = time.perf_counter()
            try:
                nb = execute_notebook(source, own, timeout=timeout)
            except NotebookExecutionError as error:
                if error.executed is not None:
                    saved = layout.executed_dir / "failed" / source.name
                    write_atomic(saved, nbformat.writes(error.executed) + "\n")
                    error.saved_copy = saved
                raise
            log(f"executed {_display(source)} in {time.perf_counter() - started:.1f} s")
            executed.append((source, nb))

    pending: dict[Path, str] = {}
    for source, nb in executed:
        pending[layout.executed_dir / source.name] = nbformat.writes(nb) + "\n"
        for folder, include_code in ((layout.reports_dir, True), (layout.no_code_dir, False)):
            html = export_html(nb, source, include_code=include_code)
            pending[folder / f"{source.stem}.html"] = html
    pending.update(_index_pages(sources[0].parent, layout, parameters, set(pending)))
    for path, content in pending.items():
        write_atomic(path, content)
        log(f"wrote {_display(path)}")
    return list(pending)


def _index_pages(
    notebooks_dir: Path,
    layout: OutputLayout,
    parameters: Mapping[str, object],
    coming: set[Path],
) -> dict[Path, str]:
    """The ``index.html`` of both variants, listing every notebook exported so far.

    A page counts as exported if it exists or is about to be written (``coming``).
    """
    entries_code: list[IndexEntry] = []
    entries_plain: list[IndexEntry] = []
    for source in discover_notebooks(notebooks_dir):
        page = f"{source.stem}.html"
        with_code = (layout.reports_dir / page) in coming or (layout.reports_dir / page).exists()
        without = (layout.no_code_dir / page) in coming or (layout.no_code_dir / page).exists()
        if not (with_code or without):
            continue
        title = notebook_title(nbformat.read(source, as_version=4), source.stem)
        if with_code:
            other = f"{NO_CODE_DIR}/{page}" if without else None
            entries_code.append(IndexEntry(source.stem, title, page, other))
        if without:
            other = f"../{page}" if with_code else None
            entries_plain.append(IndexEntry(source.stem, title, page, other))
    description = (
        "Each notebook executed from top to bottom, as HTML that reads offline. "
        "Arabic text is laid out right to left, paragraph by paragraph."
    )
    options = {"description": description, "parameters": parameters}
    return {
        layout.reports_dir / "index.html": render_index(
            entries_code, heading="Reports", other_label="without code", **options
        ),
        layout.no_code_dir / "index.html": render_index(
            entries_plain,
            heading="Reports (text and figures only)",
            other_label="with code",
            **options,
        ),
    }


# --- stripping ----------------------------------------------------------------------

_VOLATILE_CELL_METADATA = ("execution", "ExecuteTime", "collapsed", "scrolled", "papermill")


def strip_notebook(nb: NotebookNode) -> bool:
    """Remove outputs, execution counts and run metadata from ``nb`` in place.

    Keeps sources, cell ids, tags and the kernelspec. Returns whether anything
    changed, so ``--strip --check`` can tell which committed notebooks need it.
    """
    before = nbformat.writes(nb)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
        for key in _VOLATILE_CELL_METADATA:
            cell.get("metadata", {}).pop(key, None)
    for key in ("papermill", "widgets", "signature"):
        nb.metadata.pop(key, None)
    language = nb.metadata.get("language_info")
    if isinstance(language, dict):
        nb.metadata["language_info"] = {"name": language.get("name", "python")}
    return nbformat.writes(nb) != before


def _strip_files(notebooks: Sequence[Path], *, check: bool, log: Callable[[str], None]) -> int:
    needing = []
    for source in notebooks:
        nb = nbformat.read(source, as_version=4)
        if strip_notebook(nb):
            needing.append(source)
            if not check:
                write_atomic(source, nbformat.writes(nb) + "\n")
                log(f"stripped {_display(source)}")
    if check and needing:
        log("outputs to strip (run `make strip`): " + ", ".join(_display(p) for p in needing))
        return 1
    if not needing:
        log("all notebooks are stripped")
    return 0


# --- command line -------------------------------------------------------------------


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m analysis.report",
        description=(
            "Execute notebooks/NN-name.ipynb in fresh kernels and export them as offline "
            "HTML (reports/, reports/no-code/). Nothing is written unless every notebook "
            "runs; a failing notebook exits with status 1 and names the cell."
        ),
    )
    parser.add_argument(
        "--notebook",
        action="append",
        default=[],
        metavar="NAME",
        help="run only this notebook (file name, stem or number; repeatable)",
    )
    parser.add_argument(
        "-p",
        "--parameter",
        nargs=2,
        action="append",
        default=[],
        metavar=("KEY", "VALUE"),
        help="papermill-style parameter for the notebooks' 'parameters' cell (repeatable)",
    )
    parser.add_argument(
        "--output-dir",
        type=Path,
        help=(
            "write notebooks/, reports/ and figures/ here instead of build/notebooks, "
            "reports/ and figures/ (default with -p: build/runs/<parameters>)"
        ),
    )
    parser.add_argument(
        "--notebooks-dir",
        type=Path,
        default=None,
        help="folder holding the NN-name.ipynb notebooks (default: notebooks/)",
    )
    parser.add_argument(
        "--timeout",
        type=int,
        default=DEFAULT_TIMEOUT,
        help=f"seconds a single cell may run (default {DEFAULT_TIMEOUT})",
    )
    parser.add_argument(
        "--strip",
        action="store_true",
        help="remove outputs from the source notebooks instead of running them",
    )
    parser.add_argument(
        "--check",
        action="store_true",
        help="with --strip: change nothing, exit 1 if a notebook has outputs",
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Command-line entry point; returns the exit status (0 ok, 1 failed, 2 bad usage)."""
    args = _parser().parse_args(argv)

    def log(message: str) -> None:
        print(message, flush=True)

    try:
        notebooks_dir = args.notebooks_dir or paths.NOTEBOOKS_DIR
        notebooks = discover_notebooks(notebooks_dir)
        if args.notebook:
            notebooks = select_notebooks(notebooks, args.notebook)
        if args.strip:
            return _strip_files(notebooks, check=args.check, log=log)
        if args.check:
            raise ConfigError("--check only goes with --strip")
        if not notebooks:
            raise ConfigError("no notebooks named NN-name.ipynb", notebooks_dir)
        parameters = {key: parse_parameter_value(value) for key, value in args.parameter}
        if args.output_dir is not None:
            layout = OutputLayout.under(args.output_dir)
        elif parameters:
            layout = OutputLayout.under(paths.BUILD_DIR / "runs" / _run_slug(parameters))
        else:
            layout = OutputLayout.default()
        build_reports(notebooks, layout, parameters, timeout=args.timeout, log=log)
    except NotebookExecutionError as error:
        print(f"error: {error}", file=sys.stderr)
        if error.saved_copy is not None:
            print(
                f"The notebook as far as it ran is in {_display(error.saved_copy)}.",
                file=sys.stderr,
            )
        print("No report was written: the previous reports are unchanged.", file=sys.stderr)
        return 1
    except AnalysisError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
