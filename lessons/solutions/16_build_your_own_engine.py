"""Reference solution of lesson 16: a Value class built step by step, in the lecture's order,
and Neuron, Layer and MLP on it.  Try each step yourself first; check_engine(Value, step)
says what is missing.  tests/test_engine_checks.py checks that this passes all seven steps."""
import math
import random


class Value:
    """A number that remembers how it was made, so that gradients can flow back through it."""

    def __init__(self, data, _children=(), _op="", label=""):
        self.data = data                        # step 1
        self._prev = set(_children)
        self._op = _op
        self.grad = 0.0                         # step 2
        self.label = label
        self._backward = lambda: None           # step 3: a leaf passes nothing on

    def __repr__(self):
        return f"Value(data={self.data})"

    def __add__(self, other):                   # steps 1, 3 and 5
        other = other if isinstance(other, Value) else Value(other)
        out = Value(self.data + other.data, (self, other), "+")

        def _backward():                        # ∂out/∂self = ∂out/∂other = 1
            self.grad += out.grad
            other.grad += out.grad
        out._backward = _backward
        return out

    def __mul__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        out = Value(self.data * other.data, (self, other), "*")

        def _backward():                        # ∂out/∂self = other, ∂out/∂other = self
            self.grad += other.data * out.grad
            other.grad += self.data * out.grad
        out._backward = _backward
        return out

    def __radd__(self, other):                  # 1.5 + a
        return self + other

    def __rmul__(self, other):                  # 4 * a
        return self * other

    def backward(self):                         # step 4
        order, visited = [], set()

        def visit(v):                           # each Value after all of its inputs
            if v not in visited:
                visited.add(v)
                for child in v._prev:
                    visit(child)
                order.append(v)
        visit(self)
        self.grad = 1.0                         # ∂self/∂self
        for v in reversed(order):
            v._backward()

    def __pow__(self, exponent):                # step 6
        assert isinstance(exponent, (int, float)), "only numbers as exponents"
        out = Value(self.data ** exponent, (self,), f"**{exponent}")

        def _backward():                        # ∂(xⁿ)/∂x = n·xⁿ⁻¹
            self.grad += exponent * self.data ** (exponent - 1) * out.grad
        out._backward = _backward
        return out

    def __neg__(self):
        return self * -1

    def __sub__(self, other):
        return self + (-other)

    def __rsub__(self, other):                  # 1.5 - a
        return other + (-self)

    def __truediv__(self, other):
        return self * other ** -1

    def __rtruediv__(self, other):              # 3 / a
        return other * self ** -1

    def exp(self):
        out = Value(math.exp(self.data), (self,), "exp")

        def _backward():                        # ∂eˣ/∂x = eˣ
            self.grad += out.data * out.grad
        out._backward = _backward
        return out

    def tanh(self):
        t = math.tanh(self.data)
        out = Value(t, (self,), "tanh")

        def _backward():                        # ∂tanh(x)/∂x = 1 - tanh²(x)
            self.grad += (1 - t ** 2) * out.grad
        out._backward = _backward
        return out

    def relu(self):
        out = Value(max(self.data, 0.0), (self,), "ReLU")

        def _backward():                        # 1 where x > 0, else 0
            self.grad += (out.data > 0) * out.grad
        out._backward = _backward
        return out


class Neuron:                                   # step 7
    def __init__(self, nin):
        self.w = [Value(random.uniform(-1, 1)) for _ in range(nin)]
        self.b = Value(random.uniform(-1, 1))

    def __call__(self, x):                      # tanh(w·x + b)
        return sum((wi * xi for wi, xi in zip(self.w, x)), self.b).tanh()

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
        for layer in self.layers:
            x = layer(x)
        return x

    def parameters(self):
        return [p for layer in self.layers for p in layer.parameters()]
