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
# # 16. Build your own micrograd
#
# Part two of the course: you write the engine yourself, in the order of karpathy's lecture
# "The spelled-out intro to neural networks and backpropagation". Each step ends with
# `check(step)`, which runs `micrograd.exercises.check_engine(Value, step)`: it tries each
# operation of your class on chosen numbers, then on random little programs, and compares every
# number with micrograd's own engine. When something is wrong it says which operation, on which
# inputs, what it expected and what your class gave; a random program that fails is printed, so
# you can paste it and look. The cells below hold the skeleton: replace each
# `raise NotImplementedError(...)` with your code. A reference solution is in
# `lessons/solutions/16_build_your_own_engine.py`; try first.

# %%
# the same first cell in every lesson
import math  # noqa: F401
import os

import micrograd as torch  # noqa: F401   PyTorch tutorials run with just this line changed
from micrograd import draw  # noqa: F401
from micrograd.drawing import save  # noqa: F401

torch.set_language("en")                                          # the checkers' messages speak English
OUT = os.environ.get("MICROGRAD_LESSONS_OUT", "lessons-output")   # pictures go here, never into the repository
os.makedirs(OUT, exist_ok=True)

# %%
from micrograd.exercises import ExerciseFailed, check_engine


def check(step, **classes):
    # check your Value (the newest class of that name) up to `step`
    try:
        check_engine(Value, step, **classes)
        print(torch.say(f"step {step}: correct", f"第 {step} 步：正确"))
    except ExerciseFailed as why:
        print(torch.say("Not yet:", "还没有通过："), why)

# %% [markdown]
# ## Step 1: a number that remembers where it came from
#
# A `Value` holds a number in `data`. When two Values are added or multiplied, the result is a
# new Value that also remembers its inputs (`_prev`, a set of Values) and the operation that
# made it (`_op`, `'+'` or `'*'`). Those two fields are the computation graph; every later step
# walks it.
#
# A number can meet a Value on either side. `a + 1.5` calls `a.__add__(1.5)`: wrap the number,
# `other = other if isinstance(other, Value) else Value(other)`, so that `_prev` holds only
# Values. `1.5 + a` first asks the float, which does not know Values, then calls
# `a.__radd__(1.5)`; since addition commutes, `__radd__` can return `self + other`. The same
# goes for `*` and `__rmul__`.

# %%
class Value:
    # your Value: a number, and how it was made

    def __init__(self, data, _children=(), _op=""):
        self.data = data
        self._prev = set(_children)
        self._op = _op

    def __repr__(self):
        return f"Value(data={self.data})"

    def __add__(self, other):
        # wrap a number, then return Value(self.data + other.data, (self, other), "+")
        raise NotImplementedError("step 1: __add__")

    def __mul__(self, other):
        raise NotImplementedError("step 1: __mul__")

    def __radd__(self, other):        # 1.5 + a
        raise NotImplementedError("step 1: __radd__")

    def __rmul__(self, other):        # 4 * a
        raise NotImplementedError("step 1: __rmul__")


check(1)

# %% [markdown]
# ## Step 2: a gradient for every Value, and a picture of the graph
#
# Each Value gets `grad`, the derivative of the final output with respect to it, which is 0
# until backpropagation fills it in, and an optional `label` for drawings. `micrograd.draw`
# draws any object that has `data`, `grad`, `_prev` and `_op`, so it draws your graph too:
# variables as ellipses, operations as boxes. (Python lets the new class extend the one above:
# `class Value(Value)` keeps your methods and adds to them.)

# %%
class Value(Value):
    def __init__(self, data, _children=(), _op="", label=""):
        super().__init__(data, _children, _op)
        self.grad = 0.0
        self.label = label


check(2)
try:
    a = Value(2.0, label="a")
    picture = draw(a * 4 + a)
except (NotImplementedError, TypeError) as err:
    picture = torch.say(f"(no drawing until step 1 passes: {err})", f"（第 1 步通过之前还画不出图：{err}）")
picture

# %% [markdown]
# ## Step 3: local derivatives
#
# Backpropagation is the chain rule applied one node at a time. If `out = a + b`, then
# ∂out/∂a = 1 and ∂out/∂b = 1; if `out = a * b`, then ∂out/∂a = b and ∂out/∂b = a. When the
# gradient of the final output L with respect to `out` is known (`out.grad` = ∂L/∂out), the
# chain rule gives each input its share:
#
# ∂L/∂a = ∂L/∂out · ∂out/∂a, so for `*`: `a.grad += b.data * out.grad`.
#
# Give every Value a `_backward` function that does this for its own inputs: in `__add__` and
# `__mul__`, define `def _backward(): ...` next to the forward computation and store it in
# `out._backward`. A leaf has nothing to pass on: `self._backward = lambda: None`. The checker
# sets `out.grad` to random numbers and calls `out._backward()`, as the lecture does by hand.

