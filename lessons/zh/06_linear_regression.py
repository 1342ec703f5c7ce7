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
# # 6. 用自定义 Function 做线性回归

# %%
# the same first cell in every lesson
import math  # noqa: F401
import os

import micrograd as torch  # noqa: F401   PyTorch tutorials run with just this line changed
from micrograd import Value, draw  # noqa: F401
from micrograd.drawing import save  # noqa: F401

OUT = os.environ.get("MICROGRAD_LESSONS_OUT", "lessons-output")   # pictures go here, never into the repository
os.makedirs(OUT, exist_ok=True)

# %% [markdown]
# 种子 002 拟合 y = 0.5x + 30 + 噪声。`manual_seed` 让随机数据可复现；训练循环在 `no_grad`
# 下原地更新 w 和 b，并把梯度清零。

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
        ctx.save_for_backward(x)
        return w * x + b

    @staticmethod
    def backward(ctx, grad_output):
        x, = ctx.saved_tensors
        return (grad_output * x).sum(), grad_output * w, grad_output.sum()


def loss_fn(y_p, y):
    return ((y_p - y) ** 2).mean()


w = torch.tensor(1.0, requires_grad=True)
b = torch.tensor(0.0, requires_grad=True)
for epoch in range(1, 3001):
    loss = loss_fn(compute_gradients.apply(w, x_new, b), y)
    loss.backward()
    with torch.no_grad():
        w -= 0.05 * w.grad
        b -= 0.05 * b.grad
    w.grad.zero_()
    b.grad.zero_()
    if epoch % 1000 == 0:
        print(f"Epoch : {epoch} , Loss : {loss:.4f}")
best_w, best_b = least_squares(x_new.tolist(), y.tolist())
print(f"gradient descent w={w.item():.4f} b={b.item():.4f}; least squares w={best_w:.4f} b={best_b:.4f}")
assert abs(w.item() - best_w) < 1e-3 and abs(b.item() - best_b) < 1e-3

# %% [markdown]
# ## 练习
#
# 用张量运算写出均方误差 `answer(y_pred, y)`。

# %%
def answer(y_pred, y):
    return (y_pred - y).sum()          # replace: the mean of the squares

# %%
from micrograd.exercises import ExerciseFailed, check_mean_squared_error

try:
    print(check_mean_squared_error(answer))
except ExerciseFailed as why:
    print("Not yet:", why)
