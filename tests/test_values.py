"""Value: construction, the graph as karpathy's micrograd and PyTorch show it, grad modes."""

import fractions
import gc
import math
import threading
import weakref

import numpy as np
import pytest

from micrograd import Value, autograd, enable_grad, is_grad_enabled, no_grad, set_grad_enabled
from micrograd.core.nodes import AccumulateGrad


@pytest.mark.parametrize(
    "data, expected",
    [
        (2, 2.0),
        (True, 1.0),
        (np.float32(1.5), 1.5),
        (np.int64(3), 3.0),
        (fractions.Fraction(1, 4), 0.25),
    ],
)
def test_data_converts_real_numbers_to_float(data, expected):
    v = Value(data)
    assert v.data == expected and type(v.data) is float


@pytest.mark.parametrize("data", ["1.5", [1.0], None, 1 + 2j, np.array([1.0, 2.0])])
def test_data_that_is_not_a_real_number_is_refused_by_name(data):
    with pytest.raises(TypeError) as err:
        Value(data)
    assert type(data).__name__ in str(err.value) and repr(data)[:10] in str(err.value)


def test_grad_starts_at_zero_and_accumulates_over_backward_calls():
    x = Value(2.0)
    assert x.grad == 0.0
    (x * 3).backward()
    (x * 3).backward()
    assert x.grad == 6.0


def test_intermediate_values_keep_their_gradient():
    x = Value(2.0)
    y = x * x
    z = y * 3.0
    z.backward()
    assert (z.grad, y.grad, x.grad) == (1.0, 3.0, 12.0)


@pytest.mark.parametrize(
    "make, name",
    [
        (lambda x, y: x + y, "AddBackward0"),
        (lambda x, y: x - y, "SubBackward0"),
        (lambda x, y: x * y, "MulBackward0"),
        (lambda x, y: x / y, "DivBackward0"),
        (lambda x, y: x**2, "PowBackward0"),
        (lambda x, y: x**y, "PowBackward1"),
        (lambda x, y: -x, "NegBackward0"),
        (lambda x, y: x.exp(), "ExpBackward0"),
        (lambda x, y: x.log(), "LogBackward0"),
        (lambda x, y: x.tanh(), "TanhBackward0"),
        (lambda x, y: x.sigmoid(), "SigmoidBackward0"),
        (lambda x, y: x.relu(), "ReluBackward0"),
        (lambda x, y: x.sin(), "SinBackward0"),
        (lambda x, y: x.cos(), "CosBackward0"),
        (lambda x, y: x.sqrt(), "SqrtBackward0"),
        (lambda x, y: abs(x), "AbsBackward0"),
        (lambda x, y: 2 - x, "RsubBackward1"),
        (lambda x, y: 2**x, "PowBackward2"),
    ],
)
def test_grad_fn_is_named_as_in_pytorch(make, name):
    out = make(Value(2.0), Value(3.0))
    assert type(out.grad_fn).__name__ == name and out.grad_fn.name() == name
    assert not out.is_leaf and out.requires_grad


def test_next_functions_pair_nodes_with_output_numbers_as_in_pytorch():
    x, w = Value(2.0), Value(3.0)
    c = Value(5.0, requires_grad=False)
    y = x * w
    z = y + c
    (node_y, index_y), (node_c, index_c) = z.grad_fn.next_functions
    assert node_y == y.grad_fn and index_y == 0
    assert node_c is None and index_c == 0
    acc_x, acc_w = [f for f, _ in node_y.next_functions]
    assert isinstance(acc_x, AccumulateGrad) and acc_x.variable is x and acc_w.variable is w
    assert (x * 2).grad_fn.next_functions[1] == (None, 0)
    assert len((x**2).grad_fn.next_functions) == 1  # the exponent is an attribute, not an input
    assert x.grad_fn is None and x.is_leaf


def test_prev_and_op_follow_karpathys_micrograd():
    a, b = Value(2.0), Value(-3.0)
    assert (a + b)._op == "+" and (a * b)._op == "*" and (a**2)._op == "**2"
    assert a.relu()._op == "ReLU" and a._op == "" and a._prev == ()
    d = a * b
    assert d._prev == (a, b)
    constant = (a * 4)._prev[1]
    assert isinstance(constant, Value) and constant.data == 4.0 and constant.grad == 0
    e = a * 4
    e.backward()
    assert e._prev[1] is e._prev[1]  # the constant Value is made once, read after backward
    assert e._prev[1].grad == 2.0 and a.grad == 4.0  # with karpathy's grad: ∂e/∂4 = a = 2
    f = 10.0 / a  # 10 · a⁻¹ in his package: here one node, the same grads
    f.backward()
    assert f._prev[0].grad == pytest.approx(0.5)  # ∂f/∂10 = 1/a
    assert (a**2)._prev == (a,)


def test_karpathys_sanity_check_against_hand_values():
    # from karpathy/micrograd test/test_engine.py, with the numbers PyTorch gives
    x = Value(-4.0)
    z = 2 * x + 2 + x
    q = z.relu() + z * x
    h = (z * z).relu()
    y = h + q + q * x
    y.backward()
    assert y.data == -20.0 and x.grad == 46.0


