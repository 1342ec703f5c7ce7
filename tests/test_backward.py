"""The backward pass (core/backward.py): the fast pass for a plain loss.backward() computes what
the readable pass computes, on random graphs of every primitive, and each is used where it should be."""

import math

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from micrograd import Value, autograd
from micrograd.autograd import Function
from micrograd.core import backward as passes
from micrograd.core import rules, value as engine
from micrograd.core.pending import Pending


class MulAndAdd(Function):
    """Two outputs from one call: the node's backward must run once, with both gradients."""

    @staticmethod
    def forward(ctx, x, y):
        ctx.save_for_backward(x, y)
        return x * y, x + y

    @staticmethod
    def backward(ctx, g_product, g_sum):
        x, y = ctx.saved_tensors
        return g_product * y + g_sum, g_product * x + g_sum


NUMBERS = st.sampled_from([-2.0, -1.0, -0.5, 0.0, 0.5, 1.0, 1.5, 3.0])
UNARY = [p.name for p in rules.UNARY.values() if not p.constant]
STEP = st.one_of(
    st.tuples(
        st.just("binary"),
        st.sampled_from(sorted(rules.BINARY)),
        st.integers(0, 50),
        st.integers(0, 50),
    ),
    st.tuples(st.just("unary"), st.sampled_from(UNARY), st.integers(0, 50), st.just(0)),
    st.tuples(
        st.just("number"),
        st.sampled_from(["x*c", "c*x", "c-x", "x**c", "c**x", "x/c"]),
        st.integers(0, 50),
        st.integers(0, 7),
    ),
    st.tuples(st.just("clamp"), st.just("clamp"), st.integers(0, 50), st.integers(0, 7)),
    st.tuples(st.just("function"), st.just("MulAndAdd"), st.integers(0, 50), st.integers(0, 50)),
    st.tuples(st.just("gap"), st.sampled_from([1, 70, 5000]), st.just(0), st.just(0)),
)
PROGRAMS = st.tuples(
    st.lists(st.tuples(NUMBERS, st.booleans()), min_size=1, max_size=4),
    st.lists(STEP, min_size=1, max_size=25),
)


def build(program):
    """The program's graph, made afresh: its leaves, every Value in it, and the loss."""
    leaves_spec, steps = program
    leaves = [Value(x, requires_grad=flag) for x, flag in leaves_spec]
    made = list(leaves)
    for kind, what, i, j in steps:
        a, b = made[-1 - i % len(made)], made[j % len(made)]
        c = [-2.0, -1.0, -0.5, 0.0, 0.5, 1.0, 1.5, 3.0][j % 8]
        if kind == "binary":
            made.append(
                {
                    "add": lambda: a + b,
                    "sub": lambda: a - b,
                    "mul": lambda: a * b,
                    "div": lambda: a / b,
                    "pow": lambda: abs(a) ** b,
                }[what]()
            )
        elif kind == "unary":
            made.append(getattr(a, what)())
        elif kind == "number":
            made.append(
                {
                    "x*c": lambda: a * c,
                    "c*x": lambda: c * a,
                    "c-x": lambda: c - a,
                    "x**c": lambda: a**c,
                    "c**x": lambda: abs(c) ** a,
                    "x/c": lambda: a / (c or 2.0),
                }[what]()
            )
        elif kind == "clamp":
            made.append(a.clamp(min(c, 0.5), max(c, 0.5)))
        elif kind == "function":
            made.extend(MulAndAdd.apply(a, b))
        else:
            with engine.grad_mode(False):  # Values made in between, not in the graph
                [Value(0.25) * 2 for _ in range(what)]
    loss = sum(made[len(leaves) :][-4:], made[-1] * 0.5)
    return leaves, made, loss


def grads(values):
    return [v.grad.data if isinstance(v.grad, Value) else float(v.grad) for v in values]


def same(a, b):
    """The very same numbers: equal with the same sign (0.0 and -0.0 differ), or both nan."""
    return all(
        (x == y and math.copysign(1, x) == math.copysign(1, y)) or (x != x and y != y)
        for x, y in zip(a, b)
    )


