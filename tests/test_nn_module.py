"""nn.Module as PyTorch 2.13's: the tables, the walks, state_dict, dtype conversion, backward
hooks and the containers, compared with torch (programs run under both, line by line, and
unit tests against torch directly)."""

import copy
import random
import warnings
from collections import OrderedDict

import pytest

import micrograd as mg
from micrograd.core.errors import NotSupported
from pytorch_harness import same_output

# A tutorial-style model: every kind of member, printed and walked.
MODULE_TOUR = """
import torch
import torch.nn as nn
from collections import OrderedDict

class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.layers = nn.ModuleList([nn.Linear(3, 4), nn.Linear(4, 4), nn.Linear(4, 4)])
        self.heads = nn.ModuleDict({"a": nn.Linear(4, 1), "b": nn.Identity()})
        self.scale = nn.Parameter(torch.ones(1))
        self.register_buffer("mean", torch.zeros(3))
        self.register_buffer("tmp", torch.ones(2), persistent=False)
        self.flat = nn.Flatten()

    def forward(self, x):
        x = x - self.mean
        for layer in self.layers:
            x = torch.tanh(layer(x))
        return self.heads["a"](x) * self.scale

net = Net()
print(net)
print([n for n, _ in net.named_parameters()])
print([n for n, _ in net.named_buffers()], [n for n, _ in net.named_modules()])
print([n for n, _ in net.named_children()], len(list(net.modules())))
print([n for n, _ in net.named_parameters(recurse=False)], list(net.buffers(recurse=False)))
print(list(net.state_dict().keys()))
print(type(next(net.parameters())).__name__, type(net.parameters()).__name__)
print(next(net.parameters()))
x = torch.randn(2, 3)
out = net(x)
print(out)
out.sum().backward()
print(net.layers[0].weight.grad, net.scale.grad)
net.zero_grad()
print(net.scale.grad, net.training, net.eval().training, net.layers[1].training)
print(net.get_submodule("layers.1"), net.get_parameter("heads.a.bias").shape)
print(net.layers[0].bias is net.get_parameter("layers.0.bias"), net.get_buffer("mean"))
shared = nn.Linear(2, 2)
twice = nn.Sequential(shared, nn.ReLU(), shared)
print(len(list(twice.parameters())), twice, [n for n, _ in twice.named_modules()])
print([n for n, _ in twice.named_parameters(remove_duplicate=False)])
"""

# Saving and loading weights: the state_dict tutorial's calls, and its error messages.
STATE_DICT = """
import copy
import torch
import torch.nn as nn
from collections import OrderedDict

model = nn.Sequential(nn.Linear(3, 2), nn.ReLU(), nn.Linear(2, 1))
model.register_buffer("steps", torch.tensor(0.0))
sd = model.state_dict()
print(type(sd).__name__, list(sd))
for name, tensor in sd.items():
    print(name, tensor.shape, tensor.requires_grad)
other = nn.Sequential(nn.Linear(3, 2), nn.ReLU(), nn.Linear(2, 1))
other.register_buffer("steps", torch.tensor(5.0))
print(other.load_state_dict(sd))
print(other[0].weight, other.steps, other[2].bias.requires_grad)
x = torch.randn(4, 3)
print(torch.equal(model(x), other(x)))
snapshot = copy.deepcopy(model.state_dict())
with torch.no_grad():
    model[0].weight.add_(1.0)
print(torch.equal(sd["0.weight"], model[0].weight), torch.equal(snapshot["0.weight"], model[0].weight))
bad = OrderedDict(sd)
del bad["2.bias"]
bad["3.weight"] = torch.zeros(1)
bad["extra"] = torch.zeros(1)
print(other.load_state_dict(bad, strict=False))
try:
    other.load_state_dict(bad)
except RuntimeError as e:
    print(e)
wrong = OrderedDict(sd)
wrong["0.weight"] = torch.zeros(2, 2)
try:
    other.load_state_dict(wrong)
except RuntimeError as e:
    print(e)
"""

