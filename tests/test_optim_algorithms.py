"""RMSprop, Adagrad, AdamW and the options of SGD and Adam against torch.optim 2.13, step by
step: the parameters after every step, the state_dict (layout, options, numbers), a training
restored from a state_dict and continued, PyTorch's checks of the options, the printout."""

import io
import math

import pytest

import micrograd as mg
from micrograd.optim import Adagrad, AdamW, RMSprop
from test_optim_state import plain

pytestmark = pytest.mark.usefixtures("torch")

CONFIGS = {
    "rmsprop": lambda o, ps: o.RMSprop(ps, lr=0.05),
    "rmsprop momentum": lambda o, ps: o.RMSprop(ps, lr=0.05, momentum=0.9, alpha=0.9),
    "rmsprop centered": lambda o, ps: o.RMSprop(ps, lr=0.05, centered=True, weight_decay=0.1),
    "rmsprop all": lambda o, ps: o.RMSprop(
        ps, lr=0.02, centered=True, momentum=0.5, weight_decay=0.2, eps=1e-3, maximize=True
    ),
    "adagrad": lambda o, ps: o.Adagrad(ps, lr=0.1),
    "adagrad decay": lambda o, ps: o.Adagrad(
        ps, lr=0.1, lr_decay=0.5, weight_decay=0.1, initial_accumulator_value=0.3, eps=1e-4
    ),
    "adamw": lambda o, ps: o.AdamW(ps, lr=0.1),
    "adamw amsgrad": lambda o, ps: o.AdamW(ps, lr=0.1, weight_decay=0.5, amsgrad=True),
    "adam weight decay": lambda o, ps: o.Adam(ps, lr=0.1, weight_decay=0.2),
    "adam amsgrad maximize": lambda o, ps: o.Adam(ps, lr=0.1, amsgrad=True, maximize=True),
    "sgd everything": lambda o, ps: o.SGD(
        ps, lr=0.1, momentum=0.8, dampening=0.2, weight_decay=0.05
    ),
    "sgd nesterov": lambda o, ps: o.SGD(ps, lr=0.1, momentum=0.7, nesterov=True),
    "groups": lambda o, ps: o.RMSprop(
        [{"params": ps[:1], "momentum": 0.3}, {"params": ps[1:], "lr": 0.2}], lr=0.01
    ),
}


def trajectory(lib, make, dtype, steps=4):
    """The parameters after each of `steps` steps on f(w, b) = Σ(w·x + b)² + Σ sin(b)."""
    w = lib.tensor([[1.0, -2.0], [0.5, 3.0]], dtype=dtype, requires_grad=True)
    b = lib.tensor([0.3, -0.7], dtype=dtype, requires_grad=True)
    x = lib.tensor([0.5, -1.5], dtype=dtype)
    optimizer = make(lib.optim, [w, b])
    seen = []
    for _ in range(steps):
        optimizer.zero_grad()
        (((w @ x + b) ** 2).sum() + b.sin().sum()).backward()
        optimizer.step()
        seen.append(w.detach().reshape(-1).tolist() + b.detach().tolist())
    return optimizer, seen


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("name", sorted(CONFIGS))
def test_every_step_and_the_state_dict_match_torch(torch, name, dtype):
    (ours, our_steps), (theirs, their_steps) = (
        trajectory(lib, CONFIGS[name], getattr(lib, dtype)) for lib in (mg, torch)
    )
    # float32: micrograd computes each formula in float64, then rounds (README)
    tol = 1e-5 if dtype == "float32" else 1e-12
    for mine, torchs in zip(our_steps, their_steps):
        assert mine == pytest.approx(torchs, rel=tol, abs=tol)
    ours, theirs = plain(ours.state_dict()), plain(theirs.state_dict())
    assert ours[1] == theirs[1]  # every option of every group, in PyTorch's order
    assert [list(g) for g in ours[1]] == [list(g) for g in theirs[1]]
    for i, state in theirs[0].items():
        assert list(ours[0][i]) == list(state)  # PyTorch's names, in its order
        for key, (kind, shape, numbers) in state.items():
            assert ours[0][i][key][:2] == (kind, shape)
            assert ours[0][i][key][2] == pytest.approx(numbers, rel=tol, abs=tol)


