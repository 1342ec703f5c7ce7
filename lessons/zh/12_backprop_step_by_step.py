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
# # 12. 逐步反向传播

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
# 反向传播按逆拓扑序访问节点：只有当所有使用某节点的节点都把梯度传回后，它的梯度才完整。被使用两次的节点会**累加**梯度。

# %%
x = Value(2.0, label="x")
y = x * x                   # x is used twice: dy/dx = x + x
y.label = "y"
z = y + x                   # and once more here
z.label = "z"
steps = torch.drawing.backward_steps(z)
for v, g in steps:
    print(f"{v.label or v._op:>3}: gradient {g}")
assert [v.label for v, _ in steps] == ["z", "y", "x"] and steps[-1][1] == 2 * 2.0 + 1
page = os.path.join(OUT, "12_replay.html")
try:
    torch.replay(z, page)
    print("open", page, "in a browser to step through")
except RuntimeError as err:
    print("replay needs Graphviz:", err)

# %% [markdown]
# 钩子在反向传播完成每个梯度时看到它（`register_hook`）；这里它观察 x 的梯度只到达一次，并且已经把 x 的三次使用累加起来。

# %%
seen = []
x = Value(2.0, label="x")
handle = x.register_hook(lambda g: seen.append(g))
(x * x + x).backward()
handle.remove()
print("the hook saw", seen)
assert seen == [2 * 2.0 + 1]

# %% [markdown]
# ## 练习
#
# 写出 `answer(root)`：列出 root 依赖的所有 Value，每个都排在它的输入之后。

# %%
def answer(root):
    return [root]          # replace: a depth-first search over v._prev

# %%
from micrograd.exercises import ExerciseFailed, check_topological_order

try:
    print(check_topological_order(answer))
except ExerciseFailed as why:
    print("Not yet:", why)
