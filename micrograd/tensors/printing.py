"""Printing a tensor exactly as PyTorch does (a port of ``torch/_tensor_str.py``).

``tensor([1.0000, 2.5000])``: four decimals, a common width; integers as ``1.``; scientific
notation when the magnitudes are far apart; only the edges of tensors over 1000 elements.
"""

from __future__ import annotations

import math

from .dtypes import DEFAULT_DTYPES, bool_, float32
from typing import Any

PRECISION, THRESHOLD, EDGEITEMS, LINEWIDTH = 4, 1000, 3, 80


class _Formatter:
    def __init__(self, numbers: list[float], dtype_: Any) -> None:
        self.floating = dtype_.is_floating_point
        self.kind = dtype_
        self.int_mode, self.sci_mode, self.max_width = True, False, 1
        if not self.floating:
            for x in numbers:
                self.max_width = max(self.max_width, len(self._plain(x)))
            return
        finite = [x for x in numbers if math.isfinite(x) and x != 0]
        if not finite:
            return
        magnitudes = [abs(x) for x in finite]
        low, high = min(magnitudes), max(magnitudes)
        self.int_mode = all(x == math.ceil(x) for x in finite)
        self.sci_mode = high / low > 1000.0 or high > 1.0e8 or (not self.int_mode and low < 1.0e-4)
        for x in finite:
            if self.sci_mode:
                width = len(f"{x:.{PRECISION}e}")
            elif self.int_mode:
                width = len(f"{x:.0f}") + 1
            else:
                width = len(f"{x:.{PRECISION}f}")
            self.max_width = max(self.max_width, width)

    def _plain(self, x: float) -> str:
        return str(bool(x)) if self.kind is bool_ else str(int(x))

    def format(self, x: float) -> str:
        """One number as PyTorch prints it, padded to the common width."""
        if not self.floating:
            text = self._plain(x)
        elif self.sci_mode:
            text = f"{x:{self.max_width}.{PRECISION}e}"
        elif self.int_mode:
            text = f"{x:.0f}" + ("" if math.isinf(x) or math.isnan(x) else ".")
        else:
            text = f"{x:.{PRECISION}f}"
        return " " * (self.max_width - len(text)) + text


def _shown(size: int, summarize: bool) -> list[int]:
    """The indices of a dimension that are printed: its edges if summarized, else all."""
    if summarize and size > 2 * EDGEITEMS:
        return list(range(EDGEITEMS)) + list(range(size - EDGEITEMS, size))
    return list(range(size))


def _summarized(numbers: list[float], shape: tuple, summarize: bool) -> list[float]:
    """The numbers that will be shown, which alone set the format (PyTorch's
    get_summarized_data): in a summarized tensor, only the edges of every dimension."""
    positions = [0]
    for size in shape:  # the row-major positions of the shown elements
        positions = [p * size + i for p in positions for i in _shown(size, summarize)]
    return [numbers[p] for p in positions]


def _body(
    numbers: list[float], shape: tuple, indent: int, summarize: bool, formatter: _Formatter
) -> str:
    """The bracketed text of a tensor of these `numbers` (row-major) and `shape`, as PyTorch's
    _tensor_str_with_formatter writes it: the rows of a matrix one per line, the matrices of a
    batch a blank line apart, and only the edges of every dimension in a summarized tensor."""
    if not shape:
        return formatter.format(numbers[0])
    if len(shape) == 1:
        per_line = max(1, (LINEWIDTH - indent) // (formatter.max_width + 2))
        if summarize and len(numbers) > 2 * EDGEITEMS:
            items = (
                [formatter.format(x) for x in numbers[:EDGEITEMS]]
                + [" ..."]
                + [formatter.format(x) for x in numbers[-EDGEITEMS:]]
            )
        else:
            items = [formatter.format(x) for x in numbers]
        lines = [", ".join(items[i : i + per_line]) for i in range(0, len(items), per_line)]
        return "[" + ("," + "\n" + " " * (indent + 1)).join(lines) + "]"
    size, inner = shape[0], math.prod(shape[1:])
    slices = [
        _body(numbers[i * inner : (i + 1) * inner], shape[1:], indent + 1, summarize, formatter)
        for i in _shown(size, summarize)
    ]
    if summarize and size > 2 * EDGEITEMS:
        slices.insert(EDGEITEMS, "...")
    return "[" + ("," + "\n" * (len(shape) - 1) + " " * (indent + 1)).join(slices) + "]"


def tensor_repr(t: Any) -> str:
    """``tensor([...], grad_fn=<...>)`` exactly as PyTorch prints it."""
    prefix, indent = "tensor(", len("tensor(")
    suffixes = []
    if t.numel() == 0:
        if t.dim() != 1:
            suffixes.append(f"size={tuple(t.shape)}")
        if t.dtype is not float32:
            suffixes.append(f"dtype={t.dtype!r}")
        body = "[]"
    else:
        if t.dtype not in DEFAULT_DTYPES:
            suffixes.append(f"dtype={t.dtype!r}")
        summarize = t.numel() > THRESHOLD
        numbers, shape = [v.data for v in t._values], tuple(t.shape)
        formatter = _Formatter(_summarized(numbers, shape, summarize), t.dtype)
        body = _body(numbers, shape, indent, summarize, formatter)
    try:
        grad_fn = type(t.grad_fn).__name__ if t.grad_fn is not None else None
    except RuntimeError:  # a view whose history was invalidated by an in-place write
        grad_fn = "Invalid"
    if grad_fn is not None:
        suffixes.append(f"grad_fn=<{grad_fn}>")
    elif t.requires_grad:
        suffixes.append("requires_grad=True")
    text = prefix + body
    last_line = len(text) - text.rfind("\n") + 1
    for suffix in suffixes:
        if last_line + len(suffix) + 2 > LINEWIDTH:
            text += ",\n" + " " * indent + suffix
            last_line = indent + len(suffix)
        else:
            text += ", " + suffix
            last_line += len(suffix) + 2
    return text + ")"
