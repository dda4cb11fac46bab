"""Building the reports: execution, outputs, determinism, failures, atomic writes.

The fixture notebook (tests/fixtures/notebooks/01-rtl-fixture.ipynb) is executed
three times in this module (two good builds, one run that fails in a second
notebook), each in a fresh kernel: about 5 s each. All tests of the module run on one
xdist worker (one xdist group) so the builds are made once.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from analysis import report
from analysis.errors import ConfigError
from analysis.report import build as report_build
from analysis.report import notebooks as report_notebooks

pytestmark = [pytest.mark.notebook, pytest.mark.xdist_group("report_build")]

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = ROOT / "tests" / "fixtures" / "notebooks" / "01-rtl-fixture.ipynb"
NAME = FIXTURE.stem


@dataclass
class Build:
    root: Path
    status: int
    source_bytes: bytes  # the source notebook as it was before the run

    @property
    def notebooks(self) -> Path:
        return self.root / "notebooks"

    @property
    def out(self) -> Path:
        return self.root / "out"

    @property
    def executed(self) -> Path:
        return self.out / "notebooks" / FIXTURE.name


def _build(root: Path) -> Build:
    notebooks = root / "notebooks"
    notebooks.mkdir()
    shutil.copy(FIXTURE, notebooks / FIXTURE.name)
    source_bytes = (notebooks / FIXTURE.name).read_bytes()
    argv = ["--notebooks-dir", str(notebooks), "--output-dir", str(root / "out")]
    status = report.main([*argv, "-p", "fail", "False"])
    return Build(root, status, source_bytes)


# Session scope: xdist may interleave other modules' tests on this worker, which
# would tear a module-scoped build down and make it again.
@pytest.fixture(scope="session")
def builds(tmp_path_factory: pytest.TempPathFactory) -> tuple[Build, Build]:
    """Two independent builds of the fixture, laid out alike (same relative paths)."""
    return (
        _build(tmp_path_factory.mktemp("first")),
        _build(tmp_path_factory.mktemp("second")),
    )


def _cell(nb: nbformat.NotebookNode, cell_id: str) -> nbformat.NotebookNode:
    return next(cell for cell in nb.cells if cell.get("id") == cell_id)


def _snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    return {
        str(path.relative_to(folder)): (path.read_bytes(), path.stat().st_mtime_ns)
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


# --- a good build -------------------------------------------------------------------


def test_build_writes_executed_notebook_pages_indexes_and_figure(builds):
    build = builds[0]
    assert build.status == 0
    expected = {
        f"notebooks/{NAME}.ipynb",
        f"reports/{NAME}.html",
        f"reports/no-code/{NAME}.html",
        "reports/index.html",
        "reports/no-code/index.html",
        # The figure went to the run's own figures folder, through the injected
        # figures_dir parameter, resolved from the notebook's folder (the cwd).
        "figures/fixture-bars.png",
    }
    written = {str(p.relative_to(build.out)) for p in build.out.rglob("*") if p.is_file()}
    assert written == expected  # also: no temporary files left behind
    assert not (build.root / "figures").exists()  # the notebook's default "../figures"


def test_source_notebook_is_not_rewritten(builds):
    source_file = builds[0].notebooks / FIXTURE.name
    assert source_file.read_bytes() == builds[0].source_bytes
    source = nbformat.read(source_file, as_version=4)
    assert all(not cell.get("outputs") for cell in source.cells)


def test_parameters_are_injected_after_the_parameters_cell(builds):
    nb = nbformat.read(builds[0].executed, as_version=4)
    ids = [cell.get("id") for cell in nb.cells]
    # Source order: arabic-prose, english-prose, parameters, table, ... ; papermill's
    # cell comes right after "parameters", with a fixed id.
    assert ids[2:4] == ["parameters", "injected-parameters"]
    injected = nb.cells[3].source
    assert 'figures_dir = "../out/figures"' in injected  # relative to notebooks/
    assert "fail = False" in injected
    assert nb.metadata.papermill.parameters == {"fail": False, "figures_dir": "../out/figures"}


def test_executed_outputs_are_the_ones_the_code_prints(builds):
    nb = nbformat.read(builds[0].executed, as_version=4)
    # Read from the fixture's "printed" cell: four print() calls, one line each.
    printed = _cell(nb, "printed").outputs
    assert [o.output_type for o in printed] == ["stream"]
    assert printed[0].text == (
        "<script>window.__pwned=1</script>\n"
        '"><img src=x onerror="window.__pwned=2">\n'
        "التضامن مع الشعب الصحراوي | (3) UN\n"
        "English line\n"
    )
    # The last cell evaluates the string "done" (fail is False).
    assert _cell(nb, "failure").outputs[0].data["text/plain"] == "'done'"
    # The Styler's text repr carries a memory address, masked so re-runs compare equal.
    styled = _cell(nb, "styled-table").outputs[0].data["text/plain"]
    assert styled == "<pandas.io.formats.style.Styler at 0x…>"
    # The figure cell shows one inline PNG although make exports MPLBACKEND=Agg.
    figure = _cell(nb, "figure").outputs
    assert any("image/png" in o.get("data", {}) for o in figure)


def test_no_timing_or_timestamp_metadata(builds):
    nb = nbformat.read(builds[0].executed, as_version=4)
    assert all("execution" not in cell.metadata for cell in nb.cells)
    text = builds[0].executed.read_text(encoding="utf-8")
    for key in ("start_time", "end_time", "duration", "iopub.", "shell.execute_reply"):
        assert key not in text


def test_re_execution_gives_identical_notebooks_and_pages(builds):
    first, second = builds
    assert first.status == second.status == 0
    assert first.executed.read_bytes() == second.executed.read_bytes()
    for page in (f"reports/{NAME}.html", f"reports/no-code/{NAME}.html", "reports/index.html"):
        assert (first.out / page).read_bytes() == (second.out / page).read_bytes(), page


def test_index_pages_link_each_variant_with_the_notebook_title(builds):
    index = (builds[0].out / "reports" / "index.html").read_text(encoding="utf-8")
    plain = (builds[0].out / "reports" / "no-code" / "index.html").read_text(encoding="utf-8")
    title = "تقرير تجريبي: التضامن مع الشعب الصحراوي"  # the fixture's first heading
    # readers land on the page without code; the code is one link further
    assert (
        f'<a href="no-code/{NAME}.html"><span class="title" dir="auto">{title}</span></a>' in index
    )
    assert f'<a href="{NAME}.html">with code</a>' in index
    assert f'<a href="{NAME}.html"><span class="title" dir="auto">{title}</span></a>' in plain
    assert f'<a href="../{NAME}.html">with code</a>' in plain
    assert "<code>fail = False</code>" in index


def test_the_figure_is_embedded_not_linked(builds):
    page = (builds[0].out / "reports" / f"{NAME}.html").read_text(encoding="utf-8")
    sources = re.findall(r'<img[^>]*\ssrc="([^"]*)"', page)
    assert len(sources) == 1  # the fixture shows one figure
    assert sources[0].startswith("data:image/png;base64,iVBORw0KGgo")  # PNG signature


# --- a failing run ------------------------------------------------------------------


def test_failing_notebook_exits_1_names_cell_and_leaves_previous_output(builds, tmp_path):
    build = builds[0]
    # Stand-in for an older good figure: the failed run re-saves this file (from 01),
    # and it must come back as it was, bytes and time.
    (build.out / "figures" / "fixture-bars.png").write_bytes(b"previous figure")
    before = _snapshot(build.out)
    # The same fixture (runs fine) plus a second notebook whose fourth cell divides by
    # zero: a markdown cell, a parameters cell, a cell that saves a figure, "1 / 0".
    # The injected parameters cell (after the parameters cell) must not shift the
    # number a reader sees in JupyterLab: cell 4.
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    shutil.copy(FIXTURE, notebooks / FIXTURE.name)
    parameters = new_code_cell('figures_dir = "../figures"\nfail = True', id="parameters")
    parameters.metadata["tags"] = ["parameters"]
    broken = new_notebook(
        cells=[
            new_markdown_cell("# Broken", id="title"),
            parameters,
            new_code_cell(
                'from pathlib import Path\nPath(figures_dir, "partial.png").write_bytes(b"x")',
                id="save",
            ),
            new_code_cell("1 / 0", id="divide"),
        ],
        metadata={"kernelspec": {"name": "python3", "language": "python", "display_name": "P"}},
    )
    nbformat.write(broken, notebooks / "02-broken.ipynb")
    command = [
        sys.executable,
        "-m",
        "analysis.report",
        "--notebooks-dir",
        str(notebooks),
        "--output-dir",
        str(build.out),
        "-p",
        "fail",
        "False",
    ]
    result = subprocess.run(
        command, cwd=tmp_path, capture_output=True, text=True, timeout=300, check=False
    )
    assert result.returncode == 1, result.stderr
    message = result.stderr
    assert "notebooks/02-broken.ipynb" in message  # relative to the cwd
    # cell 4 of the file; In [4]: the parameters, injected, and saving cells ran first.
    assert 'cell 4 (In [4], id "divide")' in message
    assert "'1 / 0'" in message
    assert "ZeroDivisionError: division by zero" in message
    assert "previous reports are unchanged" in message
    assert "analysis/report/" not in message  # the notebook's traceback, not ours
    # 01 executed fine, but nothing was written: every previous file is byte-identical
    # with the same mtime (the figure restored, partial.png removed, no backup left);
    # the only new file is the failed notebook's copy.
    after = _snapshot(build.out)
    failed_copy = "notebooks/failed/02-broken.ipynb"
    assert set(after) == set(before) | {failed_copy}
    assert {k: v for k, v in after.items() if k != failed_copy} == before
    saved = nbformat.read(build.out / failed_copy, as_version=4)
    assert _cell(saved, "divide").outputs[0].ename == "ZeroDivisionError"


# --- checks that need no kernel ------------------------------------------------------


def test_undeclared_parameter_is_refused_before_anything_runs(tmp_path, capsys):
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    shutil.copy(FIXTURE, notebooks / FIXTURE.name)
    out = tmp_path / "out"
    status = report.main(
        ["--notebooks-dir", str(notebooks), "--output-dir", str(out), "-p", "artcle", "x"]
    )
    assert status == 2
    error = capsys.readouterr().err
    assert "artcle" in error and FIXTURE.name in error
    assert not out.exists()


def test_output_dir_that_would_overwrite_the_sources_is_refused(tmp_path, capsys):
    # --output-dir . from the project root: executed copies would go to ./notebooks.
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    shutil.copy(FIXTURE, notebooks / FIXTURE.name)
    status = report.main(["--notebooks-dir", str(notebooks), "--output-dir", str(tmp_path)])
    assert status == 2
    assert "would overwrite the source notebooks" in capsys.readouterr().err
    assert (notebooks / FIXTURE.name).read_bytes() == FIXTURE.read_bytes()
    assert not (tmp_path / "reports").exists()


def test_unknown_notebook_name_lists_the_available_ones(tmp_path, capsys):
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    shutil.copy(FIXTURE, notebooks / FIXTURE.name)
    status = report.main(["--notebooks-dir", str(notebooks), "--notebook", "07"])
    assert status == 2
    assert f"no notebook named '07'; available: {NAME}" in capsys.readouterr().err


def test_select_notebooks_by_file_name_stem_or_number():
    notebooks = [Path("nb/01-corpus.ipynb"), Path("nb/02-frames.ipynb"), Path("nb/03-kwic.ipynb")]
    assert report.select_notebooks(notebooks, ["03", "01-corpus"]) == [notebooks[0], notebooks[2]]
    assert report.select_notebooks(notebooks, ["02-frames.ipynb", "02"]) == [notebooks[1]]
    with pytest.raises(ConfigError, match="01-corpus, 02-frames, 03-kwic"):
        report.select_notebooks(notebooks, ["04"])


def test_discover_takes_only_numbered_notebooks_in_order(tmp_path):
    for name in ("02-b.ipynb", "01-a.ipynb", "scratch.ipynb", "1-x.ipynb", "10-c.ipynb"):
        (tmp_path / name).write_text("{}", encoding="utf-8")
    assert [p.name for p in report.discover_notebooks(tmp_path)] == [
        "01-a.ipynb",
        "02-b.ipynb",
        "10-c.ipynb",
    ]
    with pytest.raises(ConfigError, match="no such notebooks folder"):
        report.discover_notebooks(tmp_path / "missing")


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("True", True),
        ("False", False),
        ("None", None),
        ("12", 12),
        ("-3", -3),
        ("0.5", 0.5),
        ("2010-x.txt", "2010-x.txt"),
        ("true", "true"),  # papermill's CLI only knows the Python spellings
        ("", ""),
    ],
)
def test_parse_parameter_value(text, value):
    parsed = report.parse_parameter_value(text)
    assert parsed == value and type(parsed) is type(value)


def test_declared_parameters_reads_the_cell_as_python(tmp_path):
    source = (
        "%matplotlib inline\n"
        'doc_ids = None  # None = every document; or "id1,id2"\n'  # papermill gives up here
        "width: int = 3\n"
        "low, high = 1, 2\n"
        "rows = [1,\n    2]\n"
        "width = 4\n"  # assigned twice, declared once
        "import math\n"  # not an assignment
    )
    cell = new_code_cell(source)
    cell.metadata["tags"] = ["parameters"]
    names = report.declared_parameters(new_notebook(cells=[cell]))
    assert names == ["doc_ids", "width", "low", "high", "rows"]
    cell.source = "x = = 1"
    with pytest.raises(ConfigError, match=r"nb\.ipynb, line 1: the 'parameters' cell"):
        report.declared_parameters(new_notebook(cells=[cell]), tmp_path / "nb.ipynb")


def test_declared_parameters_of_the_fixture():
    nb = nbformat.read(FIXTURE, as_version=4)
    assert report.declared_parameters(nb) == ["figures_dir", "fail"]
    assert report.declared_parameters(new_notebook(cells=[new_code_cell("x = 1")])) == []


def test_figures_path_is_relative_inside_the_project_absolute_outside(tmp_path):
    notebooks = tmp_path / "project" / "notebooks"
    run = tmp_path / "project" / "build" / "runs" / "x" / "figures"
    assert report_build._path_for_notebook(run, notebooks) == "../build/runs/x/figures"
    outside = tmp_path / "elsewhere" / "figures"
    assert report_build._path_for_notebook(outside, notebooks) == str(outside.resolve())


def test_kernel_is_the_running_interpreter():
    # A "python3" kernelspec elsewhere (user or system folders) must not be used.
    manager = report_notebooks._kernel_manager()
    assert manager.kernel_spec.argv[0] == sys.executable
    assert manager.kernel_spec.argv[1:3] == ["-m", "ipykernel_launcher"]


def test_notebook_title_from_metadata_or_first_heading():
    nb = new_notebook(cells=[new_markdown_cell("intro\n\n## The *frames* of [UN](x)\n# Later")])
    assert report.notebook_title(nb, "fallback") == "The frames of UN"
    nb.metadata["title"] = "Given"
    assert report.notebook_title(nb, "fallback") == "Given"
    assert report.notebook_title(new_notebook(), "fallback") == "fallback"


# --- atomic writes ------------------------------------------------------------------


def test_write_atomic_replaces_whole_file_with_normal_permissions(tmp_path):
    target = tmp_path / "page.html"
    report.write_atomic(target, "old")
    report.write_atomic(target, "نص جديد")
    assert target.read_text(encoding="utf-8") == "نص جديد"
    umask = os.umask(0)
    os.umask(umask)
    assert target.stat().st_mode & 0o777 == 0o666 & ~umask
    assert [p.name for p in tmp_path.iterdir()] == ["page.html"]


@pytest.mark.parametrize("failing", ["fsync", "replace"])
def test_write_atomic_failure_keeps_the_old_file_and_no_temporary(tmp_path, monkeypatch, failing):
    target = tmp_path / "page.html"
    target.write_text("previous good output", encoding="utf-8")

    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(os, failing, broken)
    with pytest.raises(OSError, match="disk full"):
        report.write_atomic(target, "half" * 1000)
    monkeypatch.undo()
    assert target.read_text(encoding="utf-8") == "previous good output"
    assert [p.name for p in tmp_path.iterdir()] == ["page.html"]


def test_export_failure_leaves_previous_pages(builds, tmp_path, monkeypatch):
    # A crash while exporting (after execution) must not leave a half-written page.
    page = tmp_path / "reports" / f"{NAME}.html"
    report.write_atomic(page, "previous page")

    def crash(*args, **kwargs):
        raise RuntimeError("template error")

    nb = nbformat.read(builds[0].executed, as_version=4)
    monkeypatch.setattr(report_build, "export_html", crash)
    monkeypatch.setattr(report_build, "execute_notebook", lambda *a, **k: nb)
    layout = report.OutputLayout.under(tmp_path)
    with pytest.raises(RuntimeError, match="template error"):
        report.build_reports([builds[0].notebooks / FIXTURE.name], layout, log=lambda _: None)
    assert page.read_text(encoding="utf-8") == "previous page"
    assert not list((tmp_path / "reports").glob(".*.tmp"))


# --- stripping ----------------------------------------------------------------------


def test_strip_check_then_strip(builds, tmp_path, capsys):
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    target = notebooks / FIXTURE.name
    shutil.copy(builds[0].executed, target)  # has outputs, counts, papermill metadata
    executed = target.read_bytes()

    assert report.main(["--notebooks-dir", str(notebooks), "--strip", "--check"]) == 1
    assert target.read_bytes() == executed  # --check changes nothing
    assert report.main(["--notebooks-dir", str(notebooks), "--strip"]) == 0
    stripped = nbformat.read(target, as_version=4)
    for cell in stripped.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None
    assert "papermill" not in stripped.metadata
    # Sources, ids and tags survive (the injected cell is a cell of the executed copy).
    original = nbformat.read(builds[0].executed, as_version=4)
    assert [c.source for c in stripped.cells] == [c.source for c in original.cells]
    assert _cell(stripped, "parameters").metadata.tags == ["parameters"]
    assert report.main(["--notebooks-dir", str(notebooks), "--strip", "--check"]) == 0
    assert "all notebooks are stripped" in capsys.readouterr().out


def test_committed_fixture_is_stripped():
    nb = nbformat.read(FIXTURE, as_version=4)
    assert report.strip_notebook(nb) is False
    assert json.loads(FIXTURE.read_text(encoding="utf-8"))["nbformat"] == 4


def test_a_kernel_that_does_not_start_is_retried_then_reported(tmp_path, monkeypatch):
    from jupyter_client.kernelspec import KernelSpecManager
    from jupyter_client.manager import KernelManager

    spec = tmp_path / "kernels" / "dead"
    spec.mkdir(parents=True)
    argv = [sys.executable, "-c", "raise SystemExit(3)"]  # dies at once, never answers
    (spec / "kernel.json").write_text(
        json.dumps({"argv": argv, "display_name": "dead", "language": "python"}),
        encoding="utf-8",
    )
    starts = []

    def dead_kernel():
        starts.append(1)
        specs = KernelSpecManager(kernel_dirs=[str(tmp_path / "kernels")])
        return KernelManager(kernel_name="dead", kernel_spec_manager=specs)

    monkeypatch.setattr(report_notebooks, "_kernel_manager", dead_kernel)
    monkeypatch.setattr(report_notebooks, "KERNEL_START_ATTEMPTS", 2)  # ~2 s per attempt
    source = tmp_path / "01-x.ipynb"
    nbformat.write(new_notebook(cells=[new_code_cell("1")]), source)
    with pytest.raises(report.NotebookExecutionError, match="kernel did not start") as caught:
        report.execute_notebook(source)
    assert len(starts) == 2  # started again once, then reported
    assert caught.value.cell_number is None
    assert "before the first cell" in str(caught.value)
