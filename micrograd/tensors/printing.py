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


def _summarized(t: Any) -> list[float]:
    """The numbers that will be shown (the edges of large tensors)."""
    if t.dim() == 0:
        return [t._values[0].data]
    rows = range(t.shape[0])
    if t.numel() > THRESHOLD and t.shape[0] > 2 * EDGEITEMS:
        rows = list(range(EDGEITEMS)) + list(range(t.shape[0] - EDGEITEMS, t.shape[0]))
    if t.dim() == 1:
        return [t._values[i].data for i in rows]
    return [x for i in rows for x in _summarized(t[i])]


def _body(t: Any, indent: int, summarize: bool, formatter: _Formatter) -> str:
    if t.dim() == 0:
        return formatter.format(t._values[0].data)
    if t.dim() == 1:
        per_line = max(1, (LINEWIDTH - indent) // (formatter.max_width + 2))
        numbers = [v.data for v in t._values]
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
    rows = range(t.shape[0])
    if summarize and t.shape[0] > 2 * EDGEITEMS:
        slices = (
            [_body(t[i], indent + 1, summarize, formatter) for i in range(EDGEITEMS)]
            + ["..."]
            + [
                _body(t[i], indent + 1, summarize, formatter)
                for i in range(t.shape[0] - EDGEITEMS, t.shape[0])
            ]
        )
    else:
        slices = [_body(t[i], indent + 1, summarize, formatter) for i in rows]
    return "[" + ("," + "\n" * (t.dim() - 1) + " " * (indent + 1)).join(slices) + "]"


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
        body = _body(t, indent, summarize, _Formatter(_summarized(t), t.dtype))
    if t.grad_fn is not None:
        suffixes.append(f"grad_fn=<{type(t.grad_fn).__name__}>")
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
