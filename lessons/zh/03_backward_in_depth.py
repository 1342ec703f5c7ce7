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
# # 3. 深入 backward()

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
# **`gradient` 参数。** 对非标量 y，`y.backward(v)` 计算 vᵀ·J，也就是标量 Σ vᵢyᵢ 的梯度。
# 没有 v 就没有一个可以求导的数，所以会报错。

# %%
x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
y = x * x
try:
    y.backward()
    raise AssertionError("backward() of a non-scalar without a gradient should have failed")
except RuntimeError as err:
    print("error:", err)
y.backward(torch.tensor([1.0, 0.1, 0.01]))
print(x.grad)
assert all(abs(a - b) < 1e-6 for a, b in zip(x.grad.tolist(), [2.0, 0.4, 0.06]))   # float32 中 0.4 其实是 0.4000000059604645

# %% [markdown]
# **累加。** 多次调用 backward，梯度会累加；用 `x.grad.zero_()` 清零。
# **retain_graph。** 反向传播会释放计算图为它保存的中间值。要对同一个图再做一次反向传播，
# 必须在*第一次*调用时保留它们：`backward(retain_graph=True)`；最后一次调用可以释放。

# %%
x.grad.zero_()
y = (x * x).sum()
y.backward(retain_graph=True)
y.backward()
print(x.grad)                                   # 2x 的两倍
assert x.grad.tolist() == [4.0, 8.0, 12.0]
try:
    y.backward()
    raise AssertionError("a third backward through freed saved values should have failed")
except RuntimeError as err:
    print("third time:", str(err)[:60], "...")

# %% [markdown]
# **哪些张量保留 `.grad`。** 与 PyTorch 相同，反向传播只填写叶子张量（用 `requires_grad=True` 创建的张量）的 `.grad`。
# 读取计算得到的张量的 `.grad` 会发出警告并得到 None，除非在反向传播之前对它调用了 `retain_grad()`。
# （标量 Value 会保留每一个梯度，与 karpathy 的 micrograd 相同：计算图的图示画的就是这些梯度。）
#
# **保存之后又被修改。** `y = h.exp()` 会为反向传播保存 y，因为 eˣ 的导数就是它自己。
# 之后再原地修改 y，这个梯度就会算错，所以反向传播会拒绝执行，并给出与 PyTorch 相同的错误。
# 每个张量都用 `y._version` 记录自己被原地修改的次数，计算图的节点则记住它保存时的版本号。

# %%
x = torch.tensor([1.0, 2.0], requires_grad=True)
h = x * 3
h.retain_grad()                                  # 在反向传播之前调用：保留 h 的梯度
y = h.exp()
loss = y.sum()
loss.backward(retain_graph=True)
print(h.grad, x.grad, y._version)
assert abs(h.grad.tolist()[0] - math.exp(3.0)) < 1e-4 and y._version == 0
y.add_(1)                                        # 原地修改，发生在 exp 保存 y 之后
print("y._version =", y._version)
try:
    loss.backward()
    raise AssertionError("backward should refuse a y that changed after exp saved it")
except RuntimeError as err:
    print(str(err)[:125], "...")

# %% [markdown]
# **create_graph。** 使用 `create_graph=True` 时，反向传播本身也被记录，梯度可以再次求导：
# x³ 在 3 处的二阶导数是 18。

# %%
x = Value(3.0)
(d1,) = torch.autograd.grad(x ** 3, x, create_graph=True)
(d2,) = torch.autograd.grad(d1, x)
print(d1.data, d2)
assert (d1.data, d2) == (27.0, 18.0)

# %% [markdown]
# **detect_anomaly。** 反向传播中的 nan 会悄悄传播。在 `detect_anomaly()` 中，第一个返回 nan 的反向函数会报错并给出它的名字：这里 sqrt′(0) = inf，再乘以 0。

# %%
x = Value(0.0)
(x.sqrt() * 0).backward()
print("without detect_anomaly: x.grad =", x.grad)
assert math.isnan(x.grad)
with torch.detect_anomaly():
    try:
        (Value(0.0).sqrt() * 0).backward()
        raise AssertionError("detect_anomaly should have stopped at the nan")
    except RuntimeError as err:
        print("with detect_anomaly:", err)
        assert "SqrtBackward0" in str(err)

# %% [markdown]
# ## 练习
#
# 写出 `answer(f, x0)`，对单个 Value 的函数 f 返回 f''(x0)。

# %%
def answer(f, x0):
    return 0.0          # 换掉这一行：调用两次 torch.autograd.grad，第一次要加 create_graph=True

# %%
from micrograd.exercises import ExerciseFailed, check_second_derivative

try:
    print(check_second_derivative(answer))
except ExerciseFailed as why:
    print(torch.say("Not yet:", "还没有通过："), why)
