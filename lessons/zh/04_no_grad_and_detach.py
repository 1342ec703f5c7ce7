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
# the same first cell in every lesson
import math  # noqa: F401
import os

import micrograd as torch  # noqa: F401   PyTorch tutorials run with just this line changed
from micrograd import Value, draw  # noqa: F401
from micrograd.drawing import save  # noqa: F401

OUT = os.environ.get("MICROGRAD_LESSONS_OUT", "lessons-output")   # pictures go here, never into the repository
os.makedirs(OUT, exist_ok=True)

# %% [markdown]
# 对需要梯度的张量做运算，结果也需要梯度，除非关闭了记录：在 `no_grad()` 中，或者使用 `detach()` 得到的副本。

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
# `detach` 把一个分支从计算图中切断：u = (x·x).detach()，z = u·x 对 x 的导数是 u，而不是 3x²（种子 004）。

# %%
x = torch.arange(4.0, requires_grad=True)
y = x * x
u = y.detach()
z = u * x
z.sum().backward()
print(x.grad == u)
assert bool((x.grad == u).all())

# %% [markdown]
# ## 练习
#
# 写出 `answer(w, lr)`：对叶子张量 w 原地做一步梯度下降。

# %%
def answer(w, lr):
    w = w - lr * w.grad          # wrong on purpose: this makes a new tensor; fix it

# %%
from micrograd.exercises import ExerciseFailed, check_sgd_step

try:
    print(check_sgd_step(answer))
except ExerciseFailed as why:
    print("Not yet:", why)
