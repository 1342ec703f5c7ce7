"""The build-it-yourself track: ``check_engine(Value, step)`` checks a Value class a student wrote.

The steps follow karpathy's lecture "The spelled-out intro to neural networks and
backpropagation: building micrograd":

1. ``data``, ``+`` and ``*`` with numbers and Values (either side), ``_prev`` and ``_op``;
2. ``grad`` starting at 0, ``label`` if your Value takes one, and ``micrograd.draw`` drawing it;
3. ``_backward()``: each result adds its share of its gradient into its inputs' grads;
4. ``backward()``: the seed 1.0, then ``_backward`` in reverse topological order;
5. a Value used twice: the gradients from both uses add up (``+=``, not ``=``);
6. ``-``, ``/``, ``**`` with a number exponent, ``exp()``, ``tanh()`` and ``relu()``;
7. Neuron, Layer and MLP built on your Value, trained until the loss falls.

``check_engine(Value, 4)`` checks steps 1 to 4 (``check_engine(Value, 7, MLP=MLP)`` checks
those of exp, tanh and relu your Value has: an MLP needs one of them, not all three) and returns None when they pass; otherwise it
raises ``ExerciseFailed`` (an AssertionError) saying in plain words what is wrong: which
operation, on which inputs, what was expected and what your class gave.  Each step first tries
each operation on its own, then random programs (hypothesis property tests) run with your
Value and with micrograd's, whose results must agree.  A program that fails is shrunk to a
short one and printed, so you can paste it and see for yourself.
"""

from __future__ import annotations

import math
import random
import sys
from typing import Any, Callable

from .drawing import draw
from .checker_programs import (
    ExerciseFailed,
    Line,
    Program,
    as_number,
    check_random_programs,
    close,
    fail,
    leaf_hint,
    not_written,
    run_student,
    same_data,
    same_gradients,
    short,
    student_line,
)
from .language import say

STEPS = {
    1: (
        "data, + and * with numbers and Values, _prev and _op",
        "data、与数字和 Value 的 + 和 *、_prev 与 _op",
    ),
    2: ("grad, label, and drawing with micrograd.draw", "grad、label，以及用 micrograd.draw 画图"),
    3: (
        "_backward: each result passes its gradient to its inputs",
        "_backward：每个结果把梯度传给它的输入",
    ),
    4: (
        "backward(): the seed 1.0 and reverse topological order",
        "backward()：初始梯度 1.0 与逆拓扑顺序",
    ),
    5: ("a Value used twice: gradients add up", "被使用两次的 Value：梯度要累加"),
    6: ("-, /, ** with a number, exp, tanh and relu", "-、/、以数字为指数的 **、exp、tanh 和 relu"),
    7: (
        "Neuron, Layer and MLP, trained until the loss falls",
        "Neuron、Layer 和 MLP，训练到损失下降",
    ),
}
"""What each step of the track builds, in English and Chinese."""


# --- the steps --------------------------------------------------------------------------------------
def _make(Value: type, x: float) -> Any:
    return run_student(f"Value({short(x)})", lambda: Value(x))


