"""RNN, LSTM, GRU and their cells against torch: outputs, final states and the gradients of
the input, the initial state and every parameter (backpropagation through time), grad_fn
names, parameter names, shapes and initial bounds, reprs and errors; the docs' examples
compared line by line."""

from __future__ import annotations

import pytest

import micrograd
from micrograd.core.errors import NotSupported
from pytorch_harness import same_output


def flat(x):
    return [y for item in x for y in flat(item)] if isinstance(x, list) else [x]


def close(a, b, rel=1e-9):
    assert flat(a) == pytest.approx(flat(b), rel=rel, abs=rel)


def filled(lib, module):
    """The module in float64, every parameter set to numbers of its own (sin of a count)."""
    module = module.double()
    with lib.no_grad():
        for k, p in enumerate(module.parameters()):
            count = lib.arange(float(p.numel()), dtype=lib.float64) + 3 * k
            p.copy_((count.sin() * 0.6).reshape(p.shape))
    return module


def sequence(lib, shape, shift=0.0):
    count = lib.arange(float(shape and __import__("math").prod(shape)), dtype=lib.float64)
    return ((count * 0.37 + shift).cos()).reshape(shape)


def run(lib, kind, options, shape, with_state):
    """Output, final states, grad_fn names and every gradient of Σ output·w + Σ states²."""
    model = filled(lib, getattr(lib.nn, kind)(3, 4, **options))
    x = sequence(lib, shape).requires_grad_()
    layers = options.get("num_layers", 1) * (2 if options.get("bidirectional") else 1)
    batch = () if len(shape) == 2 else (shape[0] if options.get("batch_first") else shape[1],)
    state = None
    leaves = [x]
    if with_state:
        parts = [sequence(lib, (layers, *batch, 4), shift=s).requires_grad_() for s in (1, 2)]
        state = tuple(parts) if kind == "LSTM" else parts[0]
        leaves += parts if kind == "LSTM" else parts[:1]
    out, hidden = model(x, state)
    finals = list(hidden) if kind == "LSTM" else [hidden]
    w = sequence(lib, tuple(out.shape), shift=0.5)
    loss = (out * w).sum() + sum((h * h).sum() for h in finals)
    loss.backward()
    names = [type(t.grad_fn).__name__ for t in [out] + finals]
    grads = [t.grad.tolist() for t in leaves] + [p.grad.tolist() for p in model.parameters()]
    shapes = [tuple(t.shape) for t in [out] + finals]
    return names, shapes, [out.tolist()] + [h.tolist() for h in finals] + grads


CONFIGS = [
    ({}, (5, 2, 3), False),
    ({"num_layers": 2}, (4, 2, 3), True),
    ({"batch_first": True}, (2, 4, 3), True),
    ({"bidirectional": True}, (4, 2, 3), True),
    ({"num_layers": 2, "bidirectional": True, "batch_first": True}, (2, 3, 3), False),
    ({"bias": False}, (3, 2, 3), True),
    ({}, (4, 3), True),  # one sequence, unbatched
]


@pytest.mark.parametrize("kind", ["RNN", "LSTM", "GRU"])
@pytest.mark.parametrize("index", range(len(CONFIGS)))
def test_a_recurrent_layer_and_its_gradients_are_torchs(torch, kind, index):
    options, shape, with_state = CONFIGS[index]
    mine = run(micrograd, kind, options, shape, with_state)
    theirs = run(torch, kind, options, shape, with_state)
    assert mine[:2] == theirs[:2]
    assert len(mine[2]) == len(theirs[2])
    for a, b in zip(mine[2], theirs[2]):
        close(a, b)


@pytest.mark.parametrize("kind", ["RNN", "LSTM", "GRU"])
@pytest.mark.parametrize("options", [{}, {"batch_first": True}, {"bidirectional": True}])
def test_float32_grad_fn_names_are_torchs(torch, kind, options):
    def names(lib):
        out, hidden = getattr(lib.nn, kind)(3, 4, **options)(lib.ones(2, 3, 3))
        finals = hidden if kind == "LSTM" else (hidden,)
        return [type(t.grad_fn).__name__ for t in (out, *finals)]

    assert names(micrograd) == names(torch)


def test_a_relu_rnn_is_torchs(torch):
    mine = run(micrograd, "RNN", {"nonlinearity": "relu", "num_layers": 2}, (3, 2, 3), True)
    theirs = run(torch, "RNN", {"nonlinearity": "relu", "num_layers": 2}, (3, 2, 3), True)
    assert mine[:2] == theirs[:2]
    for a, b in zip(mine[2], theirs[2]):
        close(a, b)


