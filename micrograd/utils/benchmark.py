"""``torch.utils.benchmark``'s ``Timer``: run a statement many times and report the time per run.

>>> Timer(stmt="f(x)", globals={"f": f, "x": x}).timeit(100)
<torch.utils.benchmark.utils.common.Measurement object at 0x...>
f(x)
  1.52 ms
  1 measurement, 100 runs , 1 thread

As in PyTorch, the printout reads the same way and the time of one run is ``times[0]`` (for
``timeit``) or their median.  micrograd runs in one thread, whatever ``num_threads`` says.
"""

from __future__ import annotations

import statistics
import timeit as _timeit
from typing import Any, Callable

from ..core.errors import missing_name


def _with_unit(seconds: float) -> str:
    """1.5e-3 -> '1.50 ms', as PyTorch picks the unit (ns, us, ms or s)."""
    for unit, scale in (("ns", 1e-9), ("us", 1e-6), ("ms", 1e-3)):
        if seconds < scale * 1000:
            return f"{seconds / scale:.2f} {unit}"
    return f"{seconds:.2f} s"


class Measurement:
    """The result of a Timer: ``times`` (seconds per run, one entry per measurement), ``mean``,
    ``median``, and the statement it timed."""

    def __init__(
        self,
        number_per_run: int,
        raw_times: list[float],
        stmt: str,
        setup: str = "pass",
        label: str | None = None,
        sub_label: str | None = None,
        description: str | None = None,
    ) -> None:
        self.number_per_run = number_per_run
        self.raw_times = raw_times
        self.stmt, self.setup = stmt, setup
        self.label, self.sub_label, self.description = label, sub_label, description

    @property
    def times(self) -> list[float]:
        """Seconds per run, one entry per measurement."""
        return [t / self.number_per_run for t in self.raw_times]

    @property
    def mean(self) -> float:
        """The mean of times."""
        return statistics.mean(self.times)

    @property
    def median(self) -> float:
        """The median of times."""
        return statistics.median(self.times)

    def __repr__(self) -> str:
        lines = [f"<torch.utils.benchmark.utils.common.Measurement object at {hex(id(self))}>"]
        if self.label:
            lines.append(self.label + (f": {self.sub_label}" if self.sub_label else ""))
        lines.append(self.description or self.stmt)
        if self.setup != "pass":
            lines.append(f"setup: {self.setup}")
        count = len(self.raw_times)
        lines.append(f"  {_with_unit(self.median)}")
        lines.append(
            f"  {count} measurement{'s' if count > 1 else ''}, {self.number_per_run} runs , 1 thread"
        )
        return "\n".join(lines)

    __str__ = __repr__


class Timer:
    """Times `stmt` (a string of Python, run in `globals` after `setup`), as ``torch.utils.benchmark.Timer``."""

    def __init__(
        self,
        stmt: str = "pass",
        setup: str = "pass",
        global_setup: str = "",
        timer: Callable[[], float] = _timeit.default_timer,
        globals: dict[str, Any] | None = None,
        label: str | None = None,
        sub_label: str | None = None,
        description: str | None = None,
        env: str | None = None,
        num_threads: int = 1,
        language: Any = None,
    ) -> None:
        self.stmt, self.setup = stmt, setup
        self.label, self.sub_label, self.description = label, sub_label, description
        self._timer = _timeit.Timer(stmt, setup, timer, globals=dict(globals or {}))

    def _measurement(self, number: int, raw_times: list[float]) -> Measurement:
        return Measurement(
            number, raw_times, self.stmt, self.setup, self.label, self.sub_label, self.description
        )

    def timeit(self, number: int = 1000000) -> Measurement:
        """Run stmt `number` times: one measurement."""
        return self._measurement(number, [self._timer.timeit(number)])

    def blocked_autorange(
        self, callback: Callable | None = None, min_run_time: float = 0.2
    ) -> Measurement:
        """Measurements of blocks of runs until `min_run_time` seconds have passed."""
        number, _ = self._timer.autorange()
        raw_times, total = [], 0.0
        while total < min_run_time or not raw_times:
            raw_times.append(self._timer.timeit(number))
            total += raw_times[-1]
        return self._measurement(number, raw_times)

    adaptive_autorange = blocked_autorange


def __getattr__(name: str) -> Any:
    """A torch.utils.benchmark name micrograd does not have: say so (never AttributeError)."""
    raise missing_name("utils.benchmark.", name)
