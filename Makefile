# Two commands (see README):
#   make report   set up .venv if needed, execute every notebook, write figures/ and reports/
#   make test     set up .venv (and .venv-mpl310) if needed, run the whole test suite
# Setup is idempotent: an install is redone only when pyproject.toml or requirements.lock change.

PYTHON ?= python3
VENV := .venv
LEGACY := .venv-mpl310
PY := $(VENV)/bin/python
UV := $(VENV)/bin/uv
export PYTHONHASHSEED := 0
export SOURCE_DATE_EPOCH := 1259625600
export MPLBACKEND := Agg

.PHONY: setup setup-legacy report test lint strip lab clean

setup: $(VENV)/.installed

# --compile-bytecode and compileall: these machines set PYTHONDONTWRITEBYTECODE, so
# without .pyc files every process (each notebook kernel, each worker) compiled
# pandas, matplotlib and the rest again (2.3 s to import them instead of 0.75 s).
$(VENV)/.installed: pyproject.toml requirements.lock
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@test -x $(UV) || $(PY) -m pip install --quiet --disable-pip-version-check uv
	$(UV) pip install --quiet --compile-bytecode --python $(PY) -r requirements.lock -e '.[dev]' --reinstall-package arabic-framing-analysis
	$(PY) -m compileall -q analysis
	@touch $@

# A second environment with matplotlib < 3.11 (no libraqm): the plotting helper's
# reshaping path is tested there too.
setup-legacy: $(LEGACY)/.installed

$(LEGACY)/.installed: pyproject.toml requirements.lock requirements-legacy.txt $(VENV)/.installed
	@test -x $(LEGACY)/bin/python || $(PYTHON) -m venv $(LEGACY)
	$(UV) pip install --quiet --compile-bytecode --python $(LEGACY)/bin/python --override requirements-legacy.txt -r requirements.lock -e '.[dev]' --reinstall-package arabic-framing-analysis
	@touch $@

report: setup
	$(PY) -m analysis.report

test: setup setup-legacy
	$(PY) -m pytest -n 2 --dist loadgroup
	$(LEGACY)/bin/python -m pytest -m legacy_ok tests/charts

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check analysis tests benchmarks evaluation config

# JupyterLab at the repository root (notebooks/, lexicons/, docs/, figures/ in its file
# browser), opening the overview; the reports' right-to-left CSS is loaded live and
# notebooks are saved without outputs (config/jupyter/). The configuration lives under
# build/, so the user's own Jupyter configuration is untouched.
lab: setup
	@mkdir -p build/jupyter/custom
	@cp analysis/report/templates/offline_rtl/static/offline_rtl.css build/jupyter/custom/custom.css
	@cp config/jupyter/jupyter_server_config.py build/jupyter/
	JUPYTER_CONFIG_DIR=$(CURDIR)/build/jupyter $(VENV)/bin/jupyter lab --custom-css \
		--ServerApp.root_dir=$(CURDIR) notebooks/00-overview.ipynb

strip: setup
	$(PY) -m analysis.report --strip

clean:
	rm -rf build reports figures/*.png figures/*.svg figures/*.pdf
