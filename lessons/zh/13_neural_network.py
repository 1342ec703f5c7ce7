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
# 一个神经元计算 act(w·x + b)；一层是读取相同输入的多个神经元；MLP 由多层组成。karpathy 的演示用 max-margin 损失在双月数据上训练 MLP(2, [16, 16, 1])。图中按网络输出分数的正负给平面着色：黑线（分数 = 0）就是它学到的决策边界。

# %%
from micrograd import data, plots
from micrograd.training import accuracy, fit_classifier, score

X, y = data.moons(60, noise=0.1)
model, history = fit_classifier(X, y, hidden=(16, 16), steps=60)
print(model.layers[0].neurons[0], "...", len(model.parameters()), "parameters")
print(f"loss {history[0][0]:.3f} -> {history[-1][0]:.3f}, training accuracy {accuracy(model, X, y):.0%}")
assert history[-1][0] < history[0][0] and accuracy(model, X, y) >= 0.95
figure = plots.boundary_figure(lambda a, b: score(model, (a, b)), X, y)
print(plots.save_figure(figure, os.path.join(OUT, "13_decision_boundary.svg")))
figure          # a notebook shows the figure here; a script has saved it

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
assert picture.source.count("subgraph cluster") == 1 + 3 + 9          # the MLP, 3 layers, 9 neurons
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
    return sum((wi * xi for wi, xi in zip(w, x)), b)          # the activation is missing

# %%
from micrograd.exercises import ExerciseFailed, check_tanh_neuron

try:
    print(check_tanh_neuron(answer))
except ExerciseFailed as why:
    print("Not yet:", why)
