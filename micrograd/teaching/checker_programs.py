"""Random little programs for the build-it-yourself checker (``engine_checks.py``).

A program is a few lines of code (``c = a * b``) that runs with a student's Value class and
with micrograd's; hypothesis draws them, and shrinks a failing one to a short program that is
printed for the student to paste.  Here too are the plain-words helpers both modules use:
``fail`` (a message in English and Chinese), ``run_student`` (a student's exception, explained).
"""

from __future__ import annotations

import math
import os
import traceback
from typing import Any, Callable, NamedTuple

from ..core import value as engine
from .language import say


class ExerciseFailed(AssertionError):
    """An exercise's answer is not right yet; the message says why, in plain words."""


NICE = (-2.0, -1.5, -1.0, -0.5, 0.5, 1.0, 1.5, 2.0, 3.0)
"""The numbers random programs use: short to read, exact in binary."""


def fail(english: str, chinese: str) -> ExerciseFailed:
    """The failure to raise, its message in the language in use (see ``language.py``)."""
    return ExerciseFailed(say(english, chinese))


def run_student(what: str, action: Callable[[], Any]) -> Any:
    """action(), with an exception from the student's code reported in plain words: what was
    being done, the error, and the line of their code it came from."""
    try:
        return action()
    except ExerciseFailed:
        raise
    except RecursionError:
        raise fail(
            f"{what} recursed too deeply: a recursive topological sort needs a visited set, and very "
            "deep graphs need an iterative one",
            f"{what} 递归太深：递归的拓扑排序需要记录已访问的节点，很深的图需要用循环实现",
        ) from None
    except NotImplementedError as err:
        raise not_written(what, err) from None
    except Exception as err:
        raise fail(
            f"{what} raised {type(err).__name__}: {err}{student_line(err)}",
            f"{what} 时出错 {type(err).__name__}：{err}{student_line(err)}",
        ) from None


PACKAGE = os.path.dirname(os.path.abspath(__file__))


def not_written(what: str, err: BaseException) -> ExerciseFailed:
    """The failure for a skeleton's ``raise NotImplementedError(...)`` not yet replaced."""
    return fail(
        f"{what}: not written yet ({err}); replace the raise NotImplementedError line with your code",
        f"{what}：还没有写（{err}）；把 raise NotImplementedError 那一行换成你的代码",
    )


def student_line(err: BaseException) -> str:
    """'(your line 12: out = Value(...))': the last line of the traceback outside micrograd."""
    frames = [
        f
        for f in traceback.extract_tb(err.__traceback__)
        if not f.filename.startswith(PACKAGE) and f.line
    ]
    if not frames:
        return ""
    return say(
        f" (your line {frames[-1].lineno}: {frames[-1].line})",
        f"（你的第 {frames[-1].lineno} 行：{frames[-1].line}）",
    )


def as_number(x: Any, what: str) -> float:
    """x as a float, or a failure saying that `what` should be a number."""
    if isinstance(x, bool) or not isinstance(x, (int, float)):
        raise fail(
            f"{what} should be a number (int or float), got {x!r} of type {type(x).__name__}",
            f"{what} 应该是一个数（int 或 float），实际是 {type(x).__name__} 类型的 {x!r}",
        )
    return float(x)


def close(got: float, expected: float) -> bool:
    """|got − expected| ≤ 10⁻⁶·|expected| + 10⁻⁹ (about), or both nan."""
    return math.isclose(got, expected, rel_tol=1e-6, abs_tol=1e-9) or (
        math.isnan(got) and math.isnan(expected)
    )


def short(x: float) -> str:
    """x with 6 significant digits, as messages print numbers: 2.25, 4.48169, -0.333333."""
    return format(x, ".6g")


# --- programs: a few lines of code run with the student's Value and with ours -------------------
class Line(NamedTuple):
    """One line of a program: target = op(operands); operands are names or numbers."""

    target: str
    op: str
    operands: tuple


OPERATIONS: dict[str, Callable[..., Any]] = {
    "+": lambda x, y: x + y,
    "*": lambda x, y: x * y,
    "-": lambda x, y: x - y,
    "/": lambda x, y: x / y,
    "**": lambda x, c: x**c,
    "neg": lambda x: -x,
    "exp": lambda x: x.exp(),
    "tanh": lambda x: x.tanh(),
    "relu": lambda x: x.relu(),
}
"""How each operation of a program is written in Python."""