def _step_1(Value: type, examples: int) -> None:
    leaf = _make(Value, 2.0)
    if as_number(getattr(leaf, "data", None), "Value(2.0).data") != 2.0:
        raise fail(
            f"Value(2.0).data should be 2.0, got {leaf.data!r}",
            f"Value(2.0).data 应为 2.0，实际是 {leaf.data!r}",
        )
    for attribute, expected in (("_prev", "an empty set or tuple"), ("_op", "''")):
        if not hasattr(leaf, attribute):
            raise fail(
                f"a Value needs {attribute}: for Value(2.0) it is {expected}",
                f"Value 需要属性 {attribute}：Value(2.0) 的 {attribute} 应为 {expected}",
            )
    _readable_again(leaf._prev, "Value(2.0)")
    if len(leaf._prev) != 0 or leaf._op != "":
        raise fail(
            f"Value(2.0) is a leaf: its _prev should be empty and its _op '', got {leaf._prev!r} and "
            f"{leaf._op!r}",
            f"Value(2.0) 是叶子节点：_prev 应为空，_op 应为 ''，实际是 {leaf._prev!r} 和 {leaf._op!r}",
        )
    for text, op, make, expected in (
        ("a + b", "+", lambda a, b: a + b, -1.0),
        ("a * b", "*", lambda a, b: a * b, -6.0),
        ("a + 1.5", "+", lambda a, b: a + 1.5, 3.5),
        ("a * 4", "*", lambda a, b: a * 4, 8.0),
        ("1.5 + a", "+", lambda a, b: 1.5 + a, 3.5),
        ("4 * a", "*", lambda a, b: 4 * a, 8.0),
    ):
        a, b = _make(Value, 2.0), _make(Value, -3.0)
        where = "a = Value(2.0), b = Value(-3.0): "
        try:
            out = make(a, b)
        except Exception as err:
            raise _operation_error(where + text, op, err) from None
        _check_result(out, Value, where + text, op, expected, [a] if "b" not in text else [a, b])
    check_random_programs(lambda p: same_data(p, Value), ("+", "*"), False, examples)


def _operation_error(text: str, op: str, err: Exception) -> ExerciseFailed:
    """What a failing `text` (a + 1.5, 4 * a...) most likely lacks, in plain words."""
    if isinstance(err, NotImplementedError):
        return not_written(text, err)
    if isinstance(err, TypeError) and text.split(": ")[-1][0].isdigit():
        method = "__radd__" if op == "+" else "__rmul__"
        return fail(
            f"{text} failed ({err}). When the number comes first, Python asks the Value: define "
            f"{method}(self, other), returning self {op} other",
            f"{text} 失败了（{err}）。数字在前时，Python 会调用 Value 的 {method}："
            f"请定义 {method}(self, other)，返回 self {op} other",
        )
    if isinstance(err, (TypeError, AttributeError)) and not text.endswith("b"):
        return fail(
            f"{text} failed ({type(err).__name__}: {err}): a number has no .data; wrap it in a Value "
            "first, other = other if isinstance(other, Value) else Value(other)",
            f"{text} 失败了（{type(err).__name__}：{err}）：数字没有 .data，先把它包装成 Value："
            "other = other if isinstance(other, Value) else Value(other)",
        )
    return fail(
        f"{text} raised {type(err).__name__}: {err}{student_line(err)}",
        f"{text} 时出错 {type(err).__name__}：{err}{student_line(err)}",
    )


def _readable_again(prev: Any, name: str) -> None:
    """_prev must be a collection (set, tuple, list): a generator or iterator is empty once read."""
    if not isinstance(prev, (set, frozenset, tuple, list)):
        raise fail(
            f"{name}._prev is a {type(prev).__name__}: backward() and draw() each read _prev, and a "
            f"{type(prev).__name__} can be read only once; make it a set or tuple, self._prev = set(_children)",
            f"{name}._prev 是 {type(prev).__name__}：backward() 和 draw() 都要读 _prev，而 {type(prev).__name__} "
            "只能读一次；请用集合或元组，self._prev = set(_children)",
        )


