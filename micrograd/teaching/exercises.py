"""Checkers for the lessons' exercises: each tests a student's answer and explains what is wrong.

Every checker tries the answer on many random points (property-based, with a fixed seed so a
failure can be reproduced) against an independent truth: a closed form, central
differences, or gradcheck.  It returns a short "correct" message, or raises
``ExerciseFailed`` whose message says, in plain words, what was expected and what came out.
"""

from __future__ import annotations

import math
import random
from typing import Any, Callable

from .. import func
from ..autograd.gradcheck import GradcheckError, gradcheck
from ..core.value import Value
from . import instruments
from .engine_checks import check_engine  # noqa: F401  the build-it-yourself track's checker
from .checker_programs import ExerciseFailed
from .language import say
from ..tensors import Tensor, float64, tensor


def _points(low: float, high: float, count: int = 40, seed: int = 0) -> list[float]:
    rng = random.Random(seed)
    return [rng.uniform(low, high) for _ in range(count)]


def _close(a: Any, b: float, rel: float = 1e-6, abs_: float = 1e-9) -> bool:
    try:
        a = float(a)
    except (TypeError, ValueError):
        raise ExerciseFailed(
            say(
                f"your answer gave {a!r} where a number was expected",
                f"你的答案给出了 {a!r}，这里需要的是一个数",
            )
        ) from None
    return math.isclose(a, float(b), rel_tol=rel, abs_tol=abs_)


def _call(answer: Callable, *args: Any) -> Any:
    try:
        return answer(*args)
    except NotImplementedError as err:
        raise ExerciseFailed(
            say(f"your answer is not written yet ({err})", f"你的答案还没有写（{err}）")
        ) from None
    except Exception as err:
        raise ExerciseFailed(
            say(
                f"your answer raised {type(err).__name__}: {err} (called with {args})",
                f"你的答案出错了 {type(err).__name__}：{err}（调用参数 {args}）",
            )
        ) from None


def _a_value(out: Any, what: str) -> Value:
    """out, if it is a Value; otherwise a failure that names what came back instead."""
    if isinstance(out, Value):
        return out
    if isinstance(out, (int, float)):
        raise ExerciseFailed(
            say(
                f"{what} should be a Value, but your answer returned the plain number {out!r}: "
                "build it from Value operations (not .data or float()), so it can be differentiated",
                f"{what} 应该是一个 Value，你的答案却返回了普通的数 {out!r}：要用 Value 的运算来构造它"
                "（不要用 .data 或 float()），这样才能求导",
            )
        )
    raise ExerciseFailed(
        say(
            f"{what} should be a Value, your answer returned {out!r} ({type(out).__name__})",
            f"{what} 应该是一个 Value，你的答案返回了 {type(out).__name__} 类型的 {out!r}",
        )
    )


def check_derivative_of_x3_sin_x(answer: Callable[[float], float]) -> str:
    """Lesson 1: answer(x) should be d/dx [x³·sin(x)], derived by hand."""
    for x in _points(-3, 3):
        expected = 3 * x * x * math.sin(x) + x**3 * math.cos(x)
        got = _call(answer, x)
        if not _close(got, expected):
            raise ExerciseFailed(
                say(
                    f"at x = {x:.4f} the derivative is {expected:.6g} (autograd agrees), your answer "
                    f"gave {float(got):.6g}. Hint: product rule, (uv)' = u'v + uv'.",
                    f"在 x = {x:.4f} 处导数是 {expected:.6g}（自动求导也是这个值），你的答案给出 "
                    f"{float(got):.6g}。提示：乘积法则 (uv)' = u'v + uv'。",
                )
            )
    return say(
        "correct: your derivative matches autograd at 40 random points",
        "正确：在 40 个随机点上，你的导数与自动求导一致",
    )


