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

A run writes into a staging folder (``build/staging/``, or ``.staging/`` in the
``--output-dir``) and swaps executed notebooks, pages and figures in together at
the end (:mod:`analysis.report.staging`): notebooks that declare a ``figures_dir``
parameter save their figures into the staging folder. A failing notebook makes the
command exit with status 1 and a message naming the notebook, the cell and the
failing line; a file that cannot be written (a read-only folder, a full disk)
exits with status 1 and one line naming it. Either way the previous reports and
figures stay exactly as they were, and no temporary file or backup is left; a
killed run is cleaned up by the next one. The notebook as far as it ran is saved
to ``build/notebooks/failed/`` for inspection. Bad usage exits with status 2.

Parameters (``-p key value``) are read as the types the notebook's
``parameters`` cell declares (``doc_ids: str | None`` keeps ``2009`` as text).
Relative paths given for ``metadata``, ``lexicon_dir`` and ``figures_dir`` count
from the current directory, as for any command; the notebooks receive them
relative to their own folder, their working directory. A parameterised run writes
to ``--output-dir`` (default ``build/runs/<parameters>``), never over the main
reports and figures: figures go to the run's own ``figures/`` folder, or to
``figures_dir`` if given. No output folder may lie inside the corpus folder (or
the folder of the ``metadata`` table given).

``--strip`` removes outputs and execution counts from the source notebooks (for
contributors, before committing); ``--strip --check`` only reports which ones need it.
"""

from __future__ import annotations

import argparse
import os
import re
import secrets
import signal
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import nbformat
from nbformat import NotebookNode

from analysis import paths
from analysis.errors import AnalysisError, ConfigError
from analysis.lexicon.schema import load_frame_lexicon
from analysis.paths import display_path
from analysis.report.html import NO_CODE_DIR, IndexEntry, export_html, notebook_title, render_index
from analysis.report.notebooks import (
    DEFAULT_TIMEOUT,
    INJECTED_TAG,
    NotebookExecutionError,
    Parameter,
    coerce_parameter,
    declared_parameter_types,
    discover_notebooks,
    execute_notebook,
    inject_parameters,
    select_notebooks,
    strip_notebook,
)
from analysis.report.pages import Link, PageContext, stamp
from analysis.report.staging import ReportWriteError, Staging, write_error

#: The parameter through which a notebook learns where to save its figures.
FIGURES_PARAMETER = "figures_dir"
#: Parameters that name files or folders (relative ones count from the notebook's folder).
PATH_PARAMETERS = ("metadata", "lexicon_dir", FIGURES_PARAMETER)


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


@dataclass(frozen=True)
class OutputLayout:
    """Where a run writes: executed notebooks, HTML reports, notebooks' figures, staging."""

    executed_dir: Path
    reports_dir: Path
    figures_dir: Path
    staging_dir: Path

    @classmethod
    def default(cls) -> OutputLayout:
        """The main run: ``build/notebooks``, ``reports/``, ``figures/``; ``build/staging``."""
        return cls(
            paths.BUILD_DIR / "notebooks",
            paths.REPORTS_DIR,
            paths.FIGURES_DIR,
            paths.BUILD_DIR / "staging",
        )

    @classmethod
    def under(cls, output_dir: Path) -> OutputLayout:
        """A separate run: ``notebooks/``, ``reports/``, ``figures/``, ``.staging/`` inside it."""
        output_dir = Path(output_dir)
        return cls(
            output_dir / "notebooks",
            output_dir / "reports",
            output_dir / "figures",
            output_dir / ".staging",
        )

    def targets(self) -> dict[str, Path]:
        """The destination folders, by the name of their staged counterpart."""
        return {
            "notebooks": self.executed_dir,
            "reports": self.reports_dir,
            "figures": self.figures_dir,
        }

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


def _refuse_undeclared(
    parameters: Mapping[str, object], declared: Mapping[Path, Mapping[str, Parameter]]
) -> None:
    known = {name for names in declared.values() for name in names}
    unknown = sorted(set(parameters) - known)
    if unknown:
        raise ConfigError(
            f"parameter(s) {', '.join(unknown)} not declared in the 'parameters' cell of "
            + ", ".join(display_path(nb) for nb in declared)
        )