@pytest.mark.parametrize("name", sorted(CONFIGS))
def test_a_restored_optimizer_continues_as_the_original_would(torch, name):
    """2 steps, state_dict through save/load into a fresh optimizer, 2 more: as 4 in a row."""
    _, straight = trajectory(mg, CONFIGS[name], mg.float64)
    w = mg.tensor([[1.0, -2.0], [0.5, 3.0]], dtype=mg.float64, requires_grad=True)
    b = mg.tensor([0.3, -0.7], dtype=mg.float64, requires_grad=True)
    x = mg.tensor([0.5, -1.5], dtype=mg.float64)

    def steps(optimizer, n):
        for _ in range(n):
            optimizer.zero_grad()
            (((w @ x + b) ** 2).sum() + b.sin().sum()).backward()
            optimizer.step()

    first = CONFIGS[name](mg.optim, [w, b])
    steps(first, 2)
    buffer = io.BytesIO()
    mg.save(first.state_dict(), buffer)
    buffer.seek(0)
    second = CONFIGS[name](mg.optim, [w, b])
    second.load_state_dict(mg.load(buffer))
    steps(second, 2)
    assert w.detach().reshape(-1).tolist() + b.detach().tolist() == pytest.approx(straight[-1])


def test_adagrad_state_exists_before_the_first_step_as_pytorchs(torch):
    states = []
    for lib in (mg, torch):
        p = lib.ones(2, requires_grad=True)
        states.append(plain(lib.optim.Adagrad([p], initial_accumulator_value=0.5).state_dict()))
    assert states[0] == states[1]


@pytest.mark.parametrize(
    "make",
    [
        lambda o, p: o.RMSprop([p], lr=-1),
        lambda o, p: o.RMSprop([p], eps=-1),
        lambda o, p: o.RMSprop([p], momentum=-1),
        lambda o, p: o.RMSprop([p], alpha=-1),
        lambda o, p: o.RMSprop([p], weight_decay=-1),
        lambda o, p: o.Adagrad([p], lr_decay=-1),
        lambda o, p: o.Adagrad([p], initial_accumulator_value=-1),
        lambda o, p: o.Adagrad([p], eps=-1),
        lambda o, p: o.AdamW([p], weight_decay=-1),
        lambda o, p: o.AdamW([p], betas=(1.0, 0.9)),
        lambda o, p: o.SGD([p], momentum=0.5, nesterov=True, dampening=0.1),
    ],
)
def test_bad_options_raise_pytorchs_errors(torch, make):
    errors = []
    for lib in (mg, torch):
        with pytest.raises(ValueError) as error:
            make(lib.optim, lib.ones(2, requires_grad=True))
        errors.append(str(error.value))
    assert errors[0] == errors[1]


@pytest.mark.parametrize("name", ["RMSprop", "Adagrad", "AdamW"])
def test_the_printout_and_defaults_are_pytorchs(torch, name):
    texts = [
        repr(getattr(lib.optim, name)([lib.ones(1, requires_grad=True)])) for lib in (mg, torch)
    ]
    assert texts[0] == texts[1]
    assert (
        getattr(mg.optim, name)([mg.ones(1, requires_grad=True)]).defaults
        == getattr(torch.optim, name)([torch.ones(1, requires_grad=True)]).defaults
    )


def test_the_optimizers_take_values_too():
    """karpathy's Values: one RMSprop step of f(x) = x² at 3, by the formula."""
    x = mg.Value(3.0)
    optimizer = RMSprop([x], lr=0.1, alpha=0.9)
    (x * x).backward()
    optimizer.step()
    g = 6.0
    assert x.data == pytest.approx(3.0 - 0.1 * g / (math.sqrt(0.1 * g * g) + 1e-8))
    assert isinstance(Adagrad([mg.Value(1.0)]), mg.optim.Optimizer)
    assert isinstance(AdamW([mg.Value(1.0)]), mg.optim.Adam)


def test_every_import_path_of_the_package():
    from micrograd.optim import SGD, Adam
    from micrograd.optim.lr_scheduler import StepLR

    import micrograd.optim.sgd

    assert mg.optim.SGD is SGD and micrograd.optim.sgd.SGD is SGD and Adam is mg.optim.Adam
    assert StepLR is mg.optim.lr_scheduler.StepLR
    with pytest.raises(mg.NotSupported, match=r"torch\.optim\.LBFGS"):
        mg.optim.LBFGS
    with pytest.raises(mg.NotSupported, match=r"torch\.optim\.swa_utils"):
        exec("from micrograd.optim.swa_utils import AveragedModel", {})
    with pytest.raises(mg.NotSupported, match=r"lr_scheduler\.OneCycleLR"):
        mg.optim.lr_scheduler.OneCycleLR
