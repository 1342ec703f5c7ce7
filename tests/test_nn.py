"""Neural networks, losses, optimizers, data sets and the demo."""

import math
import os
import random
import subprocess
import sys

import pytest

import micrograd as mg
from micrograd import Value, data
from micrograd.nn import (
    MLP,
    Layer,
    Linear,
    Neuron,
    ReLU,
    Sequential,
    Sigmoid,
    Tanh,
    binary_cross_entropy,
    binary_cross_entropy_with_logits,
    hinge,
    mse_loss,
)
from micrograd.optim import SGD, Adam
from micrograd.training import least_squares


def test_karpathy_classes_keep_his_names_initialisation_and_reprs():
    random.seed(0)
    model = MLP(2, [3, 1])
    assert (
        repr(model)
        == "MLP of [Layer of [ReLUNeuron(2), ReLUNeuron(2), ReLUNeuron(2)], Layer of [LinearNeuron(3)]]"
    )
    neuron = model.layers[0].neurons[0]
    assert len(neuron.w) == 2 and neuron.b.data == 0.0 and all(-1 <= w.data <= 1 for w in neuron.w)
    assert len(model.parameters()) == 3 * 3 + 4
    assert (
        repr(Neuron(4, nonlin=False)) == "LinearNeuron(4)"
        and repr(Layer(2, 2, activation="tanh")).count("TanhNeuron") == 2
    )
    out = model([1.0, -2.0])
    assert isinstance(out, Value)  # a one-neuron layer returns the Value itself
    assert isinstance(Layer(2, 2)([1.0, 2.0]), list)


@pytest.mark.slow  # 100 training steps: about 20 s
def test_karpathys_demo_loop_runs_unchanged_and_reaches_100_percent_on_moons():
    random.seed(1337)
    X, y = data.moons(100, noise=0.1)
    model = MLP(2, [16, 16, 1])

    def loss():
        inputs = [list(map(Value, xrow)) for xrow in X]
        scores = list(map(model, inputs))
        losses = [(1 + -yi * scorei).relu() for yi, scorei in zip(y, scores)]
        data_loss = sum(losses) * (1.0 / len(losses))
        alpha = 1e-4
        reg_loss = alpha * sum((p * p for p in model.parameters()))
        total_loss = data_loss + reg_loss
        accuracy = [(yi > 0) == (scorei.data > 0) for yi, scorei in zip(y, scores)]
        return total_loss, sum(accuracy) / len(accuracy)

    for k in range(100):
        total_loss, acc = loss()
        model.zero_grad()
        total_loss.backward()
        learning_rate = 1.0 - 0.9 * k / 100
        for p in model.parameters():
            p.data -= learning_rate * p.grad
    assert acc == 1.0 and total_loss.data < 0.05


@pytest.mark.slow
def test_linear_regression_recovers_w_and_b_of_the_least_squares_fit():
    xs, ys = data.linear(200, w=0.5, b=30, noise=1.0, seed=7)
    from micrograd.training import fit_line

    w, b, losses = fit_line(xs, ys, epochs=3000)
    best_w, best_b = least_squares(xs, ys)
    assert w == pytest.approx(best_w, rel=1e-4) and b == pytest.approx(best_b, rel=1e-4)
    assert best_w == pytest.approx(0.5, abs=0.02) and best_b == pytest.approx(30, abs=0.5)
    assert losses[-1] < losses[0]


def test_sgd_step_matches_a_hand_computed_step():
    w = Value(2.0)
    b = mg.tensor([1.0, -1.0], requires_grad=True, dtype=mg.float64)  # float32 rounds each step
    optimizer = SGD([w, b], lr=0.1, momentum=0.9, weight_decay=0.01)
    for _ in range(2):
        optimizer.zero_grad()
        loss = w * w + (b * b).sum()  # gradients 2w and 2b
        loss.backward()
        optimizer.step()

    # by hand: g = 2x + 0.01x; step 1: buf = g1, x1 = x0 - 0.1 g1; step 2: buf = 0.9 g1 + g2, x2 = x1 - 0.1 buf
    def by_hand(x0):
        g1 = 2.01 * x0
        x1 = x0 - 0.1 * g1
        g2 = 2.01 * x1
        return x1 - 0.1 * (0.9 * g1 + g2)

    assert w.data == pytest.approx(by_hand(2.0), rel=1e-12)
    assert b.tolist() == pytest.approx([by_hand(1.0), by_hand(-1.0)], rel=1e-12)
    assert b.is_leaf and w.is_leaf