def _inside(folder: Path, other: Path) -> bool:
    return folder.resolve().is_relative_to(other.resolve())


def _refuse_unsafe_outputs(
    layout: OutputLayout, sources: Sequence[Path], parameters: Mapping[str, object]
) -> None:
    """No output may overwrite a source notebook or lie inside a corpus folder."""
    for source in sources:
        if (layout.executed_dir / source.name).resolve() == source.resolve():
            raise ConfigError(
                f"the executed copies would overwrite the source notebooks in "
                f"{display_path(layout.executed_dir)}; choose another --output-dir"
            )
    corpora = [paths.CORPUS_DIR]
    metadata = parameters.get("metadata")
    if isinstance(metadata, str) and metadata:
        corpora.append((sources[0].parent / metadata).parent)
    for folder in (*layout.targets().values(), layout.staging_dir):
        for corpus in corpora:
            if _inside(folder, corpus):
                raise ConfigError(
                    f"{display_path(folder)} is inside the corpus folder {display_path(corpus)}, "
                    "which is never written; choose another --output-dir (or figures_dir)"
                )


def _show_final_parameters(nb: NotebookNode, source: Path, shown: Mapping[str, object]) -> None:
    """Make the injected cell of an executed notebook show ``shown``.

    The notebook saved its figures into the staging folder; its executed copy
    and pages show where they are once the run is swapped in.
    """
    injected = inject_parameters(nbformat.read(source, as_version=4), shown)
    cell = next(c for c in injected.cells if INJECTED_TAG in c.metadata.get("tags", []))
    for target in nb.cells:
        if INJECTED_TAG in target.metadata.get("tags", []):
            target.source = cell.source
    nb.metadata["papermill"] = injected.metadata["papermill"]


def _save_failed_copy(
    error: NotebookExecutionError, folder: Path, log: Callable[[str], None]
) -> None:
    """Keep the notebook as far as it ran, for inspection (outside the staged outputs)."""
    if error.executed is None:
        return
    saved = folder / "failed" / error.notebook.name
    try:
        write_atomic(saved, nbformat.writes(error.executed) + "\n")
    except OSError as problem:
        log(f"warning: could not save the failed notebook to {display_path(saved)}: {problem}")
        return
    error.saved_copy = saved


def _execute(
    source: Path,
    own: dict[str, object],
    declares_figures: bool,
    staging: Staging,
    layout: OutputLayout,
    *,
    timeout: int,
    log: Callable[[str], None],
) -> NotebookNode:
    """Execute one notebook with its figures going to the staging folder."""
    shown = dict(own)
    if declares_figures:
        own[FIGURES_PARAMETER] = _path_for_notebook(staging.folder("figures"), source.parent)
        shown[FIGURES_PARAMETER] = _path_for_notebook(layout.figures_dir, source.parent)
    else:
        log(
            f"warning: {display_path(source)} declares no '{FIGURES_PARAMETER}' parameter; "
            "figures it saves go where it says, outside the run's staging"
        )
    started = time.perf_counter()
    try:
        nb = execute_notebook(source, own, timeout=timeout)
    except NotebookExecutionError as error:
        _save_failed_copy(error, layout.executed_dir, log)
        raise
    if declares_figures:
        _show_final_parameters(nb, source, shown)
    log(f"executed {display_path(source)} in {time.perf_counter() - started:.1f} s")
    return nb


def _stage_pages(
    executed: Sequence[tuple[Path, NotebookNode]],
    staging: Staging,
    layout: OutputLayout,
    parameters: Mapping[str, object],
) -> None:
    """Write the executed notebooks, their pages and the indexes into the staging folder."""
    pending: dict[Path, str] = {}
    titles = [notebook_title(nb, source.stem) for source, nb in executed]
    page_stamp = stamp(_lexicon_checksum(parameters))
    for k, (source, nb) in enumerate(executed):
        pending[layout.executed_dir / source.name] = nbformat.writes(nb) + "\n"
        for folder, include_code in ((layout.reports_dir, True), (layout.no_code_dir, False)):
            page = _page_context(executed, titles, k, include_code, page_stamp)
            html = export_html(nb, source, include_code=include_code, page=page)
            pending[folder / f"{source.stem}.html"] = html
    pending.update(_index_pages(executed[0][0].parent, layout, parameters, set(pending)))
    for final, content in pending.items():
        staged = staging.staged_path(final)
        try:
            write_atomic(staged, content)
        except OSError as error:  # a full disk: write() names no file, so name it here
            raise write_error(error, staged) from None