def cell_run(lib, kind, options, batched, with_state):
    cell = filled(lib, getattr(lib.nn, kind)(3, 4, **options))
    x = sequence(lib, (2, 3) if batched else (3,)).requires_grad_()
    leaves = [x]
    state = None
    if with_state:
        shape = (2, 4) if batched else (4,)
        parts = [sequence(lib, shape, shift=s).requires_grad_() for s in (1, 2)]
        state = tuple(parts) if kind == "LSTMCell" else parts[0]
        leaves += parts if kind == "LSTMCell" else parts[:1]
    result = cell(x, state)
    outs = list(result) if kind == "LSTMCell" else [result]
    sum((h * sequence(lib, tuple(h.shape), shift=0.25)).sum() for h in outs).backward()
    names = [type(h.grad_fn).__name__ for h in outs]
    grads = [t.grad.tolist() for t in leaves] + [p.grad.tolist() for p in cell.parameters()]
    return names, [h.tolist() for h in outs] + grads


@pytest.mark.parametrize("kind", ["RNNCell", "LSTMCell", "GRUCell"])
@pytest.mark.parametrize(
    "options, batched, with_state",
    [({}, True, True), ({}, True, False), ({"bias": False}, False, True), ({}, False, False)],
)
def test_a_cell_and_its_gradients_are_torchs(torch, kind, options, batched, with_state):
    mine = cell_run(micrograd, kind, options, batched, with_state)
    theirs = cell_run(torch, kind, options, batched, with_state)
    assert mine[0] == theirs[0]
    for a, b in zip(mine[1], theirs[1]):
        close(a, b)


def test_a_relu_cell_is_torchs(torch):
    mine = cell_run(micrograd, "RNNCell", {"nonlinearity": "relu"}, True, True)
    theirs = cell_run(torch, "RNNCell", {"nonlinearity": "relu"}, True, True)
    assert mine[0] == theirs[0]
    for a, b in zip(mine[1], theirs[1]):
        close(a, b)


MODULES = [
    lambda nn: nn.RNN(3, 4),
    lambda nn: nn.RNN(3, 4, 2, "relu", False, True, 0.0, True),
    lambda nn: nn.LSTM(3, 4, num_layers=3, batch_first=True),
    lambda nn: nn.GRU(3, 4, bidirectional=True, bias=False),
    lambda nn: nn.RNNCell(3, 4, nonlinearity="relu"),
    lambda nn: nn.LSTMCell(3, 4, bias=False),
    lambda nn: nn.GRUCell(3, 4),
]


@pytest.mark.parametrize("index", range(len(MODULES)))
def test_parameters_and_reprs_are_torchs(torch, index):
    mine, theirs = MODULES[index](micrograd.nn), MODULES[index](torch.nn)
    assert repr(mine) == repr(theirs)
    assert [(n, tuple(p.shape)) for n, p in mine.named_parameters()] == [
        (n, tuple(p.shape)) for n, p in theirs.named_parameters()
    ]
    bound = 1 / 4**0.5
    assert all(abs(v) <= bound for p in mine.parameters() for v in flat(p.tolist()))
    assert len({v for p in mine.parameters() for v in flat(p.tolist())}) > 10  # drawn, not set


ERRORS = [
    (lambda lib: lib.nn.RNN(3, 4)(lib.zeros(2, 2, 2, 3)), ValueError),
    (lambda lib: lib.nn.LSTM(3, 4)(lib.zeros(2, 2, 2, 3)), ValueError),
    (lambda lib: lib.nn.RNN(3, 4)(lib.zeros(2, 2, 5)), RuntimeError),
    (lambda lib: lib.nn.RNN(3, 4, 2)(lib.zeros(2, 2, 3), lib.zeros(1, 2, 4)), RuntimeError),
    (lambda lib: lib.nn.GRU(3, 4)(lib.zeros(2, 2, 3), lib.zeros(2, 4)), RuntimeError),
    (lambda lib: lib.nn.RNN(3, 4)(lib.zeros(2, 3), lib.zeros(1, 2, 4)), RuntimeError),
    (
        lambda lib: lib.nn.LSTM(3, 4)(lib.zeros(2, 2, 3), (lib.zeros(1, 2, 4), lib.zeros(1, 3, 4))),
        RuntimeError,
    ),
    (
        lambda lib: lib.nn.LSTM(3, 4)(lib.zeros(2, 2, 3), (lib.zeros(2, 4), lib.zeros(2, 4))),
        RuntimeError,
    ),
    (lambda lib: lib.nn.RNN(3, 4, nonlinearity="sigmoid"), ValueError),
    (lambda lib: lib.nn.RNN(3, 4, dropout=1.5), ValueError),
    (lambda lib: lib.nn.GRU(3, 4, proj_size=2), ValueError),
    (lambda lib: lib.nn.RNN(3, 0), ValueError),
    (lambda lib: lib.nn.RNNCell(3, 4)(lib.zeros(2, 2, 3)), ValueError),
    (
        lambda lib: lib.nn.LSTMCell(3, 4)(lib.zeros(3), (lib.zeros(1, 1, 4), lib.zeros(4))),
        ValueError,
    ),
    (lambda lib: lib.nn.RNN(3, 4)(lib.zeros(2, 2, 3, dtype=lib.float64)), ValueError),
]


