"""The JupyterLab loop: notebooks saved without outputs, project errors shown short.

Both run real components: a Jupyter server with the configuration ``make lab``
installs, and a Python kernel.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import nbclient
import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook, new_output

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "test-token"

pytestmark = [pytest.mark.notebook, pytest.mark.slow]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _request(url: str, method: str = "GET", body: dict | None = None) -> dict:
    data = None if body is None else json.dumps(body).encode("utf-8")
    request = urllib.request.Request(url, data=data, method=method)
    request.add_header("Authorization", f"token {TOKEN}")
    request.add_header("Content-Type", "application/json")
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read() or b"{}")


@pytest.fixture
def server(tmp_path: Path):
    config = tmp_path / "config"
    config.mkdir()
    shutil.copy(ROOT / "config" / "jupyter" / "jupyter_server_config.py", config)
    root = tmp_path / "root"
    root.mkdir()
    port = _free_port()
    env = {**os.environ, "JUPYTER_CONFIG_DIR": str(config), "PYTHONPATH": str(ROOT)}
    process = subprocess.Popen(
        [sys.executable, "-m", "jupyter_server", f"--ServerApp.root_dir={root}",
         f"--ServerApp.port={port}", "--ServerApp.open_browser=False",
         f"--IdentityProvider.token={TOKEN}", "--ServerApp.ip=127.0.0.1", "--allow-root"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            try:
                _request(f"{base}/api/status")
                break
            except OSError:
                time.sleep(0.25)
        else:
            raise AssertionError("the Jupyter server did not start")
        yield base, root
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_a_notebook_saved_in_jupyter_keeps_no_outputs(server) -> None:
    base, root = server
    printed = [new_output("stream", text="تضامن\n")]
    nb = new_notebook(cells=[new_code_cell("print('تضامن')", execution_count=3, outputs=printed)])
    _request(f"{base}/api/contents/run.ipynb", "PUT",
             {"type": "notebook", "format": "json", "content": nb})  # fmt: skip
    saved = nbformat.read(root / "run.ipynb", as_version=4)
    assert saved.cells[0].source == "print('تضامن')"
    assert saved.cells[0].outputs == [] and saved.cells[0].execution_count is None


def test_a_project_error_shows_as_one_short_message(tmp_path: Path) -> None:
    nb = new_notebook(cells=[new_code_cell(
        "from analysis.lexicon import load_frame_lexicon\n"
        f"load_frame_lexicon({str(tmp_path / 'missing')!r})"
    )])  # fmt: skip
    client = nbclient.NotebookClient(nb, kernel_name="python3", allow_errors=True,
                                     resources={"metadata": {"path": str(ROOT)}})  # fmt: skip
    client.execute()
    [error] = nb.cells[0].outputs
    assert error.ename == "LexiconError"
    assert (
        error.traceback[0] == f"LexiconError: {tmp_path / 'missing' / 'frames.csv'}: file not found"
    )
    assert len(error.traceback) == 2 and "full_traceback()" in error.traceback[1]


def test_a_notebook_run_outside_make_report_leaves_figures_alone() -> None:
    """Run as in JupyterLab (the notebook's own parameters): figures go under build/."""
    figures = ROOT / "figures"
    before = {p.name: p.read_bytes() for p in figures.iterdir()}
    nb = nbformat.read(ROOT / "notebooks" / "02-framing-terms.ipynb", as_version=4)
    where = {"metadata": {"path": str(ROOT / "notebooks")}}
    client = nbclient.NotebookClient(nb, kernel_name="python3", resources=where)
    client.execute()
    assert {p.name: p.read_bytes() for p in figures.iterdir()} == before
    assert (ROOT / "build" / "figures" / "frame-rates.png").stat().st_size > 1000