def check_graph_of_a_plus_b_times_c(answer: Callable[[Value, Value, Value], Value]) -> str:
    """Lesson 2: answer(a, b, c) should build z = (a + b) * c."""
    for a0, b0, c0 in zip(_points(-2, 2, 10, 1), _points(-2, 2, 10, 2), _points(-2, 2, 10, 3)):
        a, b, c = Value(a0), Value(b0), Value(c0)
        z = _call(answer, a, b, c)
        if not isinstance(z, Value):
            raise ExerciseFailed(
                say(
                    f"return the Value z, not {type(z).__name__}",
                    f"应该返回 Value z，而不是 {type(z).__name__}",
                )
            )
        if type(z.grad_fn).__name__ != "MulBackward0":
            raise ExerciseFailed(
                say(
                    f"the last operation should be a multiplication (MulBackward0), it is {z.grad_fn}",
                    f"最后一个运算应该是乘法（MulBackward0），实际是 {z.grad_fn}",
                )
            )
        names = sorted(type(f).__name__ for f, _ in z.grad_fn.next_functions if f is not None)
        if names != ["AccumulateGrad", "AddBackward0"]:
            raise ExerciseFailed(
                say(
                    f"z's inputs should be a sum (AddBackward0) and the leaf c (AccumulateGrad), got {names}",
                    f"z 的输入应该是一个加法（AddBackward0）和叶子节点 c（AccumulateGrad），实际是 {names}",
                )
            )
        z.backward()
        if not (_close(a.grad, c0) and _close(b.grad, c0) and _close(c.grad, a0 + b0)):
            raise ExerciseFailed(
                say(
                    f"gradients should be dz/da = c = {c0:.4g}, dz/db = c, dz/dc = a + b = {a0 + b0:.4g}; "
                    f"got {a.grad:.4g}, {b.grad:.4g}, {c.grad:.4g}",
                    f"梯度应为 dz/da = c = {c0:.4g}，dz/db = c，dz/dc = a + b = {a0 + b0:.4g}；"
                    f"实际是 {a.grad:.4g}、{b.grad:.4g}、{c.grad:.4g}",
                )
            )
    return say(
        "correct: z = (a + b)·c, with the graph and gradients it should have",
        "正确：z = (a + b)·c，计算图和梯度都对",
    )


def check_second_derivative(answer: Callable[[Callable[[Value], Value], float], float]) -> str:
    """Lesson 3: answer(f, x0) should return f''(x0), using create_graph=True."""
    cases = [
        (lambda x: x**3, lambda x: 6 * x, "x³"),
        (lambda x: x.sin(), lambda x: -math.sin(x), "sin x"),
        (lambda x: x * x.exp(), lambda x: (x + 2) * math.exp(x), "x·eˣ"),
    ]
    for f, d2, name in cases:
        for x0 in _points(-2, 2, 8):
            got = _call(answer, f, x0)
            if not _close(got, d2(x0)):
                raise ExerciseFailed(
                    say(
                        f"for f(x) = {name} at x = {x0:.4f}, f'' = {d2(x0):.6g}, your answer gave {float(got):.6g}. "
                        "Hint: the first derivative must itself be differentiable: create_graph=True.",
                        f"对 f(x) = {name}，在 x = {x0:.4f} 处 f'' = {d2(x0):.6g}，你的答案给出 {float(got):.6g}。"
                        "提示：一阶导数本身也要能再求导：create_graph=True。",
                    )
                )
    return say(
        "correct: second derivatives of x³, sin x and x·eˣ",
        "正确：x³、sin x 和 x·eˣ 的二阶导数都对",
    )


def check_sgd_step(answer: Callable[[Tensor, float], None]) -> str:
    """Lesson 4: answer(w, lr) should do w ← w - lr·w.grad in place, w staying the same leaf."""
    w = tensor([1.0, -2.0, 0.5], requires_grad=True)
    (w * w).sum().backward()
    same = w
    result = _call(answer, w, 0.1)
    if result is not None and result is not w:
        raise ExerciseFailed(
            say(
                "update w in place (w -= ...) rather than making a new tensor",
                "要原地更新 w（w -= ...），而不是生成一个新张量",
            )
        )
    if not all(_close(a, b) for a, b in zip(w.tolist(), [0.8, -1.6, 0.4])):
        raise ExerciseFailed(
            say(
                f"after one step w should be [0.8, -1.6, 0.4], it is {w.tolist()}",
                f"走一步之后 w 应为 [0.8, -1.6, 0.4]，实际是 {w.tolist()}",
            )
        )
    if w is not same or not w.is_leaf or not w.requires_grad:
        raise ExerciseFailed(
            say(
                "w must stay the same leaf tensor that requires grad: update it under no_grad()",
                "w 必须仍是原来那个需要梯度的叶子张量：请在 no_grad() 中更新它",
            )
        )
    return say(
        "correct: an in-place step under no_grad that keeps w a leaf",
        "正确：在 no_grad 中原地走了一步，w 仍是叶子张量",
    )


