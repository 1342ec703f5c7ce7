"""torch.optim.lr_scheduler against PyTorch 2.13: each schedule's rates epoch by epoch (exactly,
as PyTorch computes them from the previous rate), the state_dict, step(epoch)'s closed forms,
the order warning, ReduceLROnPlateau on a metric, and training programs compared line by line."""

import math
import warnings

import pytest

import micrograd as mg
from pytorch_harness import same_output

pytestmark = pytest.mark.usefixtures("torch")

SCHEDULES = {
    "step": lambda s, o: s.StepLR(o, step_size=3, gamma=0.5),
    "multistep": lambda s, o: s.MultiStepLR(o, milestones=[2, 5, 5, 9], gamma=0.3),
    "exponential": lambda s, o: s.ExponentialLR(o, gamma=0.9),
    "lambda": lambda s, o: s.LambdaLR(o, lr_lambda=lambda epoch: 0.95**epoch / (1 + epoch)),
    "lambdas": lambda s, o: s.LambdaLR(o, [lambda e: 1 / (e + 1), lambda e: 0.5 * e + 1]),
    "cosine": lambda s, o: s.CosineAnnealingLR(o, T_max=4, eta_min=0.001),
    "cosine past T_max": lambda s, o: s.CosineAnnealingLR(o, T_max=3),
}


def optimizer_of(lib):
    w = lib.ones(2, requires_grad=True)
    b = lib.zeros(1, requires_grad=True)
    return lib.optim.SGD([{"params": [w]}, {"params": [b], "lr": 0.3}], lr=0.1, momentum=0.9)


def rates(lib, name, epochs=14):
    optimizer = optimizer_of(lib)
    scheduler = SCHEDULES[name](lib.optim.lr_scheduler, optimizer)
    seen = [scheduler.get_last_lr()]
    for _ in range(epochs):
        optimizer.step()
        scheduler.step()
        seen.append(scheduler.get_last_lr())
    assert seen[-1] == [group["lr"] for group in optimizer.param_groups]
    return seen, scheduler, optimizer


@pytest.mark.parametrize("name", sorted(SCHEDULES))
def test_rates_epoch_by_epoch_are_pytorchs(torch, name):
    ours, our_scheduler, our_optimizer = rates(mg, name)
    theirs, their_scheduler, their_optimizer = rates(torch, name)
    assert ours == theirs  # exactly: the same float operations in the same order
    state, their_state = our_scheduler.state_dict(), their_scheduler.state_dict()
    if "lr_lambdas" in their_state:
        assert state.pop("lr_lambdas") == their_state.pop("lr_lambdas")
    assert list(state) == list(their_state) and state == their_state
    mine = [{k: v for k, v in g.items() if k != "params"} for g in our_optimizer.param_groups]
    torchs = [{k: v for k, v in g.items() if k != "params"} for g in their_optimizer.param_groups]
    assert mine == torchs  # initial_lr too


@pytest.mark.parametrize("name", ["step", "multistep", "exponential", "cosine"])
def test_step_with_an_epoch_uses_the_closed_form_and_warns(torch, name):
    results = []
    for lib in (mg, torch):
        optimizer = optimizer_of(lib)
        scheduler = SCHEDULES[name](lib.optim.lr_scheduler, optimizer)
        optimizer.step()
        with pytest.warns(UserWarning, match="epoch parameter"):
            scheduler.step(7)
        results.append(scheduler.get_last_lr())
    assert results[0] == pytest.approx(results[1], rel=1e-15)


def test_a_scheduler_stepped_before_the_optimizer_warns(torch):
    for lib in (mg, torch):
        optimizer = optimizer_of(lib)
        scheduler = lib.optim.lr_scheduler.StepLR(optimizer, 1)
        with pytest.warns(UserWarning, match=r"before `optimizer.step\(\)`"):
            scheduler.step()
        optimizer = optimizer_of(lib)
        scheduler = lib.optim.lr_scheduler.StepLR(optimizer, 1)
        optimizer.step()
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            scheduler.step()


def test_a_restored_scheduler_continues(torch):
    """Optimizer and scheduler state_dicts loaded into fresh ones: the schedule goes on as
    the uninterrupted one, in both libraries alike."""
    results = []
    for lib in (mg, torch):
        optimizer = optimizer_of(lib)
        scheduler = lib.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=5)
        for _ in range(3):
            optimizer.step()
            scheduler.step()
        saved = optimizer.state_dict(), scheduler.state_dict()
        straight = []
        for _ in range(3):
            optimizer.step()
            scheduler.step()
            straight.append(scheduler.get_last_lr())
        optimizer = optimizer_of(lib)
        optimizer.load_state_dict(saved[0])
        scheduler = lib.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=5, last_epoch=2)
        scheduler.load_state_dict(saved[1])
        restored = []
        for _ in range(3):
            optimizer.step()
            scheduler.step()
            restored.append(scheduler.get_last_lr())
        assert restored == straight
        results.append(restored)
    assert results[0] == results[1]


