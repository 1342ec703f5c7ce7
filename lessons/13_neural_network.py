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
# # 13. A neural network from Values

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
# A neuron computes act(w·x + b); a layer is neurons reading the same inputs; an MLP is layers.
# karpathy's demo trains MLP(2, [16, 16, 1]) on two moons with a max-margin loss.  The picture
# shades the plane by the sign of the network's score: the black line, score = 0, is what it learned.

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
# What does one forward pass of an MLP look like as a graph? `draw` puts a dashed box around
# everything a module call made: one box for the MLP, one inside it for each layer, and one for
# each neuron, holding its weights, the products wᵢ·xᵢ, their sum and the activation. Below is
# karpathy's lecture network MLP(3, [4, 4, 1]) on one input (`grouped=False` draws it without boxes):

# %%
small = torch.nn.MLP(3, [4, 4, 1])
out = small([2.0, 3.0, -1.0])
out.backward()
picture = draw(out)
print("saved", save(picture, os.path.join(OUT, "13_mlp_graph.svg")))
assert picture.source.count("subgraph cluster") == 1 + 3 + 9          # the MLP, 3 layers, 9 neurons
picture         # a notebook shows the graph here; a script has saved it

# %% [markdown]
# The same ideas on Tensors, in PyTorch's style: `nn.Sequential` of `nn.Linear` layers, the
# stable `binary_cross_entropy_with_logits` loss and the `optim.Adam` optimizer, on XOR.

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
# ## Exercise
#
# Write `answer(x, w, b)` = tanh(Σ wᵢxᵢ + b) with Value operations.

# %%
def answer(x, w, b):
    return sum((wi * xi for wi, xi in zip(w, x)), b)          # the activation is missing

# %%
from micrograd.exercises import ExerciseFailed, check_tanh_neuron

try:
    print(check_tanh_neuron(answer))
except ExerciseFailed as why:
    print("Not yet:", why)
