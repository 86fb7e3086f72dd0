"""The import rule of the architecture, checked by import-linter: kept, and able to fail."""

from __future__ import annotations

import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LINT = Path(sys.executable).with_name("lint-imports")


def test_the_project_keeps_its_import_contracts():
    result = subprocess.run([str(LINT)], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_a_forbidden_import_is_reported(tmp_path):
    for pkg in ("backend", "workers"):
        (tmp_path / pkg).mkdir()
        (tmp_path / pkg / "__init__.py").write_text("")
    (tmp_path / "backend" / "bad.py").write_text("import workers\n")
    (tmp_path / ".importlinter").write_text(
        textwrap.dedent(
            """
        [importlinter]
        root_packages =
            backend
            workers
        [importlinter:contract:1]
        name = backend knows nothing of workers
        type = forbidden
        source_modules = backend
        forbidden_modules = workers
        """
        )
    )
    result = subprocess.run(
        [str(LINT)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        env={"PATH": str(LINT.parent), "PYTHONPATH": str(tmp_path)},
    )
    assert result.returncode != 0
    assert "backend.bad -> workers" in result.stdout
    shutil.rmtree(tmp_path / "backend")
