"""The lessons: each runs as a script (its claims are checks), the Chinese lessons have the same
code, the reference solutions pass their checkers, wrong answers fail, and the exported
notebooks run in a real Jupyter kernel."""

import glob
import importlib.util
import io
import json
import math
import os
import subprocess
import sys
import tokenize

import pytest

from micrograd import Function
from micrograd.exercises import CHECKS, ExerciseFailed, check_engine
from test_func import WrongCube  # the 2x² slip, shared with the gradcheck tests

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LESSONS = sorted(glob.glob(os.path.join(ROOT, "lessons", "[0-9][0-9]_*.py")))
ENV = {**os.environ, "PYTHONPATH": ROOT}


def cells(path):
    """(kind, text) for each jupytext percent cell."""
    with open(path, encoding="utf-8") as handle:
        text = handle.read()
    parts = text.split("\n# %%")[1:]
    return [
        ("markdown" if part.startswith(" [markdown]") else "code", part.split("\n", 1)[1].strip())
        for part in parts
    ]


def test_there_are_sixteen_lessons_in_both_languages():
    assert len(LESSONS) == 16
    assert [os.path.basename(p) for p in LESSONS] == sorted(
        os.path.basename(p)
        for p in glob.glob(os.path.join(ROOT, "lessons", "zh", "[0-9][0-9]_*.py"))
    )


def code_tokens(text):
    """The code without its comments (which each language writes in its own words), and with the
    language a lesson sets (set_language("en") or "zh") written as LANGUAGE."""
    skip = (
        tokenize.COMMENT,
        tokenize.NL,
        tokenize.NEWLINE,
        tokenize.INDENT,
        tokenize.DEDENT,
        tokenize.ENDMARKER,
    )
    tokens = [
        (t.type, t.string)
        for t in tokenize.generate_tokens(io.StringIO(text + "\n").readline)
        if t.type not in skip
    ]
    for i in range(2, len(tokens)):
        if tokens[i - 2][1] == "set_language" and tokens[i - 1][1] == "(":
            tokens[i] = (tokens[i][0], "LANGUAGE")
    return tokens


def test_each_lesson_sets_its_language_in_the_first_cell():
    for path in LESSONS:
        for language, lesson in (
            ("en", path),
            ("zh", os.path.join(ROOT, "lessons", "zh", os.path.basename(path))),
        ):
            first = next(text for kind, text in cells(lesson) if kind == "code")
            assert f'torch.set_language("{language}")' in first, lesson


def test_code_tokens_ignore_comments_only():
    assert code_tokens("x = 1  # one") == code_tokens("x = 1    # 一")
    assert code_tokens('torch.set_language("en")') == code_tokens('torch.set_language("zh")')
    assert code_tokens('print("en")') != code_tokens('print("zh")')
    assert code_tokens("x = 1") != code_tokens("x = 2") and code_tokens("f('a')") != code_tokens(
        "f('b')"
    )


@pytest.mark.parametrize("path", LESSONS, ids=os.path.basename)
def test_the_chinese_lesson_has_the_same_code_cells(path):
    english = cells(path)
    chinese = cells(os.path.join(ROOT, "lessons", "zh", os.path.basename(path)))
    assert [code_tokens(text) for kind, text in english if kind == "code"] == [
        code_tokens(text) for kind, text in chinese if kind == "code"
    ]
    assert [kind for kind, _ in english] == [kind for kind, _ in chinese]
    assert any(
        "\u4e00" <= ch <= "\u9fff" for kind, text in chinese if kind == "markdown" for ch in text
    )


def english_comments(code):
    """The comments of `code` written in English: a word of four or more letters outside backticks
    and no Chinese (formulas such as "# = log 2" or "# 1.5 + a" belong to both languages)."""
    import re

    found = []
    for token in tokenize.generate_tokens(io.StringIO(code + "\n").readline):
        if token.type == tokenize.COMMENT:
            text = re.sub(r"noqa[:\w, ]*|`[^`]*`", "", token.string)
            if re.search(r"[A-Za-z]{4,}", text) and not re.search(r"[\u4e00-\u9fff]", text):
                found.append(token.string)
    return found


def test_english_comments_finds_english_only():
    assert english_comments("x = 1  # replace this") == ["# replace this"]
    assert (
        english_comments("x = 1  # 换掉 `answer` 这一行\ny = 2  # = log 2\nimport os  # noqa: F401")
        == []
    )


@pytest.mark.parametrize("path", LESSONS, ids=os.path.basename)
def test_the_chinese_lessons_code_comments_are_chinese(path):
    chinese = cells(os.path.join(ROOT, "lessons", "zh", os.path.basename(path)))
    assert [c for kind, text in chinese if kind == "code" for c in english_comments(text)] == []