def test_karpathys_draw_dot_runs_unchanged():
    # the trace function of karpathy's trace_graph.ipynb, walking _prev and _op
    def trace(root):
        nodes, edges = set(), set()

        def build(v):
            if v not in nodes:
                nodes.add(v)
                for child in v._prev:
                    edges.add((child, v))
                    build(child)

        build(root)
        return nodes, edges

    x = Value(1.0, label="x")
    y = (x * 2 + 1).relu()
    nodes, edges = trace(y)
    assert len(nodes) == 6 and len(edges) == 5  # x, 2, x*2, 1, +, relu
    assert {n._op for n in nodes} == {"", "*", "+", "ReLU"}
    assert {n.label for n in nodes} >= {"x"}


def test_comparisons_look_at_data_and_equality_is_identity():
    a, b = Value(1.0), Value(2.0)
    assert (a < b) is True and (a <= 1.0) is True and (b > a) is True and (b >= 3) is False
    assert a != Value(1.0) and a == a
    assert len({a, b, Value(1.0)}) == 3 and {a: 1}[a] == 1
    with pytest.raises(TypeError, match="str"):
        a < "b"


def test_unsupported_operand_types_raise_type_error_naming_them():
    with pytest.raises(TypeError, match="str"):
        Value(1.0) * "x"
    with pytest.raises(TypeError, match="list"):
        [1] + Value(1.0)


@pytest.mark.parametrize(
    "expression, expected",
    [
        (lambda: Value(0.0).log(), -math.inf),
        (lambda: Value(1.0) / 0, math.inf),
        (lambda: Value(-1.0) / 0.0, -math.inf),
        (lambda: Value(1000.0).exp(), math.inf),
        (lambda: Value(0.0) ** -1, math.inf),
        (lambda: Value(10.0) ** 400, math.inf),
        (lambda: 1 / Value(0.0), math.inf),
        (lambda: Value(-1000.0).sigmoid(), 0.0),
    ],
)
def test_arithmetic_follows_ieee_like_pytorch(expression, expected):
    assert expression().data == expected


@pytest.mark.parametrize(
    "expression",
    [
        lambda: Value(-1.0).log(),
        lambda: Value(0.0) / 0,
        lambda: Value(-8.0) ** (1 / 3),
        lambda: Value(-1.0).sqrt(),
        lambda: Value(math.inf).sin(),
    ],
)
def test_undefined_results_are_nan_not_exceptions(expression):
    assert math.isnan(expression().data)


@pytest.mark.parametrize("op, expected", [("relu", 0.0), ("abs", 0.0), ("sqrt", math.inf)])
def test_derivatives_at_kinks_match_pytorch(op, expected):
    x = Value(0.0)
    getattr(x, op)().backward()
    assert x.grad == expected


def test_backward_through_division_by_zero_gives_ieee_values():
    x = Value(0.0)
    (1 / x).backward()
    assert x.grad == -math.inf
    y = Value(0.0)
    y.log().backward()
    assert y.grad == math.inf


@pytest.mark.slow
def test_backward_is_iterative_for_a_million_deep_chain():
    x = Value(1.0)
    y = x
    for _ in range(1_000_000):
        y = y * 1.0000001
    y.backward()
    assert x.grad == pytest.approx(1.0000001**1_000_000, rel=1e-9)


def test_graphs_have_no_reference_cycles():
    gc.disable()
    try:
        x = Value(2.0)
        y = (x * 3 + 1).tanh() ** 2
        y.backward()
        probe = weakref.ref(y._prev[0])
        del y
        assert probe() is None  # freed by reference counting, no collector needed
    finally:
        gc.enable()


def test_second_backward_through_saved_values_raises_pytorchs_message():
    x = Value(2.0)
    y = x * x
    y.backward()
    with pytest.raises(RuntimeError, match="retain_graph=True"):
        y.backward()
    assert x.grad == 4.0  # the failed pass left .grad as it was


def test_second_backward_with_retain_graph_accumulates():
    x = Value(2.0)
    y = x * x
    y.backward(retain_graph=True)
    y.backward()
    assert x.grad == 8.0


def test_nodes_that_save_nothing_may_be_backpropagated_again():
    x = Value(2.0)
    y = x + x
    y.backward()
    y.backward()
    assert x.grad == 4.0


def test_backward_of_a_constant_raises_pytorchs_message():
    with pytest.raises(RuntimeError, match="does not require grad"):
        Value(1.0, requires_grad=False).backward()


def test_backward_with_a_gradient_scales_it():
    x = Value(3.0)
    (x * x).backward(gradient=0.5)
    assert x.grad == 3.0
    with pytest.raises(TypeError, match="str"):
        (x * x).backward(gradient="1")


def test_grad_returns_a_tuple_and_leaves_grad_alone():
    x, y = Value(2.0), Value(5.0)
    z = x * y
    gx, gy = autograd.grad(z, [x, y])
    assert (gx, gy) == (5.0, 2.0) and x.grad == 0.0 and y.grad == 0.0 and z.grad == 0.0


