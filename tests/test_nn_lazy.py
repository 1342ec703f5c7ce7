"""Lazy modules (nn.LazyLinear, nn.LazyConv2d) and Linear's grad_fn (AddmmBackward0), against
torch 2.13: printouts, errors, the numbers drawn at the first call, and d2l-style programs."""

import warnings

import pytest

import micrograd
from micrograd import nn
from pytorch_harness import same_output


@pytest.fixture(autouse=True)
def _quiet_lazy_warning():
    """torch warns that lazy modules are a new feature: not part of what is compared."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="Lazy modules")
        yield


# d2l-ai chapter builders-guide/lazy-init (PyTorch tab)
LAZY_INIT = """
import torch
from torch import nn
net = nn.Sequential(nn.LazyLinear(256), nn.ReLU(), nn.LazyLinear(10))
print(net[0].weight)
print(net)
X = torch.rand(2, 20)
print(net(X).shape)
print(net[0].weight.shape)
print(net)
print([p.shape for p in net.parameters()])
print(net(X))
"""


def test_d2l_lazy_initialization_prints_as_in_torch():
    same_output(LAZY_INIT, rel=1e-5)


# d2l-ai chapter builders-guide/parameters (PyTorch tab), with LazyLinear as d2l writes it
PARAMETERS = """
import torch
from torch import nn
net = nn.Sequential(nn.LazyLinear(8), nn.ReLU(), nn.LazyLinear(1))
X = torch.rand(size=(2, 4))
print(net(X).shape)
print(net[2].state_dict())
print(net[2].bias)
print(net[2].bias.data)
print(net[2].weight.grad == None)
print([(name, param.shape) for name, param in net.named_parameters()])
print(list(net.state_dict().keys()))
print(net.state_dict()['2.bias'].data)
def init_normal(module):
    if type(module) == nn.Linear:
        nn.init.normal_(module.weight, mean=0, std=0.01)
        nn.init.zeros_(module.bias)
net.apply(init_normal)
print(net[0].weight.data[0], net[0].bias.data[0])
def init_constant(module):
    if type(module) == nn.Linear:
        nn.init.constant_(module.weight, 1)
        nn.init.zeros_(module.bias)
net.apply(init_constant)
print(net[0].weight.data[0], net[0].bias.data[0])
def init_xavier(module):
    if type(module) == nn.Linear:
        nn.init.xavier_uniform_(module.weight)
def init_42(module):
    if type(module) == nn.Linear:
        nn.init.constant_(module.weight, 42)
net[0].apply(init_xavier)
net[2].apply(init_42)
print(net[0].weight.data[0])
print(net[2].weight.data)
shared = nn.LazyLinear(8)
net = nn.Sequential(nn.LazyLinear(8), nn.ReLU(), shared, nn.ReLU(), shared, nn.ReLU(),
                    nn.LazyLinear(1))
print(net(X))
print(net[2].weight.data[0] == net[4].weight.data[0])
net[2].weight.data[0, 0] = 100
print(net[2].weight.data[0] == net[4].weight.data[0])
"""


def test_d2l_parameter_management_prints_as_in_torch():
    same_output(PARAMETERS, rel=1e-5)


# d2l-ai chapter builders-guide/read-write (PyTorch tab): a lazy MLP saved and loaded
READ_WRITE = """
import torch
from torch import nn
from torch.nn import functional as F
class MLP(nn.Module):
    def __init__(self):
        super().__init__()
        self.hidden = nn.LazyLinear(256)
        self.output = nn.LazyLinear(10)
    def forward(self, x):
        return self.output(F.relu(self.hidden(x)))
net = MLP()
X = torch.randn(size=(2, 20))
Y = net(X)
torch.save(net.state_dict(), PATH)
clone = MLP()
print(clone.load_state_dict(torch.load(PATH)))
print(clone.hidden.weight.shape)
print(clone.eval())
Y_clone = clone(X)
print(Y_clone == Y)
print(clone)
"""


def test_d2l_read_write_loads_into_a_fresh_lazy_model(tmp_path):
    same_output(READ_WRITE.replace("PATH", repr(str(tmp_path / "mlp.params"))))


# d2l-ai chapter builders-guide/model-construction (PyTorch tab)
MODEL_CONSTRUCTION = """
import torch
from torch import nn
from torch.nn import functional as F
class MLP(nn.Module):
    def __init__(self):
        super().__init__()
        self.hidden = nn.LazyLinear(256)
        self.out = nn.LazyLinear(10)
    def forward(self, X):
        return self.out(F.relu(self.hidden(X)))