def _check_result(
    out: Any, Value: type, text: str, op: str, expected: float, inputs: list[Any]
) -> None:
    """out is a Value of the student's class, with the right data, _op and _prev."""
    if not isinstance(out, Value):
        raise fail(
            f"{text} should give a Value, got {out!r} of type {type(out).__name__}: "
            f"return Value(...) from the operation",
            f"{text} 的结果应是一个 Value，实际是 {type(out).__name__} 类型的 {out!r}：运算要返回 Value(...)",
        )
    got = as_number(out.data, f"({text}).data")
    if not close(got, expected):
        raise fail(
            f"{text} should be {short(expected)}, got {short(got)}",
            f"{text} 应为 {short(expected)}，实际是 {short(got)}",
        )
    if out._op != op:
        raise fail(
            f"({text})._op should be {op!r}, got {out._op!r}",
            f"({text})._op 应为 {op!r}，实际是 {out._op!r}",
        )
    _readable_again(out._prev, f"({text})")
    prev = list(out._prev)
    for item in prev:
        if not isinstance(item, Value):
            raise fail(
                f"({text})._prev should hold Values, but holds {item!r} ({type(item).__name__}): wrap numbers "
                "in a Value, other = other if isinstance(other, Value) else Value(other)",
                f"({text})._prev 里应当都是 Value，却有 {type(item).__name__} 类型的 {item!r}：把数字包装成 Value，"
                "other = other if isinstance(other, Value) else Value(other)",
            )
    if not all(any(item is v for item in prev) for v in inputs) or len(prev) > 2:
        raise fail(
            f"({text})._prev should be the Values it was made from, got {prev!r}",
            f"({text})._prev 应是参与运算的那些 Value，实际是 {prev!r}",
        )


def _step_2(Value: type, examples: int) -> None:
    a = _make(Value, 2.0)
    out = run_student("a * 4 + a", lambda: a * 4 + a)
    for name, v in (("Value(2.0)", a), ("a * 4 + a", out)):
        if not hasattr(v, "grad") or v.grad != 0:
            raise fail(
                f"{name}.grad should start at 0 (nothing has been backpropagated yet), got "
                f"{getattr(v, 'grad', 'no grad attribute')!r}",
                f"{name}.grad 一开始应为 0（还没有反向传播），实际是 {getattr(v, 'grad', '没有 grad 属性')!r}",
            )
    try:
        labelled = Value(1.0, label="x")
    except TypeError:
        labelled = None  # karpathy's Value takes no label: that is fine
    if labelled is not None and getattr(labelled, "label", None) != "x":
        raise fail(
            "Value(1.0, label='x').label should be 'x'", "Value(1.0, label='x').label 应为 'x'"
        )
    run_student(
        "micrograd.draw(a * 4 + a)", lambda: draw(out)
    )  # what it draws: tests/test_engine_checks.py


def _local(
    Value: type, text: str, make: Callable, upstream: float, expected: dict[str, float]
) -> None:
    """out = make(a, b); out.grad = upstream; all else 0; out._backward() must give `expected`."""
    a, b = _make(Value, 2.0), _make(Value, -3.0)
    out = run_student(text, lambda: make(a, b))
    for v in (a, b, *out._prev):
        v.grad = 0.0
    out.grad = upstream
    if not callable(getattr(out, "_backward", None)):
        raise fail(
            f"({text}) has no _backward to call: every Value needs one (a leaf's does nothing: "
            "self._backward = lambda: None)",
            f"({text}) 没有可调用的 _backward：每个 Value 都需要一个"
            "（叶子节点的什么也不做：self._backward = lambda: None）",
        )
    run_student(f"out._backward() for out = {text}", out._backward)
    for name, want in expected.items():
        got = as_number({"a": a, "b": b}[name].grad, f"{name}.grad")
        if not close(got, want):
            raise fail(
                f"out = {text} with a = 2.0, b = -3.0 and out.grad = {short(upstream)}: after out._backward(), "
                f"{name}.grad should be {short(want)}, got {short(got)}.{_local_hint(text, got, want, upstream)}",
                f"out = {text}，其中 a = 2.0，b = -3.0，out.grad = {short(upstream)}：调用 out._backward() 后，"
                f"{name}.grad 应为 {short(want)}，实际是 {short(got)}。{_local_hint(text, got, want, upstream)}",
            )


def _local_hint(text: str, got: float, want: float, upstream: float) -> str:
    if close(got, want / upstream):
        return say(
            " The chain rule multiplies the local derivative by out.grad, the gradient from above.",
            "链式法则要把局部导数乘以 out.grad（上游传来的梯度）。",
        )
    if "*" in text and close(got, upstream):
        return say(
            " The product rule: ∂(a·b)/∂a = b, so a's share is b.data · out.grad.",
            "乘法的求导：∂(a·b)/∂a = b，所以 a 得到的是 b.data · out.grad。",
        )
    return ""


