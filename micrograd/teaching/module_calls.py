"""Which module call made which Values, so that a drawing can box them (Neuron, Layer, MLP...).

Each call of an ``nn.Module`` takes a stamp before it starts and one after it ends
(``engine.tick``); the Values it made have the stamps in between.  The latest calls are kept
here (the most recent MAX_CALLS), which is all a drawing of a recent graph needs; a module
stays in memory until its calls are pushed out.
"""
from __future__ import annotations

from collections import deque
from typing import Any, NamedTuple

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
"""The latest module calls, oldest first (nn.Module.__call__ appends)."""


def innermost_calls(stamps: list[int]) -> tuple[list[Call], dict[int, Call], dict[Call, Call | None]]:
    """For Values with these stamps: the calls that made any of them, each stamp's innermost
    call (stamps made outside every call are left out), and each call's enclosing call."""
    if not stamps:
        return [], {}, {}
    newest, oldest = min(stamps), max(stamps)
    # Calls nest like parentheses: sorted by start (oldest first), then by end (longest first),
    # each call comes after the calls that enclose it.
    relevant = sorted((c for c in CALLS if c.end < oldest and c.start > newest), key=lambda c: (-c.start, c.end))
    parent: dict[Call, Call | None] = {}
    open_calls: list[Call] = []
    for call in relevant:
        while open_calls and not (open_calls[-1].end < call.end and call.start < open_calls[-1].start):
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