class FixedHiddenMLP(nn.Module):
    def __init__(self):
        super().__init__()
        self.rand_weight = torch.rand((20, 20))
        self.linear = nn.LazyLinear(20)
    def forward(self, X):
        X = self.linear(X)
        X = F.relu(X @ self.rand_weight + 1)
        X = self.linear(X)
        while X.abs().sum() > 1:
            X /= 2
        return X.sum()
class NestMLP(nn.Module):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(nn.LazyLinear(64), nn.ReLU(), nn.LazyLinear(32), nn.ReLU())
        self.linear = nn.LazyLinear(16)
    def forward(self, X):
        return self.linear(self.net(X))
X = torch.rand(2, 20)
net = MLP()
print(net(X).shape)
net = FixedHiddenMLP()
print(net(X))
chimera = nn.Sequential(NestMLP(), nn.LazyLinear(20), FixedHiddenMLP())
print(chimera(X))
print(chimera)
"""


def test_d2l_model_construction_prints_as_in_torch():
    same_output(MODEL_CONSTRUCTION, rel=1e-5)


# pytorch/tutorials beginner_source/blitz/neural_networks_tutorial.py, sizes cut (32×32 input,
# 6 and 16 channels of 5×5, 400-120-84-10 → 14×14, 2 and 4 channels of 3×3, 16-12-8-10)
BLITZ_NET = """
import torch
import torch.nn as nn
import torch.nn.functional as F
class Net(nn.Module):
    def __init__(self):
        super(Net, self).__init__()
        self.conv1 = nn.Conv2d(1, 2, 3)
        self.conv2 = nn.Conv2d(2, 4, 3)
        self.fc1 = nn.Linear(4 * 2 * 2, 12)
        self.fc2 = nn.Linear(12, 8)
        self.fc3 = nn.Linear(8, 10)
    def forward(self, x):
        x = F.max_pool2d(F.relu(self.conv1(x)), (2, 2))
        x = F.max_pool2d(F.relu(self.conv2(x)), 2)
        x = torch.flatten(x, 1)
        x = F.relu(self.fc1(x))
        x = F.relu(self.fc2(x))
        x = self.fc3(x)
        return x
net = Net()
print(net)
params = list(net.parameters())
print(len(params))
print(params[0].size())
input = torch.randn(1, 1, 14, 14)
out = net(input)
print(out)
net.zero_grad()
out.backward(torch.randn(1, 10))
output = net(input)
target = torch.randn(10)
target = target.view(1, -1)
criterion = nn.MSELoss()
loss = criterion(output, target)
print(loss)
print(loss.grad_fn)
print(loss.grad_fn.next_functions[0][0])
print(loss.grad_fn.next_functions[0][0].next_functions[0][0])
print(loss.grad_fn.next_functions[0][0].next_functions)
net.zero_grad()
print('conv1.bias.grad before backward')
print(net.conv1.bias.grad)
loss.backward()
print('conv1.bias.grad after backward')
print(net.conv1.bias.grad)
"""


def test_blitz_net_prints_the_grad_fn_chain_as_in_torch():
    same_output(BLITZ_NET, rel=1e-4)


LINEAR_GRAD_FNS = """
import torch
from torch import nn
def chain(fn):
    if fn is None:
        return 'None'
    inner = ', '.join(chain(f) for f, _ in fn.next_functions)
    name = type(fn).__name__
    return f'{name}({inner})' if inner else name
for bias in (True, False):
    layer = nn.Linear(4, 3, bias=bias)
    for shape in [(4,), (2, 4), (5, 2, 4), (2, 1, 3, 4)]:
        for requires_grad in (False, True):
            x = torch.randn(*shape, requires_grad=requires_grad)
            y = layer(x)
            print(bias, shape, requires_grad, tuple(y.shape), chain(y.grad_fn))
            y.sum().backward()
            print(layer.weight.grad.sum(), x.grad.sum() if requires_grad else None)
            layer.zero_grad()
