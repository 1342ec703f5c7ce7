"""Optimizer state against torch.optim 2.13: state_dict's layout and numbers, load_state_dict,
a training saved, restored and continued, the state's tensors updated in place, zero_grad,
step(closure) and the printout."""

import copy
import io

import pytest

import micrograd as mg
from micrograd.optim import SGD, Adam
from pytorch_harness import same_output

pytestmark = pytest.mark.usefixtures("torch")

CONFIGS = {
    "sgd": lambda o, ps: o.SGD(ps, lr=0.1),
    "sgd momentum": lambda o, ps: o.SGD(ps, lr=0.1, momentum=0.9),
    "sgd nesterov": lambda o, ps: o.SGD(ps, lr=0.1, momentum=0.9, nesterov=True, weight_decay=0.1),
    "sgd dampening": lambda o, ps: o.SGD(ps, lr=0.1, momentum=0.5, dampening=0.3),
    "adam": lambda o, ps: o.Adam(ps, lr=0.1),
    "adam amsgrad": lambda o, ps: o.Adam(ps, lr=0.1, amsgrad=True, betas=(0.5, 0.6)),
    "adamw": lambda o, ps: o.Adam(ps, lr=0.1, weight_decay=0.3, decoupled_weight_decay=True),
    "adam groups": lambda o, ps: o.Adam(
        [{"params": ps[:1]}, {"params": ps[1:], "lr": 0.3, "amsgrad": True}], lr=0.05
    ),
}


def train(lib, make, dtype, steps=3):
    """`steps` steps on f(w, b) = Σ(w·x + b)² + Σ sin(b); the optimizer and its parameters."""
    w = lib.tensor([[1.0, -2.0], [0.5, 3.0]], dtype=dtype(lib), requires_grad=True)
    b = lib.tensor([0.3, -0.7], dtype=dtype(lib), requires_grad=True)
    x = lib.tensor([0.5, -1.5], dtype=dtype(lib))
    optimizer = make(lib.optim, [w, b])
    for _ in range(steps):
        optimizer.zero_grad()
        (((w @ x + b) ** 2).sum() + b.sin().sum()).backward()
        optimizer.step()
    return optimizer, w, b, x


def plain(state_dict):
    """A state_dict with its tensors as (dtype, shape, numbers), to compare across libraries."""
    state = {
        i: {k: (str(t.dtype), tuple(t.shape), t.reshape(-1).tolist()) for k, t in s.items()}
        for i, s in state_dict["state"].items()
    }
    return state, state_dict["param_groups"]


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("name", sorted(CONFIGS))
def test_state_dict_has_pytorchs_layout_options_and_numbers(torch, name, dtype):
    kind = lambda lib: getattr(lib, dtype)
    ours, theirs = (plain(train(lib, CONFIGS[name], kind)[0].state_dict()) for lib in (mg, torch))
    assert ours[1] == theirs[1]  # the groups: every option, its type (0, not 0.0), the params
    assert ours[0].keys() == theirs[0].keys()
    for i in theirs[0]:
        assert ours[0][i].keys() == theirs[0][i].keys()
        for key, (kind_, shape, numbers) in theirs[0][i].items():
            assert ours[0][i][key][:2] == (kind_, shape)
            # float32: micrograd computes each formula in float64, then rounds (README)
            tol = 1e-5 if dtype == "float32" else 1e-13
            assert ours[0][i][key][2] == pytest.approx(numbers, rel=tol, abs=tol)


@pytest.mark.parametrize("name", sorted(CONFIGS))
def test_a_restored_optimizer_continues_as_the_original_would(torch, name):
    """Save after 2 steps, load into a fresh optimizer (through torch.save/load), 3 more steps:
    the parameters are those of 5 uninterrupted steps, in micrograd as in torch."""
    results = []
    for lib in (mg, torch):
        make = CONFIGS[name]
        f64 = lambda lib: lib.float64
        optimizer, w, b, x = train(lib, make, f64, steps=2)
        buffer = io.BytesIO()
        lib.save({"opt": optimizer.state_dict(), "w": w.detach(), "b": b.detach()}, buffer)
        buffer.seek(0)
        saved = lib.load(buffer)
        w2 = saved["w"].clone().requires_grad_(True)
        b2 = saved["b"].clone().requires_grad_(True)
        restored = make(lib.optim, [w2, b2])
        restored.load_state_dict(saved["opt"])
        for _ in range(3):
            restored.zero_grad()
            (((w2 @ x + b2) ** 2).sum() + b2.sin().sum()).backward()
            restored.step()
        uninterrupted = train(lib, make, f64, steps=5)
        flat = lambda *ts: [x for t in ts for x in t.reshape(-1).tolist()]
        results.append((flat(w2, b2), flat(*uninterrupted[1:3])))
    (ours, ours_whole), (theirs, theirs_whole) = results
    assert ours == pytest.approx(ours_whole, rel=1e-14, abs=1e-15)
    assert ours == pytest.approx(theirs, rel=1e-13, abs=1e-15)


RESTORE = """
import collections, io
import torch
from torch import nn
torch.manual_seed(0)
x = torch.randn(6, 3)
y = torch.randn(6, 1)
model = nn.Linear(3, 1)
opt = torch.optim.Adam(model.parameters(), lr=0.05)
def epoch(model, opt):
    opt.zero_grad()
    loss = nn.functional.mse_loss(model(x), y)
    loss.backward()
    opt.step()
    return loss.item()
for _ in range(3):
    print(epoch(model, opt))
weights = collections.OrderedDict((n, p.detach().clone()) for n, p in model.named_parameters())
f = io.BytesIO()
torch.save({"model": weights, "optimizer": opt.state_dict(), "epoch": 3}, f)
f.seek(0)
checkpoint = torch.load(f, weights_only=True)
print(sorted(checkpoint), checkpoint["epoch"], checkpoint["model"])
print(checkpoint["optimizer"])
model2 = nn.Linear(3, 1)
with torch.no_grad():
    for n, p in model2.named_parameters():
        p.copy_(checkpoint["model"][n])
opt2 = torch.optim.Adam(model2.parameters(), lr=0.05)
opt2.load_state_dict(checkpoint["optimizer"])
print(opt2)
for _ in range(3):
    print(epoch(model2, opt2), epoch(model, opt))
print(opt2.state_dict()["state"][0]["step"], opt2.param_groups[0]["lr"])
"""


