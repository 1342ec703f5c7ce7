"""Walking a graph: the Values a result depends on, each after its inputs.

The backward pass does not need this (it finds its Values as it goes, see
``pending.Pending``); the drawings, ``teaching.instruments.trace`` and the lessons do.
"""

from __future__ import annotations

from operator import attrgetter
from typing import Sequence

from .value import Value


def topological_order(root: Value | Sequence[Value]) -> list[Value]:
    """Every Value `root` depends on that requires grad, each after all of its inputs, `root` last.

    Creation order is a topological order (see ``Value._stamp``), so this only has to find
    the Values and sort them by stamp, oldest first.  It finds them breadth first: a Value's
    inputs join the end of the list being read.
    """
    roots = list(root) if isinstance(root, (list, tuple)) else [root]
    seen = set(roots)
    found = list(roots)
    for v in found:  # found grows as the loop runs: breadth first
        for i in v._inputs:
            if i.__class__ is Value and i._node is not None and i not in seen:
                seen.add(i)
                found.append(i)
    found.sort(key=attrgetter("_stamp"), reverse=True)
    return found