def test_adam_step_matches_a_hand_computed_step():
    x = Value(1.5)
    optimizer = Adam([x], lr=0.01)
    grads = []
    for _ in range(3):
        optimizer.zero_grad()
        (x**3).backward()
        grads.append(3 * x.data**2)
        optimizer.step()
    value, m, v = 1.5, 0.0, 0.0
    for t, _ in enumerate(grads, start=1):
        g = 3 * value**2
        m, v = 0.9 * m + 0.1 * g, 0.999 * v + 0.001 * g * g
        value -= 0.01 * (m / (1 - 0.9**t)) / (math.sqrt(v / (1 - 0.999**t)) + 1e-8)
    assert x.data == pytest.approx(value, rel=1e-12)


def test_optimizer_errors_name_the_problem():
    with pytest.raises(ValueError, match="empty parameter list"):
        SGD([], lr=0.1)
    with pytest.raises(TypeError, match="parameter 0 is float"):
        SGD([1.0], lr=0.1)
    with pytest.raises(ValueError, match="Invalid learning rate"):
        Adam([Value(1.0)], lr=-1)


def test_torch_style_modules_compose_and_train():
    random.seed(3)
    model = Sequential(Linear(2, 8), Tanh(), Linear(8, 1), Sigmoid())
    assert [name for name, _ in model.named_parameters()] == [
        "0.weight",
        "0.bias",
        "2.weight",
        "2.bias",
    ]
    assert model[0].weight.shape == (8, 2) and len(list(model.parameters())) == 4  # a generator
    X, y = data.xor(40, signed=False)
    optimizer = Adam(model.parameters(), lr=0.05)
    inputs, targets = mg.tensor(X), mg.tensor([[float(t)] for t in y])
    for _ in range(150):
        optimizer.zero_grad()
        loss = binary_cross_entropy(model(inputs), targets)
        loss.backward()
        optimizer.step()
    predictions = [p[0] > 0.5 for p in model(inputs).tolist()]
    assert sum(p == bool(t) for p, t in zip(predictions, y)) / len(y) >= 0.95
    with pytest.raises(
        RuntimeError, match=r"mat1 and mat2 shapes cannot be multiplied \(1x3 and 2x8\)"
    ):
        model(mg.ones(3))
    assert isinstance(ReLU()(mg.tensor([-1.0, 2.0])), mg.Tensor)


def test_losses_match_closed_forms():
    p, t = [0.2, 0.9], [0.0, 1.0]
    assert mse_loss(mg.tensor(p), mg.tensor(t)).item() == pytest.approx(
        ((0.2) ** 2 + (0.1) ** 2) / 2
    )
    bce = -(math.log(0.8) + math.log(0.9)) / 2
    assert binary_cross_entropy(mg.tensor(p), mg.tensor(t)).item() == pytest.approx(bce)
    logits = [math.log(0.2 / 0.8), math.log(0.9 / 0.1)]
    assert binary_cross_entropy_with_logits(
        mg.tensor(logits), mg.tensor(t)
    ).item() == pytest.approx(bce)
    big = binary_cross_entropy_with_logits([Value(1000.0), Value(-1000.0)], [0.0, 1.0])
    assert big.data == pytest.approx(1000.0)  # stable: no inf, no nan
    assert hinge([Value(2.0), Value(0.5)], [1, -1]).data == pytest.approx((0 + 1.5) / 2)
    with pytest.raises(ValueError, match="2 elements but the target has 3"):
        mse_loss([Value(1.0), Value(2.0)], [1.0, 2.0, 3.0])


@pytest.mark.parametrize("name", sorted(data.DATASETS))
def test_data_sets_are_reproducible_with_both_label_kinds(name):
    maker = data.DATASETS[name]
    X, y = maker(60, seed=5)
    assert len(X) == len(y) == 60 and all(len(p) == 2 for p in X)
    assert maker(60, seed=5) == (X, y) and maker(60, seed=6) != (X, y)
    assert set(y) == {-1, 1}
    assert set(maker(60, seed=5, signed=False)[1]) == {0, 1}


def test_moons_have_two_half_circles():
    X, y = data.moons(200, noise=0.0, signed=False)
    upper = [p for p, label in zip(X, y) if label == 0]
    assert all(
        abs(math.hypot(a, c) - 1) < 1e-9 for a, c in upper
    )  # the outer moon: the unit circle


