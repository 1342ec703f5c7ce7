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
# # 14. 高阶导数

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
# Hessian 矩阵是梯度的雅可比矩阵。对 Σxᵢ³，它是 diag(6xᵢ)。牛顿法 x ← x − f'(x)/f''(x) 使用二阶导数，对二次函数一步到达最小值。

# %%
from micrograd import func

h = func.hessian(lambda x: (x ** 3).sum())(torch.tensor([1.0, 2.0]))
print(h)
assert h.tolist() == [[6.0, 0.0], [0.0, 12.0]]

f = lambda x: x.exp() - 2 * x  # noqa: E731        minimum at x = log 2
x = 0.0
for step in range(6):
    d1 = float(func.grad(f)(x))
    d2 = float(func.grad(func.grad(f))(x))
    x = x - d1 / d2
    print(f"step {step + 1}: x = {x:.12f}")
assert abs(x - math.log(2)) < 1e-12

# %% [markdown]
# `gradgradcheck` 用一阶导数的中心差分检查二阶导数：一个只在一阶正确、却不能再次求导（用了 `.data`）的 backward 会失败。

# %%
from micrograd.autograd import Function, gradcheck, gradgradcheck


class DetachedCube(Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x ** 3

    @staticmethod
    def backward(ctx, grad_output):
        x, = ctx.saved_tensors
        return grad_output * 3 * x.data ** 2          # .data：一个数，和计算图断开了


print("first order:", gradcheck(DetachedCube.apply, (Value(1.3),)))
print("second order:", gradgradcheck(DetachedCube.apply, (Value(1.3),), raise_exception=False))
assert gradcheck(DetachedCube.apply, (Value(1.3),))
assert not gradgradcheck(DetachedCube.apply, (Value(1.3),), raise_exception=False)

# %% [markdown]
# ## 练习
#
# 写出 `answer(f, x)`：一步牛顿法 x − f'(x)/f''(x)。

# %%
def answer(f, x):
    return x - float(func.grad(f)(x))          # 这是梯度下降的一步：应该改为除以 f''

# %%
from micrograd.exercises import ExerciseFailed, check_newton_step

try:
    print(check_newton_step(answer))
except ExerciseFailed as why:
    print(torch.say("Not yet:", "还没有通过："), why)