def check_cube_function(answer: type) -> str:
    """Lesson 5: answer is a Function computing x³ with backward 3x²·g."""
    for x0 in _points(-2, 2, 10):
        x = Value(x0)
        try:
            out = answer.apply(x)
        except Exception as err:
            raise ExerciseFailed(
                say(
                    f"Cube.apply raised {type(err).__name__}: {err}",
                    f"Cube.apply 出错了 {type(err).__name__}：{err}",
                )
            ) from None
        if not _close(out.data, x0**3):
            raise ExerciseFailed(
                say(
                    f"forward at {x0:.4f} should give x³ = {x0**3:.6g}, gave {out.data:.6g}",
                    f"forward 在 {x0:.4f} 处应给出 x³ = {x0**3:.6g}，实际是 {out.data:.6g}",
                )
            )
        try:
            gradcheck(answer.apply, (Value(x0),))
        except GradcheckError as err:
            raise ExerciseFailed(
                say(
                    f"backward disagrees with central differences at x = {x0:.4f}: {err}. "
                    "d/dx x³ = 3x², times the incoming gradient",
                    f"在 x = {x0:.4f} 处 backward 与中心差分不一致：{err}。d/dx x³ = 3x²，"
                    "还要乘以传进来的梯度",
                )
            ) from None
        upstream = random.Random(x0).choice(
            (-2.5, -0.5, 0.7, 3.0)
        )  # gradcheck's upstream 1 hides a missing factor
        x = Value(x0)
        try:
            answer.apply(x).backward(upstream)
        except Exception as err:
            raise ExerciseFailed(
                say(
                    f"backward raised {type(err).__name__}: {err}",
                    f"backward 出错了 {type(err).__name__}：{err}",
                )
            ) from None
        if not _close(x.grad, 3 * x0**2 * upstream):
            missing = _close(x.grad, 3 * x0**2)
            raise ExerciseFailed(
                say(
                    f"with the gradient {upstream} arriving from above (y.backward({upstream})), x.grad at x = {x0:.4f} "
                    f"should be 3x²·{upstream} = {3 * x0**2 * upstream:.6g}, got {float(x.grad):.6g}"
                    + (
                        ": backward must multiply by grad_output (the chain rule)"
                        if missing
                        else ""
                    ),
                    f"当上游传来的梯度是 {upstream}（y.backward({upstream})）时，x = {x0:.4f} 处的 x.grad 应为 "
                    f"3x²·{upstream} = {3 * x0**2 * upstream:.6g}，实际是 {float(x.grad):.6g}"
                    + ("：backward 必须乘以 grad_output（链式法则）" if missing else ""),
                )
            )
    return say(
        "correct: forward is x³, gradcheck agrees with your backward, and it multiplies by grad_output",
        "正确：forward 是 x³，gradcheck 认可你的 backward，而且它乘上了 grad_output",
    )


