"""Notebooks as the report sees them: found, parameterised, run in a fresh kernel, stripped."""

from __future__ import annotations

import ast
import atexit
import copy
import os
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import nbformat
from nbformat import NotebookNode

from analysis.errors import AnalysisError, ConfigError
from analysis.paths import display_path

#: Which notebooks are part of the report: ``01-corpus.ipynb``, ``02-frames.ipynb``…
NOTEBOOK_PATTERN = "[0-9][0-9]-*.ipynb"


KERNEL_NAME = "python3"


PARAMETERS_TAG = "parameters"


INJECTED_TAG = "injected-parameters"


DEFAULT_TIMEOUT = 600


#: A kernel that fails to start (before any cell ran) is started again, this often.
KERNEL_START_ATTEMPTS = 3


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


def parse_parameter_value(text: str) -> object:
    """Turn a ``-p key value`` value into a Python value, as papermill's CLI does.

    ``True``/``False``/``None`` become those constants, integers and floats become
    numbers, anything else stays a string (``-p article 2010-x.txt`` is a string).
    Only for parameters whose type the notebook does not declare: see
    :func:`coerce_parameter`.
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


@dataclass(frozen=True)
class Parameter:
    """A name assigned in a notebook's ``parameters`` cell, with the types it declares.

    ``types`` holds type names (``"str"``, ``"int"``, ``"float"``, ``"bool"``,
    ``"None"``): from the annotation (``doc_ids: str | None = None``), or else
    from the default value's type (``fail = False`` is a ``bool``). Empty when
    neither says (``x = None``, ``x = f()``).
    """

    name: str
    types: tuple[str, ...] = ()


def _annotation_types(node: ast.expr | None) -> tuple[str, ...]:
    """Type names of an annotation: ``str``, ``str | None``, ``Optional[int]``..."""
    if node is None:
        return ()
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
        return _annotation_types(node.left) + _annotation_types(node.right)
    if isinstance(node, ast.Constant) and node.value is None:
        return ("None",)
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        try:
            return _annotation_types(ast.parse(node.value, mode="eval").body)
        except SyntaxError:
            return ()
    if isinstance(node, ast.Name):
        return (node.id,)
    optional = ("Optional", "typing.Optional")
    if isinstance(node, ast.Subscript) and ast.unparse(node.value) in optional:
        return (*_annotation_types(node.slice), "None")
    return ()


def _default_types(node: ast.expr | None) -> tuple[str, ...]:
    """The type name of a literal default (not ``None``, which says nothing)."""
    try:
        value = ast.literal_eval(node) if node is not None else None
    except ValueError:
        return ()
    if value is None:
        return ()
    return (type(value).__name__,)


def _assigned(statement: ast.stmt) -> list[tuple[str, tuple[str, ...]]]:
    """``(name, types)`` for each name a top-level statement assigns."""
    if isinstance(statement, ast.AnnAssign):
        targets: list[ast.expr] = [statement.target]
        types = _annotation_types(statement.annotation)
    elif isinstance(statement, ast.Assign):
        targets = list(statement.targets)
        single = len(targets) == 1 and isinstance(targets[0], ast.Name)
        types = _default_types(statement.value) if single else ()
    else:
        return []
    found = []
    while targets:
        target = targets.pop(0)
        if isinstance(target, ast.Name):
            found.append((target.id, types))
        elif isinstance(target, (ast.Tuple, ast.List)):
            targets[:0] = list(target.elts)
    return found


def declared_parameter_types(nb: NotebookNode, path: Path | None = None) -> dict[str, Parameter]:
    """The names assigned at top level in the ``parameters`` cell, with their types.

    The cell is read as Python (after IPython turns any ``%magic`` into calls), so
    every assignment counts, whatever its comment says; papermill's own line parser
    gives up on lines such as ``x = None  # None = all; or "a,b"``. The first
    assignment of a name gives its types. A notebook without such a cell declares
    nothing; a cell that is not valid Python raises :class:`ConfigError` naming
    ``path``.
    """
    from IPython.core.inputtransformer2 import TransformerManager

    cell = _parameters_cell(nb)
    if cell is None:
        return {}
    try:
        tree = ast.parse(TransformerManager().transform_cell(cell.source))
    except SyntaxError as error:
        raise ConfigError(
            f"the 'parameters' cell is not valid Python: {error.msg}",
            None if path is None else display_path(path),
            error.lineno,
        ) from error
    declared: dict[str, Parameter] = {}
    for statement in tree.body:
        for name, types in _assigned(statement):
            declared.setdefault(name, Parameter(name, types))
    return declared


def declared_parameters(nb: NotebookNode, path: Path | None = None) -> list[str]:
    """The names assigned at top level in the notebook's ``parameters`` cell, in order.

    See :func:`declared_parameter_types`.
    """
    return list(declared_parameter_types(nb, path))


_TEXT_PARSERS: dict[str, Any] = {"int": int, "float": float}


def coerce_parameter(value: object, parameter: Parameter, notebook: Path | None = None) -> object:
    """A ``-p`` value as the type the notebook declares for it.

    Values that are not text (given from Python) are passed on as they are. Text
    is read as the declared type: kept as text for ``str`` (``-p doc_ids 2009`` is
    the id ``"2009"``, never the number), ``None`` for the text ``None`` where the
    type allows it, ``True``/``False`` for ``bool``, a number for ``int`` or
    ``float``. An undeclared type falls back to papermill's reading
    (:func:`parse_parameter_value`). Text that is not of the declared type raises
    :class:`ConfigError`.
    """
    if not isinstance(value, str) or not parameter.types:
        return parse_parameter_value(value) if isinstance(value, str) else value
    types = parameter.types
    if "None" in types and value == "None":
        return None
    if "str" in types:
        return value
    if "bool" in types and value in ("True", "False"):
        return value == "True"
    for name in types:
        if name in _TEXT_PARSERS:
            try:
                return _TEXT_PARSERS[name](value)
            except ValueError:
                pass
    where = "" if notebook is None else f" in {display_path(notebook)}"
    raise ConfigError(
        f"parameter {parameter.name} is declared {' | '.join(types)}{where}; "
        f"{value!r} is not of that type"
    )


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
        super().__init__(f"notebook failed {where}:\n{problem}", display_path(self.notebook))


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
        raise ConfigError(f"cannot read the notebook: {error}", display_path(source)) from error
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


def strip_saved_notebook(model: dict, **kwargs: object) -> None:
    """A Jupyter ``pre_save_hook``: save notebooks without outputs (:func:`strip_notebook`).

    ``make lab`` installs it (``config/jupyter/jupyter_server_config.py``), so a
    notebook run and saved in JupyterLab leaves ``git status`` clean.
    """
    if model.get("type") != "notebook" or not isinstance(model.get("content"), dict):
        return
    nb = nbformat.from_dict(model["content"])
    strip_notebook(nb)
    model["content"] = nb