def build_reports(
    notebooks: Sequence[Path],
    layout: OutputLayout,
    parameters: Mapping[str, object] | None = None,
    *,
    timeout: int = DEFAULT_TIMEOUT,
    log: Callable[[str], None] = print,
) -> list[Path]:
    """Execute ``notebooks`` and write their executed copies, HTML pages, indexes and figures.

    Text values of ``parameters`` are read as the types each notebook declares;
    a ``figures_dir`` parameter (relative to the notebooks' folder) replaces the
    layout's figures folder. Everything is staged and swapped in at the end
    (module docstring). If a notebook fails, :class:`NotebookExecutionError` is
    raised and the notebook as far as it got is saved to
    ``<executed_dir>/failed/``; if a file cannot be written,
    :class:`~analysis.report.staging.ReportWriteError` names it. Either way no
    output changes. Returns the files written, in order.
    """
    parameters = dict(parameters or {})
    sources = [Path(nb) for nb in notebooks]
    if not sources:
        raise ConfigError("no notebooks to run (expected files named NN-name.ipynb)")
    declared = {nb: declared_parameter_types(nbformat.read(nb, as_version=4), nb) for nb in sources}
    _refuse_undeclared(parameters, declared)
    figures = parameters.pop(FIGURES_PARAMETER, None)
    if isinstance(figures, (str, Path)) and str(figures):
        layout = replace(layout, figures_dir=sources[0].parent / figures)
    _refuse_unsafe_outputs(layout, sources, parameters)
    try:
        with Staging(layout.staging_dir, layout.targets()) as staging:
            staging.check_writable()
            executed = []
            for source in sources:
                own = {
                    key: coerce_parameter(value, declared[source][key], source)
                    for key, value in parameters.items()
                    if key in declared[source]
                }
                declares = FIGURES_PARAMETER in declared[source]
                nb = _execute(source, own, declares, staging, layout, timeout=timeout, log=log)
                executed.append((source, nb))
            _stage_pages(executed, staging, layout, parameters)
            return staging.commit(log)
    except OSError as error:
        raise write_error(error, layout.staging_dir) from None


def _page_context(
    executed: Sequence[tuple[Path, NotebookNode]],
    titles: Sequence[str],
    k: int,
    include_code: bool,
    page_stamp: str,
) -> PageContext:
    """Navigation of page ``k``: the readers' index, its neighbours in the same variant."""

    def link(j: int) -> Link | None:
        if 0 <= j < len(executed):
            return Link(f"{executed[j][0].stem}.html", titles[j])
        return None

    index = "index.html" if include_code else "../index.html"
    return PageContext(index=index, previous=link(k - 1), next=link(k + 1), stamp=page_stamp)


def _lexicon_checksum(parameters: Mapping[str, object]) -> str:
    """The checksum of the frame lexicon the notebooks were run with ("" if it cannot load)."""
    folder = parameters.get("lexicon_dir")
    where = None if folder is None else paths.PROJECT_ROOT / "notebooks" / str(folder)
    try:
        return load_frame_lexicon(where).checksum
    except AnalysisError:
        return ""


