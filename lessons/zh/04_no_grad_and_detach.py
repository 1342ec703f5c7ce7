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
# # 4. 关闭追踪：requires_grad_、no_grad、detach

# %%
# 每一课都相同的第一个单元
import math  # noqa: F401
import os

import micrograd as torch  # noqa: F401   只改这一行，PyTorch 的教程就能运行
from micrograd import Value, draw  # noqa: F401
from micrograd.drawing import save  # noqa: F401

torch.set_language("zh")                                          # 检查器用中文说明问题
OUT = os.environ.get("MICROGRAD_LESSONS_OUT", "lessons-output")   # 图片保存在这里，不会写进代码仓库
os.makedirs(OUT, exist_ok=True)

# %% [markdown]
# 先看几乎每一篇 PyTorch 入门都会举的例子：x 是元素全为 1 的 2×2 张量，y = x + 2，z = 3y²，out = mean(z)。
# 展开写就是 out = ¼ Σᵢ 3(xᵢ + 2)²，所以
#
# ∂out/∂xᵢ = ¼ · 6(xᵢ + 2) = 1.5(xᵢ + 2)，在 xᵢ = 1 处等于 4.5。
#
# 这个 ¼ 来自求平均：四个元素各占 `out` 的四分之一，所以每个梯度都是 `z.sum()` 所给梯度的四分之一。
# `out` 是一个数（标量），所以 `backward()` 不需要参数。

# %%
x = torch.ones(2, 2, requires_grad=True)
y = x + 2
z = y * y * 3
out = z.mean()
print(z, out)
out.backward()
print(x.grad)
assert x.grad.tolist() == [[4.5, 4.5], [4.5, 4.5]]

# %% [markdown]
# 对需要梯度的张量做运算，结果也需要梯度，除非关闭了记录：在 `no_grad()` 中，或者使用 `detach()` 得到的张量（数值相同的新 Value）。

# %%
x = torch.ones(2, 2, requires_grad=True)
print((x ** 2).requires_grad)
with torch.no_grad():
    print((x ** 2).requires_grad)
y = x.detach()
print(y.requires_grad, x.eq(y).all())
assert (x ** 2).requires_grad and not y.requires_grad and bool(x.eq(y).all())
a = torch.randn(2, 2)
a = (a * 3) / (a - 1)
print(a.requires_grad)
a.requires_grad_(True)
print(a.requires_grad, (a * a).sum().grad_fn)

# %% [markdown]
# `detach` 把一个分支从计算图中切断：u = (x·x).detach()，z = u·x 对 x 的导数是 u，而不是 3x²（《动手学深度学习》自动微分一节的例子）。

# %%
x = torch.arange(4.0, requires_grad=True)
y = x * x
u = y.detach()
z = u * x
z.sum().backward()
print(x.grad == u)
assert bool((x.grad == u).all())

# %% [markdown]
# `detach()` 不是复制：分离出来的张量与原张量共享元素（同一块存储，与 PyTorch 相同），只是离开了计算图。
# 所以对其中一个做原地修改（`y.zero_()`、`y[0] = 5`），另一个也会跟着变；要得到独立的副本，请用
# `x.detach().clone()`。如果想在不记录计算图的情况下原地修改参数，请使用 `with torch.no_grad():`。

# %%
y = x.detach()
y.zero_()
print(x, y)
assert x.tolist() == [0.0, 0.0, 0.0, 0.0] and not y.requires_grad
with torch.no_grad():
    x.add_(1.0)
print(x)
assert x.tolist() == [1.0, 1.0, 1.0, 1.0]

# %% [markdown]
# ## 练习
#
# 写出 `answer(w, lr)`：对叶子张量 w 原地做一步梯度下降。

# %%
def answer(w, lr):
    w = w - lr * w.grad          # 故意写错的：这会生成一个新张量；请改正

# %%
from micrograd.exercises import ExerciseFailed, check_sgd_step

try:
    print(check_sgd_step(answer))
except ExerciseFailed as why:
    print(torch.say("Not yet:", "还没有通过："), why)
