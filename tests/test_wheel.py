"""The wheel a user installs: built from a clean copy of the checkout, installed into a fresh virtual
environment, and the micrograd command run there from a folder that has nothing to do with the clone.

The wheel must carry the lessons (English, Chinese, solutions) as micrograd.lessons's package data,
the LICENSE in its metadata, and every file of the micrograd package.  Installing it fetches its
dependencies (graphviz, and the notebooks extra for ``micrograd lessons export``) from the package
index.  Slow: about a minute (pip's cache makes later runs faster).
"""

from __future__ import annotations

import json
import os
import pathlib
import re
import shutil
import subprocess
import sys
import zipfile

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
pytestmark = pytest.mark.slow


def source_files() -> list[str]:
    """The files git would commit: tracked ones and new ones not ignored (a new file counts before
    its first commit), as they are in the work tree; no build/, .venv or egg-info leftovers."""
    listed = (
        subprocess.run(
            ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
            cwd=ROOT,
            capture_output=True,
            check=True,
        )
        .stdout.decode("utf-8")
        .split("\0")
    )
    return sorted({name for name in listed if name and os.path.isfile(os.path.join(ROOT, name))})


def version() -> str:
    with open(os.path.join(ROOT, "micrograd", "__init__.py"), encoding="utf-8") as handle:
        return re.search(r'^__version__ = "([^"]+)"', handle.read(), re.M).group(1)


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> str:
    """The wheel, built with this environment's setuptools from a copy of the checkout's files."""
    source = tmp_path_factory.mktemp("source")
    for name in source_files():
        os.makedirs(os.path.dirname(source / name), exist_ok=True)
        shutil.copy2(os.path.join(ROOT, name), source / name)
    dist = tmp_path_factory.mktemp("dist")
    built = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "--disable-pip-version-check",
            "-w",
            str(dist),
            str(source),
        ],
        capture_output=True,
        text=True,
    )
    assert built.returncode == 0, built.stdout[-2000:] + built.stderr[-2000:]
    wheels = list(dist.glob("*.whl"))
    assert len(wheels) == 1 and wheels[0].name.startswith(
        f"micrograd_classroom-{version()}-py3-none-any"
    ), wheels
    return str(wheels[0])


def test_the_wheel_holds_the_license_the_lessons_and_every_file_of_the_package(wheel):
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        info = f"micrograd_classroom-{version()}.dist-info/"
        metadata = archive.read(info + "METADATA").decode("utf-8")
        licenses = [n for n in names if n.startswith(info) and n.endswith("/LICENSE")]
        assert licenses, sorted(
            n for n in names if n.startswith(info)
        )  # dist-info/licenses/LICENSE
        assert archive.read(licenses[0]) == pathlib.Path(ROOT, "LICENSE").read_bytes()
        assert "License-File: LICENSE" in metadata and "MIT" in metadata
        assert f"\nVersion: {version()}\n" in metadata and "Requires-Dist: graphviz" in metadata
        files = source_files()
        lessons = [n for n in files if n.startswith("lessons/")]
        for folder in ("lessons/", "lessons/zh/", "lessons/solutions/"):
            assert (
                len([n for n in lessons if re.fullmatch(re.escape(folder) + r"\d\d_\w+\.py", n)])
                == 16
            ), folder
        missing = [
            n for n in lessons if "micrograd/" + n not in names
        ]  # lessons/X is micrograd/lessons/X
        assert not missing, f"lessons not in the wheel: {missing[:5]}"
        for name in lessons:
            assert archive.read("micrograd/" + name) == pathlib.Path(ROOT, name).read_bytes(), name
        package = [n for n in files if n.startswith("micrograd/")]
        missing = [n for n in package if n not in names]
        assert not missing, (
            f"not in the wheel (a subpackage missing from setup.cfg's packages?): {missing[:5]}"
        )
        assert not [
            n for n in names if n.startswith(("tests/", "bench/", "classroom/", "lessons/"))
        ]


