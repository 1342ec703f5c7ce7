"""``torch.autograd.profiler``: what a block of code computed, operation by operation, and how long
each kind of operation took.

>>> with profile() as prof:
...     for _ in range(1000):
...         z = (z / x) * y
>>> print(prof.key_averages().table(sort_by="self_cpu_time_total"))

micrograd computes with scalars, so the table counts the primitives of the derivative table
(``div``, ``mul``...) once per element: dividing two 2×3 tensors is 6 divisions, where PyTorch
counts one ``aten::div`` per tensor.  An operation's time runs from the end of the previous
event to its own end, so it includes the Python work that led to it (building the tensor
around it).  A backward pass is one ``backward`` row with its time; the steps it took are
counted by node (``MulBackward0``...), their time being part of the pass's.  ``record_function``
names a block: its row shows the block's total time and, as Self CPU, what its operations
did not take.  As PyTorch's, a profile sees the operations of the thread that runs it only.
"""

from __future__ import annotations

import time
from typing import Any

from ..core import value as engine
from ..core.errors import NotSupported
from ..core.graph import topological_order

_active = engine.PerThread()  # the profile blocks running in this thread (innermost last)


class FunctionEventAvg:
    """One row: an operation's name (``key``), how often it ran (``count``) and its times in
    microseconds: ``self_cpu_time_total``, ``cpu_time_total`` and the mean ``cpu_time``."""

    def __init__(self, key: str) -> None:
        self.key = key
        self.count = 0
        self.self_cpu_time_total = 0.0
        self.cpu_time_total = 0.0
        self.timed = True  # False for backward steps: their time is the pass's

    @property
    def cpu_time(self) -> float:
        """The mean time of one call (µs)."""
        return self.cpu_time_total / self.count if self.count else 0.0

    def __repr__(self) -> str:
        return (
            f"<FunctionEventAvg key={self.key} self_cpu_time={_time(self.self_cpu_time_total)} "
            f"cpu_time={_time(self.cpu_time)} count={self.count}>"
        )


def _time(us: float) -> str:
    """Microseconds as PyTorch prints them: 841.558us, 1.895ms, 2.001s."""
    if us >= 1e6:
        return f"{us / 1e6:.3f}s"
    if us >= 1e3:
        return f"{us / 1e3:.3f}ms"
    return f"{us:.3f}us"


class EventList(list):
    """The rows of a profile (``key_averages()``): a list of FunctionEventAvg with ``table()``."""

    SORT_KEYS = ("self_cpu_time_total", "cpu_time_total", "cpu_time", "count")

    def table(
        self,
        sort_by: str | None = None,
        row_limit: int = 100,
        max_name_column_width: int = 55,
        header: str | None = None,
        top_level_events_only: bool = False,
    ) -> str:
        """The rows as PyTorch prints them: Name, Self CPU %, Self CPU, CPU total %, CPU total,
        CPU time avg, # of Calls; sorted (largest first) by `sort_by` if given."""
        rows = list(self)
        if sort_by is not None:
            if sort_by not in self.SORT_KEYS:
                raise NotSupported(
                    f"sort_by={sort_by!r}: micrograd measures CPU time only; use one of {self.SORT_KEYS}"
                )
            rows.sort(key=lambda e: getattr(e, sort_by), reverse=True)
        rows = rows[:row_limit]
        total = sum(e.self_cpu_time_total for e in self) or 1.0
        width = min(max([len(e.key) for e in rows] + [4]) + 4, max_name_column_width)
        titles = [
            "Self CPU %",
            "Self CPU",
            "CPU total %",
            "CPU total",
            "CPU time avg",
            "# of Calls",
        ]
        rule = "-" * width + "  " + "  ".join("-" * 12 for _ in titles) + "  "

        def line(name: str, cells: list[str]) -> str:
            name = name if len(name) <= width else name[: width - 3] + "..."
            return name.rjust(width) + "  " + "  ".join(c.rjust(12) for c in cells) + "  "

        out = ([header] if header else []) + [rule, line("Name", titles), rule]
        for e in rows:
            times = [
                f"{100 * e.self_cpu_time_total / total:.2f}%",
                _time(e.self_cpu_time_total),
                f"{100 * e.cpu_time_total / total:.2f}%",
                _time(e.cpu_time_total),
                _time(e.cpu_time),
            ]
            out.append(line(e.key, (times if e.timed else ["--"] * 5) + [str(e.count)]))
        out += [rule, f"Self CPU time total: {_time(sum(e.self_cpu_time_total for e in self))}", ""]
        return "\n".join(out)

    def total_average(self) -> FunctionEventAvg:
        """All rows added up, as one row named 'Total'."""
        total = FunctionEventAvg("Total")
        for e in self:
            total.count += e.count
            total.self_cpu_time_total += e.self_cpu_time_total
            total.cpu_time_total += e.cpu_time_total
        return total


