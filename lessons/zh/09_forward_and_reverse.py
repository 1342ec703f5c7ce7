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
# # 9. 前向累积与反向累积

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
# 对偶数在每个值旁边携带一个切向量：一次前向传播得到 J·v（`jvp`）。反向模式一次反向传播得到 vᵀ·J（`vjp`）。
# 对 f: Rⁿ → R，反向模式只需一次，前向模式需要 n 次；对 f: R → Rᵐ 正好相反。

# %%
from micrograd import func
from micrograd.autograd import forward_ad
from micrograd.teaching.instruments import count_operations

with forward_ad.dual_level():
    x = forward_ad.make_dual(Value(1.0), 1.0)
    y = x ** 2 * x.exp()
    print("tangent", forward_ad.unpack_dual(y).tangent, "= 3e =", 3 * math.e)
    assert abs(forward_ad.unpack_dual(y).tangent - 3 * math.e) < 1e-12

n = 10
many_in = lambda *xs: sum((x * x for x in xs[1:]), xs[0] * xs[0])  # noqa: E731
with count_operations() as reverse:
    func.jacrev(many_in, argnums=tuple(range(n)))(*[0.1 * i for i in range(n)])
with count_operations() as forward:
    func.jacfwd(many_in, argnums=tuple(range(n)))(*[0.1 * i for i in range(n)])
print("R^10 -> R:  reverse", reverse, " forward", forward)
assert forward.total > 3 * reverse.total

# %%
def many_out(x):                       # R -> R^10：各个输出共用一个计算代价高的 h(x)
    h = x
    for _ in range(20):
        h = h.sin() + x
    return tuple(h * k for k in range(1, 11))


with count_operations() as reverse:
    by_reverse = func.jacrev(many_out)(0.3)
with count_operations() as forward:
    by_forward = func.jacfwd(many_out)(0.3)
print("R -> R^10:  reverse", reverse, " forward", forward)
assert reverse.total > 3 * forward.total
assert all(abs(float(a) - float(b)) < 1e-9 for a, b in zip(by_reverse, by_forward))

# %% [markdown]
# ## 内存：反向模式要保留整个前向过程
#
# 反向传播在前向传播结束之后才开始，而每一步都需要它的运算当时看到的数：第 k 步 sin 的局部导数是 cos(hₖ₋₁)，
# 所以反向传播到来时每个 hₖ 都必须还在。n 个运算就要让 n 个 Value 一直活着：内存是 O(n)。
# 前向模式在计算值的同时计算切向量，ḣₖ = cos(hₖ₋₁)·ḣₖ₋₁；第 k 步一结束，hₖ₋₁ 就再也用不到了，
# 所以不管链有多长，内存都是 O(1)。下面用 `tracemalloc` 测量两种模式下 n 个 sin 连成的链的内存峰值（对偶数就是两个浮点数）。
# 这就是为什么训练大型网络时往往先耗尽内存而不是时间，也是为什么评估模型时用 `no_grad()`（什么都不记录）可以省内存。

# %%
import tracemalloc


class Dual:                           # 手写的前向模式：一个值和它的切向量
    def __init__(self, value, tangent):
        self.value, self.tangent = value, tangent

    def sin(self):                    # (sin h)' = cos h · h'
        return Dual(math.sin(self.value), math.cos(self.value) * self.tangent)


def chain(h, n):                      # h = sin(sin(...sin(h)))
    for _ in range(n):
        h = h.sin()
    return h


def peak_bytes(start, n):
    tracemalloc.start()
    chain(start, n)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak


for n in (1000, 2000, 4000):
    print(f"n = {n}:  reverse mode keeps {peak_bytes(Value(0.5), n):>7} bytes,  dual numbers {peak_bytes(Dual(0.5, 1.0), n):>5}")
assert peak_bytes(Value(0.5), 4000) > 3.5 * peak_bytes(Value(0.5), 1000)          # 运算多 4 倍，内存也多 4 倍
assert peak_bytes(Dual(0.5, 1.0), 4000) < 0.05 * peak_bytes(Value(0.5), 4000)   # 不管 n 多大都只有几百字节：只有最后一对数还活着

# %% [markdown]
# ## 练习
#
# 写出 `answer(f, x, j)`：用一次 `func.jvp` 求 f 在张量 x 处雅可比矩阵的第 j 列。

# %%
def answer(f, x, j):
    return func.jacrev(f)(x)[0]          # 这是一行而不是一列：用 func.jvp 配合 e_j

# %%
from micrograd.exercises import ExerciseFailed, check_jacobian_column

try:
    print(check_jacobian_column(answer))
except ExerciseFailed as why:
    print(torch.say("Not yet:", "还没有通过："), why)