def check_mean_squared_error(answer: Callable[[Tensor, Tensor], Tensor]) -> str:
    """Lesson 6: answer(y_pred, y) = mean((y_pred - y)²), differentiable."""
    rng = random.Random(5)
    for n in (1, 3, 11):
        p = [rng.uniform(-5, 5) for _ in range(n)]
        t = [rng.uniform(-5, 5) for _ in range(n)]
        y_pred = tensor(p, dtype=float64, requires_grad=True)  # float64: compared with float math
        loss = _call(answer, y_pred, tensor(t, dtype=float64))
        expected = sum((a - b) ** 2 for a, b in zip(p, t)) / n
        if isinstance(loss, (int, float, Value)):
            raise ExerciseFailed(
                say(
                    f"your answer returned {type(loss).__name__} {float(loss):.6g}, not a tensor: compute the loss with "
                    "tensor operations on y_pred and y ((y_pred - y) ** 2, .mean()), not with .item(), .tolist() or floats",
                    f"你的答案返回了 {type(loss).__name__} {float(loss):.6g}，而不是张量：请对 y_pred 和 y 用张量运算计算损失"
                    "（(y_pred - y) ** 2、.mean()），不要用 .item()、.tolist() 或普通的数",
                )
            )
        if not isinstance(loss, Tensor) or loss.numel() != 1 or not _close(loss.item(), expected):
            raise ExerciseFailed(
                say(
                    f"for {n} points the loss is {expected:.6g}, got {loss!r}",
                    f"{n} 个点时损失应为 {expected:.6g}，实际是 {loss!r}",
                )
            )
        loss.backward()
        if not all(_close(g, 2 * (a - b) / n) for g, a, b in zip(y_pred.grad.tolist(), p, t)):
            raise ExerciseFailed(
                say(
                    "the loss must be computed with tensor operations so that it can be differentiated",
                    "损失必须用张量运算来计算，这样才能求导",
                )
            )
    return say(
        "correct: the mean squared error, and it backpropagates", "正确：均方误差，而且可以反向传播"
    )


def _descent(
    w: float, b: float, xs: list, ys: list, lr: float, steps: int, accumulate: bool
) -> tuple[float, float]:
    """Gradient descent on the mean squared error of y ≈ w·x + b, in floats:
    ∂/∂w = (2/n) Σ (w·x + b − y)·x, ∂/∂b = (2/n) Σ (w·x + b − y); with `accumulate` each step's
    gradients are added to the last ones (the loop that forgets zero_grad)."""
    gw = gb = 0.0
    for _ in range(steps):
        residuals = [w * x + b - y for x, y in zip(xs, ys)]
        dw = 2 * sum(r * x for r, x in zip(residuals, xs)) / len(xs)
        db = 2 * sum(residuals) / len(xs)
        gw, gb = (gw + dw, gb + db) if accumulate else (dw, db)
        w, b = w - lr * gw, b - lr * gb
    return w, b


def check_training_loop(answer: Callable[[Value, Value, list, list, float, int], None]) -> str:
    """Lesson 6: answer(w, b, xs, ys, lr, steps) takes `steps` steps of gradient descent on the mean
    squared error of y ≈ w·x + b, changing the Values w and b in place."""
    rng = random.Random(6)
    xs = [rng.uniform(-1, 1) for _ in range(5)]
    ys = [0.5 * x + 0.3 + rng.uniform(-0.1, 0.1) for x in xs]
    for steps in (1, 4):
        w, b = Value(0.2), Value(-0.1)
        _call(answer, w, b, xs, ys, 0.1, steps)
        right = _descent(0.2, -0.1, xs, ys, 0.1, steps, accumulate=False)
        if _close(w.data, right[0]) and _close(b.data, right[1]):
            continue
        piled_up = _descent(0.2, -0.1, xs, ys, 0.1, steps, accumulate=True)
        if _close(w.data, piled_up[0]) and _close(b.data, piled_up[1]):
            raise ExerciseFailed(
                say(
                    f"after {steps} steps w should be {right[0]:.6g} and b {right[1]:.6g}, got {w.data:.6g} and "
                    f"{b.data:.6g}: each step also used the gradients of the steps before, because backward adds into "
                    ".grad. Call optimizer.zero_grad() (or set w.grad = b.grad = 0) before loss.backward()",
                    f"{steps} 步之后 w 应为 {right[0]:.6g}，b 应为 {right[1]:.6g}，实际是 {w.data:.6g} 和 {b.data:.6g}："
                    "每一步都把之前各步的梯度也用上了，因为 backward 会把梯度累加到 .grad 上。"
                    "在 loss.backward() 之前调用 optimizer.zero_grad()（或者令 w.grad = b.grad = 0）",
                )
            )
        raise ExerciseFailed(
            say(
                f"after {steps} steps (lr 0.1) w should be {right[0]:.6g} and b {right[1]:.6g}, got "
                f"{w.data:.6g} and {b.data:.6g}",
                f"{steps} 步之后（学习率 0.1）w 应为 {right[0]:.6g}，b 应为 {right[1]:.6g}，"
                f"实际是 {w.data:.6g} 和 {b.data:.6g}",
            )
        )
    return say("correct: each step uses only its own gradients", "正确：每一步只用它自己的梯度")


