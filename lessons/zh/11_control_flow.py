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
# # 11. 可微函数中的控制流

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
# 《动手学深度学习》中的例子：f 把 a 不断乘以 2 直到范数超过 1000，然后可能乘以 100。沿着实际走过的路径，f 对 a 是线性的，
# 所以 a.grad == d / a。两个输入走不同的分支，它们的计算图也不同。

# %%
def f(a):
    b = a * 2
    while b.norm() < 1000:
        b = b * 2
    if b.sum() > 0:
        c = b
    else:
        c = 100 * b
    return c


pictures = []
for value in (0.7, -0.7):
    a = torch.tensor(value, requires_grad=True)
    d = f(a)
    d.backward()
    print(f"a = {value}: d = {d.item():.1f}, a.grad = {a.grad.item():.1f}, d / a = {(d / a).item():.1f}")
    assert abs(a.grad.item() - (d / a).item()) < 1e-9
    pictures.append(draw(d, view="tensor", max_nodes=2000))
    print("saved", save(pictures[-1], os.path.join(OUT, f"11_branch_{'positive' if value > 0 else 'negative'}.svg")))

# %%
pictures[0]       # a = 0.7：在 notebook 里，计算图就显示在这里；作为脚本运行时，图保存在上面的文件里

# %%
pictures[1]       # a = -0.7：走另一个分支，最后乘以 100

# %% [markdown]
# ## 练习
#
# 用 Python 的 `if` 写出 `answer(x)`：x > 0 时为 x²，否则为 −x。

# %%
def answer(x):
    return x * x          # 补上另一个分支

# %%
from micrograd.exercises import ExerciseFailed, check_piecewise

try:
    print(check_piecewise(answer))
except ExerciseFailed as why:
    print(torch.say("Not yet:", "还没有通过："), why)
