"""The ``micrograd`` command: ``micrograd demo``."""
from __future__ import annotations

import argparse
import math
import os
import sys

from .drawing import draw, render
from .engine import Value


def demo(out_dir: str) -> int:
    """f(x) = x²·eˣ: backpropagate, check against the hand-derived f'(x) = (2x + x²)·eˣ, draw it."""
    x0 = 1.5
    x = Value(x0, label="x")
    square = x ** 2
    square.label = "x²"
    exp = x.exp()
    exp.label = "eˣ"
    f = square * exp
    f.label = "f"
    f.backward()
    by_hand = (2 * x0 + x0 ** 2) * math.exp(x0)
    print("f(x) = x²·eˣ at x = 1.5")
    print(f"  f(x)             = {f.data:.10f}")
    print(f"  autograd  f'(x)  = {x.grad:.10f}")
    print(f"  by hand (2x+x²)eˣ = {by_hand:.10f}")
    if not math.isclose(x.grad, by_hand, rel_tol=1e-12):
        print("  MISMATCH between autograd and the hand-derived derivative", file=sys.stderr)
        return 1
    print("  they agree.")
    os.makedirs(out_dir, exist_ok=True)
    path = os.path.join(out_dir, "graph.svg")
    dot = draw(f)
    try:
        render(dot, path)
        print(f"The computation graph (ops as rectangles, variables as ellipses) is in {path}")
    except RuntimeError as err:
        with open(os.path.join(out_dir, "graph.dot"), "w") as handle:
            handle.write(dot.source)
        print(f"Wrote the graph's DOT source to {out_dir}/graph.dot; {err}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="micrograd", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    demo_parser = commands.add_parser("demo", help="walk through the package in under a minute")
    demo_parser.add_argument("--out", default="micrograd-output", help="folder for the pictures")
    args = parser.parse_args(argv)
    if args.command == "demo":
        return demo(args.out)
    return 2


if __name__ == "__main__":
    sys.exit(main())
