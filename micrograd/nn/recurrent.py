"""Recurrent layers: ``nn.RNN``, ``nn.LSTM``, ``nn.GRU`` over whole sequences, and their cells
``nn.RNNCell``, ``nn.LSTMCell``, ``nn.GRUCell`` for one step.

A step is written with tensor operations (``linear``, ``tanh``, ``sigmoid``, ``chunk``) in the
order PyTorch's kernels compute it, so backpropagation through time is the chain rule through
those operations, unrolled.  A layer runs its cell over the time steps, the steps' hidden
states are stacked into the output, and layers feed each other (both directions concatenated
when ``bidirectional``).  Parameters carry PyTorch's names and order (``weight_ih_l0``,
``weight_hh_l0``, ``bias_ih_l0``, ``bias_hh_l0``, ``..._reverse``) and its initialisation,
U(−1/√hidden_size, 1/√hidden_size) for each, drawn through ``nn.init.uniform_`` in that order.
"""

from __future__ import annotations

import math
import numbers
import warnings
from typing import Any, Callable

from ..core.errors import NotSupported
from ..tensors import Tensor, empty, float32, zeros
from ..tensors.joining import cat, stack
from . import init
from .activations import dropout
from .functional import linear
from .module import Module, Parameter

GATES = {"RNN_TANH": 1, "RNN_RELU": 1, "LSTM": 4, "GRU": 3}
"""How many blocks of hidden_size rows each weight has: one per gate."""


# --- one time step ----------------------------------------------------------------------------
def rnn_tanh_cell(x: Tensor, h: Tensor, w_ih: Tensor, w_hh: Tensor, b_ih: Any, b_hh: Any) -> Tensor:
    """h' = tanh(W_hh h + b_hh + W_ih x + b_ih)."""
    return (linear(h, w_hh, b_hh) + linear(x, w_ih, b_ih)).tanh()


def rnn_relu_cell(x: Tensor, h: Tensor, w_ih: Tensor, w_hh: Tensor, b_ih: Any, b_hh: Any) -> Tensor:
    """h' = relu(W_hh h + b_hh + W_ih x + b_ih)."""
    return (linear(h, w_hh, b_hh) + linear(x, w_ih, b_ih)).relu()


def lstm_cell(
    x: Tensor, state: tuple[Tensor, Tensor], w_ih: Tensor, w_hh: Tensor, b_ih: Any, b_hh: Any
) -> tuple[Tensor, Tensor]:
    """The gates i, f, g, o are the four blocks of W_hh h + b_hh + W_ih x + b_ih, through
    σ, σ, tanh, σ; then c' = f·c + i·g and h' = o·tanh(c')."""
    h, c = state
    gates = linear(h, w_hh, b_hh) + linear(x, w_ih, b_ih)
    i, f, g, o = gates.chunk(4, -1)
    c_next = f.sigmoid() * c + i.sigmoid() * g.tanh()
    return o.sigmoid() * c_next.tanh(), c_next


def gru_cell(x: Tensor, h: Tensor, w_ih: Tensor, w_hh: Tensor, b_ih: Any, b_hh: Any) -> Tensor:
    """r = σ(W_hr h + b_hr + W_ir x + b_ir), z likewise, n = tanh(W_in x + b_in + r·(W_hn h +
    b_hn)); h' = (1 − z)·n + z·h, computed as PyTorch does, (h − n)·z + n."""
    x_r, x_z, x_n = linear(x, w_ih, b_ih).chunk(3, -1)
    h_r, h_z, h_n = linear(h, w_hh, b_hh).chunk(3, -1)
    reset, update = (h_r + x_r).sigmoid(), (h_z + x_z).sigmoid()
    new = (x_n + h_n * reset).tanh()
    return (h - new) * update + new


CELLS: dict[str, Callable[..., Any]] = {
    "RNN_TANH": rnn_tanh_cell,
    "RNN_RELU": rnn_relu_cell,
    "LSTM": lstm_cell,
    "GRU": gru_cell,
}


def _renamed(t: Tensor, grad_fn: str) -> Tensor:
    """t under the name PyTorch's kernel gives its result (the one a printed tensor shows)."""
    return t._result(list(t._values), t.shape, grad_fn, grad_fn, (t,), stored=True)


