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
# the same first cell in every lesson
import math  # noqa: F401
import os

import micrograd as torch  # noqa: F401   PyTorch tutorials run with just this line changed
from micrograd import Value, draw  # noqa: F401
from micrograd.drawing import save  # noqa: F401

OUT = os.environ.get("MICROGRAD_LESSONS_OUT", "lessons-output")   # pictures go here, never into the repository
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
assert central(1e-3) < central(1e-1) and central(1e-11) > central(1e-5)   # better, then worse again

# %% [markdown]
# **符号微分**对乘积会膨胀：n 个因子乘积的导数有 n 项、每项 n 个因子。**自动微分**的代价只是函数本身代价的常数倍，且精确到舍入误差。

# %%
from micrograd.func import count_operations

for n in (2, 4, 8, 16):
    xs = [Value(1.0 + 0.1 * i) for i in range(n)]
    with count_operations() as count:
        product = xs[0]
        for v in xs[1:]:
            product = product * v
        product.backward()
    symbolic_terms = n * n          # n terms of n factors
    print(f"n={n:2d}: symbolic derivative ~{symbolic_terms} factors, autograd {count.total} operations")
    assert count.total <= 2 * n

# %% [markdown]
# ## 练习
#
# 写出中心差分 `answer(f, x, h)`。

# %%
def answer(f, x, h):
    return (f(x + h) - f(x)) / h          # one-sided: replace with the central difference

# %%
from micrograd.exercises import ExerciseFailed, check_central_difference

try:
    print(check_central_difference(answer))
except ExerciseFailed as why:
    print("Not yet:", why)