# Conversions, freezing, apply, attribute registration and deletion.
CONVERSIONS = """
import torch
import torch.nn as nn

model = nn.Sequential(nn.Linear(2, 3), nn.Tanh(), nn.Linear(3, 1))
model.register_buffer("count", torch.tensor([1, 2]))
model.register_buffer("scale", torch.ones(2))
weight = model[0].weight
model(torch.ones(1, 2)).sum().backward()
print(model.double() is model, model[0].weight.dtype, model[0].weight.grad.dtype)
print(model.count.dtype, model.scale.dtype, model[0].weight is weight, weight.requires_grad)
print(model(torch.ones(1, 2, dtype=torch.float64)).detach())
model.to(torch.float32)
print(model[2].bias.dtype, model.to("cpu") is model, model.to(torch.zeros(1, dtype=torch.float64))[0].bias.dtype)
model.float()
print(model[0].weight)
try:
    model.to(torch.int64)
except TypeError as e:
    print(e)
model.requires_grad_(False)
print([p.requires_grad for p in model.parameters()])
model[0].requires_grad_()
print([p.requires_grad for p in model.parameters()])
def init(m):
    print("visit", type(m).__name__)
    if isinstance(m, nn.Linear):
        with torch.no_grad():
            m.bias.fill_(0.5)
print(model.apply(init) is model, model[2].bias)

class Tiny(nn.Module):
    def __init__(self):
        super().__init__()
        self.w = nn.Parameter(torch.tensor([1.0, 2.0]))
        self.inner = nn.Linear(2, 1)
        self.note = "plain"

tiny = Tiny()
print([n for n, _ in tiny.named_parameters()], sorted(tiny._modules), tiny.note)
del tiny.w
tiny.w = torch.tensor([3.0])
print([n for n, _ in tiny.named_parameters()], tiny.w, "w" in tiny._parameters)
tiny.add_module("extra", nn.ReLU())
tiny.register_module("extra2", nn.Sigmoid())
tiny.inner = None
print(tiny, [n for n, _ in tiny.named_children()])
for attempt in (
    lambda: tiny.register_parameter("note", nn.Parameter(torch.ones(1))),
    lambda: tiny.register_buffer("a.b", torch.ones(1)),
    lambda: tiny.add_module("", nn.ReLU()),
    lambda: tiny.add_module("x", 3),
    lambda: setattr(nn.Linear(2, 1), "weight", torch.ones(1, 2)),
    lambda: setattr(tiny, "extra", 3),
    lambda: tiny.register_parameter("p", torch.ones(1)),
    lambda: tiny.register_buffer("b", [1.0]),
):
    try:
        attempt()
    except (TypeError, KeyError, AttributeError) as e:
        print(type(e).__name__, e)
"""

# Containers, as the tutorials use them.
CONTAINERS = """
import torch
import torch.nn as nn
from collections import OrderedDict

seq = nn.Sequential(OrderedDict([("fc", nn.Linear(2, 2)), ("act", nn.ReLU())]))
seq.append(nn.Linear(2, 1))
print(seq, seq[0:2], len(seq), seq.fc, seq[-1], [n for n, _ in seq.named_parameters()])
seq = nn.Sequential(nn.Linear(2, 2), nn.ReLU())
seq.insert(1, nn.Tanh())
seq.extend([nn.Sigmoid()])
print(seq)
del seq[1]
print(seq, seq.pop(0), len(seq))
seq[0] = nn.Tanh()
print(seq, seq[-2:])
print(nn.Sequential(nn.ReLU()) + nn.Sequential(nn.Tanh()))
layers = nn.ModuleList([nn.Linear(2, 2) for _ in range(3)])
layers.append(nn.ReLU())
layers.extend([nn.Linear(2, 2), nn.Linear(2, 2)])
layers.insert(0, nn.Tanh())
print(layers, len(layers), layers[1:3], layers[-1])
print([n for n, _ in layers.named_parameters()][:4])
del layers[0]
print(layers)
layers[0] = nn.Sigmoid()
print(layers[0], [type(m).__name__ for m in layers])
heads = nn.ModuleDict({"b": nn.Linear(2, 1), "a": nn.ReLU()})
heads["c"] = nn.Tanh()
print(heads, list(heads), list(heads.keys()), "a" in heads, len(heads))
print(heads.pop("a"), [k for k, _ in heads.items()])
params = nn.ParameterList([nn.Parameter(torch.ones(2, 3)), torch.zeros(1)])
params.append(torch.ones(4))
print(params, len(params), type(params[1]).__name__, params[-1].requires_grad)
print([n for n, _ in params.named_parameters()], params[0:2])
pdict = nn.ParameterDict({"b": torch.ones(2), "a": nn.Parameter(torch.zeros(3))})
pdict["c"] = torch.ones(1)
print(pdict, list(pdict), [n for n, _ in pdict.named_parameters()], "a" in pdict)
print(pdict.get("zz"), pdict.pop("c").shape, len(pdict))
x = torch.arange(24.0).reshape(2, 3, 4)
print(nn.Flatten()(x).shape, nn.Flatten(0, 1)(x).shape, nn.Flatten(), nn.Flatten(0, -2))
print(nn.Unflatten(1, (2, 2))(torch.ones(3, 4)).shape, nn.Unflatten(1, (2, 2)), nn.Identity(3, k=1))
print(nn.Identity()(x) is x)
for attempt in (lambda: params(1), lambda: pdict(1), lambda: layers(1), lambda: layers[9],
                lambda: nn.Unflatten(1, 5), lambda: nn.Unflatten(1, (2, "a")), lambda: pdict[0]):
    try:
        attempt()
    except (RuntimeError, NotImplementedError, IndexError, TypeError) as e:
        print(type(e).__name__, e)
"""