def _uniform_init(module: Module, hidden_size: int) -> None:
    """Every parameter, in order, from U(−1/√hidden_size, 1/√hidden_size)."""
    bound = 1.0 / math.sqrt(hidden_size) if hidden_size > 0 else 0
    for weight in module.parameters():
        init.uniform_(weight, -bound, bound)


# --- whole sequences --------------------------------------------------------------------------
class RNNBase(Module):
    """The layers of RNN, LSTM and GRU: `num_layers` of them, each run in one direction (two
    when `bidirectional`), with dropout between layers in training mode."""

    def __init__(
        self,
        mode: str,
        input_size: int,
        hidden_size: int,
        num_layers: int = 1,
        bias: bool = True,
        batch_first: bool = False,
        dropout: float = 0.0,
        bidirectional: bool = False,
        proj_size: int = 0,
        device: Any = None,
        dtype: Any = None,
    ) -> None:
        super().__init__()
        self.mode, self.input_size, self.hidden_size = mode, input_size, hidden_size
        self.num_layers, self.bias, self.batch_first = num_layers, bias, batch_first
        self.dropout, self.bidirectional, self.proj_size = float(dropout), bidirectional, proj_size
        _check_options(dropout, num_layers, bias, batch_first, input_size, hidden_size)
        if proj_size:
            raise NotSupported(
                "LSTM(proj_size=...) (projected hidden states, the weight_hr parameters) is not "
                "supported: leave proj_size=0, or follow the LSTM with an nn.Linear"
            )
        directions = 2 if bidirectional else 1
        made = {"device": device, "dtype": dtype}
        gate_size = GATES[mode] * hidden_size
        for layer in range(num_layers):
            width = input_size if layer == 0 else hidden_size * directions
            for suffix in ("", "_reverse")[:directions]:
                shapes = {"weight_ih": (gate_size, width), "weight_hh": (gate_size, hidden_size)}
                if bias:
                    shapes.update(bias_ih=(gate_size,), bias_hh=(gate_size,))
                for name, shape in shapes.items():
                    setattr(self, f"{name}_l{layer}{suffix}", Parameter(empty(*shape, **made)))
        self.reset_parameters()

    def reset_parameters(self) -> None:
        """Every weight and bias from U(−1/√hidden_size, 1/√hidden_size), in order."""
        _uniform_init(self, self.hidden_size)

    def _layer_parameters(self, layer: int, suffix: str) -> tuple:
        """(W_ih, W_hh, b_ih, b_hh) of one layer and direction (biases None without bias)."""
        names = ("weight_ih", "weight_hh", "bias_ih", "bias_hh")
        return tuple(getattr(self, f"{n}_l{layer}{suffix}", None) for n in names)

    def _hidden_shape(self, batch: int) -> tuple[int, int, int]:
        return (self.num_layers * (2 if self.bidirectional else 1), batch, self.hidden_size)

    def forward(self, input: Any, hx: Any = None) -> tuple[Tensor, Any]:
        """(output, h_n): output (L, N, D·H) holds the last layer's hidden state at every step
        (both directions side by side), h_n (num_layers·D, N, H) every layer's last one; LSTM
        gives (output, (h_n, c_n)).  Inputs (L, N, H_in), (N, L, H_in) with batch_first, or
        (L, H_in) for one sequence."""
        name = {"RNN_TANH": "RNN", "RNN_RELU": "RNN"}.get(self.mode, self.mode)
        if not isinstance(input, Tensor):
            raise NotSupported(
                f"{name} of a {type(input).__name__} is not supported (micrograd has no "
                "PackedSequence): pad the sequences to one length and pass a tensor"
            )
        if input.dim() not in (2, 3):
            tail = "D tensor instead" if name == "RNN" else "D instead"
            raise ValueError(f"{name}: Expected input to be 2D or 3D, got {input.dim()}{tail}")
        batched = input.dim() == 3
        x = input if batched else input.unsqueeze(0 if self.batch_first else 1)
        states = self._initial_states(x, hx, batched)
        if x.dtype is not self.weight_ih_l0.dtype:
            raise ValueError(
                f"RNN input dtype ({x.dtype}) does not match weight dtype "
                f"({self.weight_ih_l0.dtype}). Convert input: input.to({self.weight_ih_l0.dtype}),"
                f" or convert model: model.to({x.dtype})"
            )
        output, finals = self._run(x.transpose(0, 1) if self.batch_first else x, states)
        if self.batch_first:
            output = _renamed(output.transpose(0, 1), self._transpose_name())
        elif self.mode == "LSTM" and not self.bidirectional and x.dtype is float32:
            output = _renamed(output, "MkldnnRnnLayerBackward0")  # PyTorch's float32 kernel
        hidden = [stack(list(part)) for part in zip(*finals)]
        if not batched:
            output = output.squeeze(0 if self.batch_first else 1)
            hidden = [h.squeeze(1) for h in hidden]
        return output, (tuple(hidden) if self.mode == "LSTM" else hidden[0])

    def _transpose_name(self) -> str:
        """PyTorch's kernels transpose a batch-first output back with two different calls."""
        return "TransposeBackward0" if self.mode == "LSTM" else "TransposeBackward1"

    def _initial_states(self, x: Tensor, hx: Any, batched: bool) -> list[tuple]:
        """The initial state of each layer and direction, as tuples: (h,) or (h, c) for LSTM;
        zeros without hx.  Checks the input's and the states' shapes with PyTorch's errors."""
        if self.input_size != x.size(-1):
            raise RuntimeError(
                f"input.size(-1) must be equal to input_size. Expected {self.input_size}, "
                f"got {x.size(-1)}"
            )
        shape = self._hidden_shape(x.size(0) if self.batch_first else x.size(1))
        parts = 2 if self.mode == "LSTM" else 1
        if hx is None:
            given = [zeros(*shape, dtype=x.dtype) for _ in range(parts)]
        else:
            given = list(hx) if parts == 2 else [hx]
            _check_state_dims(given, batched, parts)
            if not batched:
                given = [h.unsqueeze(1) for h in given]
        for index, h in enumerate(given):
            if tuple(h.shape) != shape:
                which = f"hidden[{index}] size" if parts == 2 else "hidden size"
                raise RuntimeError(f"Expected {which} {shape}, got {list(h.shape)}")
        return [tuple(h[k] for h in given) for k in range(shape[0])]

    def _run(self, x: Tensor, states: list[tuple]) -> tuple[Tensor, list[tuple]]:
        """Every layer over the (L, N, ·) sequence x: the last layer's outputs and each layer
        and direction's final state."""
        cell = CELLS[self.mode]
        directions = ("", "_reverse")[: 2 if self.bidirectional else 1]
        finals = []
        for layer in range(self.num_layers):
            outputs = []
            for d, suffix in enumerate(directions):
                params = self._layer_parameters(layer, suffix)
                state = states[layer * len(directions) + d]
                steps = range(x.size(0)) if not suffix else reversed(range(x.size(0)))
                seen = {}
                for t in steps:
                    state = cell(x[t], state if self.mode == "LSTM" else state[0], *params)
                    state = state if self.mode == "LSTM" else (state,)
                    seen[t] = state[0]
                outputs.append(stack([seen[t] for t in range(x.size(0))]))
                finals.append(state)
            x = outputs[0] if len(outputs) == 1 else cat(outputs, 2)
            if self.dropout and self.training and layer < self.num_layers - 1:
                x = dropout(x, self.dropout, True)
        return x, finals

    def extra_repr(self) -> str:
        text = f"{self.input_size}, {self.hidden_size}"
        if self.proj_size != 0:
            text += f", proj_size={self.proj_size}"
        if self.num_layers != 1:
            text += f", num_layers={self.num_layers}"
        if self.bias is not True:
            text += f", bias={self.bias}"
        if self.batch_first is not False:
            text += f", batch_first={self.batch_first}"
        if self.dropout != 0:
            text += f", dropout={self.dropout}"
        if self.bidirectional is not False:
            text += f", bidirectional={self.bidirectional}"
        return text


