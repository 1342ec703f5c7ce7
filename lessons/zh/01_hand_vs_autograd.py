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
# # 1. 从手写导数到自动求导

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
# 自动求导的教程常常从 f(x) = x²·eˣ 讲起。由乘积法则，它的导数是 f'(x) = 2x·eˣ + x²·eˣ。
# 我们把两者都写成代码，让自动求导计算导数，并检查两者一致。

# %%
def f(x):
    return x ** 2 * torch.exp(x)


def gradf(x):
    return 2 * x * torch.exp(x) + x ** 2 * torch.exp(x)


torch.manual_seed(0)
x = torch.randn(3, 4, requires_grad=True)    # requires_grad：记录对 x 的每一个运算
y = f(x)
print(y)

# %% [markdown]
# `y` 不是标量，所以 `backward` 需要一个与 y 同形状的 `gradient`：全 1 表示每个元素权重为 1，
# x.grad 就是逐元素的导数。

# %%
y.backward(torch.ones(y.size()))
print(x.grad)
print(gradf(x))
assert (x.grad - gradf(x)).abs().max().item() < 1e-5   # 自动求导 = 手算的导数，在 float32 的约 7 位有效数字内相等

# %% [markdown]
# 对单个 `Value`（标量）做同样的事，并且与中心差分比较。

# %%
x = Value(1.5, label="x")
fx = x ** 2 * x.exp()
fx.backward()
by_hand = (2 * 1.5 + 1.5 ** 2) * math.exp(1.5)
numeric = (((1.5 + 1e-6) ** 2 * math.exp(1.5 + 1e-6)) - ((1.5 - 1e-6) ** 2 * math.exp(1.5 - 1e-6))) / 2e-6
print(x.grad, by_hand, numeric)
assert math.isclose(x.grad, by_hand, rel_tol=1e-12) and math.isclose(x.grad, numeric, rel_tol=1e-8)

# %% [markdown]
# ## 练习
#
# 手工推导 g(x) = x³·sin(x) 的导数，并写成 `answer(x)`。

# %%
def answer(x):
    return None          # 换成你求出的 x**3 * sin(x) 的导数

# %%
from micrograd.exercises import ExerciseFailed, check_derivative_of_x3_sin_x

try:
    print(check_derivative_of_x3_sin_x(answer))
except ExerciseFailed as why:
    print(torch.say("Not yet:", "还没有通过："), why)