def check_least_squares_gradient(answer: Callable[[list, list, list], list]) -> str:
    """Lesson 7: answer(X, w, y) = ∇_w ‖Xw − y‖² = 2Xᵀ(Xw − y), computed by hand (lists)."""
    rng = random.Random(7)
    for rows, cols in ((3, 2), (4, 3), (2, 2)):
        X = [[rng.uniform(-2, 2) for _ in range(cols)] for _ in range(rows)]
        w = [rng.uniform(-2, 2) for _ in range(cols)]
        y = [rng.uniform(-2, 2) for _ in range(rows)]
        wt = tensor(w, dtype=float64, requires_grad=True)
        ((tensor(X, dtype=float64) @ wt - tensor(y, dtype=float64)).norm() ** 2).backward()
        got = _call(answer, X, w, y)
        if len(got) != cols or not all(_close(a, b) for a, b in zip(got, wt.grad.tolist())):
            raise ExerciseFailed(
                say(
                    f"for X of shape ({rows}, {cols}) autograd gives {wt.grad.tolist()}, your answer "
                    f"{list(got)}. Hint: 2·Xᵀ(Xw − y) has one entry per column of X.",
                    f"X 的形状为 ({rows}, {cols}) 时，自动求导给出 {wt.grad.tolist()}，你的答案是 "
                    f"{list(got)}。提示：2·Xᵀ(Xw − y) 的元素个数等于 X 的列数。",
                )
            )
    return say("correct: your gradient matches autograd", "正确：你的梯度与自动求导一致")


def check_central_difference(
    answer: Callable[[Callable[[float], float], float, float], float],
) -> str:
    """Lesson 8: answer(f, x, h) = (f(x+h) − f(x−h)) / 2h."""
    for x in _points(-2, 2, 10):
        for h in (1e-2, 1e-4):
            got = _call(answer, math.sin, x, h)
            expected = (math.sin(x + h) - math.sin(x - h)) / (2 * h)
            if not _close(got, expected, rel=1e-9):
                raise ExerciseFailed(
                    say(
                        f"with f = sin, x = {x:.4f}, h = {h}: expected {expected:.10g}, got {float(got):.10g}. "
                        "A one-sided difference (f(x+h) − f(x))/h is less accurate: use both sides.",
                        f"f = sin，x = {x:.4f}，h = {h} 时应得到 {expected:.10g}，实际是 {float(got):.10g}。"
                        "单侧差分 (f(x+h) − f(x))/h 不够精确：两侧都要用。",
                    )
                )
    return say("correct: central differences, error O(h²)", "正确：中心差分，误差为 O(h²)")


def check_jacobian_column(answer: Callable[[Callable, Tensor, int], Tensor]) -> str:
    """Lesson 9: answer(f, x, j) = the j-th column of f's Jacobian at x, by one forward pass (jvp)."""
    f = lambda x: tensor([1.0, 2.0, 3.0]) * x.sum() + x * x
    x = tensor([0.5, -1.0, 2.0])
    jacobian = func.jacrev(f)(x).tolist()
    for j in range(3):
        got = _call(answer, f, x, j)
        column = [row[j] for row in jacobian]
        if not all(_close(a, b) for a, b in zip(getattr(got, "tolist", lambda: got)(), column)):
            raise ExerciseFailed(
                say(
                    f"column {j} of the Jacobian is {column}, your answer gave {got}. "
                    "Hint: jvp with the tangent e_j (1 at position j, 0 elsewhere).",
                    f"雅可比矩阵的第 {j} 列是 {column}，你的答案给出 {got}。"
                    "提示：用切向量 e_j（第 j 个位置为 1，其余为 0）做 jvp。",
                )
            )
    return say("correct: each column from one forward pass", "正确：每一列都来自一次前向传播")