def _step_3(Value: type, examples: int) -> None:
    leaf = _make(Value, 2.0)
    leaf.grad = 0.5
    run_student("Value(2.0)._backward()", getattr(leaf, "_backward", lambda: None))
    if leaf.grad != 0.5:
        raise fail(
            "a leaf's _backward should do nothing, but it changed its grad",
            "叶子节点的 _backward 什么也不该做，它却改了 grad",
        )
    for upstream in (1.0, 0.7, -1.5):
        _local(Value, "a + b", lambda a, b: a + b, upstream, {"a": upstream, "b": upstream})
        _local(
            Value,
            "a * b",
            lambda a, b: a * b,
            upstream,
            {"a": -3.0 * upstream, "b": 2.0 * upstream},
        )
        _local(Value, "a * 4", lambda a, b: a * 4, upstream, {"a": 4.0 * upstream})
        _local(Value, "4 * a", lambda a, b: 4 * a, upstream, {"a": 4.0 * upstream})
        _local(Value, "1.5 + a", lambda a, b: 1.5 + a, upstream, {"a": upstream})
    # the lecture's manual pass: L = (a*b + c) * f, each node's _backward called by hand, output first
    a, b, c, f = (_make(Value, x) for x in (2.0, -3.0, 10.0, -2.0))
    e = a * b
    d = e + c
    L = d * f
    for v in (a, b, c, f, e, d):
        v.grad = 0.0
    L.grad = 1.0
    for node in (L, d, e):
        run_student("calling _backward node by node, from L back to a and b", node._backward)
    expected = {"a": -2.0 * -3.0, "b": -2.0 * 2.0, "c": -2.0, "f": 4.0}
    for name, v in zip("abcf", (a, b, c, f)):
        if not close(as_number(v.grad, f"{name}.grad"), expected[name]):
            raise fail(
                f"for L = (a*b + c) * f with a, b, c, f = 2, -3, 10, -2, calling L._backward(), "
                f"d._backward(), e._backward() should give {name}.grad = {short(expected[name])}, got {v.grad}",
                f"对 L = (a*b + c) * f（a, b, c, f = 2, -3, 10, -2），依次调用 L._backward()、d._backward()、"
                f"e._backward() 后 {name}.grad 应为 {short(expected[name])}，实际是 {v.grad}",
            )


def _step_4(Value: type, examples: int) -> None:
    a = _make(Value, 2.0)
    out = run_student("(a * 2) * 3 + 1", lambda: (a * 2) * 3 + 1)
    if not callable(getattr(out, "backward", None)):
        raise fail("your Value has no backward() yet", "你的 Value 还没有 backward()")
    run_student("out.backward()", out.backward)
    seed = as_number(out.grad, "out.grad")
    if not close(seed, 1.0):
        raise fail(
            f"after out.backward(), out.grad should be 1 (∂out/∂out: the seed backward starts from), "
            f"got {short(seed)}: set self.grad = 1.0 first",
            f"调用 out.backward() 后 out.grad 应为 1（∂out/∂out，反向传播的起点），实际是 {short(seed)}："
            "先设置 self.grad = 1.0",
        )
    got = as_number(a.grad, "a.grad")
    if not close(got, 6.0):
        raise fail(
            f"for out = (a * 2) * 3 + 1, after out.backward() a.grad should be 6, got {short(got)}."
            f"{leaf_hint(got, 6.0)}",
            f"对 out = (a * 2) * 3 + 1，调用 out.backward() 后 a.grad 应为 6，实际是 {short(got)}。{leaf_hint(got, 6.0)}",
        )
    check_random_programs(lambda p: same_gradients(p, Value), ("+", "*"), False, examples)