class Program(NamedTuple):
    """Leaves (name, number) and lines; the last line's target is the output."""

    leaves: tuple
    lines: tuple

    def text(self) -> str:
        """The program as the Python a student would type."""
        out = [f"{name} = Value({short(x)})" for name, x in self.leaves]
        for line in self.lines:
            if line.op in ("exp", "tanh", "relu"):
                out.append(f"{line.target} = {line.operands[0]}.{line.op}()")
            elif line.op == "neg":
                out.append(f"{line.target} = -{line.operands[0]}")
            else:
                a, b = (
                    x if isinstance(x, str) else f"({short(x)})" if x < 0 and i else short(x)
                    for i, x in enumerate(line.operands)
                )
                out.append(f"{line.target} = {a} {line.op} {b}")
        return "\n".join("    " + text for text in out)

    def run(self, value_class: type) -> dict[str, Any]:
        """Every name of the program, run with `value_class`."""
        names: dict[str, Any] = {}
        for name, x in self.leaves:
            names[name] = value_class(x)
        for line in self.lines:
            operands = [names[x] if isinstance(x, str) else x for x in line.operands]
            names[line.target] = OPERATIONS[line.op](*operands)
        return names


def _defined(line_op: str, operands: list[Any]) -> bool:
    """Whether our engine's result is a plain finite number a student's engine will also give
    (no division by ~0, no complex powers, no overflow, no relu exactly at its kink)."""
    data = [x.data if hasattr(x, "data") else x for x in operands]
    if line_op == "/":
        return abs(data[1]) > 0.1 and abs(data[0] / data[1]) < 1e6
    if line_op == "**":
        return abs(data[0]) > 0.1 and abs(data[0]) ** data[1] < 1e6
    if line_op == "exp":
        return data[0] < 6
    if line_op == "relu":
        return data[0] != 0
    return all(abs(d) < 1e6 for d in data)


def draw_program(draw_value: Callable, ops: tuple[str, ...], reuse: bool) -> Program:
    """A random program with hypothesis: 1 to 3 leaves, up to 6 lines of `ops`.  Without
    `reuse` each Value is used once (a tree); with it, any earlier Value may be used again."""
    from hypothesis import strategies as st

    leaves = tuple(
        (name, draw_value(st.sampled_from(NICE))) for name in "abc"[: draw_value(st.integers(1, 3))]
    )
    ours = {name: engine.Value(x) for name, x in leaves}
    unused = [name for name, _ in leaves]  # Values no line has used yet
    lines: list[Line] = []
    for target in "defgh"[: draw_value(st.integers(1, 5))]:
        op = draw_value(st.sampled_from(ops))
        pool = list(ours) if reuse else unused
        if not pool:
            break
        first = draw_value(st.sampled_from(pool))
        if op in ("neg", "exp", "tanh", "relu"):
            operands: tuple = (first,)
        elif op == "**":
            operands = (first, draw_value(st.sampled_from((2, 3, -1))))
        else:
            others = [n for n in pool if n != first or reuse]
            second = (
                draw_value(st.sampled_from(others))
                if others and draw_value(st.booleans())
                else draw_value(st.sampled_from(NICE))
            )
            operands = (
                (second, first)
                if isinstance(second, float) and draw_value(st.booleans())
                else (first, second)
            )
        values = [ours[x] if isinstance(x, str) else x for x in operands]
        if not _defined(op, values):
            continue
        ours[target] = OPERATIONS[op](*values)
        lines.append(Line(target, op, operands))
        unused = [n for n in unused if n not in operands] + [target]
    if len(unused) > 1 or not lines:  # join what is left into one output, so every leaf counts
        total: Any = unused[0]
        for target, name in zip("jklmnopq", unused[1:]):  # at most 3 leaves + 5 lines left: 7 joins
            lines.append(Line(target, "+", (total, name)))
            total = target
        if not lines:
            lines.append(Line("d", "*", (total, 1.0)))
    return Program(leaves, tuple(lines))


def check_random_programs(
    test: Callable[[Program], None], ops: tuple[str, ...], reuse: bool, examples: int
) -> None:
    """Run test(program) on `examples` random programs (hypothesis, reproducible: derandomized,
    no database); a failure is shrunk to a short program and reported without hypothesis's notes."""
    try:
        from hypothesis import HealthCheck, given, settings
        from hypothesis import strategies as st
        from hypothesis.errors import Flaky
    except ImportError:
        raise ImportError(
            "check_engine runs property tests with hypothesis: pip install hypothesis "
            "(./dev demo installs it)"
        ) from None

    @settings(
        max_examples=examples,
        derandomize=True,
        database=None,
        deadline=None,
        report_multiple_bugs=False,
        suppress_health_check=list(HealthCheck),
        print_blob=False,
    )
    @given(st.data())
    def property_test(data: Any) -> None:
        test(draw_program(data.draw, ops, reuse))

    try:
        property_test()
    except ExerciseFailed as failure:
        raise ExerciseFailed(str(failure)) from None
    except Flaky as flaky:  # the same program passed when hypothesis ran it again
        first = next(
            (e for e in getattr(flaky, "exceptions", ()) if isinstance(e, ExerciseFailed)), None
        )
        if first is None:
            raise
        raise ExerciseFailed(
            str(first)
            + say(
                "\n(Run again, this program sometimes passed: your engine does not always do the same thing, for "
                "example when it goes through a set, whose order changes from run to run.)",
                "\n（再运行时这段程序有时又能通过：你的引擎每次的行为不一样，比如遍历 set 时，它的顺序每次运行都可能不同。）",
            )
        ) from None


