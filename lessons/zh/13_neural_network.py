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
# # 13. 用 Value 搭建神经网络

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
# 一个神经元计算 act(w·x + b)；一层是读取相同输入的多个神经元；MLP 由多层组成。
# karpathy 的演示在双月数据上训练 MLP(2, [16, 16, 1])。训练循环在每个框架里都是同样的四步，这里把它完整写出来：
#
# 1. **前向传播**：先算每个点的分数，再算损失。这里用 max-margin 损失 mean(relu(1 − yᵢ·scoreᵢ))：
#    一个点落在正确的一侧并留出间隔之后，它的损失就是 0；再加上 α·Σp²，让权重保持较小；
# 2. **`model.zero_grad()`**：把每个 p.grad 清零，因为 backward 是把梯度*累加*到 `.grad` 上的；
# 3. **`loss.backward()`**：求出这一步损失的梯度；
# 4. **更新**：对每个参数做 p.data −= lr·p.grad，学习率从 1.0 逐渐降到 0.1。
#
# 图中按网络输出分数的正负给平面着色：黑线（分数 = 0）就是它学到的决策边界。

# %%
import random

from micrograd import data, plots
from micrograd.training import accuracy, score

X, y = data.moons(60, noise=0.1)
inputs = [[Value(a, requires_grad=False) for a in row] for row in X]
STEPS = 60


def train(model, steps, forget_zero_grad=False):
    losses = []
    for k in range(steps):
        scores = [model(row) for row in inputs]                          # 1. 前向传播
        data_loss = sum((1 - label * s).relu() for label, s in zip(y, scores)) * (1.0 / len(y))
        loss = data_loss + 1e-4 * sum(p * p for p in model.parameters())
        if not forget_zero_grad:
            model.zero_grad()                                           # 2. 梯度清零
        loss.backward()                                                 # 3. 这一步的梯度
        learning_rate = 1.0 - 0.9 * k / STEPS                           # 从 1.0 降到 0.1
        for p in model.parameters():
            p.data -= learning_rate * p.grad                            # 4. 沿下坡方向走一步
        losses.append(loss.data)
    return losses


random.seed(1337)
model = torch.nn.MLP(2, [16, 16, 1])
losses = train(model, STEPS)
print(model.layers[0].neurons[0], "...", len(model.parameters()), "parameters")
print(f"loss {losses[0]:.3f} -> {losses[-1]:.3f}, training accuracy {accuracy(model, X, y):.0%}")
assert losses[-1] < 0.2 * losses[0] and accuracy(model, X, y) >= 0.95
figure = plots.boundary_figure(lambda a, b: score(model, (a, b)), X, y)
print(plots.save_figure(figure, os.path.join(OUT, "13_decision_boundary.svg")))
figure          # 在 notebook 里图就显示在这里；作为脚本运行时图已经保存

# %% [markdown]
# 如果忘了第 2 步会怎样？backward 会把梯度累加到 `.grad` 上，所以到第 k 步时每个 p.grad 存的是 g₁ + g₂ + … + gₖ，
# 即到目前为止*所有*步的梯度之和，更新量就成了 lr·(g₁ + … + gₖ)。很多步以前的旧梯度还在朝当时正确的方向推，
# 步子越迈越大，损失不降反升。同样的初始值、同样的数据，不调用 `zero_grad()` 训练 20 步：

# %%
random.seed(1337)                                                       # 和上面相同的初始权重
forgetful = train(torch.nn.MLP(2, [16, 16, 1]), 20, forget_zero_grad=True)
for k in (0, 2, 5, 10, 19):
    print(f"step {k:2}:  with zero_grad {losses[k]:.3f}   without {forgetful[k]:.3f}")
assert forgetful[0] == losses[0] and forgetful[19] > forgetful[0] > losses[19]

# %% [markdown]
# 一次前向计算的 MLP 画成计算图是什么样子？`draw` 会给每次模块调用所创建的全部内容画一个虚线框：
# MLP 一个框，里面每一层一个框，每个神经元一个框，框里是它的权重、乘积 wᵢ·xᵢ、它们的和以及激活函数。
# 下面是 karpathy 课程里的网络 MLP(3, [4, 4, 1]) 对一个输入的计算图（`grouped=False` 则不画框）：

# %%
small = torch.nn.MLP(3, [4, 4, 1])
out = small([2.0, 3.0, -1.0])
out.backward()
picture = draw(out)
print("saved", save(picture, os.path.join(OUT, "13_mlp_graph.svg")))
assert picture.source.count("subgraph cluster") == 1 + 3 + 9          # MLP 本身、3 层、9 个神经元
picture         # 在 notebook 里，计算图就显示在这里；作为脚本运行时，图保存在上面的文件里

# %% [markdown]
# 同样的思想用在张量上，采用 PyTorch 的风格：由 `nn.Linear` 组成的 `nn.Sequential`、数值稳定的
# `binary_cross_entropy_with_logits` 损失和 `optim.Adam` 优化器，用于 XOR 数据。

# %%
import random

from micrograd import nn, optim

random.seed(3)
X, y = data.xor(40, signed=False)
inputs, targets = torch.tensor(X), torch.tensor([[float(t)] for t in y])
net = nn.Sequential(nn.Linear(2, 8), nn.Tanh(), nn.Linear(8, 1))
optimizer = optim.Adam(net.parameters(), lr=0.05)
for step in range(100):
    optimizer.zero_grad()
    loss = nn.binary_cross_entropy_with_logits(net(inputs), targets)
    loss.backward()
    optimizer.step()
correct = sum((p[0] > 0) == bool(t) for p, t in zip(net(inputs).tolist(), y))
print(f"XOR: loss {loss.item():.3f}, {correct} of {len(y)} right")
assert correct >= 0.95 * len(y)

# %% [markdown]
# ## 练习
#
# 用 Value 运算写出 `answer(x, w, b)` = tanh(Σ wᵢxᵢ + b)。

# %%
def answer(x, w, b):
    return sum((wi * xi for wi, xi in zip(w, x)), b)          # 缺了激活函数

# %%
from micrograd.exercises import ExerciseFailed, check_tanh_neuron

try:
    print(check_tanh_neuron(answer))
except ExerciseFailed as why:
    print(torch.say("Not yet:", "还没有通过："), why)
