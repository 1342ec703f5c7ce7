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
# # 12. Backpropagation step by step

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
# Backpropagation visits nodes in reverse topological order: a node's gradient is complete only
# after every node that uses it has passed its gradient back. A node used twice **accumulates**.

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
# A hook sees each gradient as backpropagation completes it (`register_hook`); here it watches
# x's gradient arrive once, already summed over x's three uses.

# %%
seen = []
x = Value(2.0, label="x")
handle = x.register_hook(lambda g: seen.append(g))
(x * x + x).backward()
handle.remove()
print("the hook saw", seen)
assert seen == [2 * 2.0 + 1]

# %% [markdown]
# ## Exercise
#
# Write `answer(root)`: a list of all Values root depends on, each after its inputs.

# %%
def answer(root):
    return [root]          # replace: a depth-first search over v._prev

# %%
from micrograd.exercises import ExerciseFailed, check_topological_order

try:
    print(check_topological_order(answer))
except ExerciseFailed as why:
    print("Not yet:", why)