def _check_options(
    dropout: Any, num_layers: int, bias: Any, batch_first: Any, input_size: Any, hidden_size: Any
) -> None:
    """PyTorch's checks of an RNN's arguments, with its messages."""
    if (
        not isinstance(dropout, numbers.Number)
        or isinstance(dropout, bool)
        or not 0 <= dropout <= 1
    ):
        raise ValueError(
            "dropout should be a number in range [0, 1] representing the probability of an "
            "element being zeroed"
        )
    if dropout > 0 and num_layers == 1:
        warnings.warn(
            "dropout option adds dropout after all but last recurrent layer, so non-zero "
            "dropout expects num_layers greater than 1, but got "
            f"dropout={dropout} and num_layers={num_layers}",
            stacklevel=3,
        )
    if not isinstance(bias, bool):
        raise TypeError(f"bias should be of type bool, got: {type(bias).__name__}")
    if not isinstance(batch_first, bool):
        raise TypeError(f"batch_first should be of type bool, got: {type(batch_first).__name__}")
    for name, size in (("input_size", input_size), ("hidden_size", hidden_size)):
        if not isinstance(size, int):
            raise TypeError(f"{name} should be of type int, got: {type(size).__name__}")
        if size <= 0:
            raise ValueError(f"{name} must be greater than zero")
    if num_layers <= 0:
        raise ValueError("num_layers must be greater than zero")


