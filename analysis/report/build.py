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
import os
import re
import secrets
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
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
    NotebookExecutionError,
    declared_parameters,
    discover_notebooks,
    execute_notebook,
    parse_parameter_value,
    select_notebooks,
    strip_notebook,
)
from analysis.report.pages import Link, PageContext, stamp

#: The parameter through which a notebook learns where to save its figures.
FIGURES_PARAMETER = "figures_dir"


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
            + ", ".join(display_path(nb) for nb in sources)
        )
    for source in sources:
        if (layout.executed_dir / source.name).resolve() == source.resolve():
            raise ConfigError(
                f"the executed copies would overwrite the source notebooks in "
                f"{display_path(layout.executed_dir)}; choose another --output-dir"
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
                    f"warning: {display_path(source)} declares no '{FIGURES_PARAMETER}' "
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
            log(f"executed {display_path(source)} in {time.perf_counter() - started:.1f} s")
            executed.append((source, nb))

    pending: dict[Path, str] = {}
    titles = [notebook_title(nb, source.stem) for source, nb in executed]
    page_stamp = stamp(_lexicon_checksum(parameters))
    for k, (source, nb) in enumerate(executed):
        pending[layout.executed_dir / source.name] = nbformat.writes(nb) + "\n"
        for folder, include_code in ((layout.reports_dir, True), (layout.no_code_dir, False)):
            page = _page_context(executed, titles, k, include_code, page_stamp)
            html = export_html(nb, source, include_code=include_code, page=page)
            pending[folder / f"{source.stem}.html"] = html
    pending.update(_index_pages(sources[0].parent, layout, parameters, set(pending)))
    for path, content in pending.items():
        write_atomic(path, content)
        log(f"wrote {display_path(path)}")
    return list(pending)


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
                f"The notebook as far as it ran is in {display_path(error.saved_copy)}.",
                file=sys.stderr,
            )
        print("No report was written: the previous reports are unchanged.", file=sys.stderr)
        return 1
    except AnalysisError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    return 0