@pytest.mark.parametrize("far", [0, Pending.FAR])
@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(program=PROGRAMS, retain=st.booleans())
def test_the_fast_pass_gives_every_value_the_gradient_the_readable_pass_gives(
    monkeypatch, far, program, retain
):
    monkeypatch.setattr(Pending, "FAR", far)  # far = 0: every gap makes another round
    results = []
    for run_pass in (passes.plain_backward, passes.backpropagate):
        leaves, made, loss = build(program)
        if not loss.requires_grad:
            return
        run_pass(passes.Pass({loss: 1.0}, retain_graph=retain))
        results.append(grads(made))
    fast, readable = results
    assert same(fast, readable), (fast, readable)


@settings(max_examples=60, deadline=None)
@given(program=PROGRAMS)
def test_the_readable_pass_matches_central_differences_on_random_graphs(program):
    leaves, made, loss = build(program)
    variables = [x for x in leaves if x.requires_grad]
    if not loss.requires_grad or not math.isfinite(loss.data) or abs(loss.data) > 1e6:
        return
    passes.backpropagate(passes.Pass({loss: 1.0}))
    h = 1e-6
    for k, x in enumerate(variables):
        spec = [list(s) for s in program[0]]
        index = [i for i, (_, flag) in enumerate(program[0]) if flag][k]
        values = []
        for step in (h, -h):
            spec[index][0] = program[0][index][0] + step
            values.append(build(([tuple(s) for s in spec], program[1]))[2].data)
        numeric = (values[0] - values[1]) / (2 * h)
        if not all(math.isfinite(v) for v in values) or abs(numeric) > 1e4:
            continue
        # a kink (relu, abs, clamp) or a 0 ** y within h of the point makes differences lie
        kinked = any(
            v._node is not None
            and v._node.rule is not None
            and v._node.rule.name in ("relu", "abs", "clamp", "pow")
            for v in made
        )
        # at a singular point (sqrt or log at 0, 0/0) the derivative is inf or nan, as in PyTorch
        if not kinked and math.isfinite(x.grad):
            assert x.grad == pytest.approx(numeric, rel=1e-4, abs=1e-5)


def spy(monkeypatch):
    taken = []
    for name in ("plain_backward", "backpropagate"):
        original = getattr(engine, name)
        monkeypatch.setattr(
            engine,
            name,
            lambda run, original=original, name=name: (taken.append(name), original(run)),
        )
    return taken


def test_a_plain_backward_takes_the_fast_pass_and_every_other_kind_the_readable_one(monkeypatch):
    taken = spy(monkeypatch)
    x = Value(2.0)
    (x * x).backward()
    x.grad = 0.0
    (x * x).backward(create_graph=True)
    autograd.grad(x * x, [x])
    handle = x.register_hook(lambda g: g)
    (x * x).backward()
    handle.remove()
    assert taken == ["plain_backward", "backpropagate", "backpropagate", "backpropagate"]


def test_a_second_pass_through_a_freed_node_raises_in_both_passes():
    for run_pass in (passes.plain_backward, passes.backpropagate):
        x = Value(2.0)
        y = x * x
        run_pass(passes.Pass({y: 1.0}))
        with pytest.raises(RuntimeError, match="backward through the graph a second time"):
            run_pass(passes.Pass({y: 1.0}))


def test_use_fast_pass_false_sends_a_plain_backward_through_the_readable_pass(monkeypatch):
    taken = spy(monkeypatch)
    monkeypatch.setattr(passes, "use_fast_pass", False)
    x = Value(3.0)
    (x * x).backward()
    assert taken == ["backpropagate"] and x.grad == 6.0


@settings(max_examples=100, deadline=None)
@given(program=PROGRAMS, start=st.floats(-3, 3))
def test_on_an_accumulated_grad_the_passes_agree_but_for_the_last_digit(program, start):
    # the fast pass adds each share into .grad, the readable one (and PyTorch) adds their sum once
    results = []
    for run_pass in (passes.plain_backward, passes.backpropagate):
        leaves, made, loss = build(program)
        if not loss.requires_grad:
            return
        for x in leaves:
            x.grad = start
        run_pass(passes.Pass({loss: 1.0}))
        results.append(grads(leaves))
    fast, readable = results
    assert fast == pytest.approx(readable, rel=1e-12, abs=1e-12, nan_ok=True)