def check_traced_graph(answer: Callable[[Any, float, float], float]) -> str:
    """Lesson 10: answer(graph, a, b) runs a traced graph on new inputs and returns the output."""
    graph = instruments.trace(lambda a, b: a * b + (a - b).exp(), 1.0, 1.0)
    for a, b in zip(_points(-1, 1, 10, 1), _points(-1, 1, 10, 2)):
        got = _call(answer, graph, a, b)
        expected = a * b + math.exp(a - b)
        if not _close(got, expected):
            raise ExerciseFailed(
                say(
                    f"at ({a:.3f}, {b:.3f}) the graph gives {expected:.6g}, your answer {got}. "
                    "Use graph.run(...)",
                    f"在 ({a:.3f}, {b:.3f}) 处计算图给出 {expected:.6g}，你的答案是 {got}。"
                    "请用 graph.run(...)",
                )
            )
    return say("correct: one graph, many inputs", "正确：一张计算图，多组输入")


def check_piecewise(answer: Callable[[Value], Value]) -> str:
    """Lesson 11: answer(x) = x² if x > 0 else -x, written with Python's if."""
    for x0 in _points(-3, 3):
        x = Value(x0)
        out = _a_value(_call(answer, x), f"answer(Value({x0:.4f}))")
        expected, slope = (x0 * x0, 2 * x0) if x0 > 0 else (-x0, -1.0)
        if not _close(out.data, expected):
            raise ExerciseFailed(
                say(
                    f"at x = {x0:.4f} the value should be {expected:.6g}, got {out!r}",
                    f"在 x = {x0:.4f} 处值应为 {expected:.6g}，实际是 {out!r}",
                )
            )
        out.backward()
        if not _close(x.grad, slope):
            raise ExerciseFailed(
                say(
                    f"at x = {x0:.4f} the derivative should be {slope:.6g} (the branch taken), got {x.grad}",
                    f"在 x = {x0:.4f} 处导数应为 {slope:.6g}（走的那个分支的导数），实际是 {x.grad}",
                )
            )
    return say(
        "correct: autograd follows the branch Python took", "正确：自动求导沿着 Python 实际走的分支"
    )


def check_topological_order(answer: Callable[[Value], list]) -> str:
    """Lesson 12: answer(root) lists every Value root depends on, each after all of its inputs."""
    x, y = Value(1.0), Value(2.0)
    shared = x * y
    root = (shared + x).tanh() * shared
    order = _call(answer, root)
    expected = {id(v) for v in (x, y, shared, root)}
    if not expected <= {id(v) for v in order}:
        raise ExerciseFailed(
            say(
                "some Values are missing from your order (x, y, x·y and the root must all appear)",
                "你的顺序里少了一些 Value（x、y、x·y 和根节点都必须出现）",
            )
        )
    position = {id(v): i for i, v in enumerate(order)}
    for v in order:
        for child in v._prev:
            if id(child) in position and position[id(child)] > position[id(v)]:
                raise ExerciseFailed(
                    say(
                        f"{v._op or 'a node'} comes before one of its inputs: every input must come first",
                        f"{v._op or '一个节点'} 排在了它的某个输入前面：每个输入都必须排在前面",
                    )
                )
    if len(order) != len(set(map(id, order))):
        raise ExerciseFailed(
            say(
                "a Value appears twice: visit each node once (the shared x·y too)",
                "有一个 Value 出现了两次：每个节点只访问一次（共用的 x·y 也是）",
            )
        )
    return say("correct: a valid topological order", "正确：这是一个有效的拓扑顺序")


def check_tanh_neuron(answer: Callable[[list, list, Value], Value]) -> str:
    """Lesson 13: answer(x, w, b) = tanh(Σ wᵢxᵢ + b) with Values."""
    rng = random.Random(13)
    for _ in range(10):
        x = [rng.uniform(-1, 1) for _ in range(3)]
        w = [Value(rng.uniform(-1, 1)) for _ in range(3)]
        b = Value(rng.uniform(-1, 1))
        out = _a_value(_call(answer, x, w, b), "the neuron's output")
        pre = sum(wi.data * xi for wi, xi in zip(w, x)) + b.data
        if not _close(out.data, math.tanh(pre)):
            raise ExerciseFailed(
                say(
                    f"the neuron's output should be tanh({pre:.4f}) = {math.tanh(pre):.6g}, got {out!r}",
                    f"神经元的输出应为 tanh({pre:.4f}) = {math.tanh(pre):.6g}，实际是 {out!r}",
                )
            )
        out.backward()
        slope = 1 - math.tanh(pre) ** 2
        if not all(_close(wi.grad, slope * xi) for wi, xi in zip(w, x)):
            raise ExerciseFailed(
                say(
                    "d out/d wᵢ should be (1 − tanh²)·xᵢ: build the output from w and b with Value "
                    "operations",
                    "d out/d wᵢ 应为 (1 − tanh²)·xᵢ：请用 Value 的运算由 w 和 b 构造输出",
                )
            )
    return say("correct: a tanh neuron", "正确：一个 tanh 神经元")


