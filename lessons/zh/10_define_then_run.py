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
# # 10. 显式图与隐式图

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
# **边运行边定义**（PyTorch、micrograd）：每次调用在 Python 运行时构建新的图。
# **先定义后运行**（TensorFlow 1、Theano）：先构建一次图，再用新输入运行。`instruments.trace` 只构建一次，`run` 重放它。追踪时走过的分支被固定下来。

# %%
from micrograd.teaching import instruments

graph = instruments.trace(lambda a, b: a * b + (a - b).exp(), 1.0, 2.0)
for a, b in ((1.0, 2.0), (0.5, -1.0), (3.0, 3.0)):
    value = graph.run(a, b)
    eager = a * b + math.exp(a - b)
    print(f"run({a}, {b}) = {value:.6f}, gradient {graph.gradient()}")
    assert math.isclose(value, eager, rel_tol=1e-12)

branchy = instruments.trace(lambda x: x * 2 if x > 0 else x * -3, 1.0)
print("traced with x > 0; at x = -1 it still doubles:", branchy.run(-1.0))
assert branchy.run(-1.0) == -2.0            # 如果是边运行边定义，结果会是 3

# %% [markdown]
# ## 练习
#
# 写出 `answer(graph, a, b)`，返回追踪图在 (a, b) 处的输出。

# %%
def answer(graph, a, b):
    return 0.0          # 换掉这一行：运行这张计算图

# %%
from micrograd.exercises import ExerciseFailed, check_traced_graph

try:
    print(check_traced_graph(answer))
except ExerciseFailed as why:
    print(torch.say("Not yet:", "还没有通过："), why)