RUN_AND_LIST_IMPORTS = """
import json, runpy, sys
before = set(sys.modules)                      # what Python itself loaded (site, .pth hooks)
sys.argv = [sys.argv[1]]
runpy.run_path(sys.argv[0], run_name="__main__")
with open(IMPORTS, "w") as handle:
    json.dump(sorted({name.split(".")[0] for name in set(sys.modules) - before}), handle)
"""


def demo_distributions():
    """The distributions ./dev demo installs: ours, its install_requires, the extras dev names for
    demo, and everything those depend on."""
    import configparser
    import importlib.metadata as metadata
    import re as regex

    config = configparser.ConfigParser()
    config.read(os.path.join(ROOT, "setup.cfg"))
    with open(os.path.join(ROOT, "dev"), encoding="utf-8") as handle:
        extras = (
            regex.search(r'demo\|python\) extras="\[([a-z,]+)\]"', handle.read())
            .group(1)
            .split(",")
        )
    wanted = config["options"]["install_requires"].split()
    for extra in extras:
        wanted += config["options.extras_require"][extra].split()
    names = {regex.split(r"[<>=\[; ]", w)[0].lower() for w in wanted if w.strip()}
    todo, found = list(names), set()
    while todo:
        name = todo.pop()
        if name in found:
            continue
        found.add(name)
        try:
            requires = metadata.requires(name) or []
        except metadata.PackageNotFoundError:
            continue
        todo += [
            regex.split(r"[<>=\[; (!~]", r)[0].lower() for r in requires if "extra ==" not in r
        ]
    return {n.replace("_", "-") for n in found}