def _check_state_dims(given: list[Tensor], batched: bool, parts: int) -> None:
    """A batched input needs 3-D states, one sequence 2-D ones (PyTorch's messages)."""
    want, kind = (3, "batched 3-D") if batched else (2, "unbatched 2-D")
    if any(h.dim() != want for h in given):
        if parts == 2:
            dims = ", ".join(f"{h.dim()}-D" for h in given)
            raise RuntimeError(
                f"For {kind} input, hx and cx should also be {want}-D but got ({dims}) tensors"
            )
        raise RuntimeError(
            f"For {kind} input, hx should also be {want}-D but got {given[0].dim()}-D tensor"
        )


class RNN(RNNBase):
    """nn.RNN(input_size, hidden_size, num_layers=1, nonlinearity='tanh'): Elman's network,
    hₜ = tanh(W_ih xₜ + b_ih + W_hh hₜ₋₁ + b_hh) (relu with nonlinearity='relu')."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        if "proj_size" in kwargs:
            raise ValueError("proj_size argument is only supported for LSTM, not RNN or GRU")
        if len(args) > 3:
            args, nonlinearity = args[:3] + args[4:], args[3]
        else:
            nonlinearity = kwargs.pop("nonlinearity", "tanh")
        modes = {"tanh": "RNN_TANH", "relu": "RNN_RELU"}
        if nonlinearity not in modes:
            raise ValueError(
                f"Unknown nonlinearity '{nonlinearity}'. Select from 'tanh' or 'relu'."
            )
        self.nonlinearity = nonlinearity
        super().__init__(modes[nonlinearity], *args, **kwargs)


class LSTM(RNNBase):
    """nn.LSTM(input_size, hidden_size, num_layers=1): long short-term memory; returns
    (output, (h_n, c_n))."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__("LSTM", *args, **kwargs)


