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
assert (w2.grad - by_hand).abs().max().item() < 1e-5    # 在 float32 的约 7 位有效数字内相等

# %% [markdown]
# ## 形状
#
# 对 f: ℝⁿ → ℝᵐ，雅可比矩阵 J = ∂f/∂w 是 m×n 矩阵：第 i 行是第 i 个输出的梯度。
# 在它后面接一个标量损失 L = g(f(w))。这时 ∂L/∂f 是 m 个数组成的向量，链式法则写成
#
# ∂L/∂w = Jᵀ · ∂L/∂f，形状为 (n×m)·(m) = (n)：
#
# 结果是和 w 形状相同的向量，梯度总是如此。以 L = ‖Xw − t‖² 为例，X 的形状是 3×2：
# r = Xw − t 的雅可比矩阵 J = X（3×2），∂L/∂r = 2r（3 个数），所以 ∂L/∂w = Xᵀ·2r，形状为 (2×3)·(3) = (2)。
#
# 反向传播从不构造 J。每个运算只是把从上面传下来的向量乘以自己的 Jᵀ，即*向量-雅可比积*（`vjp`）。
# 所以不管中间的图有多少个输出，反向传播对每个张量只需要一个向量。下面的单元测量每个形状，并检查 vjp 和 Jᵀ·2r 的结果一致。

# %%
from micrograd import func

r = X @ w2.detach() - t
J = func.jacrev(lambda w: X @ w - t)(w2.detach())     # 3×2：每个输出一行，每个输入一列
print("J:", tuple(J.shape), " ∂L/∂r:", tuple((2 * r).shape), " ∂L/∂w:", tuple(w2.grad.shape))
assert tuple(J.shape) == (3, 2) and J.tolist() == X.tolist()
_, vjp_fn = func.vjp(lambda w: X @ w - t, w2.detach())
(from_vjp,) = vjp_fn(2 * r)                          # 不构造 J 就得到 Jᵀ·2r
print(from_vjp, J.T @ (2 * r))
assert (from_vjp - w2.grad).abs().max().item() < 1e-5 and (J.T @ (2 * r) - w2.grad).abs().max().item() < 1e-5

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
    return [0.0 for _ in w]          # 换掉这一行

# %%
from micrograd.exercises import ExerciseFailed, check_least_squares_gradient

try:
    print(check_least_squares_gradient(answer))
except ExerciseFailed as why:
    print(torch.say("Not yet:", "还没有通过："), why)