def check_newton_step(answer: Callable[[Callable[[Value], Value], float], float]) -> str:
    """Lesson 14: answer(f, x) = x − f'(x)/f''(x)."""
    quadratic = lambda x: 3 * (x - 1.5) ** 2 + 2
    for x0 in _points(-5, 5, 5):
        got = _call(answer, quadratic, x0)
        if not _close(got, 1.5):
            raise ExerciseFailed(
                say(
                    f"on a quadratic one Newton step lands on the minimum 1.5; from {x0:.3f} you went to {got}",
                    f"对二次函数，牛顿法走一步就落在最小值点 1.5；你从 {x0:.3f} 走到了 {got}",
                )
            )
    f = lambda x: x.exp() - 2 * x
    for x0 in _points(0, 2, 5):
        expected = x0 - (math.exp(x0) - 2) / math.exp(x0)
        got = _call(answer, f, x0)
        if not _close(got, expected):
            raise ExerciseFailed(
                say(
                    f"for f = eˣ − 2x from {x0:.3f}: expected {expected:.6g}, got {got}",
                    f"对 f = eˣ − 2x，从 {x0:.3f} 出发应得到 {expected:.6g}，实际是 {got}",
                )
            )
    return say("correct: Newton's step x − f'/f''", "正确：牛顿法的一步 x − f'/f''")


def check_softplus_function(answer: type) -> str:
    """Lesson 15: answer is a Function for softplus(x) = log(1 + eˣ), whose derivative is sigmoid(x)."""
    for x0 in _points(-6, 6, 30, 15):
        x = Value(x0)
        out = _a_value(_call(answer.apply, x), f"Softplus.apply(Value({x0:.4f}))")
        if not _close(out.data, math.log1p(math.exp(x0))):
            raise ExerciseFailed(
                say(
                    f"softplus({x0:.4f}) = {math.log1p(math.exp(x0)):.6g}, got {out.data:.6g}",
                    f"softplus({x0:.4f}) = {math.log1p(math.exp(x0)):.6g}，实际是 {out.data:.6g}",
                )
            )
        _call(out.backward)
        slope = 1 / (1 + math.exp(-x0))
        if not _close(x.grad, slope, rel=1e-9):
            raise ExerciseFailed(
                say(
                    f"at x = {x0:.4f} the derivative is sigmoid(x) = {slope:.6g}, your backward "
                    f"gave {x.grad}. Hint: d/dx log(1 + eˣ) = eˣ/(1 + eˣ) = sigmoid(x).",
                    f"在 x = {x0:.4f} 处导数是 sigmoid(x) = {slope:.6g}，你的 backward 给出 "
                    f"{x.grad}。提示：d/dx log(1 + eˣ) = eˣ/(1 + eˣ) = sigmoid(x)。",
                )
            )
    return say(
        "correct: softplus, checked at 30 random points", "正确：softplus，在 30 个随机点上检查过"
    )


CHECKS: dict[int, Callable[[Any], str]] = {
    1: check_derivative_of_x3_sin_x,
    2: check_graph_of_a_plus_b_times_c,
    3: check_second_derivative,
    4: check_sgd_step,
    5: check_cube_function,
    6: check_mean_squared_error,
    7: check_least_squares_gradient,
    8: check_central_difference,
    9: check_jacobian_column,
    10: check_traced_graph,
    11: check_piecewise,
    12: check_topological_order,
    13: check_tanh_neuron,
    14: check_newton_step,
    15: check_softplus_function,
}
