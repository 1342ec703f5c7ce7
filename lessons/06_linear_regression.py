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
# # 6. Linear regression through a custom Function

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
# We fit a line to y = 0.5x + 30 + noise. `manual_seed` makes the random data reproducible; the
# training loop updates w and b in place under `no_grad` and zeroes their gradients.

# %%
from micrograd.autograd import Function
from micrograd.training import least_squares

torch.manual_seed(2024)
x = torch.randint(low=-5, high=30, size=(11,)).to(dtype=torch.float32)
y = 0.5 * x + 30 + torch.randn(11,)
x_new = x * 0.1


class compute_gradients(Function):
    @staticmethod
    def forward(ctx, w, x, b):
        ctx.save_for_backward(w, x)
        return w * x + b

    @staticmethod
    def backward(ctx, grad_output):
        w, x = ctx.saved_tensors
        return (grad_output * x).sum(), grad_output * w, grad_output.sum()


def loss_fn(y_p, y):
    return ((y_p - y) ** 2).mean()


def step(w, b, xs, rate=0.05):
    loss = loss_fn(compute_gradients.apply(w, xs, b), y)
    loss.backward()
    with torch.no_grad():
        w -= rate * w.grad
        b -= rate * b.grad
    w.grad.zero_()
    b.grad.zero_()
    return loss


w = torch.tensor(1.0, requires_grad=True)
b = torch.tensor(0.0, requires_grad=True)
for epoch in range(1, 3001):
    loss = step(w, b, x_new)
    if epoch % 1000 == 0:
        print(f"Epoch : {epoch} , Loss : {loss:.4f}")
best_w, best_b = least_squares(x_new.tolist(), y.tolist())
print(f"gradient descent w={w.item():.4f} b={b.item():.4f}; least squares w={best_w:.4f} b={best_b:.4f}")
assert abs(w.item() - best_w) < 1e-3 and abs(b.item() - best_b) < 1e-3

# %% [markdown]
# **Why `backward` sums.** w and b are single numbers used at all 11 points: the forward pass
# computes ŷᵢ = w·xᵢ + b for every i, so w has 11 consumers. The chain rule adds up what each
# consumer sends back: ∂L/∂w = Σᵢ ∂L/∂ŷᵢ · ∂ŷᵢ/∂w = Σᵢ gᵢ·xᵢ, and ∂L/∂b = Σᵢ gᵢ, where g =
# `grad_output` holds ∂L/∂ŷᵢ. `backward` returns one gradient per input, shaped like that input: a
# number for w and b (hence `.sum()`), a vector for x (gᵢ·w, one per point). It reads w and x
# from `ctx`, where `forward` saved them, never from variables outside the Function.
#
# **Why x × 0.1.** The loss L(w, b) = mean((w·xᵢ + b − yᵢ)²) is a bowl whose curvature is the
# Hessian 2·[[mean x², mean x], [mean x, 1]]. A gradient step of size η shrinks the error only if
# η < 2/λ, where λ is the Hessian's largest eigenvalue. With x up to 29, λ is in the hundreds and
# η = 0.05 is far too big: every step overshoots further. Rescaling x by 0.1 divides mean x² by
# 100. We measure both, and watch the unscaled version blow up:

# %%
def largest_curvature(xs):
    a, c = (xs * xs).mean().item(), xs.mean().item()
    return a + 1 + ((a - 1) ** 2 + 4 * c * c) ** 0.5


for name, xs in (("x", x), ("x * 0.1", x_new)):
    print(f"{name:8}: largest curvature {largest_curvature(xs):8.2f}, stable steps below {2 / largest_curvature(xs):.4f}")
assert 2 / largest_curvature(x) < 0.05 < 2 / largest_curvature(x_new)
w_raw = torch.tensor(1.0, requires_grad=True)
b_raw = torch.tensor(0.0, requires_grad=True)
for _ in range(10):
    loss = step(w_raw, b_raw, x)
print(f"without rescaling, after 10 steps: loss {loss.item():.3g}")
assert loss.item() > 1e6

# %% [markdown]
# ## Exercise
#
# Write `answer(y_pred, y)`, the mean squared error, with tensor operations.

# %%
def answer(y_pred, y):
    return (y_pred - y).sum()          # replace: the mean of the squares

# %%
from micrograd.exercises import ExerciseFailed, check_mean_squared_error

try:
    print(check_mean_squared_error(answer))
except ExerciseFailed as why:
    print(torch.say("Not yet:", "还没有通过："), why)

# %% [markdown]
# ## Exercise: the training loop
#
# `backward()` adds into `.grad` (lesson 3), so a loop must clear the gradients before each
# backward, or every step also uses the gradients of all the steps before it: the steps grow and
# the fit drifts. Write `training_loop(w, b, xs, ys, lr, steps)`: `steps` steps of gradient
# descent on the mean squared error of y ≈ w·x + b, with `torch.optim.SGD([w, b], lr=lr)`. The
# loop below has exactly that bug; the checker compares your w and b with the exact trajectory
# and recognises the bug's.

# %%
def training_loop(w, b, xs, ys, lr, steps):
    optimizer = torch.optim.SGD([w, b], lr=lr)
    for _ in range(steps):
        loss = sum((w * x + b - y) ** 2 for x, y in zip(xs, ys)) / len(xs)
        loss.backward()
        optimizer.step()               # check this loop


from micrograd.exercises import check_training_loop

try:
    print(check_training_loop(training_loop))
except ExerciseFailed as why:
    print(torch.say("Not yet:", "还没有通过："), why)
