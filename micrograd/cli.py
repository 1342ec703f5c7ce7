"""The ``micrograd`` command: ``micrograd demo`` and ``micrograd draw``."""
from __future__ import annotations

import argparse
import math
import os
import sys

from .drawing import draw, render, replay
from .engine import Value
from .expression import ExpressionError, evaluate, parse


class UsageError(Exception):
    """Bad input on the command line: reported in one line, exit status 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:      # one line, not argparse's usage block
        raise UsageError(message)


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


def draw_command(args: argparse.Namespace) -> int:
    """micrograd draw "x**2 * exp(x)" --at x=1.5 -o graph.svg [--steps replay.html]"""
    values: dict[str, Value] = {}
    for assignment in args.at:
        for part in assignment.split(","):
            name, equals, number = part.partition("=")
            name = name.strip()
            if not equals or not name.isidentifier():
                raise UsageError(f"--at takes name=number, got {part!r}")
            try:
                values[name] = Value(float(number), label=name)
            except ValueError:
                raise UsageError(f"--at {name}= needs a number, got {number!r}") from None
    try:
        out = evaluate(parse(args.expression, values), values)
    except ExpressionError as err:
        raise UsageError(str(err)) from None
    if args.view == "tensor":
        raise UsageError("the tensor view draws Tensors; an expression typed here is a scalar: use --view scalar")
    out.label = "f"
    if not out.requires_grad:
        raise UsageError("the expression does not depend on any variable given with --at")
    if args.steps:
        replay(out, args.steps, rankdir=args.rankdir)
        print(f"wrote the backward replay to {args.steps}")
    out.backward()
    print(f"f = {out.data:.6g}; " + ", ".join(f"df/d{name} = {v.grad:.6g}" for name, v in values.items()))
    if args.output:
        if args.output.rpartition(".")[2].lower() not in ("svg", "png", "pdf"):
            raise UsageError(f"-o must end in .svg, .png or .pdf, got {args.output!r}")
        render(draw(out, rankdir=args.rankdir, view=args.view), args.output)
        print(f"wrote the graph to {args.output}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = _Parser(prog="micrograd", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    demo_parser = commands.add_parser("demo", help="walk through the package in under a minute")
    demo_parser.add_argument("--out", default="micrograd-output", help="folder for the pictures")
    draw_parser = commands.add_parser("draw", help="evaluate a formula, backpropagate, draw its graph")
    draw_parser.add_argument("expression", help='e.g. "x**2 * exp(x)"')
    draw_parser.add_argument("--at", action="append", default=[], metavar="NAME=NUMBER",
                             help="a variable's value (repeat, or x=1,y=2)")
    draw_parser.add_argument("-o", "--output", help="the drawing: .svg, .png or .pdf")
    draw_parser.add_argument("--steps", metavar="PAGE.html", help="also write the backward replay page")
    draw_parser.add_argument("--view", choices=["scalar", "tensor"], default="scalar")
    draw_parser.add_argument("--rankdir", choices=["LR", "TB", "RL", "BT"], default="LR")
    try:
        args = parser.parse_args(argv)
        if args.command == "demo":
            return demo(args.out)
        return draw_command(args)
    except UsageError as err:
        print(f"micrograd: error: {err}", file=sys.stderr)
        return 2
    except RuntimeError as err:                  # e.g. Graphviz missing: say how to install it
        print(f"micrograd: error: {err}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