def _step_5(Value: type, examples: int) -> None:
    for text, make, expected, meaning in (
        ("a + a", lambda a: a + a, 2.0, "1 + 1"),
        ("a * a", lambda a: a * a, 6.0, "a + a"),
        ("(a * a) * a", lambda a: (a * a) * a, 27.0, "3a²"),
    ):
        a = _make(Value, 3.0)
        out = run_student(text, lambda: make(a))
        run_student(f"({text}).backward()", out.backward)
        got = as_number(a.grad, "a.grad")
        if not close(got, expected):
            raise fail(
                f"out = {text} with a = Value(3.0): a is used more than once, so after out.backward() a.grad "
                f"should be {meaning} = {short(expected)}, got {short(got)}. Each use adds its share: "
                "in _backward write self.grad += ..., not self.grad = ...",
                f"out = {text}，a = Value(3.0)：a 被使用了不止一次，所以 out.backward() 之后 a.grad 应为 "
                f"{meaning} = {short(expected)}，实际是 {short(got)}。每次使用都要把自己那份加上去："
                "在 _backward 里写 self.grad += ...，而不是 self.grad = ...",
            )
    # d is used near the output and deep below it: any order but newest first (breadth first,
    # a sort by depth) runs d._backward() before all of d's uses have passed their share.
    same_gradients(SHARED_NEAR_AND_DEEP, Value)
    check_random_programs(lambda p: same_gradients(p, Value), ("+", "*"), True, examples)


SHARED_NEAR_AND_DEEP = Program(
    leaves=(("a", 3.0),),
    lines=(
        Line("d", "*", ("a", "a")),
        Line("e", "*", ("d", 2.0)),
        Line("g", "*", ("e", 3.0)),
        Line("f", "+", ("d", "g")),
    ),
)


def _step_6(Value: type, examples: int, all_operations: bool = True) -> None:
    """-, /, ** with a number, exp, tanh and relu; with all_operations False only those of
    exp, tanh and relu that Value has (step 7 needs one nonlinearity, not all three)."""
    cases = (
        ("a - b", lambda a, b: a - b, 5.0, {"a": 1.0, "b": -1.0}),
        ("a - 1.5", lambda a, b: a - 1.5, 0.5, {"a": 1.0}),
        ("1.5 - a", lambda a, b: 1.5 - a, -0.5, {"a": -1.0}),
        ("-a", lambda a, b: -a, -2.0, {"a": -1.0}),
        ("a ** 3", lambda a, b: a**3, 8.0, {"a": 12.0}),
        ("a ** -1", lambda a, b: a**-1, 0.5, {"a": -0.25}),
        ("a / b", lambda a, b: a / b, -2 / 3, {"a": -1 / 3, "b": -2 / 9}),
        ("a / 4", lambda a, b: a / 4, 0.5, {"a": 0.25}),
        ("3 / a", lambda a, b: 3 / a, 1.5, {"a": -0.75}),
        ("a.exp()", lambda a, b: a.exp(), math.exp(2), {"a": math.exp(2)}),
        ("a.tanh()", lambda a, b: a.tanh(), math.tanh(2), {"a": 1 - math.tanh(2) ** 2}),
        ("b.tanh()", lambda a, b: b.tanh(), math.tanh(-3), {"b": 1 - math.tanh(-3) ** 2}),
        ("a.relu()", lambda a, b: a.relu(), 2.0, {"a": 1.0}),
        ("b.relu()", lambda a, b: b.relu(), 0.0, {"b": 0.0}),
    )
    for text, make, value, grads in cases:
        a, b = _make(Value, 2.0), _make(Value, -3.0)
        method = text[2:-2] if text.endswith("()") else ""  # a.exp() -> exp
        if method and not hasattr(a, method) and not all_operations:
            continue
        if method and not hasattr(a, method):
            raise fail(
                f"your Value has no {method}() yet (step 6 adds -, /, ** with a number, exp, tanh and relu)",
                f"你的 Value 还没有 {method}()（第 6 步要加上 -、/、以数字为指数的 **、exp、tanh 和 relu）",
            )
        out = run_student(f"{text} with a = Value(2.0), b = Value(-3.0)", lambda: make(a, b))
        got = as_number(getattr(out, "data", out), f"({text}).data")
        if not close(got, value):
            raise fail(
                f"{text} with a = 2.0, b = -3.0 should be {short(value)}, got {short(got)}",
                f"a = 2.0，b = -3.0 时 {text} 应为 {short(value)}，实际是 {short(got)}",
            )
        run_student(f"({text}).backward()", out.backward)
        for name, want in grads.items():
            got = as_number({"a": a, "b": b}[name].grad, f"{name}.grad")
            if not close(got, want):
                raise fail(
                    f"after ({text}).backward() with a = 2.0, b = -3.0, {name}.grad should be {short(want)}, "
                    f"got {short(got)}: check the derivative of {_operation_name(text)}",
                    f"a = 2.0，b = -3.0 时调用 ({text}).backward() 后 {name}.grad 应为 {short(want)}，"
                    f"实际是 {short(got)}：请检查 {_operation_name(text)} 的导数",
                )
    functions = tuple(
        name for name in ("exp", "tanh", "relu") if all_operations or hasattr(Value, name)
    )
    check_random_programs(
        lambda p: same_gradients(p, Value),
        ("+", "*", "-", "/", "**", "neg") + functions,
        True,
        examples,
    )


