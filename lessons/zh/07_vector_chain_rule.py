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
# # 7. 向量的链式法则

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
# 对 z = (⟨x, w⟩ − y)²，链式法则给出 ∂z/∂w = 2(⟨x, w⟩ − y)·x，形状与 w 相同。
# 对 ‖Xw − y‖² 得到 2Xᵀ(Xw − y)。自动求导与两者都一致。

# %%
x = torch.tensor([1.0, 2.0, 3.0])
w = torch.tensor([0.5, -1.0, 2.0], requires_grad=True)
y = torch.tensor(4.0)
z = (torch.dot(x, w) - y) ** 2
z.backward()
r = (torch.dot(x, w) - y).item()
print(w.grad, 2 * r * x)
assert w.grad.tolist() == (2 * r * x).tolist()

X = torch.tensor([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
w2 = torch.tensor([0.1, -0.2], requires_grad=True)
t = torch.tensor([1.0, 0.0, -1.0])
((X @ w2 - t).norm() ** 2).backward()
by_hand = 2 * (X.T @ (X @ w2.detach() - t))
print(w2.grad, by_hand)
assert (w2.grad - by_hand).abs().max().item() < 1e-5    # equal to float32's ~7 digits

# %% [markdown]
# 张量视图每个张量画一个椭圆；标量视图画出每一个乘积与求和。

# %%
u = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
v = torch.tensor([4.0, 5.0, 6.0], requires_grad=True)
d = torch.dot(u, v)
tensor_view, scalar_view = draw(d, view="tensor"), draw(d, view="scalar")
print("saved", save(tensor_view, os.path.join(OUT, "07_dot_tensor_view.svg")))
print("saved", save(scalar_view, os.path.join(OUT, "07_dot_scalar_view.svg")))
tensor_view       # 在 notebook 里，计算图就显示在这里；作为脚本运行时，图保存在上面的文件里

# %%
scalar_view

# %% [markdown]
# ## 练习
#
# 只用 Python 列表写出 `answer(X, w, y)`，返回 2Xᵀ(Xw − y)。

# %%
def answer(X, w, y):
    return [0.0 for _ in w]          # replace

# %%
from micrograd.exercises import ExerciseFailed, check_least_squares_gradient

try:
    print(check_least_squares_gradient(answer))
except ExerciseFailed as why:
    print("Not yet:", why)
