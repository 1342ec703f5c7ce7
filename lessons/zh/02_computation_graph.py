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
# # 2. 计算图

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
# z = w·x + b 可以分解为 y = w·x 和 z = y + b。算子（`*`、`+`）画成矩形，变量画成椭圆。
# w、x、b 是**叶子节点**（由我们创建），z 是**根节点**。

# %%
w = torch.tensor(2.0, requires_grad=True)
x = torch.tensor(3.0, requires_grad=True)
b = torch.tensor(1.0, requires_grad=True)
y = w * x
z = y + b
print(w.is_leaf, x.is_leaf, b.is_leaf, y.is_leaf, z.is_leaf)
print(z.grad_fn, z.grad_fn.next_functions)
assert [t.is_leaf for t in (w, x, b, y, z)] == [True, True, True, False, False]
assert type(z.grad_fn).__name__ == "AddBackward0" and type(y.grad_fn).__name__ == "MulBackward0"

# %% [markdown]
# 反向传播从根节点走向叶子：dz/dw = x，dz/dx = w，dz/db = 1。

# %%
z.backward()
print(w.grad, x.grad, b.grad)
assert (w.grad.item(), x.grad.item(), b.grad.item()) == (3.0, 2.0, 1.0)
w.label, x.label, b.label, z.label = "w", "x", "b", "z"
picture = draw(z, view="tensor")
print("saved", save(picture, os.path.join(OUT, "02_wx_plus_b.svg")))
picture           # 在 notebook 里，计算图就显示在这里；作为脚本运行时，图保存在上面的文件里

# %% [markdown]
# ## 练习
#
# 用 Value a、b、c 构造 z = (a + b)·c 并返回 z。

# %%
def answer(a, b, c):
    return a          # 换掉这一行：构造 (a + b) * c

# %%
from micrograd.exercises import ExerciseFailed, check_graph_of_a_plus_b_times_c

try:
    print(check_graph_of_a_plus_b_times_c(answer))
except ExerciseFailed as why:
    print(torch.say("Not yet:", "还没有通过："), why)
