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
# karpathy's demo trains MLP(2, [16, 16, 1]) on two moons.  The training loop is the same four
# steps in every framework, written out here:
#
# 1. **forward**: a score for every point, then the loss.  Here it is the max-margin loss
#    mean(relu(1 − yᵢ·scoreᵢ)), which is 0 once a point is on the right side with a margin, plus
#    α·Σp² to keep the weights small;
# 2. **`model.zero_grad()`**: every p.grad back to 0, because backward *adds* into `.grad`;
# 3. **`loss.backward()`**: the gradient of this step's loss;
# 4. **update**: p.data −= lr·p.grad for every parameter, the learning rate falling from 1.0 to 0.1.
#
# The picture shades the plane by the sign of the network's score: the black line, score = 0,
# is what it learned.

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
        scores = [model(row) for row in inputs]                          # 1. forward
        data_loss = sum((1 - label * s).relu() for label, s in zip(y, scores)) * (1.0 / len(y))
        loss = data_loss + 1e-4 * sum(p * p for p in model.parameters())
        if not forget_zero_grad:
            model.zero_grad()                                           # 2. every grad back to 0
        loss.backward()                                                 # 3. this step's gradients
        learning_rate = 1.0 - 0.9 * k / STEPS                           # from 1.0 down to 0.1
        for p in model.parameters():
            p.data -= learning_rate * p.grad                            # 4. a step downhill
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
figure          # a notebook shows the figure here; a script has saved it

# %% [markdown]
# What if step 2 is forgotten?  backward adds into `.grad`, so at step k every p.grad holds
# g₁ + g₂ + … + gₖ, the gradients of *all* the steps so far, and the update moves by lr·(g₁ + … + gₖ).
# Old gradients keep pushing in directions that were right many steps ago, the steps grow, and the
# loss climbs instead of falling.  The same start and data, 20 steps, without `zero_grad()`:

# %%
random.seed(1337)                                                       # the same initial weights as above
forgetful = train(torch.nn.MLP(2, [16, 16, 1]), 20, forget_zero_grad=True)
for k in (0, 2, 5, 10, 19):
    print(f"step {k:2}:  with zero_grad {losses[k]:.3f}   without {forgetful[k]:.3f}")
assert forgetful[0] == losses[0] and forgetful[19] > forgetful[0] > losses[19]

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
    print(torch.say("Not yet:", "还没有通过："), why)
