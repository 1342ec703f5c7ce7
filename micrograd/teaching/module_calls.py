"""Which module call made which Values, so that a drawing can box them (Neuron, Layer, MLP...).

Each call of an ``nn.Module`` takes a stamp before it starts and one after it ends
(``core.value.tick``); the Values it made have the stamps in between.  Two global module hooks,
registered when this module is imported (``micrograd`` imports it, through the drawings), take
the stamps: ``nn`` knows nothing of the drawings.  The latest calls are kept here (the most
recent MAX_CALLS), which is all a drawing of a recent graph needs; a module stays in memory until
its calls are pushed out.
"""

from __future__ import annotations

import threading
from collections import deque
from typing import Any, NamedTuple

from ..core.value import tick
from ..nn.modules import register_module_forward_hook, register_module_forward_pre_hook

MAX_CALLS = 50_000


class Call(NamedTuple):
    """One call of a module: the Values it made have stamps s with end < s < start."""

    module: Any
    start: int
    end: int

    def made(self, stamp: int) -> bool:
        """True if the Value with this stamp was made during the call."""
        return self.end < stamp < self.start


CALLS: deque[Call] = deque(maxlen=MAX_CALLS)
"""The latest module calls, oldest first (the hooks below append them)."""


class _Started(threading.local):
    """The start stamps of the module calls running in this thread, innermost last."""

    def __init__(self) -> None:
        self.stamps: list[int] = []


_started = _Started()


def _before_call(module: Any, args: tuple) -> None:
    _started.stamps.append(tick())


def _after_call(module: Any, args: tuple, output: Any) -> None:
    # always_call: this runs even when the call raises, so each start stamp is taken off by its own call
    CALLS.append(Call(module, _started.stamps.pop(), tick()))


HOOKS = (
    register_module_forward_pre_hook(_before_call),
    register_module_forward_hook(_after_call, always_call=True),
)
"""The handles of the two hooks that record the calls (``remove()`` them to stop recording)."""


def innermost_calls(
    stamps: list[int],
) -> tuple[list[Call], dict[int, Call], dict[Call, Call | None]]:
    """For Values with these stamps: the calls that made any of them, each stamp's innermost
    call (stamps made outside every call are left out), and each call's enclosing call."""
    if not stamps:
        return [], {}, {}
    newest, oldest = min(stamps), max(stamps)
    # Calls nest like parentheses: sorted by start (oldest first), then by end (longest first),
    # each call comes after the calls that enclose it.
    relevant = sorted(
        (c for c in CALLS if c.end < oldest and c.start > newest), key=lambda c: (-c.start, c.end)
    )
    parent: dict[Call, Call | None] = {}
    open_calls: list[Call] = []
    for call in relevant:
        while open_calls and not (
            open_calls[-1].end < call.end and call.start < open_calls[-1].start
        ):
            open_calls.pop()
        parent[call] = open_calls[-1] if open_calls else None
        open_calls.append(call)
    home: dict[int, Call] = {}
    for stamp in stamps:
        inside = [c for c in relevant if c.made(stamp)]
        if inside:
            home[stamp] = min(inside, key=lambda c: c.start - c.end)
    used: set[Call] = set()
    for call in home.values():
        while call is not None and call not in used:
            used.add(call)
            call = parent[call]
    return [c for c in relevant if c in used], home, parent