@pytest.mark.slow  # each lesson in a subprocess: lesson 13 trains for 7 s
@pytest.mark.parametrize("path", LESSONS, ids=os.path.basename)
def test_each_lesson_runs_as_a_script_and_its_checks_hold(path, tmp_path):
    imports = tmp_path / "imports.json"
    done = subprocess.run(
        [sys.executable, "-c", RUN_AND_LIST_IMPORTS.replace("IMPORTS", repr(str(imports))), path],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={**ENV, "MICROGRAD_LESSONS_OUT": str(tmp_path / "out")},
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "Not yet:" in done.stdout  # the exercise stub is checked, and is not the answer
    # Everything the lesson imported comes with ./dev demo (lesson 15 once needed hypothesis, missing there).
    import importlib.metadata as metadata

    owners = metadata.packages_distributions()
    with open(imports, encoding="utf-8") as handle:
        modules = json.load(handle)
    needed = {owner.lower().replace("_", "-") for m in modules for owner in owners.get(m, [])}
    needed -= {
        "micrograd-classroom",
        "typing-extensions",
    }  # hypothesis uses typing-extensions only if present
    assert needed <= demo_distributions(), (
        f"{os.path.basename(path)} imports {sorted(needed - demo_distributions())}"
    )


def load_solution(number):
    path = glob.glob(os.path.join(ROOT, "lessons", "solutions", f"{number:02d}_*.py"))[0]
    spec = importlib.util.spec_from_file_location(f"solution_{number}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.answer


def test_lesson_16s_solution_is_the_engine_check_engine_passes():
    path = os.path.join(ROOT, "lessons", "solutions", "16_build_your_own_engine.py")
    spec = importlib.util.spec_from_file_location("solution_16", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    check_engine(
        module.Value, 7, MLP=module.MLP
    )  # mistakes of every kind: tests/test_engine_checks.py


@pytest.mark.parametrize("number", range(1, 16))
def test_reference_solutions_pass_their_checkers(number):
    assert CHECKS[number](load_solution(number)).startswith("correct")


class WrongSoftplus(Function):
    @staticmethod
    def forward(ctx, x):
        return (1 + x.exp()).log()

    @staticmethod
    def backward(ctx, g):
        return g * 0.5


def wrong_sgd(w, lr):
    return w - lr * w.grad


WRONG = {
    1: lambda x: 3 * x * x * math.cos(x),
    2: lambda a, b, c: a + b * c,
    3: lambda f, x: 0.0,
    4: wrong_sgd,
    5: WrongCube,
    6: lambda p, t: ((p - t) ** 2).sum(),
    7: lambda X, w, y: [0.0] * len(w),
    8: lambda f, x, h: (f(x + h) - f(x)) / h,
    9: lambda f, x, j: x,
    10: lambda g, a, b: a * b,
    11: lambda x: x * x,
    12: lambda root: [root] + list(root._prev),
    13: lambda x, w, b: sum((a * c for a, c in zip(w, x)), b),
    14: lambda f, x: x - 0.1,
    15: WrongSoftplus,
}


@pytest.mark.parametrize("number", range(1, 16))
def test_wrong_answers_fail_with_an_explanation(number):
    with pytest.raises(ExerciseFailed) as err:
        CHECKS[number](WRONG[number])
    assert len(str(err.value)) > 20


def test_a_checker_explains_an_answer_that_raises():
    def broken(x):
        raise ZeroDivisionError("oops")

    with pytest.raises(ExerciseFailed, match="raised ZeroDivisionError: oops"):
        CHECKS[1](broken)
    with pytest.raises(ExerciseFailed, match="where a number was expected"):
        CHECKS[1](lambda x: None)


def test_micrograd_lessons_lists_and_runs(tmp_path):
    listing = subprocess.run(
        [sys.executable, "-m", "micrograd", "lessons"], capture_output=True, text=True, env=ENV
    )
    assert listing.returncode == 0 and len(listing.stdout.strip().splitlines()) == 16
    assert listing.stdout.startswith("1. From hand-written derivatives to autograd")
    run = subprocess.run(
        [sys.executable, "-m", "micrograd", "lessons", "run", "8"],
        capture_output=True,
        text=True,
        env={**ENV, "MICROGRAD_LESSONS_OUT": str(tmp_path)},
        cwd=tmp_path,
    )
    assert (
        run.returncode == 0 and "\n    │ h=1e-01  one-sided error" in run.stdout
    )  # output behind a bar
    assert (
        "\n**Numeric**: finite differences. The one-sided error is O(h)" in run.stdout
    )  # the lesson's text
    assert "\n    exact = math.cos(1.0)\n" in run.stdout  # and its code
    chinese = subprocess.run(
        [sys.executable, "-m", "micrograd", "lessons", "run", "4", "--lang", "zh"],
        capture_output=True,
        text=True,
        env={**ENV, "MICROGRAD_LESSONS_OUT": str(tmp_path)},
        cwd=tmp_path,
    )
    assert (
        chinese.returncode == 0
        and "关闭追踪" in chinese.stdout
        and "    │ 还没有通过：" in chinese.stdout
    )
    bad = subprocess.run(
        [sys.executable, "-m", "micrograd", "lessons", "run", "99"],
        capture_output=True,
        text=True,
        env=ENV,
    )
    assert bad.returncode == 2 and "from 1 to 16" in bad.stderr


@pytest.mark.slow  # every lesson in a Jupyter kernel
def test_exported_notebooks_run_in_a_jupyter_kernel(tmp_path, monkeypatch):
    pytest.importorskip("jupytext", reason="the notebooks extra (./dev test installs it)")
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    pytest.importorskip("ipykernel")
    for language in ("en", "zh"):
        out = tmp_path / language
        done = subprocess.run(
            [sys.executable, "-m", "micrograd", "lessons", "export", str(out), "--lang", language],
            capture_output=True,
            text=True,
            env=ENV,
        )
        assert done.returncode == 0, done.stderr
        notebooks = sorted(out.glob("*.ipynb"))
        assert len(notebooks) == 16
        chosen = notebooks if language == "en" else notebooks[:2]  # the code is the same in Chinese
        for path in chosen:
            notebook = nbformat.read(str(path), as_version=4)
            client = nbclient.NotebookClient(
                notebook,
                timeout=120,
                kernel_name="python3",
                resources={"metadata": {"path": str(tmp_path)}},
            )
            monkeypatch.setenv("MICROGRAD_LESSONS_OUT", str(tmp_path / "pictures"))
            monkeypatch.setenv("PYTHONPATH", ROOT)  # the kernel imports this checkout
            client.execute()
            outputs = "".join(
                o.get("text", "") for cell in notebook.cells for o in cell.get("outputs", [])
            )
            assert {"en": "Not yet:", "zh": "还没有通过："}[language] in outputs, path.name
            shown = [o.get("data", {}) for cell in notebook.cells for o in cell.get("outputs", [])]
            drawings = {"02": 1, "07": 2, "11": 2, "13": 1}.get(
                path.name[:2], 0
            )  # graphs shown inline, as SVG
            assert sum("<svg" in data.get("image/svg+xml", "") for data in shown) == drawings, (
                path.name
            )
            if path.name.startswith("12_"):  # the replay page, inline with its buttons
                assert any(
                    "<iframe" in data.get("text/html", "")
                    and "next &amp;rarr;" in data["text/html"]
                    for data in shown
                ), path.name
            if path.name.startswith("13_"):  # the decision boundary, shown inline
                images = [
                    o
                    for cell in notebook.cells
                    for o in cell.get("outputs", [])
                    if "image/png" in o.get("data", {})
                ]
                assert images, "lesson 13 shows no picture in the notebook"


def load(number, name):
    path = glob.glob(os.path.join(ROOT, "lessons", "solutions", f"{number:02d}_*.py"))[0]
    spec = importlib.util.spec_from_file_location(f"solution_{number}_{name}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return getattr(module, name)


class CubeIgnoringGradOutput(Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x**3

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        return 3 * x**2  # passes gradcheck, whose upstream gradient is 1


def test_lesson_5_catches_a_backward_that_forgets_grad_output():
    from micrograd.autograd import gradcheck

    assert gradcheck(
        CubeIgnoringGradOutput.apply, (Value_(0.7),)
    )  # passes: its upstream gradient is 1
    with pytest.raises(
        ExerciseFailed,
        match=r"x\.grad at x = .* should be 3x²·.*: backward must multiply by grad_output",
    ):
        CHECKS[5](CubeIgnoringGradOutput)


def Value_(x):
    from micrograd import Value

    return Value(x)


def test_a_float_where_a_value_was_needed_is_named_as_such():
    with pytest.raises(
        ExerciseFailed, match=r"should be a Value, but your answer returned the plain number -?\d"
    ):
        CHECKS[11](lambda x: x.data**2 if x.data > 0 else -x.data)
    with pytest.raises(
        ExerciseFailed,
        match=r"the neuron's output should be a Value, but your answer returned the plain",
    ):
        CHECKS[13](lambda x, w, b: math.tanh(sum(wi.data * xi for wi, xi in zip(w, x)) + b.data))
    with pytest.raises(
        ExerciseFailed,
        match=r"returned float .*not a tensor: compute the loss with tensor operations",
    ):
        CHECKS[6](
            lambda p, t: sum((a - b) ** 2 for a, b in zip(p.tolist(), t.tolist())) / len(p.tolist())
        )


def test_lesson_4_accepts_w_data_minus_equals_as_torch_does():
    def step(w, lr):
        w.data -= lr * w.grad

    assert CHECKS[4](step).startswith("correct")


def test_the_training_loop_exercise_catches_a_forgotten_zero_grad():
    from micrograd.exercises import check_training_loop

    assert check_training_loop(load(6, "training_loop")).startswith("correct")

    def forgets_zero_grad(w, b, xs, ys, lr, steps):
        for _ in range(steps):
            (sum((w * x + b - y) ** 2 for x, y in zip(xs, ys)) / len(xs)).backward()
            w.data -= lr * w.grad
            b.data -= lr * b.grad

    with pytest.raises(
        ExerciseFailed, match=r"after 4 steps .*gradients of the steps before.*zero_grad\(\)"
    ):
        check_training_loop(forgets_zero_grad)

    def one_step_too_few(w, b, xs, ys, lr, steps):
        load(6, "training_loop")(w, b, xs, ys, lr, steps - 1)

    with pytest.raises(ExerciseFailed, match=r"after 1 steps \(lr 0\.1\) w should be"):
        check_training_loop(one_step_too_few)


def test_checker_messages_speak_chinese_when_asked(monkeypatch):
    monkeypatch.setenv("MICROGRAD_LANG", "zh")
    with pytest.raises(ExerciseFailed, match=r"backward 必须乘以 grad_output"):
        CHECKS[5](CubeIgnoringGradOutput)
    with pytest.raises(ExerciseFailed, match=r"你的答案还没有写"):
        CHECKS[1](lambda x: (_ for _ in ()).throw(NotImplementedError("todo")))


@pytest.mark.parametrize("number", range(1, 16))
def test_every_checker_speaks_chinese(number, monkeypatch):
    monkeypatch.setenv("MICROGRAD_LANG", "zh")
    with pytest.raises(ExerciseFailed) as err:
        CHECKS[number](WRONG[number])
    assert any("\u4e00" <= ch <= "\u9fff" for ch in str(err.value)), str(err.value)
    assert CHECKS[number](load_solution(number)).startswith("正确")


def test_running_a_lesson_shows_its_own_line_in_a_traceback(tmp_path):
    from micrograd.teaching.lesson_runner import run_lesson

    lesson = tmp_path / "99_broken.py"
    lesson.write_text(
        "# %% [markdown]\n# # 99. Broken\n\n# %%\nx = 1\nprint(x)\n\n# %%\ny = x / 0   # the bad line\n",
        encoding="utf-8",
    )
    out = io.StringIO()
    with pytest.raises(ZeroDivisionError) as err:
        run_lesson(str(lesson), out)
    assert (
        out.getvalue()
        == "99. Broken\n══════════\n\n    x = 1\n    print(x)\n\n    │ 1\n\n    y = x / 0   # the bad line\n\n"
    )
    frame = err.traceback[-1]
    assert frame.path == lesson and frame.lineno + 1 == 9 and "the bad line" in str(frame.statement)