def _operation_name(text: str) -> str:
    for symbol in ("exp", "tanh", "relu", "**", "/", "-"):
        if symbol in text:
            return symbol
    return text


XS = [[2.0, 3.0, -1.0], [3.0, -1.0, 0.5], [0.5, 1.0, 1.0], [1.0, 1.0, -1.0]]
YS = [1.0, -1.0, -1.0, 1.0]
"""The lecture's four examples and targets."""


def _step_7(Value: type, examples: int, MLP: Any) -> None:
    if MLP is None:
        raise fail(
            "step 7 checks your MLP: call check_engine(Value, 7, MLP=MLP)",
            "第 7 步检查你的 MLP：请调用 check_engine(Value, 7, MLP=MLP)",
        )
    model = run_student("MLP(3, [4, 4, 1])", lambda: MLP(3, [4, 4, 1]))
    parameters = list(run_student("model.parameters()", model.parameters))
    if len(parameters) != 41:
        raise fail(
            f"MLP(3, [4, 4, 1]) has 3·4+4 + 4·4+4 + 4·1+1 = 41 parameters, parameters() gave {len(parameters)}",
            f"MLP(3, [4, 4, 1]) 有 3·4+4 + 4·4+4 + 4·1+1 = 41 个参数，parameters() 给出了 {len(parameters)} 个",
        )
    for p in parameters:
        if not isinstance(p, Value):
            raise fail(
                f"every parameter should be one of your Values, parameters() gave {p!r} "
                f"({type(p).__name__}): return the Values themselves, not their .data",
                f"每个参数都应是你的 Value，parameters() 却给出了 {type(p).__name__} 类型的 {p!r}："
                "要返回 Value 本身，而不是它们的 .data",
            )
    rng = random.Random(7)
    for (
        p
    ) in parameters:  # no bias exactly 0 (karpathy's start at 0): relu's kink breaks differences
        p.data = rng.uniform(-1, 1)

    def loss() -> Any:
        outputs = [model(x) for x in XS]
        outputs = [o[0] if isinstance(o, (list, tuple)) else o for o in outputs]
        return sum(((o - y) ** 2 for o, y in zip(outputs, YS)), Value(0.0))

    total = run_student("the loss Σ (model(x) - y)² on the lecture's four examples", loss)
    for p in parameters:
        p.grad = 0.0
    run_student("loss.backward()", total.backward)
    if all(p.grad == 0 for p in parameters):
        raise fail(
            "after loss.backward() every parameter's grad is 0: parameters() must return the Values the "
            "model computes with, not new Values (copies) holding the same numbers",
            "loss.backward() 之后每个参数的 grad 都是 0：parameters() 必须返回模型计算时用的那些 Value，"
            "而不是数值相同的新 Value（副本）",
        )
    for index, p in enumerate(parameters):
        saved = p.data
        p.data = saved + 1e-6
        up = loss().data
        p.data = saved - 1e-6
        down = loss().data
        p.data = saved
        numeric = (up - down) / 2e-6
        if not math.isclose(p.grad, numeric, rel_tol=1e-3, abs_tol=1e-5):
            raise fail(
                f"parameter {index} of MLP(3, [4, 4, 1]): its grad is {short(p.grad)}, but nudging it changes the "
                f"loss at the rate {short(numeric)} (central differences)",
                f"MLP(3, [4, 4, 1]) 的第 {index} 个参数：grad 是 {short(p.grad)}，但微调它时损失的变化率是 "
                f"{short(numeric)}（中心差分）",
            )
    first = total.data
    for _ in range(100):
        current = loss()
        for p in parameters:
            p.grad = 0.0
        current.backward()
        for p in parameters:
            p.data -= 0.05 * p.grad
    last = loss().data
    if not last < first / 2:
        outputs = [model(x) for x in XS]
        outputs = [(o[0] if isinstance(o, (list, tuple)) else o).data for o in outputs]
        never_negative = min(outputs) >= 0 > min(YS)
        raise fail(
            f"100 steps of gradient descent (lr 0.05) took the loss from {short(first)} only to {short(last)}"
            + (
                ": the MLP never outputs a negative number, but two targets are -1; a relu on the last layer "
                "allows only numbers ≥ 0 (karpathy's MLP leaves the last layer linear)"
                if never_negative
                else ""
            ),
            f"100 步梯度下降（学习率 0.05）只把损失从 {short(first)} 降到了 {short(last)}"
            + (
                "：MLP 从不输出负数，而有两个目标值是 -1；最后一层用 relu 就只能输出 ≥ 0 的数"
                "（karpathy 的 MLP 最后一层是线性的）"
                if never_negative
                else ""
            ),
        )