def _index_pages(
    notebooks_dir: Path,
    layout: OutputLayout,
    parameters: Mapping[str, object],
    coming: set[Path],
) -> dict[Path, str]:
    """The ``index.html`` of both variants, listing every notebook exported so far.

    A page counts as exported if it exists or is about to be written (``coming``).
    """
    entries_main: list[IndexEntry] = []
    entries_plain: list[IndexEntry] = []
    for source in discover_notebooks(notebooks_dir):
        page = f"{source.stem}.html"
        with_code = (layout.reports_dir / page) in coming or (layout.reports_dir / page).exists()
        without = (layout.no_code_dir / page) in coming or (layout.no_code_dir / page).exists()
        if not (with_code or without):
            continue
        title = notebook_title(nbformat.read(source, as_version=4), source.stem)
        main_href = f"{NO_CODE_DIR}/{page}" if without else page
        entries_main.append(
            IndexEntry(source.stem, title, main_href, page if without and with_code else None)
        )
        if without:
            entries_plain.append(
                IndexEntry(source.stem, title, page, f"../{page}" if with_code else None)
            )
    description = (
        "Each page is a notebook executed from top to bottom, shown as text, tables and "
        "figures; the link beside each title shows the same page with its code. Start "
        "with the overview: it states the findings, the method and its limits. The pages "
        "read offline; Arabic text is laid out right to left, paragraph by paragraph."
    )
    options = {
        "description": description,
        "parameters": parameters,
        "other_label": "with code",
        "stamp": stamp(_lexicon_checksum(parameters)),
    }
    return {
        layout.reports_dir / "index.html": render_index(entries_main, heading="Reports", **options),
        layout.no_code_dir / "index.html": render_index(
            entries_plain, heading="Reports", **options
        ),
    }


def _strip_files(notebooks: Sequence[Path], *, check: bool, log: Callable[[str], None]) -> int:
    needing = []
    for source in notebooks:
        nb = nbformat.read(source, as_version=4)
        if strip_notebook(nb):
            needing.append(source)
            if not check:
                write_atomic(source, nbformat.writes(nb) + "\n")
                log(f"stripped {display_path(source)}")
    if check and needing:
        log("outputs to strip (run `make strip`): " + ", ".join(display_path(p) for p in needing))
        return 1
    if not needing:
        log("all notebooks are stripped")
    return 0


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


def _paths_for_notebooks(
    parameters: Mapping[str, str], notebooks_dir: Path, log: Callable[[str], None]
) -> dict[str, str]:
    """Path parameters typed relative to the current directory, as the notebooks see them.

    A notebook's working directory is its own folder, so ``-p metadata
    corpus2/metadata.csv`` reaches it as ``../corpus2/metadata.csv`` (inside the
    project) or as an absolute path (outside it). The change is logged.
    """
    converted = dict(parameters)
    for key in PATH_PARAMETERS:
        value = parameters.get(key, "")
        if value in ("", "None"):
            continue
        converted[key] = _path_for_notebook(Path.cwd() / Path(value).expanduser(), notebooks_dir)
        if converted[key] != value:
            log(f"parameter {key}: {value} (from here) is {converted[key]} from the notebooks")
    return converted


def _layout_for(args: argparse.Namespace, parameters: Mapping[str, str]) -> OutputLayout:
    if args.output_dir is not None:
        return OutputLayout.under(args.output_dir)
    if parameters:
        return OutputLayout.under(paths.BUILD_DIR / "runs" / _run_slug(parameters))
    return OutputLayout.default()


def _report_failure(error: AnalysisError) -> int:
    """Print a failed run's error to stderr; the exit status (1 failed, 2 bad usage)."""
    print(f"error: {error}", file=sys.stderr)
    if isinstance(error, NotebookExecutionError):
        if error.saved_copy is not None:
            print(
                f"The notebook as far as it ran is in {display_path(error.saved_copy)}.",
                file=sys.stderr,
            )
        print("No report was written: the previous reports are unchanged.", file=sys.stderr)
        return 1
    return 1 if isinstance(error, ReportWriteError) else 2


def _stop_on_sigterm() -> None:
    """Let ``kill`` (SIGTERM) unwind like Ctrl-C, so the staging folder is removed."""

    def stop(signum: int, frame: object) -> None:
        raise SystemExit(128 + signum)

    if hasattr(signal, "SIGTERM"):
        signal.signal(signal.SIGTERM, stop)


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
        parameters = _paths_for_notebooks(dict(args.parameter), Path(notebooks_dir), log)
        layout = _layout_for(args, parameters)
        _stop_on_sigterm()
        build_reports(notebooks, layout, parameters, timeout=args.timeout, log=log)
    except AnalysisError as error:
        return _report_failure(error)
    except OSError as error:  # not from the run's own writes (those are ReportWriteError)
        print(f"error: {error.filename or ''}: {error.strerror or error}", file=sys.stderr)
        return 1
    return 0