class profile:
    """``with profile() as prof:`` records every operation micrograd computes inside the block.

    Only the CPU is profiled: asking for CUDA or another device, for shapes, memory, stacks or
    FLOPs raises ``NotSupported``.
    """

    def __init__(
        self,
        enabled: bool = True,
        *,
        use_cuda: bool = False,
        use_device: str | None = None,
        record_shapes: bool = False,
        with_flops: bool = False,
        profile_memory: bool = False,
        with_stack: bool = False,
        with_modules: bool = False,
        use_kineto: bool = False,
        use_cpu: bool = True,
        **options: Any,
    ) -> None:
        wanted = {
            "use_cuda": use_cuda,
            "record_shapes": record_shapes,
            "with_flops": with_flops,
            "profile_memory": profile_memory,
            "with_stack": with_stack,
            "with_modules": with_modules,
            "use_device": use_device not in (None, "cpu"),
        }
        asked = [name for name, on in wanted.items() if on]
        if asked:
            raise NotSupported(
                f"profile({asked[0]}=...): micrograd's profiler measures CPU time and counts only"
            )
        self.enabled = enabled
        self.rows: dict[str, FunctionEventAvg] = {}
        self._last = 0.0
        self._backward_start = 0.0

    def _row(self, key: str) -> FunctionEventAvg:
        if key not in self.rows:
            self.rows[key] = FunctionEventAvg(key)
        return self.rows[key]

    def _add(self, key: str, start: float, end: float, count: int = 1) -> None:
        row = self._row(key)
        row.count += count
        row.self_cpu_time_total += (end - start) * 1e6
        row.cpu_time_total += (end - start) * 1e6

    def _on_operation(self, prim: Any, out: Any, x: Any, y: Any) -> None:
        now = time.perf_counter()
        self._add(prim.name, self._last, now)
        self._last = now

    def _on_backward(self, roots: list | None) -> None:
        now = time.perf_counter()
        if roots is None:  # the pass has ended
            self._add("backward", self._backward_start, now)
            self._last = now
            return
        self._backward_start = now
        # one step per operation: a custom Function's node is the grad_fn of all its outputs
        steps = dict.fromkeys(
            v.grad_fn for v in reversed(topological_order(roots)) if not v.is_leaf
        )
        for step in steps:
            row = self._row(step.name())
            row.timed = False
            row.count += 1

    def __enter__(self) -> profile:
        if self.enabled:
            engine.observers.append(self._on_operation)
            engine.backward_observers.append(self._on_backward)
            _active.append(self)
            self._last = time.perf_counter()
        return self

    def __exit__(self, *exc: object) -> None:
        if self.enabled:
            engine.observers.remove(self._on_operation)
            engine.backward_observers.remove(self._on_backward)
            _active.remove(self)

    def key_averages(
        self, group_by_input_shape: bool = False, group_by_stack_n: int = 0
    ) -> EventList:
        """One row per kind of operation, in the order they first ran."""
        if group_by_input_shape or group_by_stack_n:
            raise NotSupported("key_averages: micrograd does not record shapes or stacks")
        return EventList(self.rows.values())

    def export_chrome_trace(self, path: str) -> None:
        """Not supported: micrograd records counts and times, not a trace."""
        raise NotSupported(
            "export_chrome_trace: micrograd's profiler records counts and times, not a trace"
        )


class record_function:
    """``with record_function("loss"):`` adds a row for the block: its total time and count."""

    def __init__(self, name: str, args: str | None = None) -> None:
        self.name = name

    def __enter__(self) -> record_function:
        self._start = time.perf_counter()
        self._inside = {id(p): sum(e.self_cpu_time_total for e in p.rows.values()) for p in _active}
        return self

    def __exit__(self, *exc: object) -> None:
        now = time.perf_counter()
        for p in _active:
            inside = sum(e.self_cpu_time_total for e in p.rows.values()) - self._inside.get(
                id(p), 0.0
            )
            row = p._row(self.name)
            row.count += 1
            row.cpu_time_total += (now - self._start) * 1e6
            row.self_cpu_time_total += max((now - self._start) * 1e6 - inside, 0.0)
            p._last = now