def test_resuming_without_initial_lr_raises_pytorchs_error(torch):
    for lib in (mg, torch):
        with pytest.raises(KeyError, match="param 'initial_lr' is not specified"):
            lib.optim.lr_scheduler.StepLR(optimizer_of(lib), 2, last_epoch=3)
        with pytest.raises(TypeError, match="is not an Optimizer"):
            lib.optim.lr_scheduler.StepLR([1, 2], 2)


METRICS = [1.0, 0.9, 0.95, 0.95, 0.96, 0.97, 0.89, 0.9, 0.91, 0.92, 0.93, 0.5, 0.6, 0.7, 0.8]


@pytest.mark.parametrize(
    "options",
    [
        {"patience": 2},
        {"patience": 1, "cooldown": 2, "factor": 0.5, "min_lr": 0.02},
        {"mode": "max", "patience": 0, "threshold": 0.05, "threshold_mode": "abs"},
        {"patience": 1, "min_lr": [0.05, 0.001], "eps": 0.01},
    ],
)
def test_reduce_on_plateau_is_pytorchs(torch, options):
    results = []
    for lib in (mg, torch):
        optimizer = optimizer_of(lib)
        scheduler = lib.optim.lr_scheduler.ReduceLROnPlateau(optimizer, **options)
        seen = []
        for metric in METRICS:
            optimizer.step()
            scheduler.step(lib.tensor(metric))
            seen.append((scheduler.get_last_lr(), scheduler.num_bad_epochs, scheduler.best))
        results.append((seen, scheduler.state_dict()))
    assert results[0] == results[1]


def test_reduce_on_plateau_errors(torch):
    for lib in (mg, torch):
        with pytest.raises(ValueError, match="Factor should be < 1.0."):
            lib.optim.lr_scheduler.ReduceLROnPlateau(optimizer_of(lib), factor=1.0)
        with pytest.raises(ValueError, match="mode middle is unknown!"):
            lib.optim.lr_scheduler.ReduceLROnPlateau(optimizer_of(lib), mode="middle")
        with pytest.raises(ValueError, match="expected 2 min_lrs, got 1"):
            lib.optim.lr_scheduler.ReduceLROnPlateau(optimizer_of(lib), min_lr=[0.1])


def test_cosine_closed_form_matches_the_recursion():
    """The recursion's rates against η_min + (η₀ − η_min)(1 + cos(πt/T))/2, t ≤ T."""
    optimizer = optimizer_of(mg)
    scheduler = mg.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=6, eta_min=0.01)
    for t in range(1, 7):
        optimizer.step()
        scheduler.step()
        expected = 0.01 + (0.1 - 0.01) * (1 + math.cos(math.pi * t / 6)) / 2
        assert scheduler.get_last_lr()[0] == pytest.approx(expected, rel=1e-12)


# in the style of the PyTorch docs' "How to adjust learning rate" and d2l's lr-scheduler chapter
RMSPROP_STEPLR = """
import torch
from torch import nn
torch.manual_seed(0)
model = nn.Linear(3, 1)
X = torch.randn(8, 3)
y = X @ torch.tensor([[1.0], [-2.0], [0.5]]) + 0.3
loss_fn = nn.MSELoss()
optimizer = torch.optim.RMSprop(model.parameters(), lr=0.05, momentum=0.5)
scheduler = torch.optim.lr_scheduler.StepLR(optimizer, step_size=2, gamma=0.5)
for epoch in range(6):
    optimizer.zero_grad()
    loss = loss_fn(model(X), y)
    loss.backward()
    optimizer.step()
    scheduler.step()
    print(f"epoch {epoch}: loss {loss.item():.5f}, lr {scheduler.get_last_lr()[0]:.5f}")
print(optimizer)
print(sorted(optimizer.state_dict()["state"][0]))
"""

ADAMW_PLATEAU = """
import torch
torch.manual_seed(0)
w = torch.randn(4, requires_grad=True)
target = torch.tensor([1.0, -1.0, 0.5, 2.0])
optimizer = torch.optim.AdamW([w], lr=0.3, weight_decay=0.1)
scheduler = torch.optim.lr_scheduler.ReduceLROnPlateau(optimizer, patience=1, factor=0.5)
for epoch in range(8):
    optimizer.zero_grad()
    loss = ((w - target) ** 2).sum()
    loss.backward()
    optimizer.step()
    scheduler.step(loss)
    print(epoch, round(loss.item(), 4), optimizer.param_groups[0]["lr"])
cosine = torch.optim.lr_scheduler.CosineAnnealingLR(torch.optim.Adagrad([w], lr=0.1), T_max=3)
print([round(cosine.get_last_lr()[0], 6)])
"""


def test_rmsprop_with_steplr_program(torch):
    same_output(RMSPROP_STEPLR, rel=1e-5)


def test_adamw_with_reduce_on_plateau_program(torch):
    same_output(ADAMW_PLATEAU, rel=1e-4)
