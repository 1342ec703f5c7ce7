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
# # 3. backward() in depth

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
# **The `gradient` argument.** For a non-scalar y, `y.backward(v)` computes vᵀ·J: the gradient
# of the scalar Σ vᵢyᵢ. Without v there is no single number to differentiate, hence the error.

# %%
x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
y = x * x
try:
    y.backward()
    raise AssertionError("backward() of a non-scalar without a gradient should have failed")
except RuntimeError as err:
    print("error:", err)
y.backward(torch.tensor([1.0, 0.1, 0.01]))
print(x.grad)
assert all(abs(a - b) < 1e-6 for a, b in zip(x.grad.tolist(), [2.0, 0.4, 0.06]))   # float32: 0.4 is 0.4000000059604645

# %% [markdown]
# **Accumulation.** Gradients add up across backward calls; `x.grad.zero_()` resets them.
# **retain_graph.** A backward pass frees the values the graph saved for it.  To go through the
# same graph again, the *first* call must keep them: `backward(retain_graph=True)`; the last call
# may free them.

# %%
x.grad.zero_()
y = (x * x).sum()
y.backward(retain_graph=True)
y.backward()
print(x.grad)                                   # twice 2x
assert x.grad.tolist() == [4.0, 8.0, 12.0]
try:
    y.backward()
    raise AssertionError("a third backward through freed saved values should have failed")
except RuntimeError as err:
    print("third time:", str(err)[:60], "...")

# %% [markdown]
# **Which tensors keep `.grad`.** As in PyTorch, backward fills the `.grad` of leaves only (the
# tensors you made with `requires_grad=True`).  Reading `.grad` of a computed tensor warns and
# gives None, unless `retain_grad()` was called on it before backward.  (Scalar Values keep every
# gradient, as in karpathy's micrograd: that is what the drawings show.)
#
# **Changed after it was saved.** `y = h.exp()` keeps y for its backward pass, because eˣ is its
# own derivative.  Changing y in place afterwards would make that gradient wrong, so backward
# refuses, with PyTorch's error.  Each tensor counts its in-place changes in `y._version`, and
# the node remembers the version it saved.

# %%
x = torch.tensor([1.0, 2.0], requires_grad=True)
h = x * 3
h.retain_grad()                                  # before backward: keep h's gradient
y = h.exp()
loss = y.sum()
loss.backward(retain_graph=True)
print(h.grad, x.grad, y._version)
assert abs(h.grad.tolist()[0] - math.exp(3.0)) < 1e-4 and y._version == 0
y.add_(1)                                        # in place, after exp saved y
print("y._version =", y._version)
try:
    loss.backward()
    raise AssertionError("backward should refuse a y that changed after exp saved it")
except RuntimeError as err:
    print(str(err)[:125], "...")

# %% [markdown]
# **create_graph.** With `create_graph=True` the backward pass is itself recorded, so the
# gradient can be differentiated again: the second derivative of x³ at 3 is 18.

# %%
x = Value(3.0)
(d1,) = torch.autograd.grad(x ** 3, x, create_graph=True)
(d2,) = torch.autograd.grad(d1, x)
print(d1.data, d2)
assert (d1.data, d2) == (27.0, 18.0)

# %% [markdown]
# **detect_anomaly.** A nan in the backward pass spreads silently. Inside `detect_anomaly()` the
# first backward function that returns nan raises an error naming it: here sqrt′(0) = inf, times 0.

# %%
x = Value(0.0)
(x.sqrt() * 0).backward()
print("without detect_anomaly: x.grad =", x.grad)
assert math.isnan(x.grad)
with torch.detect_anomaly():
    try:
        (Value(0.0).sqrt() * 0).backward()
        raise AssertionError("detect_anomaly should have stopped at the nan")
    except RuntimeError as err:
        print("with detect_anomaly:", err)
        assert "SqrtBackward0" in str(err)

# %% [markdown]
# ## Exercise
#
# Write `answer(f, x0)` returning f''(x0) for a function f of one Value.

# %%
def answer(f, x0):
    return 0.0          # replace: use torch.autograd.grad twice, the first with create_graph=True

# %%
from micrograd.exercises import ExerciseFailed, check_second_derivative

try:
    print(check_second_derivative(answer))
except ExerciseFailed as why:
    print(torch.say("Not yet:", "还没有通过："), why)