# Module backward hooks, as the hooks tutorial prints them.
BACKWARD_HOOKS = """
import warnings
import torch
import torch.nn as nn
warnings.simplefilter("ignore")

lin = nn.Linear(3, 2)
with torch.no_grad():
    lin.weight.copy_(torch.tensor([[1., 2., 3.], [-1., 0.5, 2.]]))
    lin.bias.copy_(torch.tensor([0.1, -0.2]))
def full(m, grad_input, grad_output):
    print("full", type(m).__name__, grad_input, grad_output)
def pre(m, grad_output):
    print("pre", grad_output)
    return (grad_output[0] * 2,)
pre_handle = lin.register_full_backward_pre_hook(pre)
handle = lin.register_full_backward_hook(full)
x = torch.tensor([[1., -1., 2.]], requires_grad=True)
y = lin(x)
print(y.grad_fn.name())
y.sum().backward()
print(x.grad, lin.weight.grad)
lin.zero_grad()
lin(torch.ones(1, 3)).sum().backward()
print(lin.bias.grad)
handle.remove(); pre_handle.remove()
lin.zero_grad()
lin(x).sum().backward()
print(lin.bias.grad)

relu = nn.ReLU()
relu.register_full_backward_hook(lambda m, gi, go: (gi[0] * 0 + 1,))
z = torch.tensor([-1.0, 2.0], requires_grad=True)
(relu(z) * 3).sum().backward()
print(z.grad)

class Two(nn.Module):
    def forward(self, a, k, b):
        return a * b * k, a + b
two = Two()
two.register_full_backward_hook(lambda m, gi, go: print("two", gi, go))
a = torch.tensor([1.0, 2.0], requires_grad=True)
b = torch.tensor([3.0, 4.0])
p, q = two(a, 2.0, b)
(p.sum() + 5 * q.sum()).backward()
print(a.grad)
p, q = two(a, 2.0, b)
p.sum().backward()

model = nn.Sequential(nn.Linear(2, 2), nn.Tanh(), nn.Linear(2, 1))
for m in model:
    m.register_full_backward_hook(lambda m, gi, go: print(type(m).__name__, [g.shape if g is not None else None for g in gi], go[0].shape))
    m.register_forward_hook(lambda m, args, out: print("forward", type(m).__name__, out.shape))
model(torch.randn(3, 2)).sum().backward()
seen = []
model[1].register_forward_pre_hook(lambda m, args, kwargs: seen.append(sorted(kwargs)) or None, with_kwargs=True)
model[1].register_forward_hook(lambda m, args, kwargs, out: seen.append(out.shape), with_kwargs=True)
model(torch.randn(1, 2))
print(seen)
"""


@pytest.mark.usefixtures("torch")
@pytest.mark.parametrize(
    "program", [MODULE_TOUR, STATE_DICT, CONVERSIONS, CONTAINERS, BACKWARD_HOOKS]
)
def test_a_module_program_prints_what_pytorch_prints(program):
    same_output(program, rel=1e-6)


# --- unit tests ---------------------------------------------------------------------------------
def test_karpathys_modules_keep_lists_and_pytorch_style_ones_give_generators():
    random.seed(0)
    mlp = mg.nn.MLP(2, [3, 1])
    assert isinstance(mlp.parameters(), list) and len(mlp.parameters()) == 13
    assert isinstance(mg.nn.Neuron(2).parameters(), list)
    assert [n for n, _ in mg.nn.Neuron(2).named_parameters()] == ["w.0", "w.1", "b"]
    out = mlp([1.0, 2.0])
    out.backward()
    mlp.zero_grad()
    assert all(p.grad == 0 for p in mlp.parameters())
    linear = mg.nn.Linear(2, 1)
    params = linear.parameters()
    assert next(params) is linear.weight and next(params) is linear.bias
    with pytest.raises(StopIteration):
        next(params)
    optimizer = mg.optim.SGD(linear.parameters(), lr=0.1)  # a generator, as in PyTorch
    linear(mg.ones(1, 2)).sum().backward()
    before = linear.bias.item()
    optimizer.step()
    assert linear.bias.item() == pytest.approx(before - 0.1)


