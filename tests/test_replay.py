"""The replay's captions: the chain rule with numbers, checked against closed forms and torch;
names from labels, variables (x[0] for a tensor's element) and expressions; English and Chinese."""

import json
import math
import re

import pytest
from hypothesis import given, strategies as st

import micrograd as mg
from micrograd import Value
from micrograd.teaching.replay import backward_steps, caption, chain_rule_terms, value_names

needs_dot = pytest.mark.skipif(
    not __import__("shutil").which("dot"), reason="./dev test installs Graphviz"
)


def page_data(page):
    return json.loads(re.search(r"const steps = (.*);", page).group(1))


def test_the_caption_of_x_is_the_chain_rule_of_x_squared_times_exp_x():
    x = Value(1.5)
    L = x**2 * x.exp()
    steps = backward_steps(L)
    names = value_names(steps, {"x": x, "L": L})
    terms = chain_rule_terms(steps)[id(x)]
    by_user = {names[id(t.user)]: t for t in terms}
    assert set(by_user) == {"x**2", "exp(x)"}
    assert (
        math.isclose(by_user["x**2"].upstream, math.exp(1.5)) and by_user["x**2"].local == 3.0
    )  # ∂L/∂x² = eˣ, ∂x²/∂x = 2x
    assert math.isclose(by_user["exp(x)"].upstream, 2.25) and math.isclose(
        by_user["exp(x)"].local, math.exp(1.5)
    )
    text = caption(x, dict(steps)[x], terms, names, "L").splitlines()
    assert text[0] == "∂L/∂x = ∂L/∂exp(x) · ∂exp(x)/∂x + ∂L/∂(x**2) · ∂(x**2)/∂x"
    assert text[1] == f"= 2.25 · 4.482 + 4.482 · 3 = {(2 * 1.5 + 1.5**2) * math.exp(1.5):.4g}"
    assert text[2] == "x is used 2 times: the gradients coming back along each use add up"


OPS = [
    lambda a, b: a * b,
    lambda a, b: a + b,
    lambda a, b: a - b,
    lambda a, b: a / (b * b + 1),
    lambda a, b: (a * 0.5).tanh() + b,
    lambda a, b: a.exp() * 0.1,
    lambda a, b: a**2,
    lambda a, b: 3 - a,
]


@given(
    st.lists(
        st.tuples(st.integers(0, len(OPS) - 1), st.integers(0, 50), st.integers(0, 50)),
        min_size=1,
        max_size=8,
    ),
    st.lists(st.floats(-1.5, 1.5), min_size=2, max_size=2),
)
def test_each_step_sums_upstream_times_local_to_torchs_gradient(torch, program, start):
    """On random graphs: each Value's terms add up to its gradient, and that gradient is torch's."""
    ours, theirs = (
        [Value(x) for x in start],
        [torch.tensor(x, dtype=torch.float64, requires_grad=True) for x in start],
    )
    for op, i, j in program:
        ours.append(OPS[op](ours[i % len(ours)], ours[j % len(ours)]))
        theirs.append(OPS[op](theirs[i % len(theirs)], theirs[j % len(theirs)]))
    for t in theirs:
        if t.requires_grad and not t.is_leaf:
            t.retain_grad()
    theirs[-1].backward()
    steps = backward_steps(ours[-1])
    terms = chain_rule_terms(steps)
    gradient_of = {id(v): g for v, g in steps}
    for v, t in zip(ours, theirs):
        if id(v) not in gradient_of:
            continue
        truth = 1.0 if v is ours[-1] else (t.grad.item() if t.grad is not None else 0.0)
        assert math.isclose(gradient_of[id(v)], truth, rel_tol=1e-9, abs_tol=1e-12)
        if v is not ours[-1]:
            total = sum(term.upstream * term.local for term in terms[id(v)])
            assert math.isclose(total, truth, rel_tol=1e-9, abs_tol=1e-12)


@needs_dot
def test_a_tensors_elements_are_named_by_their_index():
    w = mg.tensor([1.0, 2.0], requires_grad=True)
    loss = (w * w).sum()
    captions = {d["caption"].split(" = ")[0]: d["caption"] for d in page_data(mg.replay(loss))}
    assert captions["∂loss/∂w[1]"].splitlines() == [
        "∂loss/∂w[1] = ∂loss/∂(w[1]*w[1]) · ∂(w[1]*w[1])/∂w[1] + ∂loss/∂(w[1]*w[1]) · ∂(w[1]*w[1])/∂w[1]",
        "= 1 · 2 + 1 · 2 = 4",
        "w[1] is used 2 times: the gradients coming back along each use add up",
    ]
    assert "a leaf" not in json.dumps(page_data(mg.replay(loss)))
    m = mg.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    names = {
        d["caption"].split(" = ")[0] for d in page_data(mg.replay((m * 2).sum(), names={"m": m}))
    }
    assert {"∂L/∂m[0, 0]", "∂L/∂m[1, 1]"} <= names  # a root no variable holds is L


@needs_dot
def test_labels_come_first_and_long_expressions_get_step_numbers():
    a = Value(0.5, label="weight")
    out = ((a * a + a) * (a - 1.0) + a.exp()).tanh()
    data = page_data(mg.replay(out, names={}))
    first_lines = [d["caption"].split(" = ")[0] for d in data]
    assert first_lines[0] == "∂L/∂L" and first_lines[-1] == "∂L/∂weight"
    assert any(re.fullmatch(r"∂L/∂#\d+", line) for line in first_lines)


@needs_dot
def test_a_custom_function_says_its_backward_gives_the_factor():
    class Twice(mg.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return x * 2

        @staticmethod
        def backward(ctx, g):
            return g * 2

    x = Value(3.0)
    y = Twice.apply(x) + 1
    last = page_data(mg.replay(y))[-1]["caption"]
    assert last.splitlines()[1] == "= 1 · (its Function's backward) = 2"


@needs_dot
def test_the_page_speaks_chinese(monkeypatch):
    x = Value(2.0)
    y = x * x + x
    try:
        mg.set_language("zh")
        page = mg.replay(y)
    finally:
        mg.set_language(None)
    assert (
        '<html lang="zh-CN">' in page
        and "反向传播：一次一个节点" in page
        and "第 {k} 步，共 {n} 步" in page
    )
    assert "上一步" in page and "下一步" in page and "&larr; previous" not in page
    assert page_data(page)[-1]["caption"].endswith("x 被使用了 3 次：沿每次使用传回的梯度相加")
    monkeypatch.setenv("MICROGRAD_LANG", "zh_CN.UTF-8")
    assert "∂y/∂y = 1：反向传播从这个初始梯度开始" in mg.replay(y)
    monkeypatch.setenv("MICROGRAD_LANG", "en")
    assert "∂y/∂y = 1: the seed that starts the backward pass" in mg.replay(y)
    with pytest.raises(ValueError, match="language must be one of 'en', 'zh' or None, got 'fr'"):
        mg.set_language("fr")