@pytest.fixture(scope="module")
def installed(wheel, tmp_path_factory):
    """A fresh virtual environment with the wheel installed, and a way to run commands in it
    from an unrelated folder: nothing of the clone is on the path."""
    env_dir = tmp_path_factory.mktemp("venv")
    subprocess.run([sys.executable, "-m", "venv", str(env_dir)], check=True, capture_output=True)
    scripts = env_dir / ("Scripts" if os.name == "nt" else "bin")
    python = str(scripts / "python")
    # nothing of the clone on the path, for the install as for the commands
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("PYTHONPATH", "VIRTUAL_ENV", "MICROGRAD_LESSONS_OUT")
    }
    done = subprocess.run(
        [
            python,
            "-m",
            "pip",
            "install",
            "--disable-pip-version-check",
            "-q",
            wheel + "[notebooks]",
        ],
        capture_output=True,
        text=True,
        env=env,
        cwd=env_dir,
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    env["PATH"] = str(scripts) + os.pathsep + env.get("PATH", "")
    elsewhere = tmp_path_factory.mktemp("elsewhere")

    def run(*argv: str) -> subprocess.CompletedProcess:
        done = subprocess.run(
            list(argv),
            capture_output=True,
            text=True,
            encoding="utf-8",
            env=env,
            cwd=elsewhere,
            timeout=600,
        )
        assert done.returncode == 0, (
            argv,
            done.returncode,
            done.stdout[-2000:],
            done.stderr[-2000:],
        )
        return done

    where = run(python, "-c", "import micrograd; print(micrograd.__file__)").stdout.strip()
    assert where.startswith(str(env_dir)), where  # the installed copy, not the clone
    return run, python, elsewhere


def test_micrograd_says_its_version(installed):
    run, _, _ = installed
    assert run("micrograd", "--version").stdout.strip() == f"micrograd-classroom {version()}"


def test_the_demo_runs_and_draws_its_graph(installed):
    run, _, elsewhere = installed
    out = run("micrograd", "demo").stdout
    assert "they agree." in out and "training accuracy" in out, out
    graph = elsewhere / "micrograd-output" / "graph.svg"
    assert graph.is_file() and "<svg" in graph.read_text(encoding="utf-8")


def test_the_lessons_list_and_run_from_anywhere(installed):
    run, python, elsewhere = installed
    for language in ("en", "zh"):
        listing = run("micrograd", "lessons", "--lang", language).stdout.splitlines()
        assert len(listing) == 16 and all(
            os.sep + os.path.join("micrograd", "lessons") in line for line in listing
        )
    assert listing[0].startswith("1. ")
    first = run("micrograd", "lessons", "run", "1").stdout
    assert (
        first.startswith("1. From hand-written derivatives to autograd\n═══")
        and "\n    │ " in first
    )
    third = run("micrograd", "lessons", "run", "3").stdout
    assert third.startswith("3. backward() in depth\n")
    assert (
        "    │ error: grad can be implicitly created only for scalar outputs" in third
    )  # a cell's output
    assert (elsewhere / "lessons-output").is_dir()  # the lessons' pictures go here
    solutions = run(
        python,
        "-c",
        "from micrograd.teaching.lesson_files import lesson_files; "
        "print(len(lesson_files('solutions')))",
    ).stdout
    assert solutions.strip() == "16"


def test_the_lessons_export_as_notebooks(installed):
    run, _, elsewhere = installed
    out = run("micrograd", "lessons", "export", "notebooks").stdout
    notebooks = sorted((elsewhere / "notebooks").glob("*.ipynb"))
    assert len(notebooks) == 16 and len(out.splitlines()) == 16
    assert notebooks[0].name == "01_hand_vs_autograd.ipynb"
    for path in notebooks:
        notebook = json.loads(path.read_text(encoding="utf-8"))
        assert (
            notebook["nbformat"] == 4 and notebook["metadata"]["kernelspec"]["name"] == "python3"
        ), path.name
        kinds = {cell["cell_type"] for cell in notebook["cells"]}
        assert kinds == {"markdown", "code"}, path.name
        text = next(cell for cell in notebook["cells"] if cell["cell_type"] == "markdown")
        assert "".join(text["source"]).startswith(f"# {int(path.name[:2])}. "), (
            path.name
        )  # the lesson's title
    again = run(
        "micrograd", "lessons", "export", "notebooks"
    ).stdout  # unchanged: written again, none kept
    assert "kept" not in again and len(again.splitlines()) == 16
