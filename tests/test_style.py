"""Style is checked by a tool, not by hand: ruff's formatter and linter, at 100 columns, over
the package, the tests and the tools (lessons are laid out by hand for reading and left out)."""

import os
import pathlib
import shutil
import subprocess
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent


def ruff() -> str:
    found = shutil.which("ruff", path=os.path.dirname(sys.executable)) or shutil.which("ruff")
    if found is None:
        if os.environ.get("MICROGRAD_CI"):
            pytest.fail("ruff is needed to check the style (the test extra installs it)")
        pytest.skip("ruff is not installed (pip install ruff)")
    return found


@pytest.mark.parametrize("command", [["check", "."], ["format", "--check", "."]])
def test_ruff_finds_nothing_to_change(command):
    done = subprocess.run([ruff(), *command], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]


def test_ruff_would_see_a_long_line_in_the_core(tmp_path):
    # the contract must be able to fail: a line over 100 columns in a copy of the core is found
    core = tmp_path / "micrograd" / "core"
    core.mkdir(parents=True)
    (core / "long.py").write_text("x = " + "1 + " * 30 + "1\n")
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    done = subprocess.run(
        [ruff(), "check", "--select", "E501", "."], cwd=tmp_path, capture_output=True, text=True
    )
    assert done.returncode == 1 and "E501" in done.stdout
