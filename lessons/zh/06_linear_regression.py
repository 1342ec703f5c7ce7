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
# # 6. 用自定义 Function 做线性回归

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
# 我们用一条直线拟合 y = 0.5x + 30 + 噪声。`manual_seed` 让随机数据可复现；训练循环在 `no_grad`
# 下原地更新 w 和 b，并把梯度清零。

# %%
from micrograd.autograd import Function
from micrograd.training import least_squares

torch.manual_seed(2024)
x = torch.randint(low=-5, high=30, size=(11,)).to(dtype=torch.float32)
y = 0.5 * x + 30 + torch.randn(11,)
x_new = x * 0.1


class compute_gradients(Function):
    @staticmethod
    def forward(ctx, w, x, b):
        ctx.save_for_backward(w, x)
        return w * x + b

    @staticmethod
    def backward(ctx, grad_output):
        w, x = ctx.saved_tensors
        return (grad_output * x).sum(), grad_output * w, grad_output.sum()


def loss_fn(y_p, y):
    return ((y_p - y) ** 2).mean()


def step(w, b, xs, rate=0.05):
    loss = loss_fn(compute_gradients.apply(w, xs, b), y)
    loss.backward()
    with torch.no_grad():
        w -= rate * w.grad
        b -= rate * b.grad
    w.grad.zero_()
    b.grad.zero_()
    return loss


w = torch.tensor(1.0, requires_grad=True)
b = torch.tensor(0.0, requires_grad=True)
for epoch in range(1, 3001):
    loss = step(w, b, x_new)
    if epoch % 1000 == 0:
        print(f"Epoch : {epoch} , Loss : {loss:.4f}")
best_w, best_b = least_squares(x_new.tolist(), y.tolist())
print(f"gradient descent w={w.item():.4f} b={b.item():.4f}; least squares w={best_w:.4f} b={best_b:.4f}")
assert abs(w.item() - best_w) < 1e-3 and abs(b.item() - best_b) < 1e-3

# %% [markdown]
# **`backward` 为什么要求和。** w 和 b 都是单个数，却在 11 个点上都被用到：前向计算对每个 i
# 算出 ŷᵢ = w·xᵢ + b，所以 w 有 11 个"使用者"。链式法则把每个使用者传回的梯度加起来：
# ∂L/∂w = Σᵢ ∂L/∂ŷᵢ · ∂ŷᵢ/∂w = Σᵢ gᵢ·xᵢ，∂L/∂b = Σᵢ gᵢ，其中 g = `grad_output` 存放 ∂L/∂ŷᵢ。
# `backward` 为每个输入返回一个梯度，形状与该输入相同：w 和 b 是一个数（所以要 `.sum()`），
# x 是向量（每个点一个 gᵢ·w）。它从 `ctx` 里读取 `forward` 保存的 w 和 x，而不是读 Function
# 外面的变量。
#
# **为什么要乘以 0.1。** 损失 L(w, b) = mean((w·xᵢ + b − yᵢ)²) 是一个碗形曲面，它的曲率就是
# Hessian 矩阵 2·[[mean x², mean x], [mean x, 1]]。步长为 η 的梯度下降只有在 η < 2/λ 时才会让
# 误差变小，λ 是 Hessian 的最大特征值。x 最大到 29 时，λ 有好几百，η = 0.05 太大了：每一步都
# 冲得更远。把 x 缩小到 0.1 倍，mean x² 就缩小 100 倍。下面把两种情况都算出来，并看看不缩放时
# 损失怎样发散：

# %%
def largest_curvature(xs):
    a, c = (xs * xs).mean().item(), xs.mean().item()
    return a + 1 + ((a - 1) ** 2 + 4 * c * c) ** 0.5


for name, xs in (("x", x), ("x * 0.1", x_new)):
    print(f"{name:8}: largest curvature {largest_curvature(xs):8.2f}, stable steps below {2 / largest_curvature(xs):.4f}")
assert 2 / largest_curvature(x) < 0.05 < 2 / largest_curvature(x_new)
w_raw = torch.tensor(1.0, requires_grad=True)
b_raw = torch.tensor(0.0, requires_grad=True)
for _ in range(10):
    loss = step(w_raw, b_raw, x)
print(f"without rescaling, after 10 steps: loss {loss.item():.3g}")
assert loss.item() > 1e6

# %% [markdown]
# ## 练习
#
# 用张量运算写出均方误差 `answer(y_pred, y)`。

# %%
def answer(y_pred, y):
    return (y_pred - y).sum()          # 改成：平方的平均值

# %%
from micrograd.exercises import ExerciseFailed, check_mean_squared_error

try:
    print(check_mean_squared_error(answer))
except ExerciseFailed as why:
    print(torch.say("Not yet:", "还没有通过："), why)

# %% [markdown]
# ## 练习：训练循环
#
# `backward()` 会把梯度累加到 `.grad` 上（第 3 课），所以训练循环在每次反向传播之前都要先清零梯度；否则每一步
# 都会把之前所有步的梯度也用上：步子越迈越大，拟合结果越走越偏。请写出 `training_loop(w, b, xs, ys, lr, steps)`：
# 用 `torch.optim.SGD([w, b], lr=lr)` 对 y ≈ w·x + b 的均方误差做 `steps` 步梯度下降。下面的循环恰好有这个
# 错误；检查器会把你的 w 和 b 与精确的下降轨迹比较，并能认出这种错误留下的轨迹。

# %%
def training_loop(w, b, xs, ys, lr, steps):
    optimizer = torch.optim.SGD([w, b], lr=lr)
    for _ in range(steps):
        loss = sum((w * x + b - y) ** 2 for x, y in zip(xs, ys)) / len(xs)
        loss.backward()
        optimizer.step()               # 检查这个循环


from micrograd.exercises import check_training_loop

try:
    print(check_training_loop(training_loop))
except ExerciseFailed as why:
    print(torch.say("Not yet:", "还没有通过："), why)
