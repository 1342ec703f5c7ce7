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
# # 8. 符号微分、数值微分与自动微分

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
# **数值微分**：有限差分。单侧差分误差为 O(h)，中心差分为 O(h²)；h 很小时舍入误差（约 ε/h）占主导。

# %%
exact = math.cos(1.0)
for h in (1e-1, 1e-3, 1e-5, 1e-8, 1e-11):
    one_sided = (math.sin(1 + h) - math.sin(1)) / h
    central = (math.sin(1 + h) - math.sin(1 - h)) / (2 * h)
    print(f"h={h:.0e}  one-sided error {abs(one_sided - exact):.1e}  central error {abs(central - exact):.1e}")
central = lambda h: abs((math.sin(1 + h) - math.sin(1 - h)) / (2 * h) - exact)  # noqa: E731
assert central(1e-3) < central(1e-1) and central(1e-11) > central(1e-5)   # 先变好，然后又变差

# %% [markdown]
# **符号微分**对乘积会膨胀。下面把乘积 x₀·x₁·…·xₙ₋₁ 表示成由 `("*", a, b)` 节点和变量名组成的树，
# `derivative` 按乘积法则 d(a·b) = da·b + a·db 求导，并去掉 0 和 1。n 个偏导数中的每一个
# 都是其余 n − 1 个变量的乘积：一共 n(n − 1) 个因子，随 n 平方增长，而且彼此之间没有共享。
# **自动微分**复用前向计算得到的中间乘积：反向传播的代价只是函数本身 n − 1 次运算的常数倍，
# 并且精确到舍入误差。下面把两者都数出来：

# %%
from micrograd.teaching.instruments import count_operations

def derivative(expr, name):
    if isinstance(expr, str):
        return 1 if expr == name else 0
    _, a, b = expr
    return plus(times(derivative(a, name), b), times(a, derivative(b, name)))


def times(p, q):
    return 0 if p == 0 or q == 0 else q if p == 1 else p if q == 1 else ("*", p, q)


def plus(p, q):
    return q if p == 0 else p if q == 0 else ("+", p, q)


def factors(expr):
    return 1 if isinstance(expr, str) else 0 if isinstance(expr, int) else factors(expr[1]) + factors(expr[2])


for n in (2, 4, 8, 16):
    tree = "x0"
    for k in range(1, n):
        tree = ("*", tree, f"x{k}")
    symbolic = sum(factors(derivative(tree, f"x{k}")) for k in range(n))
    xs = [Value(1.0 + 0.1 * i) for i in range(n)]
    with count_operations() as count:
        product = xs[0]
        for v in xs[1:]:
            product = product * v
        product.backward()
    print(f"n={n:2d}: symbolic gradient {symbolic:3d} factors, autograd {count.total:2d} operations")
    assert symbolic == n * (n - 1) and count.total <= 2 * n

# %% [markdown]
# ## 练习
#
# 写出中心差分 `answer(f, x, h)`。

# %%
def answer(f, x, h):
    return (f(x + h) - f(x)) / h          # 这是单侧差分：换成中心差分

# %%
from micrograd.exercises import ExerciseFailed, check_central_difference

try:
    print(check_central_difference(answer))
except ExerciseFailed as why:
    print(torch.say("Not yet:", "还没有通过："), why)