@pytest.mark.parametrize("index", range(len(ERRORS)))
def test_bad_input_gets_torchs_error(torch, index):
    make, kind = ERRORS[index]
    with pytest.raises(kind) as theirs:
        make(torch)
    with pytest.raises(kind) as mine:
        make(micrograd)
    assert str(mine.value) == str(theirs.value)


def test_what_micrograd_lacks_is_named():
    with pytest.raises(NotSupported, match="proj_size"):
        micrograd.nn.LSTM(3, 4, proj_size=2)
    with pytest.raises(NotSupported, match="PackedSequence"):
        micrograd.nn.GRU(3, 4)([micrograd.zeros(2, 3)])


def test_dropout_between_layers_acts_in_training_only():
    micrograd.manual_seed(0)
    model = micrograd.nn.GRU(3, 4, num_layers=2, dropout=0.5)
    x = micrograd.randn(3, 2, 3)
    model.eval()
    first, second = model(x)[0], model(x)[0]
    assert first.tolist() == second.tolist()  # eval: no dropout, the same every time
    model.train()
    assert model(x)[0].tolist() != first.tolist()
    # the last layer's input is the first layer's output with about half of it zeroed
    layer_one = micrograd.nn.GRU(3, 4)
    with micrograd.no_grad():
        for name, p in layer_one.named_parameters():
            p.copy_(getattr(model, name))
    assert model.eval()(x)[1][0].tolist() == layer_one(x)[1][0].tolist()


# torch.nn.RNN's docs example: an RNN of 2 layers over a (5, 3, 10) input, with h0
RNN_DOCS = """
import torch
import torch.nn as nn
rnn = nn.RNN(10, 20, 2)
input = torch.randn(5, 3, 10)
h0 = torch.randn(2, 3, 20)
output, hn = rnn(input, h0)
print(rnn)
print(output.shape, hn.shape)
print(output[-1])
print(hn[0])
print(output.grad_fn, hn.grad_fn)
"""

# torch.nn.LSTM's and GRU's docs examples, smaller, and a backward pass through time
LSTM_GRU_DOCS = """
import torch
import torch.nn as nn
rnn = nn.LSTM(4, 6, 2)
input = torch.randn(5, 3, 4)
h0 = torch.randn(2, 3, 6)
c0 = torch.randn(2, 3, 6)
output, (hn, cn) = rnn(input, (h0, c0))
print(output.shape, hn.shape, cn.shape)
print(output[2], cn[1])
output.sum().backward()
print(rnn.weight_hh_l0.grad[:3])
rnn = nn.GRU(4, 6, 2, batch_first=True)
input = torch.randn(3, 5, 4)
output, hn = rnn(input)
print(output[0], hn.grad_fn)
"""

# the cells' docs examples: a loop over 6 steps
CELLS_DOCS = """
import torch
import torch.nn as nn
rnn = nn.RNNCell(10, 20)
input = torch.randn(6, 3, 10)
hx = torch.randn(3, 20)
output = []
for i in range(6):
    hx = rnn(input[i], hx)
    output.append(hx)
print(output[-1])
rnn = nn.LSTMCell(10, 20)
input = torch.randn(2, 3, 10)
hx = torch.randn(3, 20)
cx = torch.randn(3, 20)
output = []
for i in range(input.size()[0]):
    hx, cx = rnn(input[i], (hx, cx))
    output.append(hx)
output = torch.stack(output, dim=0)
print(output.shape, output[1, 0])
rnn = nn.GRUCell(10, 20)
hx = torch.randn(3, 20)
for i in range(2):
    hx = rnn(input[i], hx)
print(hx)
"""


@pytest.mark.parametrize(
    "program", [RNN_DOCS, LSTM_GRU_DOCS, CELLS_DOCS], ids=["rnn", "lstm_gru", "cells"]
)
def test_the_recurrent_docs_examples(torch, program):
    same_output(program, rel=1e-5)