@pytest.mark.slow  # the demo, end to end, in a subprocess
def test_micrograd_demo_runs_end_to_end_and_writes_its_pictures(tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "micrograd", "demo", "--out", str(tmp_path / "out")],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": os.path.dirname(os.path.dirname(__file__))},
    )
    assert done.returncode == 0, done.stderr
    assert "they agree." in done.stdout and "training accuracy 100%" in done.stdout
    files = set(os.listdir(tmp_path / "out"))
    assert {"loss_curve.svg", "decision_boundary.svg"} <= files and (
        {"graph.svg"} <= files or {"graph.dot"} <= files
    )
    for name in ("loss_curve.svg", "decision_boundary.svg"):  # matplotlib SVGs with axes and ticks
        text = (tmp_path / "out" / name).read_text()
        assert (
            "<svg" in text
            and 'id="axes_1"' in text
            and 'id="xtick_1"' in text
            and 'id="ytick_1"' in text
        )


def test_micrograd_train_command(tmp_path):
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "micrograd",
            "train",
            "xor",
            "--steps",
            "30",
            "--hidden",
            "8",
            "--points",
            "40",
            "--out",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": os.path.dirname(os.path.dirname(__file__))},
    )
    assert done.returncode == 0 and "training accuracy" in done.stdout
    bad = subprocess.run(
        [sys.executable, "-m", "micrograd", "train", "moons", "--hidden", "a,b"],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": os.path.dirname(os.path.dirname(__file__))},
    )
    assert bad.returncode == 2 and "--hidden" in bad.stderr and "Traceback" not in bad.stderr


def test_module_hooks_run_around_every_call_as_in_pytorch():
    from micrograd.nn.modules import register_module_forward_hook, register_module_forward_pre_hook

    seen = []
    model = Sequential(Linear(2, 2), ReLU())
    with (
        register_module_forward_pre_hook(lambda m, args: seen.append(("pre", type(m).__name__))),
        register_module_forward_hook(lambda m, args, out: seen.append(("post", type(m).__name__))),
    ):
        model(mg.tensor([1.0, 2.0]))
    assert seen == [
        ("pre", "Sequential"),
        ("pre", "Linear"),
        ("post", "Linear"),
        ("pre", "ReLU"),
        ("post", "ReLU"),
        ("post", "Sequential"),
    ]
    model(mg.tensor([1.0, 2.0]))  # removed at the end of the with block
    assert len(seen) == 6
    relu = ReLU()
    doubled = relu.register_forward_pre_hook(
        lambda m, args: args[0] * 2
    )  # a single value: the new argument
    negated = relu.register_forward_hook(lambda m, args, out: -out)
    assert relu(mg.tensor([1.0, -1.0])).tolist() == [-2.0, 0.0]
    doubled.remove(), negated.remove(), negated.remove()  # removing twice is harmless
    assert relu(mg.tensor([1.0, -1.0])).tolist() == [1.0, 0.0]

    class Failing(mg.nn.Module):
        def forward(self, x):
            raise ValueError("no")

    failing, outputs = Failing(), []
    failing.register_forward_hook(lambda m, args, out: outputs.append("plain"))
    failing.register_forward_hook(lambda m, args, out: outputs.append(out), always_call=True)
    with pytest.raises(ValueError):
        failing(1.0)
    assert outputs == [None]  # only the always_call hook ran


def test_every_module_call_is_recorded_for_the_drawings_even_one_that_raises():
    from micrograd.teaching import module_calls

    model = MLP(2, [2, 1])

    class Failing(mg.nn.Module):
        def forward(self, x):
            raise ValueError("no")

    failing = Failing()
    with pytest.raises(ValueError):
        failing(1.0)
    out = model([1.0, 2.0])
    ours = [model, *model.layers, *(n for layer in model.layers for n in layer.neurons)]
    calls = [c for c in module_calls.CALLS if any(c.module is m for m in ours)]
    assert [type(c.module).__name__ for c in calls] == [
        "Neuron",
        "Neuron",
        "Layer",
        "Neuron",
        "Layer",
        "MLP",
    ]
    assert calls[-1].made(out._stamp) and [c for c in module_calls.CALLS if c.module is failing]
    assert module_calls._started.stamps == []  # no start left behind by the failed call
