"""environment.yml (conda) and pyproject.toml (pip) declare the same dependencies.

conda-lock cannot run here (it downloads a conda binary), so the check is a parse
of both files: every requirement of pyproject.toml's runtime list and `dev` extra
appears in environment.yml with the same version bound, and nothing else does.
"""

from __future__ import annotations

import re
from pathlib import Path

import tomllib
import yaml
from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parent.parent


def canonical(requirement: str) -> tuple[str, str]:
    """Return (normalized name with extras, specifier set as a sorted string)."""
    req = Requirement(
        requirement.replace("=", "==", 1)
        if re.match(r"^[\w.-]+=[^=]", requirement)
        else requirement
    )
    name = re.sub(r"[-_.]+", "-", req.name).lower()
    extras = ",".join(sorted(req.extras))
    spec = ",".join(sorted(str(s) for s in req.specifier))
    return (f"{name}[{extras}]" if extras else name, spec)


def pyproject_requirements() -> dict[str, str]:
    data = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    reqs = list(data["project"]["dependencies"]) + list(
        data["project"]["optional-dependencies"]["dev"]
    )
    return dict(canonical(r) for r in reqs)


def environment_requirements() -> tuple[dict[str, str], dict[str, object]]:
    env = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    found: dict[str, str] = {}
    extra: dict[str, object] = {}
    for item in env["dependencies"]:
        if isinstance(item, dict):
            for line in item["pip"]:
                if line.startswith("-e"):
                    extra["editable"] = line
                    continue
                found.update([canonical(line)])
        elif item.startswith("python=") or item == "pip":
            extra[item] = True
        else:
            found.update([canonical(item)])
    return found, extra


def test_environment_yml_matches_pyproject() -> None:
    pip_side = pyproject_requirements()
    conda_side, _ = environment_requirements()
    missing = sorted(set(pip_side) - set(conda_side))
    unexpected = sorted(set(conda_side) - set(pip_side))
    assert not missing, f"in pyproject.toml but not environment.yml: {missing}"
    assert not unexpected, f"in environment.yml but not pyproject.toml: {unexpected}"
    differing = {k: (pip_side[k], conda_side[k]) for k in pip_side if pip_side[k] != conda_side[k]}
    assert not differing, f"version bounds differ (pyproject, environment.yml): {differing}"


def test_environment_yml_installs_the_project_itself() -> None:
    _, extra = environment_requirements()
    assert extra.get("editable") == "-e ."
    assert "pip" in extra


def test_canonical_form_catches_a_drift() -> None:
    # The comparison must be able to fail: a changed bound is a different value.
    assert canonical("pandas>=2.1") != canonical("pandas>=2.2")
    assert canonical("python-bidi>=0.6") == canonical("python_bidi>=0.6")
    assert canonical("dask[distributed]>=2024.8")[0] == "dask[distributed]"


def test_lock_file_pins_every_declared_dependency() -> None:
    lock = (ROOT / "requirements.lock").read_text(encoding="utf-8")
    pinned = {
        re.sub(r"[-_.]+", "-", m.group(1)).lower()
        for m in re.finditer(r"^([A-Za-z0-9_.-]+)==", lock, re.M)
    }
    for name in pyproject_requirements():
        assert name.split("[")[0] in pinned, f"{name} missing from requirements.lock"