# %%
class Value(Value):
    def __init__(self, data, _children=(), _op="", label=""):
        super().__init__(data, _children, _op, label)
        self._backward = lambda: None

    def __add__(self, other):
        raise NotImplementedError("step 3: __add__ with its _backward")

    def __mul__(self, other):
        raise NotImplementedError("step 3: __mul__ with its _backward")


check(3)

# %% [markdown]
# ## Step 4: `backward()`, in reverse topological order
#
# Calling `_backward` by hand works for three nodes, not for a network. `backward()` does it for
# the whole graph: set `self.grad = 1.0` (∂L/∂L = 1, the seed), then call `_backward` on every
# Value, each only after every Value that uses it, because a node's gradient is complete only
# when all of its users have passed theirs back. A topological order lists each Value after its
# inputs (visit the inputs first, then append the Value); backward goes through it reversed.

# %%
class Value(Value):
    def backward(self):
        raise NotImplementedError("step 4: backward")


check(4)

# %% [markdown]
# ## Step 5: a Value used twice
#
# In `b = a + a`, ∂b/∂a = 2: `a` receives 1 from each use. A `_backward` that assigns
# (`self.grad = out.grad`) keeps only the last share, and `a.grad` comes out as 1. Shares must be
# added: `self.grad += ...`. The same happens whenever a Value has several users, like a weight
# used for many examples. If your step 3 assigns, change it there and run the cells again.

# %%
check(5)

# %% [markdown]
# ## Step 6: more operations
#
# Write `**` with a number exponent (∂xⁿ/∂x = n·xⁿ⁻¹), `exp` (∂eˣ/∂x = eˣ, which is `out.data`),
# `tanh` (∂tanh x/∂x = 1 − tanh²x) and `relu` (1 where x > 0, else 0), each with its `_backward`.
# The rest need no derivative of their own: they are built from operations you have, and the
# chain rule composes them: −a = a·(−1), a − b = a + (−b), a / b = a · b⁻¹.

# %%
class Value(Value):
    def __pow__(self, exponent):
        raise NotImplementedError("step 6: __pow__")

    def exp(self):
        raise NotImplementedError("step 6: exp")

    def tanh(self):
        raise NotImplementedError("step 6: tanh")

    def relu(self):
        raise NotImplementedError("step 6: relu")

    def __neg__(self):
        return self * -1

    def __sub__(self, other):
        return self + (-other)

    def __rsub__(self, other):        # 1.5 - a
        return other + (-self)

    def __truediv__(self, other):
        return self * other ** -1

    def __rtruediv__(self, other):    # 3 / a
        return other * self ** -1


check(6)

# %% [markdown]
# ## Step 7: a neural network on your engine
#
# A neuron computes tanh(w·x + b) with weights `w` and bias `b` that are Values; a layer is a
# list of neurons fed the same inputs; an MLP feeds each layer's outputs to the next.
# `parameters()` lists every weight and bias: MLP(3, [4, 4, 1]) has 3·4+4 + 4·4+4 + 4·1+1 = 41.
# The checker compares each parameter's gradient with central differences, then trains the
# network with your engine on the lecture's four examples for 100 steps of gradient descent
# (zeroing the gradients before each backward, since they accumulate) and checks that the loss
# falls.

# %%
import random


class Neuron:
    def __init__(self, nin):
        self.w = [Value(random.uniform(-1, 1)) for _ in range(nin)]
        self.b = Value(random.uniform(-1, 1))

    def __call__(self, x):
        raise NotImplementedError("step 7: tanh(w·x + b)")

    def parameters(self):
        return self.w + [self.b]


class Layer:
    def __init__(self, nin, nout):
        self.neurons = [Neuron(nin) for _ in range(nout)]

    def __call__(self, x):
        outs = [n(x) for n in self.neurons]
        return outs[0] if len(outs) == 1 else outs

    def parameters(self):
        return [p for neuron in self.neurons for p in neuron.parameters()]


class MLP:
    def __init__(self, nin, nouts):
        sizes = [nin] + nouts
        self.layers = [Layer(sizes[i], sizes[i + 1]) for i in range(len(nouts))]

    def __call__(self, x):
        raise NotImplementedError("step 7: each layer's output feeds the next")

    def parameters(self):
        return [p for layer in self.layers for p in layer.parameters()]


check(7, MLP=MLP)