def test_grad_of_an_unused_input_mentions_allow_unused():
    x, unused = Value(2.0), Value(1.0)
    with pytest.raises(RuntimeError, match="allow_unused"):
        autograd.grad(x * 2, [x, unused])
    assert autograd.grad(x * 2, [x, unused], allow_unused=True) == (2.0, None)


def test_second_derivative_of_x2_exp_x_at_1_is_7e():
    x = Value(1.0)
    (d1,) = autograd.grad(x**2 * x.exp(), x, create_graph=True)
    (d2,) = autograd.grad(d1, x)
    assert d1.data == pytest.approx(3 * math.e) and d2 == pytest.approx(7 * math.e)


def test_derivatives_of_x_cubed_at_3():
    x = Value(3.0)
    y = x**3
    (d1,) = autograd.grad(y, x, create_graph=True)
    (d2,) = autograd.grad(d1, x, create_graph=True)
    (d3,) = autograd.grad(d2, x)
    assert (y.data, d1.data, d2.data, d3) == (27.0, 27.0, 18.0, 6.0)


def test_backward_with_create_graph_leaves_a_differentiable_grad():
    x = Value(2.0)
    (x**3).backward(create_graph=True)
    first = x.grad
    assert isinstance(first, Value) and first.data == 12.0
    x.grad = 0.0
    first.backward()
    assert x.grad == 12.0  # d/dx 3x² = 6x


def test_no_grad_stops_recording_and_enable_grad_restarts_it():
    x = Value(1.0)
    with no_grad():
        assert not is_grad_enabled()
        y = x * 2
        with enable_grad():
            z = x * 2
    assert not y.requires_grad and y.grad_fn is None and y.is_leaf
    assert z.requires_grad and is_grad_enabled()


def test_grad_modes_work_as_decorators_and_set_grad_enabled_as_a_call():
    @no_grad()
    def double(v):
        return v * 2

    assert not double(Value(1.0)).requires_grad and is_grad_enabled()
    set_grad_enabled(False)
    assert not is_grad_enabled()
    set_grad_enabled(True)
    with set_grad_enabled(False):
        assert not (Value(1.0) * 2).requires_grad
    assert is_grad_enabled()


def test_grad_mode_is_per_thread():
    seen = []
    with no_grad():
        thread = threading.Thread(target=lambda: seen.append(is_grad_enabled()))
        thread.start()
        thread.join()
    assert seen == [True]


def test_detach_and_requires_grad_():
    x = Value(2.0)
    d = x.detach()
    assert d.data == 2.0 and not d.requires_grad and d is not x
    c = Value(1.0, requires_grad=False).requires_grad_()
    assert c.requires_grad
    with pytest.raises(RuntimeError, match="leaf variables"):
        (x * 2).requires_grad_(False)


def test_zero_grad():
    x = Value(2.0)
    (x * x).backward()
    x.zero_grad()
    assert x.grad == 0.0


def test_in_place_on_a_leaf_that_requires_grad_raises_pytorchs_message():
    w = Value(1.0)
    with pytest.raises(
        RuntimeError,
        match="a leaf Variable that requires grad is being used in an in-place operation",
    ):
        w += 1


def test_in_place_under_no_grad_updates_the_same_leaf():
    w = Value(1.0)
    (w * 4).backward()
    same = w
    with no_grad():
        w -= 0.5 * w.grad
        w *= 3
    assert w is same and w.data == -3.0 and w.is_leaf and w.requires_grad


def test_hooks_see_and_may_replace_the_gradient_and_can_be_removed():
    x = Value(3.0)
    seen = []
    handle = x.register_hook(lambda g: seen.append(g))
    (x * 2).backward()
    assert seen == [2.0] and x.grad == 2.0
    handle.remove()
    y = Value(1.0)
    mid = y * 5
    mid.register_hook(lambda g: g * 10)
    (mid * 1).backward()
    assert y.grad == 50.0
    (x * 2).backward()
    assert seen == [2.0]


def test_detect_anomaly_names_the_function_that_returned_nan():
    from micrograd import detect_anomaly

    x = Value(0.0)
    with detect_anomaly():
        with pytest.raises(
            RuntimeError, match=r"Function 'SqrtBackward0' returned nan values in its 0th output."
        ):
            (x.sqrt() * 0).backward()
    (Value(0.0).sqrt() * 0).backward()  # outside, nan flows silently as in PyTorch


def test_topological_order_lists_each_value_once_after_its_inputs():
    from micrograd.core.graph import topological_order

    x, y = Value(1.0), Value(2.0)
    shared = x * y
    root = (shared + x).tanh() * shared
    order = topological_order(root)
    position = {id(v): i for i, v in enumerate(order)}
    assert len(order) == len(position) == 6  # x, y, x·y, +, tanh, the root: no constants
    assert order[-1] is root and all(
        position[id(i)] < position[id(v)] for v in order for i in v._prev
    )
    assert (
        root._prev[1]._node is not None and x.grad == 0.0
    )  # read-only: nothing was differentiated