print(nn.functional.linear(torch.randn(2, 4), layer.weight, torch.randn(3)).grad_fn)
"""


def test_linear_grad_fns_are_torchs_for_every_input_rank():
    same_output(LINEAR_GRAD_FNS, rel=1e-5)


def _flat(t):
    return t.reshape(-1).tolist()


@pytest.mark.parametrize("beta, alpha", [(1, 1), (2, 0.5), (0, 1), (-1.5, 3)])
@pytest.mark.parametrize("bias_shape", [(3,), (2, 3), (1, 3), (2, 1), ()])
def test_addmm_values_and_gradients_match_torch(torch, beta, alpha, bias_shape):
    micrograd.manual_seed(1)
    ours = [micrograd.randn(s, dtype=micrograd.float64) for s in (bias_shape, (2, 4), (4, 3))]
    theirs = [torch.tensor(t.tolist(), dtype=torch.float64) for t in ours]
    for t in ours + theirs:
        t.requires_grad_()
    out = ours[0].addmm(ours[1], ours[2], beta=beta, alpha=alpha)
    expected = torch.addmm(*theirs, beta=beta, alpha=alpha)
    assert out.grad_fn.name() == expected.grad_fn.name() == "AddmmBackward0"
    assert _flat(out) == pytest.approx(_flat(expected), rel=1e-12)
    seed = [[0.5, -1.0, 2.0], [1.5, 0.25, -0.75]]
    out.backward(micrograd.tensor(seed, dtype=micrograd.float64))
    expected.backward(torch.tensor(seed, dtype=torch.float64))
    for a, b in zip(ours, theirs):
        assert _flat(a.grad) == pytest.approx(_flat(b.grad), rel=1e-12)


@pytest.mark.parametrize(
    "shapes",
    [
        ((5,), (2, 4), (4, 3)),
        ((1, 2, 3), (2, 4), (4, 3)),
        ((3,), (2, 4), (5, 3)),
        ((3,), (4,), (4, 3)),
    ],
)
def test_addmm_bad_shapes_raise_torchs_error(torch, shapes):
    with pytest.raises(RuntimeError) as theirs:
        torch.addmm(*[torch.zeros(*s) for s in shapes])
    with pytest.raises(RuntimeError) as ours:
        micrograd.zeros(*shapes[0]).addmm(*[micrograd.zeros(*s) for s in shapes[1:]])
    assert str(ours.value).startswith(str(theirs.value))  # mm's adds the shapes as tuples


def test_addmm_of_mixed_dtypes_raises_torchs_error(torch):
    with pytest.raises(RuntimeError) as theirs:
        torch.zeros(3, dtype=torch.float64).addmm(torch.zeros(2, 4), torch.zeros(4, 3))
    with pytest.raises(RuntimeError) as ours:
        micrograd.zeros(3, dtype=micrograd.float64).addmm(
            micrograd.zeros(2, 4), micrograd.zeros(4, 3)
        )
    assert str(ours.value) == str(theirs.value)


def test_uninitialized_parameter_errors_are_torchs(torch):
    for module in (nn, torch.nn):
        layer = module.LazyLinear(3)
        assert repr(layer.weight) == "<UninitializedParameter>"
        assert layer.has_uninitialized_params()
    with pytest.raises(RuntimeError) as theirs:
        torch.nn.LazyLinear(3).weight.shape
    with pytest.raises(RuntimeError) as ours:
        nn.LazyLinear(3).weight.shape
    assert str(ours.value) == str(theirs.value)
    with pytest.raises(ValueError) as theirs:
        torch.nn.LazyLinear(3).weight.numel()
    with pytest.raises(ValueError) as ours:
        nn.LazyLinear(3).weight.numel()
    assert str(ours.value) == str(theirs.value)
    with pytest.raises(ValueError, match="uninitialized parameter"):
        micrograd.nn.init.normal_(nn.LazyLinear(3).weight)


def test_lazy_modules_print_as_torchs_before_and_after(torch):
    for make in ("LazyLinear(5)", "LazyLinear(5, bias=False)", "LazyConv2d(4, 3, padding=1)"):
        ours, theirs = eval("nn." + make), eval("torch.nn." + make)
        assert repr(ours) == repr(theirs)
        shape = (2, 3) if "Linear" in make else (1, 2, 5, 5)
        ours(micrograd.zeros(*shape))
        theirs(torch.zeros(*shape))
        assert repr(ours) == repr(theirs)
        assert type(ours).__name__ == type(theirs).__name__
        assert [tuple(p.shape) for p in ours.parameters()] == [
            tuple(p.shape) for p in theirs.parameters()
        ]


def test_lazy_linear_draws_linears_numbers():
    micrograd.manual_seed(3)
    lazy = nn.LazyLinear(4)
    lazy(micrograd.zeros(2, 3))
    micrograd.manual_seed(3)
    plain = nn.Linear(3, 4)
    assert lazy.weight.tolist() == plain.weight.tolist()
    assert lazy.bias.tolist() == plain.bias.tolist()


def test_a_lazy_linear_refuses_a_dtype_it_cannot_make():
    with pytest.raises(micrograd.NotSupported, match="dtype"):
        nn.LazyLinear(3, dtype=micrograd.float64)
