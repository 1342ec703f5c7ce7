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
# # 10. Explicit and implicit graphs

# %%
# the same first cell in every lesson
import math  # noqa: F401
import os

import micrograd as torch  # noqa: F401   PyTorch tutorials run with just this line changed
from micrograd import Value, draw  # noqa: F401
from micrograd.drawing import save  # noqa: F401

torch.set_language("en")                                          # the checkers' messages speak English
OUT = os.environ.get("MICROGRAD_LESSONS_OUT", "lessons-output")   # pictures go here, never into the repository
os.makedirs(OUT, exist_ok=True)

# %% [markdown]
# **Define-by-run** (PyTorch, micrograd): each call builds a new graph as Python runs.
# **Define-then-run** (TensorFlow 1, Theano): build the graph once, then run it on new inputs.
# `instruments.trace` builds once; `run` replays it. A branch taken while tracing is baked in.

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
assert branchy.run(-1.0) == -2.0            # define-by-run would have given 3

# %% [markdown]
# ## Exercise
#
# Write `answer(graph, a, b)` returning the traced graph's output at (a, b).

# %%
def answer(graph, a, b):
    return 0.0          # replace: run the graph

# %%
from micrograd.exercises import ExerciseFailed, check_traced_graph

try:
    print(check_traced_graph(answer))
except ExerciseFailed as why:
    print(torch.say("Not yet:", "还没有通过："), why)