def test_a_checkpoint_saved_and_restored_continues_a_training_as_pytorchs():
    same_output(RESTORE, rel=1e-5)


LIVE = """
import torch
w = torch.tensor([1.0, -2.0], requires_grad=True)
opt = torch.optim.SGD([w], lr=0.1, momentum=0.9)
(w * w).sum().backward()
opt.step()
sd = opt.state_dict()
buffer = opt.state[w]["momentum_buffer"]
print(sd["state"][0]["momentum_buffer"], buffer)
(w * w).sum().backward()
opt.step()
print(sd["state"][0]["momentum_buffer"], buffer, opt.state[w]["momentum_buffer"] is buffer)
print(sorted(opt.state[w]), len(opt.state))
adam = torch.optim.Adam([w], lr=0.1)
adam.step()
print(sorted(adam.state[w]), adam.state[w]["step"])
"""


def test_the_state_tensors_are_the_optimizers_own_updated_in_place_as_pytorchs():
    same_output(LIVE)


ERRORS = """
import torch
w = torch.tensor([1.0, -2.0], requires_grad=True)
b = torch.tensor([0.5], requires_grad=True)
one = torch.optim.SGD([w, b], lr=0.1)
two = torch.optim.SGD([{"params": [w]}, {"params": [b]}], lr=0.1)
for attempt in [lambda: one.load_state_dict(two.state_dict()),
                lambda: torch.optim.SGD([w], lr=0.1).load_state_dict(one.state_dict())]:
    try:
        attempt()
    except Exception as error:
        print(type(error).__name__, error)
"""


def test_a_state_dict_that_does_not_fit_raises_pytorchs_errors():
    same_output(ERRORS)


ZERO_GRAD = """
import torch
w = torch.tensor([1.0, -2.0], requires_grad=True)
opt = torch.optim.SGD([w], lr=0.1)
(w * 3).sum().backward()
opt.zero_grad(set_to_none=False)
print(w.grad)
(w * 3).sum().backward()
opt.zero_grad()
print(w.grad)
opt.zero_grad(set_to_none=True)
print(w.grad)
"""


def test_zero_grad_sets_to_none_or_to_zeros_as_pytorchs():
    same_output(ZERO_GRAD)


PRINTOUT = """
import torch
w = torch.tensor([1.0], requires_grad=True)
print(torch.optim.SGD([w], lr=0.1, momentum=0.5))
print(torch.optim.Adam([{"params": [w], "lr": 0.2}], amsgrad=True))
"""


def test_an_optimizer_prints_its_groups_as_pytorchs():
    same_output(PRINTOUT)


CLOSURE = """
import torch
w = torch.tensor([1.0, -2.0], requires_grad=True)
opt = torch.optim.SGD([w], lr=0.1)
def closure():
    opt.zero_grad()
    loss = (w * w).sum()
    loss.backward()
    return loss
for _ in range(3):
    print(opt.step(closure), w)
print(opt.step())
"""


def test_step_with_a_closure_returns_its_loss_as_pytorchs():
    same_output(CLOSURE)


def test_a_state_dict_of_a_value_optimizer_round_trips():
    v = mg.Value(1.5)
    optimizer = Adam([v], lr=0.1)
    for _ in range(2):
        optimizer.zero_grad()
        (v * v).backward()
        optimizer.step()
    state = optimizer.state_dict()["state"][0]
    assert state["exp_avg"].shape == () and state["exp_avg"].dtype is mg.float64
    # by hand: g = 2v; m after 2 steps is 0.1·0.9·g₁ + 0.1·g₂
    assert state["step"].item() == 2.0
    copy_of = copy.deepcopy(optimizer.state_dict())
    restored = Adam([mg.Value(v.data)], lr=0.1)
    restored.load_state_dict(copy_of)
    assert restored.state_dict()["state"][0]["exp_avg"].item() == state["exp_avg"].item()


def test_a_loaded_state_of_the_wrong_shape_is_refused():
    w = mg.tensor([1.0, 2.0], requires_grad=True)
    other = mg.tensor([1.0, 2.0, 3.0], requires_grad=True)
    first = SGD([other], lr=0.1, momentum=0.9)
    (other * other).sum().backward()
    first.step()
    second = SGD([w], lr=0.1, momentum=0.9)
    second.load_state_dict(first.state_dict())
    (w * w).sum().backward()
    with pytest.raises(RuntimeError, match="momentum_buffer.*shape"):
        second.step()


def test_a_float32_state_is_cast_to_a_float64_parameter_as_pytorch_does(torch):
    dtypes = []
    for lib in (mg, torch):
        w32 = lib.tensor([1.0, 2.0], requires_grad=True)
        w64 = lib.tensor([1.0, 2.0], dtype=lib.float64, requires_grad=True)
        first = lib.optim.Adam([w32])
        (w32 * w32).sum().backward()
        first.step()
        second = lib.optim.Adam([w64])
        second.load_state_dict(first.state_dict())
        s = second.state_dict()["state"][0]
        dtypes.append({k: str(t.dtype) for k, t in s.items()})
    assert dtypes[0] == dtypes[1]