CHECKS = {1: _step_1, 2: _step_2, 3: _step_3, 4: _step_4, 5: _step_5, 6: _step_6}


def check_engine(Value: type, step: int, *, MLP: Any = None, examples: int = 60) -> None:
    """Check the Value class you wrote, up to `step` (1 to 7; see the module's docstring).

    Returns None when every step up to `step` passes; raises ExerciseFailed (an AssertionError)
    saying what is wrong otherwise.  Step 7 needs your MLP class: ``check_engine(Value, 7,
    MLP=MLP)``.  `examples` is how many random programs each step tries.
    """
    if not isinstance(Value, type):
        raise TypeError(
            f"check_engine needs your Value class itself (check_engine(Value, 1)), got {Value!r}"
        )
    if isinstance(step, bool) or not isinstance(step, int) or not 1 <= step <= 7:
        raise ValueError(f"step must be a whole number from 1 to 7, got {step!r}")
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(limit, 10_000))  # a recursive topological sort, as in the lecture
    try:
        for number in range(1, step + 1):
            try:
                if number == 7:
                    _step_7(Value, examples, MLP)
                elif number == 6 and step == 7:
                    _step_6(
                        Value, examples, all_operations=False
                    )  # karpathy's package has relu, not exp or tanh
                else:
                    CHECKS[number](Value, examples)
            except ExerciseFailed as failure:  # say which step, then what is wrong
                english, chinese = STEPS[number]
                raise ExerciseFailed(
                    say(f"step {number} ({english}): ", f"第 {number} 步（{chinese}）：")
                    + str(failure)
                ) from None
    finally:
        sys.setrecursionlimit(limit)


__all__ = ["check_engine", "STEPS"]
