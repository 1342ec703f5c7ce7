# ---
# jupyter:
#   jupytext:
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 12. Backpropagation step by step

# %%
# the same first cell in every lesson
import math  # noqa: F401
import os

import micrograd as torch  # noqa: F401   PyTorch tutorials run with just this line changed
from micrograd import Value, draw  # noqa: F401
from micrograd.drawing import save  # noqa: F401

torch.set_language("en")                                          # the checkers' messages speak English
OUT = os.environ.get("MICROGRAD_LESSONS_OUT", "lessons-output")   # pictures go here, never into the repository
os.makedirs(OUT, exist_ok=True)

# %% [markdown]
# Backpropagation visits nodes in reverse topological order: a node's gradient is complete only
# after every node that uses it has passed its gradient back. A node used twice **accumulates**.

# %%
x = Value(2.0, label="x")
y = x * x                   # x is used twice: dy/dx = x + x
y.label = "y"
z = y + x                   # and once more here
z.label = "z"
steps = torch.teaching.replay.backward_steps(z)
for v, g in steps:
    print(f"{v.label or v._op:>3}: gradient {g}")
assert [v.label for v, _ in steps] == ["z", "y", "x"] and steps[-1][1] == 2 * 2.0 + 1
page = os.path.join(OUT, "12_replay.html")
try:
    shown = torch.replay(z, page)
    print("open", page, "in a browser to step through")
except RuntimeError as err:
    shown = None
    print("replay needs Graphviz:", err)
shown             # a notebook shows the replay here, with its buttons

# %% [markdown]
# Each step of the replay is the chain rule for one node. For a Value x, its gradient is a sum
# with one term per use of x: the gradient that reached the result using it (the upstream
# gradient ∂z/∂u), times the local derivative ∂u/∂x from that operation's row of the derivative
# table. Here x is used three times, twice by y = x·x and once by z:
#
# ∂z/∂x = ∂z/∂y · ∂y/∂x (first use) + ∂z/∂y · ∂y/∂x (second use) + ∂z/∂z · ∂z/∂x = 1·2 + 1·2 + 1·1 = 5.
#
# The replay page shows these captions step by step; `caption` prints one.
# %%
terms = torch.teaching.replay.chain_rule_terms(steps)
names = torch.teaching.replay.value_names(steps, {"x": x, "y": y, "z": z})
gradient = dict((id(v), g) for v, g in steps)
print(torch.teaching.replay.caption(x, gradient[id(x)], terms[id(x)], names, "z"))
# z = x·x + x: ∂z/∂y = 1 reaches y, y = x·x passes 1·x to each of its two uses of x, z passes 1 directly
assert [(names[id(t.user)], t.upstream, t.local) for t in terms[id(x)]] == [("z", 1.0, 1.0), ("y", 1.0, 2.0), ("y", 1.0, 2.0)]
assert sum(t.upstream * t.local for t in terms[id(x)]) == gradient[id(x)] == 2 * 2.0 + 1

# %% [markdown]
# A hook sees each gradient as backpropagation completes it (`register_hook`); here it watches
# x's gradient arrive once, already summed over x's three uses.

# %%
seen = []
x = Value(2.0, label="x")
handle = x.register_hook(lambda g: seen.append(g))
(x * x + x).backward()
handle.remove()
print("the hook saw", seen)
assert seen == [2 * 2.0 + 1]

# %% [markdown]
# ## Inside micrograd: following `x * y` through our own source
#
# Everything above happens in a few ordinary named functions you can read. `x * y` calls
# `Value.__mul__` (in `micrograd/core/value.py`), and that method is one line: it hands the
# primitive `MUL` to `apply`. Here is the line, read from the installed package:

# %%
import inspect

from micrograd.core import backward as passes
from micrograd.core import rules

print(inspect.getsource(Value.__mul__))

# %% [markdown]
# `MUL` is defined in `micrograd/core/rules.py`, our version of PyTorch's `derivatives.yaml`.
# Each primitive is two named functions registered under one name: the forward `mul`, and the
# **vector-Jacobian product** `mul_vjp`: given g = ∂L/∂out it returns ∂L/∂x = g·∂out/∂x = g·y
# and ∂L/∂y = g·x, and its docstring states the local derivatives. Its first argument `m` is the
# math it uses: plain floats here (`rules.FloatMath`); Values when `create_graph=True`
# (`rules.ValueMath`), so that the same rule also gives second derivatives. Read it, then call
# it by hand:

# %%
print(inspect.getsource(rules.mul_vjp))
print(rules.MUL, rules.MUL.symbol, rules.MUL.grad_fn_name)
print(rules.mul_vjp(rules.FloatMath, 1.0, 6.0, 2.0, 3.0))    # g = 1, out = 6, x = 2, y = 3
assert rules.mul_vjp(rules.FloatMath, 1.0, 6.0, 2.0, 3.0) == (3.0, 2.0)

# %% [markdown]
# `apply` computes the data with `rules.mul` and records the primitive in the result's `_node`
# (its history), the operands in `_a` and `_b`. `backward()` then runs the pass in
# `micrograd/core/backward.py`. Read its loop aloud, it is karpathy's
# `for v in reversed(topo): v._backward()` in three steps: take the Values newest first, each
# with its complete gradient; ask its node for the local gradients (a primitive calls its vjp);
# deliver each input's share. With g = 1 at the output, `a` receives g·b = 3 and `b` g·a = 2:

# %%
print(inspect.getsource(passes.backpropagate))
a, b = Value(2.0, label="a"), Value(3.0, label="b")
out = a * b
print(out._node is rules.MUL, out._a is a, out._b is b)
assert out._node is rules.MUL and out._a is a and out._b is b
out.backward()
print(a.grad, b.grad)
assert (a.grad, b.grad) == (3.0, 2.0)

# %% [markdown]
# `receive` is where `.grad` is written (after any hooks ran on the gradient). A plain
# `loss.backward()` runs `passes.plain_backward`, the same steps written out in one loop for
# speed; the tests check that both passes give the same gradients on random graphs. To step
# through the readable pass in a debugger, set `passes.use_fast_pass = False` first.
#
# How does the pass know which Value is "newest"? Each Value gets a stamp when it is made
# (`_stamp`: 0, -1, -2..., counting down), and an operation's inputs always exist before its
# result, so creation order is already a topological order: nothing needs to be searched or
# sorted. The pass keeps the Values waiting for their gradient in a list by age
# (`micrograd/core/pending.py`): a Value sits at position `stamp − output's stamp`, with the
# gradient it has received so far, and the loop reads the list from the front. Every input lies
# further down the list than the Values that use it, so its gradient is complete when the loop
# reaches it:

# %%
p, q = Value(2.0, label="p"), Value(3.0, label="q")
r = p * q
r.label = "r"
s = r + p
s.label = "s"
position = {v.label: v._stamp - s._stamp for v in (p, q, r, s)}
print(position)
assert position["s"] == 0 and position["r"] < position["q"] < position["p"]
run = passes.Pass({s: 1.0})
order = []
for v, g in run.newest_first():          # the loop of backpropagate, written out so that we can watch it
    order.append((v.label, g))
    g = run.receive(v, g)
    for x, gx in v._node.local_gradients(v, g, run):
        run.deliver(x, gx)
print(order)
assert order == [("s", 1.0), ("r", 1.0), ("q", 2.0), ("p", 4.0)]

# %% [markdown]
# Adding a primitive to micrograd means adding its two functions and its `Primitive`, listed in
# the table `rules.PRIMITIVES`.
# `clamp` arrived that way: min(max(x, lo), hi), whose slope is 1 between the bounds (bounds
# included) and 0 outside. From that it became `Value.clamp`, `Tensor.clamp`, `micrograd.clamp`,
# a function of `micrograd draw` formulas and a case of the property tests, with no other list
# to edit:

# %%
print(inspect.getsource(rules.clamp_vjp))
c = Value(1.5, label="c")
clamped = c.clamp(0.0, 1.0)          # 1.0: above the upper bound
clamped.backward()
print(clamped.data, c.grad)          # outside [0, 1] the slope is 0
assert (clamped.data, c.grad) == (1.0, 0.0)
inside = Value(0.5)
inside.clamp(0.0, 1.0).backward()
assert inside.grad == 1.0
print(torch.clamp(torch.tensor([-1.0, 0.5, 2.0]), min=0.0))

# %% [markdown]
# ## Exercise
#
# Write `answer(root)`: a list of all Values root depends on, each after its inputs.

# %%
def answer(root):
    return [root]          # replace: a depth-first search over v._prev

# %%
from micrograd.exercises import ExerciseFailed, check_topological_order

try:
    print(check_topological_order(answer))
except ExerciseFailed as why:
    print(torch.say("Not yet:", "还没有通过："), why)