def _student_and_ours(program: Program, Value: type) -> tuple[dict, dict]:
    theirs = run_student(
        say("running this program with your Value:\n", "用你的 Value 运行这段程序时：\n")
        + program.text(),
        lambda: program.run(Value),
    )
    return theirs, program.run(engine.Value)


def same_data(program: Program, Value: type) -> None:
    theirs, ours = _student_and_ours(program, Value)
    for name, v in ours.items():
        got = as_number(getattr(theirs[name], "data", theirs[name]), f"{name}.data")
        if not close(got, v.data):
            raise fail(
                f"in this program\n{program.text()}\n{name}.data should be {short(v.data)}, got {short(got)}",
                f"在这段程序中\n{program.text()}\n{name}.data 应为 {short(v.data)}，实际是 {short(got)}",
            )


def same_gradients(program: Program, Value: type) -> None:
    theirs, ours = _student_and_ours(program, Value)
    out = program.lines[-1].target
    calls = _watch_backward_steps(theirs)
    run_student(
        say(f"{out}.backward() in this program:\n", f"在这段程序中调用 {out}.backward() 时：\n")
        + program.text(),
        theirs[out].backward,
    )
    _check_backward_steps(program, calls)
    ours[out].backward()
    for name, x in program.leaves:
        got = as_number(theirs[name].grad, f"{name}.grad")
        expected = ours[name].grad
        if not close(got, expected):
            raise fail(
                f"after {out}.backward() in this program\n{program.text()}\n{name}.grad should be "
                f"{short(expected)}, got {short(got)}.{leaf_hint(got, expected)}",
                f"在这段程序中调用 {out}.backward() 之后\n{program.text()}\n{name}.grad 应为 "
                f"{short(expected)}，实际是 {short(got)}。{leaf_hint(got, expected)}",
            )


def _watch_backward_steps(names: dict[str, Any]) -> list[str]:
    """Wrap each result's _backward so that the names of the calls are listed as they happen."""
    calls: list[str] = []
    for name, v in names.items():
        step = getattr(v, "_backward", None)
        if step is None or not getattr(v, "_prev", ()):
            continue

        def watched(name: str = name, step: Callable = step) -> Any:
            calls.append(name)
            return step()

        try:
            v._backward = watched
        except AttributeError:  # a class with __slots__ or a method: not watched
            return []
    return calls


def _check_backward_steps(program: Program, calls: list[str]) -> None:
    """Each result's _backward ran once, after those of every result that uses it."""
    if not calls:
        return
    out = program.lines[-1].target
    for line in program.lines:
        count = calls.count(line.target)
        if count != 1:
            raise fail(
                f"during {out}.backward() in this program\n{program.text()}\n{line.target}._backward() ran "
                f"{count} times, it should run once: "
                + (
                    "visit each Value once (keep a set of the Values visited)"
                    if count > 1
                    else "backward() must call _backward on every Value of the graph"
                ),
                f"在这段程序中调用 {out}.backward() 时\n{program.text()}\n{line.target}._backward() 运行了 "
                f"{count} 次，应当正好一次："
                + (
                    "每个 Value 只访问一次（用一个集合记录访问过的 Value）"
                    if count > 1
                    else "backward() 要对图里的每个 Value 调用 _backward"
                ),
            )
    for line in program.lines:
        for name in line.operands:
            if name in calls and calls.index(name) < calls.index(line.target):
                raise fail(
                    f"during {out}.backward() in this program\n{program.text()}\n{name}._backward() ran before "
                    f"{line.target}._backward(), but {line.target} uses {name}: {name}'s gradient was not complete "
                    "yet. Go from the output back to the inputs: reversed topological order",
                    f"在这段程序中调用 {out}.backward() 时\n{program.text()}\n{name}._backward() 在 "
                    f"{line.target}._backward() 之前运行了，可是 {line.target} 用到了 {name}：那时 {name} 的梯度"
                    "还不完整。要从输出往回走到输入：逆拓扑顺序",
                )


def leaf_hint(got: float, expected: float) -> str:
    """A guess at the mistake behind a wrong gradient of a leaf."""
    if got == 0 and expected != 0:
        return say(
            " Nothing reached it: does backward() call _backward from the output back to the leaves "
            "(reversed topological order), on every Value?",
            "梯度没有传到它：backward() 是否从输出往回、按逆拓扑顺序对每个 Value 调用了 _backward？",
        )
    return ""


__all__ = ["Program", "Line", "OPERATIONS", "NICE", "draw_program"]
