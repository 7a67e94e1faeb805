"""The floors hold for modules nobody has written yet: a copy of the project with one new module
that imports across the rule of the rooms breaks `lint-imports`, named by the contract it breaks.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FLOORS = "The floors: cli > flows > pipeline > store | report | extractors | domain >"
PURE = "The model and the domain are pure"


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    """The importable packages and pyproject.toml, copied where a probe can be added."""
    copy = tmp_path_factory.mktemp("layers")
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for package in ("verify", "extractors", "flows"):
        shutil.copytree(ROOT / package, copy / package, ignore=ignore)
    shutil.copy(ROOT / "pyproject.toml", copy / "pyproject.toml")
    return copy


def _lint(project: Path) -> subprocess.CompletedProcess:
    """lint-imports on the copy (it, not the installed package, first on the path)."""
    env = {**os.environ, "PYTHONPATH": str(project)}
    script = Path(sys.executable).with_name("lint-imports")
    command = [str(script)] if script.exists() else ["lint-imports"]
    return subprocess.run([*command, "--config", "pyproject.toml", "--no-cache"], cwd=project,
                          env=env, capture_output=True, text=True, timeout=300)


def test_the_unchanged_copy_keeps_every_contract(project):
    done = _lint(project)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "0 broken" in done.stdout


@pytest.mark.parametrize(("module", "source", "contract", "import_line"), [
    ("verify/domain/ledger_cache.py", "import sqlalchemy\n", PURE,
     "verify.domain.ledger_cache -> sqlalchemy"),
    ("verify/domain/report_hint.py", "from verify.report import settings\n", FLOORS,
     "verify.domain.report_hint -> verify.report.settings"),
    ("verify/model/factor_lookup.py", "from verify.domain import factors\n", FLOORS,
     "verify.model.factor_lookup -> verify.domain.factors"),
    ("extractors/emissions.py", "from verify.domain import calculation\n", FLOORS,
     "extractors.emissions -> verify.domain.calculation"),
], ids=["domain-imports-sqlalchemy", "domain-imports-report", "model-imports-domain",
        "extractor-computes-emissions"])
def test_a_new_module_across_the_floors_breaks_the_contract(project, module, source, contract,
                                                              import_line):
    probe = project / module
    probe.write_text(f'"""A module that should not be here."""\n\n{source}', "utf-8")
    try:
        done = _lint(project)
    finally:
        probe.unlink()
    out = done.stdout + done.stderr
    assert done.returncode != 0, out
    assert "1 broken" in out, out
    broken = out.split("Broken contracts")[1]
    assert contract in broken.replace("\n", " "), out
    assert import_line in out, out