def test_a_module_that_skipped_init_refuses_parameters_as_pytorch_does(torch):
    class Forgot(mg.nn.Module):
        def __init__(self):
            self.w = mg.nn.Parameter(mg.ones(1))

    class TorchForgot(torch.nn.Module):
        def __init__(self):
            self.w = torch.nn.Parameter(torch.ones(1))

    with pytest.raises(AttributeError) as theirs:
        TorchForgot()
    with pytest.raises(AttributeError) as ours:
        Forgot()
    assert str(ours.value) == str(theirs.value)


def test_unsupported_module_names_and_devices_raise_not_supported():
    model = mg.nn.Linear(2, 1)
    with pytest.raises(NotSupported, match="half"):
        model.half()
    with pytest.raises(NotSupported, match="cuda"):
        model.to("cuda")
    with pytest.raises(NotSupported, match="assign"):
        model.load_state_dict(model.state_dict(), assign=True)
    with pytest.raises(AttributeError, match="'Linear' object has no attribute 'wieght'"):
        model.wieght


def test_backward_hook_grad_input_is_the_gradient_with_respect_to_the_input():
    # f(x) = sum(tanh(x W^T + b)): grad_input = (1 - tanh²(xWᵀ + b)) W, checked by central
    # differences, and grad_output = ones
    mg.manual_seed(1)
    layer = mg.nn.Sequential(mg.nn.Linear(3, 2), mg.nn.Tanh())
    got = {}
    layer.register_full_backward_hook(lambda m, gi, go: got.update(gi=gi, go=go))
    x = mg.tensor([[0.3, -0.7, 1.1]], dtype=mg.float64, requires_grad=True)
    layer.double()
    layer(x).sum().backward()
    assert got["go"][0].tolist() == [[1.0, 1.0]]
    h = 1e-6
    for j in range(3):
        up, down = x.detach().clone(), x.detach().clone()
        up[0, j] += h
        down[0, j] -= h
        numeric = (layer(up).sum() - layer(down).sum()).item() / (2 * h)
        assert got["gi"][0][0, j].item() == pytest.approx(numeric, abs=1e-6)
    assert x.grad.tolist() == got["gi"][0].tolist()


def test_backward_hooks_on_value_modules_are_refused():
    random.seed(0)
    neuron = mg.nn.Neuron(2)
    neuron.register_full_backward_hook(lambda m, gi, go: None)
    with pytest.raises(NotSupported, match="Values"):
        neuron([mg.Value(1.0, requires_grad=True), mg.Value(2.0)])


def test_a_pre_hook_returning_the_wrong_number_of_gradients_is_refused():
    relu = mg.nn.ReLU()
    relu.register_full_backward_pre_hook(lambda m, go: (go[0], go[0]))
    x = mg.tensor([1.0], requires_grad=True)
    with pytest.raises(RuntimeError, match="invalid number of grad_output, got 2, but expected 1"):
        relu(x).sum().backward()


def test_the_drawings_still_box_every_module_call():
    from micrograd.teaching import module_calls

    model = mg.nn.Sequential(mg.nn.Linear(2, 2), mg.nn.ReLU())
    model.register_full_backward_hook(lambda m, gi, go: None)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model(mg.ones(1, 2, requires_grad=True)).sum().backward()
    names = [type(c.module).__name__ for c in list(module_calls.CALLS)[-3:]]
    assert names == ["Linear", "ReLU", "Sequential"]


def test_state_dict_survives_save_and_load(tmp_path):
    mg.manual_seed(0)
    model = mg.nn.Sequential(OrderedDict(fc=mg.nn.Linear(2, 2)))
    path = tmp_path / "weights.mg"
    mg.save(model.state_dict(), path)
    fresh = mg.nn.Sequential(OrderedDict(fc=mg.nn.Linear(2, 2)))
    assert repr(fresh.load_state_dict(mg.load(path))) == "<All keys matched successfully>"
    assert mg.equal(fresh.fc.weight, model.fc.weight)
    twin = copy.deepcopy(model)  # a copy of its own: new parameters, same numbers
    assert twin.fc.weight is not model.fc.weight and mg.equal(twin.fc.weight, model.fc.weight)
    assert [n for n, _ in twin.named_parameters()] == ["fc.weight", "fc.bias"]