class GRU(RNNBase):
    """nn.GRU(input_size, hidden_size, num_layers=1): gated recurrent units."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        if "proj_size" in kwargs:
            raise ValueError("proj_size argument is only supported for LSTM, not RNN or GRU")
        super().__init__("GRU", *args, **kwargs)


# --- one step as a module -----------------------------------------------------------------
class RNNCellBase(Module):
    """A cell's parameters, ``weight_ih``, ``weight_hh``, ``bias_ih``, ``bias_hh``, each from
    U(−1/√hidden_size, 1/√hidden_size)."""

    cell_name = "RNNCell"

    def __init__(
        self,
        input_size: int,
        hidden_size: int,
        bias: bool,
        num_chunks: int,
        device: Any = None,
        dtype: Any = None,
    ) -> None:
        super().__init__()
        self.input_size, self.hidden_size, self.bias = input_size, hidden_size, bias
        made = {"device": device, "dtype": dtype}
        self.weight_ih = Parameter(empty(num_chunks * hidden_size, input_size, **made))
        self.weight_hh = Parameter(empty(num_chunks * hidden_size, hidden_size, **made))
        if bias:
            self.bias_ih = Parameter(empty(num_chunks * hidden_size, **made))
            self.bias_hh = Parameter(empty(num_chunks * hidden_size, **made))
        else:
            self.register_parameter("bias_ih", None)
            self.register_parameter("bias_hh", None)
        self.reset_parameters()

    def reset_parameters(self) -> None:
        """Every weight and bias from U(−1/√hidden_size, 1/√hidden_size), in order."""
        _uniform_init(self, self.hidden_size)

    def _batched(self, input: Tensor, hx: Any) -> tuple[Tensor, list[Tensor] | None, bool]:
        """input as (N, H_in) and the states as (N, H), and whether input was batched."""
        if input.dim() not in (1, 2):
            raise ValueError(
                f"{self.cell_name}: Expected input to be 1D or 2D, got {input.dim()}D instead"
            )
        states = None if hx is None else (list(hx) if isinstance(hx, (tuple, list)) else [hx])
        for index, h in enumerate(states or []):
            if h.dim() not in (1, 2):
                which = f"hx[{index}]" if self.cell_name == "LSTMCell" else "hidden"
                raise ValueError(
                    f"{self.cell_name}: Expected {which} to be 1D or 2D, got {h.dim()}D instead"
                )
        batched = input.dim() == 2
        if not batched:
            input = input.unsqueeze(0)
            states = None if states is None else [h.unsqueeze(0) for h in states]
        return input, states, batched

    def _zeros(self, input: Tensor) -> Tensor:
        return zeros(input.size(0), self.hidden_size, dtype=input.dtype)

    def _params(self) -> tuple:
        return self.weight_ih, self.weight_hh, self.bias_ih, self.bias_hh

    def extra_repr(self) -> str:
        text = f"{self.input_size}, {self.hidden_size}"
        if self.bias is not True:
            text += f", bias={self.bias}"
        if getattr(self, "nonlinearity", "tanh") != "tanh":
            text += f", nonlinearity={self.nonlinearity}"
        return text


class RNNCell(RNNCellBase):
    """nn.RNNCell(input_size, hidden_size, bias=True, nonlinearity='tanh'): one step,
    h' = tanh(W_ih x + b_ih + W_hh h + b_hh)."""

    def __init__(
        self,
        input_size: int,
        hidden_size: int,
        bias: bool = True,
        nonlinearity: str = "tanh",
        device: Any = None,
        dtype: Any = None,
    ) -> None:
        super().__init__(input_size, hidden_size, bias, 1, device, dtype)
        self.nonlinearity = nonlinearity

    def forward(self, input: Tensor, hx: Tensor | None = None) -> Tensor:
        x, states, batched = self._batched(input, hx)
        h = self._zeros(x) if states is None else states[0]
        if self.nonlinearity not in ("tanh", "relu"):
            raise RuntimeError(f"Unknown nonlinearity: {self.nonlinearity}")
        cell = rnn_tanh_cell if self.nonlinearity == "tanh" else rnn_relu_cell
        out = cell(x, h, *self._params())
        return out if batched else out.squeeze(0)


class LSTMCell(RNNCellBase):
    """nn.LSTMCell(input_size, hidden_size, bias=True): one step, (h', c') from (h, c)."""

    cell_name = "LSTMCell"

    def __init__(
        self,
        input_size: int,
        hidden_size: int,
        bias: bool = True,
        device: Any = None,
        dtype: Any = None,
    ) -> None:
        super().__init__(input_size, hidden_size, bias, 4, device, dtype)

    def forward(self, input: Tensor, hx: Any = None) -> tuple[Tensor, Tensor]:
        x, states, batched = self._batched(input, hx)
        state = (self._zeros(x), self._zeros(x)) if states is None else tuple(states)
        h, c = lstm_cell(x, state, *self._params())
        return (h, c) if batched else (h.squeeze(0), c.squeeze(0))


class GRUCell(RNNCellBase):
    """nn.GRUCell(input_size, hidden_size, bias=True): one step of gated recurrent units."""

    cell_name = "GRUCell"

    def __init__(
        self,
        input_size: int,
        hidden_size: int,
        bias: bool = True,
        device: Any = None,
        dtype: Any = None,
    ) -> None:
        super().__init__(input_size, hidden_size, bias, 3, device, dtype)

    def forward(self, input: Tensor, hx: Tensor | None = None) -> Tensor:
        x, states, batched = self._batched(input, hx)
        h = self._zeros(x) if states is None else states[0]
        out = gru_cell(x, h, *self._params())
        return out if batched else out.squeeze(0)
