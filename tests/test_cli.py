"""The micrograd command driven with many inputs, in-process: every mistake ends with
exit status 2 and one line, no traceback, and no file is written or replaced that should not be."""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import subprocess
import sys

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from micrograd.teaching import cli
from micrograd.teaching.expression import FUNCTIONS

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def run(argv: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            status = cli.main(argv)
        except SystemExit as done:  # --help (or -h, typed where a formula goes): exit 0
            status = done.code
    return status, out.getvalue(), err.getvalue()


ATOMS = st.sampled_from(
    [
        "-h",
        "--help",
        "-o",
        "x",
        "y",
        "2",
        "0",
        "-1",
        "1e309",
        "0.5",
        "(-8)",
        "9**999",
        "1/0",
        "0**-1",
        "ex(x)",
        "exp",
        "x.real",
        "[x]",
        "clamp(x, 0, 1)",
        "clamp(x)",
        "sine(x)",
        "",
        "((",
        "x**x**x",
        "lambda: 1",
        "__import__('os')",
        "\x00",
        "é",
        "x if x else y",
    ]
)
FORMULAS = st.recursive(
    ATOMS,
    lambda inner: st.one_of(
        st.tuples(inner, st.sampled_from([" + ", " - ", " * ", " / ", " ** ", ""]), inner).map(
            "".join
        ),
        st.tuples(st.sampled_from(sorted(FUNCTIONS) + ["-", "exp", "("]), inner).map(
            lambda t: f"{t[0]}({t[1]})"
        ),
    ),
    max_leaves=6,
) | st.text(max_size=30)
ASSIGNMENTS = st.sampled_from(
    ["x=1", "x=-0.5", "y=2", "x=1,y=2", "x=", "=1", "x=abc", "1x=2", "x=nan", "x=inf"]
)


@pytest.mark.slow  # 2000 command lines: about 7 s
@settings(
    max_examples=2000, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    formula=FORMULAS,
    at=st.lists(ASSIGNMENTS, max_size=2),
    output=st.sampled_from(
        [None, None, None, "", "g.txt", "missing/g.svg", "folder", "folder/", "mine.svg"]
    ),
    steps=st.sampled_from([None, None, None, "notes.txt", "missing/r.html", "", "page.htm"]),
)
def test_draw_never_shows_a_traceback_and_never_touches_a_file_it_should_not(
    tmp_path, monkeypatch, formula, at, output, steps
):
    monkeypatch.chdir(tmp_path)
    os.makedirs("folder", exist_ok=True)
    for name, text in (("notes.txt", "my notes"), ("mine.svg", "<svg>mine</svg>")):
        with open(name, "w") as handle:
            handle.write(text)
    argv = ["draw", formula] + [a for assignment in at for a in ("--at", assignment)]
    argv += [] if output is None else ["-o", output]
    argv += [] if steps is None else ["--steps", steps]
    status, out, err = run(argv)
    assert status in (0, 2), (argv, status, err)
    assert "Traceback" not in err and err.count("\n") <= 1, (argv, err)
    if status == 2:
        assert err.startswith("micrograd: error: ") and len(err) < 600, (argv, err)
    assert open("notes.txt").read() == "my notes"  # never replaced
    written = set(os.listdir(".")) - {"folder", "notes.txt", "mine.svg"}
    assert written <= ({output} if status == 0 and output else set()), (argv, written)
    if status != 0 or output != "mine.svg":
        assert open("mine.svg").read() == "<svg>mine</svg>", argv


def test_the_reported_mistakes_each_end_in_one_line_and_exit_status_2(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "notes.txt").write_text("my notes")
    cases = {
        ("draw", "ex(x)", "--at", "x=1"): "unknown function 'ex' (did you mean 'exp'?)",
        ("draw", "x**2", "--at", "x=1", "-o", "nodir/g.svg"): "the folder 'nodir' does not exist",
        ("draw", "x**2", "--at", "x=1", "-o", "."): "-o needs a file name ending in .svg",
        ("draw", "x**2", "--at", "x=1", "-o", ""): "-o needs a file name ending in .svg",
        (
            "draw",
            "x**2",
            "--at",
            "x=1",
            "--steps",
            "notes.txt",
        ): "--steps needs a file name ending in .html",
        ("train", "moons", "--out", "notes.txt"): "--out notes.txt: this is a file, not a folder",
        ("draw", "clamp(x)", "--at", "x=1"): "clamp() is called as clamp(x, min, max)",
    }
    for argv, message in cases.items():
        status, out, err = run(list(argv))
        assert status == 2 and message in err and err.count("\n") == 1, (argv, err)
    assert (tmp_path / "notes.txt").read_text() == "my notes" and sorted(os.listdir(tmp_path)) == [
        "notes.txt"
    ]


def test_constants_fold_with_ieee_rules_and_a_leading_minus_needs_no_double_dash():
    for formula, value in (
        ("1/0*x", "inf"),
        ("(9**999)*x", "inf"),
        ("(0**-1)*x", "inf"),
        ("(-8)**(1/3)*x", "nan"),
        ("-x*2", "-2"),
    ):
        status, out, err = run(["draw", formula, "--at", "x=1"])
        assert status == 0 and out.startswith(f"f = {value};"), (formula, out, err)


def test_lessons_export_keeps_a_notebook_the_user_changed(tmp_path):
    pytest.importorskip("jupytext", reason="exporting needs jupytext (the demo set-up installs it)")
    folder = tmp_path / "notebooks"
    assert run(["lessons", "export", str(folder)])[0] == 0
    first = sorted(folder.iterdir())[0]
    first.write_text(first.read_text().replace("autograd", "AUTOGRAD (my notes)"))
    edited = first.read_text()
    status, out, _ = run(["lessons", "export", str(folder)])
    assert status == 0 and f"kept {first}" in out and first.read_text() == edited
    status, out, _ = run(["lessons", "export", str(folder), "--force"])
    assert status == 0 and first.read_text() != edited


def test_a_closed_pipe_ends_quietly():
    done = subprocess.run(
        f"{sys.executable} -m micrograd lessons | head -1",
        shell=True,
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert (
        done.stdout.count("\n") == 1
        and "Traceback" not in done.stderr
        and "Error" not in done.stderr
    )


def test_every_command_and_option_has_help_text_in_plain_words():
    parser = cli.build_parser()
    assert "``" not in parser.description
    commands = next(a for a in parser._actions if a.dest == "command")
    for name, sub in commands.choices.items():
        assert any(c.dest == name and c.help for c in commands._choices_actions), name
        for action in sub._actions:
            if action.dest != "help":
                assert action.help and "``" not in action.help, (name, action.dest)


@pytest.mark.slow  # ./dev in a subprocess: on a fresh clone it sets everything up first
def test_dev_python_opens_python_with_the_installed_package_and_dev_names_its_commands():
    done = subprocess.run(
        [
            os.path.join(ROOT, "dev"),
            "python",
            "-c",
            "import micrograd; print(micrograd.Value(2.0) * 3)",
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert done.returncode == 0 and done.stdout.strip() == "Value(data=6.0, grad=0)", done.stderr[
        -500:
    ]
    wrong = subprocess.run(
        [os.path.join(ROOT, "dev"), "nonsense"], capture_output=True, text=True, cwd=ROOT
    )
    assert (
        wrong.returncode == 2 and "usage: ./dev demo|test|lint|bench|python|jupyter" in wrong.stderr
    )


def test_draw_names_every_intermediate_node_with_its_piece_of_the_formula(tmp_path, monkeypatch):
    if not shutil.which("dot"):
        pytest.skip("rendering needs Graphviz's dot (./dev test installs it)")
    monkeypatch.chdir(tmp_path)
    assert run(["draw", "x**2 * exp(x)", "--at", "x=1.5", "-o", "g.svg"])[0] == 0
    text = (tmp_path / "g.svg").read_text()
    for label in ("f = x**2 * exp(x)", "x**2", "exp(x)", ">x<"):
        assert label in text, label
