"""The micrograd command: demo, draw, train and lessons.

Every mistake in what is typed ends with exit status 2 and one line naming the problem and
what to do; nothing is written before the arguments are checked, and no file is replaced
that micrograd did not make.
"""

from __future__ import annotations

import argparse
import importlib.metadata
import importlib.resources
import math
import os
import sys

from . import data, plots
from .drawing import draw, render, save
from ..core.value import Value
from .replay import replay
from .training import Reporter, accuracy, fit_classifier, fit_line, least_squares, score
from .expression import ExpressionError, evaluate, parse
from .lesson_runner import run_lesson
from .lesson_files import lesson_files


class UsageError(Exception):
    """Bad input on the command line: reported in one line, exit status 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, not argparse's usage block
        """Usage errors end with exit status 2 and one line."""
        raise UsageError(message)


def demo(out_dir: str) -> int:
    """The package in under a minute: a derivative checked by hand, a line fitted, a network trained."""
    os.makedirs(out_dir, exist_ok=True)
    written: list[str] = []

    print("1. f(x) = x²·eˣ at x = 1.5, differentiated by autograd and by hand")
    x0 = 1.5
    x = Value(x0, label="x")
    square = x**2
    square.label = "x²"
    exp = x.exp()
    exp.label = "eˣ"
    f = square * exp
    f.label = "f"
    page = _replay_page(
        f, os.path.join(out_dir, "backward_replay.html")
    )  # before backward frees the graph
    f.backward()
    by_hand = (2 * x0 + x0**2) * math.exp(x0)
    print(f"   f(x)               = {f.data:.10f}")
    print(f"   autograd   f'(x)   = {x.grad:.10f}")
    print(f"   by hand (2x+x²)eˣ  = {by_hand:.10f}")
    if not math.isclose(x.grad, by_hand, rel_tol=1e-12):
        print("   MISMATCH between autograd and the hand-derived derivative", file=sys.stderr)
        return 1
    print("   they agree.")
    written += [save(draw(f), os.path.join(out_dir, "graph.svg"))] + ([page] if page else [])

    print("\n2. Linear regression: y = 0.5·x + 30 + noise, by gradient descent")
    xs, ys = data.linear()
    w, b, losses = fit_line(xs, ys)
    best_w, best_b = least_squares(xs, ys)
    print(
        f"   gradient descent: w = {w:.4f}, b = {b:.4f}  (loss {losses[0]:.1f} -> {losses[-1]:.3f})"
    )
    print(
        f"   least squares:    w = {best_w:.4f}, b = {best_b:.4f}  (the data were made with w = 0.5, b = 30)"
    )
    if not (math.isclose(w, best_w, rel_tol=1e-3) and math.isclose(b, best_b, rel_tol=1e-3)):
        print("   gradient descent did not reach the least-squares fit", file=sys.stderr)
        return 1

    print("\n3. An MLP(2, [16, 16, 1]) learns the two moons (karpathy's demo)")
    X, y = data.moons(100, noise=0.1)
    model, history = fit_classifier(X, y, report=Reporter(100))
    final = accuracy(model, X, y)
    print(f"   training accuracy {final:.0%} after {len(history)} steps")
    try:
        written.append(
            plots.loss_curve([loss for loss, _ in history], os.path.join(out_dir, "loss_curve.svg"))
        )
        written.append(
            plots.decision_boundary(
                lambda a, c: score(model, (a, c)),
                X,
                y,
                os.path.join(out_dir, "decision_boundary.svg"),
            )
        )
    except RuntimeError as err:  # no matplotlib: say how to get the pictures
        print(f"   (no plots: {err})")
    print(f"\nWrote to {os.path.abspath(out_dir)}:")
    for path in written:
        print(f"   {os.path.basename(path)}")
    return 0 if final >= 0.99 else 1


def _replay_page(f: Value, path: str) -> str | None:
    try:
        replay(f, path, names={})
        return path
    except RuntimeError as err:  # no Graphviz: the page needs the rendered graph
        print(f"   (no backward replay page: {err})")
        return None


def train_command(args: argparse.Namespace) -> int:
    """micrograd train moons --steps 100 --hidden 16,16"""
    try:
        hidden = [int(h) for h in args.hidden.split(",") if h]
    except ValueError:
        raise UsageError(f"--hidden takes sizes like 16,16, got {args.hidden!r}") from None
    if not hidden or any(h <= 0 for h in hidden) or args.steps <= 0 or args.points <= 1:
        raise UsageError("--hidden sizes, --steps and --points must be positive")
    if args.out:
        _check_folder(args.out, "--out")
    X, y = data.DATASETS[args.dataset](args.points, seed=args.seed)
    model, history = fit_classifier(
        X,
        y,
        hidden=hidden,
        steps=args.steps,
        seed=args.seed,
        activation=args.activation,
        report=Reporter(args.steps),
    )
    print(
        f"{args.dataset}: {model.__class__.__name__}(2, {hidden + [1]}) with {len(model.parameters())} "
        f"parameters, training accuracy {accuracy(model, X, y):.1%}"
    )
    if args.out:
        os.makedirs(args.out, exist_ok=True)
        plots.loss_curve([loss for loss, _ in history], os.path.join(args.out, "loss_curve.svg"))
        plots.decision_boundary(
            lambda a, c: score(model, (a, c)), X, y, os.path.join(args.out, "decision_boundary.svg")
        )
        print(f"wrote loss_curve.svg and decision_boundary.svg to {args.out}")
    return 0


def _check_file(path: str | None, option: str, suffixes: tuple[str, ...]) -> None:
    """An output file we may write: the right suffix, in a folder that exists, not a folder."""
    if path is None:
        return
    if (
        path.rpartition(".")[2].lower() not in suffixes
        or path.endswith(os.sep)
        or os.path.isdir(path)
    ):
        raise UsageError(
            f"{option} needs a file name ending in {' or '.join('.' + x for x in suffixes)}, got {path!r}"
        )
    folder = os.path.dirname(path)
    if folder and not os.path.isdir(folder):
        raise UsageError(f"{option} {path}: the folder {folder!r} does not exist (create it first)")


def _check_folder(path: str, option: str) -> None:
    """An output folder we may create or write into."""
    if not path:
        raise UsageError(f"{option} needs a folder name")
    if os.path.exists(path) and not os.path.isdir(path):
        raise UsageError(f"{option} {path}: this is a file, not a folder")
    parent = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(parent):
        raise UsageError(f"{option} {path}: the folder {parent!r} does not exist (create it first)")


def draw_command(args: argparse.Namespace) -> int:
    """micrograd draw "x**2 * exp(x)" --at x=1.5 -o graph.svg [--steps replay.html]"""
    _check_file(args.output, "-o", ("svg", "png", "pdf"))
    _check_file(args.steps, "--steps", ("html",))
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
        out = evaluate(parse(args.expression, values), values, args.expression)
    except ExpressionError as err:
        raise UsageError(str(err)) from None
    if args.view == "tensor":
        raise UsageError(
            "the tensor view draws Tensors; an expression typed here is a scalar: use --view scalar"
        )
    out.label = f"f = {out.label}" if out.label and len(out.label) <= 24 else "f"
    if not out.requires_grad:
        raise UsageError("the expression does not depend on any variable given with --at")
    if args.steps:
        replay(out, args.steps, names={}, rankdir=args.rankdir)
        print(f"wrote the backward replay to {args.steps}")
    out.backward()
    print(
        f"f = {out.data:.6g}; "
        + ", ".join(f"df/d{name} = {v.grad:.6g}" for name, v in values.items())
    )
    if args.output:
        render(draw(out, rankdir=args.rankdir, view=args.view), args.output)
        print(f"wrote the graph to {args.output}")
    return 0


def _shown(lesson) -> str:
    """Where a lesson is, for the list: relative to this folder when inside it, else in full."""
    path = os.path.abspath(os.fspath(lesson)) if isinstance(lesson, os.PathLike) else lesson.name
    try:
        relative = os.path.relpath(path)
    except ValueError:  # Windows: another drive
        return path
    return path if relative.startswith(os.pardir) else relative


def lessons_command(args: argparse.Namespace) -> int:
    """micrograd lessons [run N | export DIR]: the lessons are micrograd.lessons's package data."""
    try:
        files = lesson_files(args.lang)
    except FileNotFoundError as err:
        raise UsageError(str(err)) from None
    if args.action is None:
        for lesson in files:
            title = next(
                line[4:].strip()
                for line in lesson.read_text(encoding="utf-8").split("\n")
                if line.startswith("# # ")
            )
            print(f"{title}    ({_shown(lesson)})")
        return 0
    if args.action == "run":
        chosen = (
            [f for f in files if f.name.startswith(f"{int(args.target):02d}_")]
            if args.target and args.target.isdigit()
            else []
        )
        if not chosen:
            raise UsageError(f"no lesson {args.target!r}: give a number from 1 to {len(files)}")
        with importlib.resources.as_file(chosen[0]) as path:  # a real file, for tracebacks
            run_lesson(str(path))
        return 0
    if args.action == "export":
        if not args.target:
            raise UsageError(
                "micrograd lessons export needs a folder, e.g. micrograd lessons export notebooks/"
            )
        try:
            import jupytext
        except ImportError:
            raise UsageError(
                "exporting notebooks needs jupytext: pip install jupytext (or the extra [notebooks] of micrograd-classroom)"
            ) from None
        _check_folder(args.target, "export")
        os.makedirs(args.target, exist_ok=True)
        kept = 0
        for lesson in files:
            notebook = jupytext.reads(lesson.read_text(encoding="utf-8"), fmt="py:percent")
            for number, cell in enumerate(
                notebook.cells
            ):  # ids the same every time (nbformat's are random),
                cell["id"] = f"cell-{number}"  # so an unchanged notebook compares equal
            text = jupytext.writes(notebook, fmt="ipynb")
            out = os.path.join(args.target, lesson.name[:-3] + ".ipynb")
            if os.path.exists(out) and not args.force and _read(out) != text:
                print(
                    f"kept {out}: it differs from the lesson (your changes?); --force replaces it"
                )
                kept += 1
                continue
            with open(out, "w", encoding="utf-8") as handle:
                handle.write(text)
            print(out)
        return 0
    raise UsageError(f"unknown lessons action {args.action!r}: use run or export")


def _read(path: str) -> str:
    with open(path, encoding="utf-8") as handle:
        return handle.read()


DRAW_OPTIONS = ("-h", "--help", "--at", "-o", "--output", "--steps", "--view", "--rankdir")


def _formulas_first(argv: list[str]) -> list[str]:
    """draw -x*2: a formula that starts with a minus is not an option.  A leading space keeps
    argparse from reading it as one (the formula's parser ignores it)."""
    if not argv or argv[0] != "draw":
        return argv
    result, expects_value = [argv[0]], False
    for token in argv[1:]:
        is_option = token.split("=")[0] in DRAW_OPTIONS or (
            token.startswith("-o")
            and len(token) > 2
            and token[2:].rpartition(".")[2] in ("svg", "png", "pdf")
        )
        if (
            token.startswith("-")
            and len(token) > 1
            and not expects_value
            and not is_option
            and token != "--"
        ):
            token = " " + token
        expects_value = token in DRAW_OPTIONS[2:]
        result.append(token)
    return result


def build_parser() -> argparse.ArgumentParser:
    """The command line: its commands, arguments and help texts."""
    parser = _Parser(
        prog="micrograd",
        description="micrograd: a scalar autograd engine for the classroom. "
        "Commands: demo, draw, train, lessons; micrograd COMMAND --help says more.",
    )
    parser.add_argument(
        "--version",
        action="version",
        version=f"micrograd-classroom {_version()}",
        help="print micrograd-classroom's version and stop",
    )
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    demo_parser = commands.add_parser("demo", help="walk through the package in under a minute")
    demo_parser.add_argument("--out", default="micrograd-output", help="folder for the pictures")
    train_parser = commands.add_parser("train", help="train an MLP on a 2-D data set")
    train_parser.add_argument(
        "dataset", choices=sorted(data.DATASETS), help="the 2-D data set to learn"
    )
    train_parser.add_argument("--steps", type=int, default=100, help="gradient steps (default 100)")
    train_parser.add_argument("--hidden", default="16,16", help="hidden layer sizes, e.g. 16,16")
    train_parser.add_argument(
        "--activation",
        choices=["relu", "tanh", "sigmoid"],
        default="relu",
        help="the hidden layers' nonlinearity (default relu)",
    )
    train_parser.add_argument(
        "--points", type=int, default=100, help="how many data points (default 100)"
    )
    train_parser.add_argument(
        "--seed", type=int, default=1337, help="random seed for the data and the weights"
    )
    train_parser.add_argument("--out", help="folder for the loss curve and decision boundary")
    lessons_parser = commands.add_parser(
        "lessons", help="list, run or export the classroom lessons"
    )
    lessons_parser.add_argument(
        "action",
        nargs="?",
        choices=["run", "export"],
        help="run one lesson (its text, then each cell's output), or export them all as notebooks (none: list them)",
    )
    lessons_parser.add_argument(
        "target", nargs="?", help="a lesson number (run) or a folder (export)"
    )
    lessons_parser.add_argument(
        "--lang", choices=["en", "zh"], default="en", help="English (en) or Chinese (zh)"
    )
    lessons_parser.add_argument(
        "--force", action="store_true", help="export: replace notebooks even if they were changed"
    )
    draw_parser = commands.add_parser(
        "draw", help="evaluate a formula, backpropagate, draw its graph"
    )
    draw_parser.add_argument("expression", help='e.g. "x**2 * exp(x)"')
    draw_parser.add_argument(
        "--at",
        action="append",
        default=[],
        metavar="NAME=NUMBER",
        help="a variable's value (repeat, or x=1,y=2)",
    )
    draw_parser.add_argument("-o", "--output", help="the drawing: .svg, .png or .pdf")
    draw_parser.add_argument(
        "--steps", metavar="PAGE.html", help="also write the backward replay page"
    )
    draw_parser.add_argument(
        "--view",
        choices=["scalar", "tensor"],
        default="scalar",
        help="one node per number (scalar) or per tensor",
    )
    draw_parser.add_argument(
        "--rankdir",
        choices=["auto", "LR", "TB", "RL", "BT"],
        default="auto",
        help="the graph's direction: left to right (LR), top to bottom (TB)...; "
        "auto: left to right unless the graph is deep",
    )
    return parser


def _version() -> str:
    """The installed distribution's version (micrograd.__version__, as setup.cfg reads it)."""
    try:
        return importlib.metadata.version("micrograd-classroom")
    except importlib.metadata.PackageNotFoundError:
        return "(not installed: run from a folder, pip install -e . to install it)"


def main(argv: list[str] | None = None) -> int:
    """The micrograd command: demo, draw, train, lessons."""
    parser = build_parser()
    try:
        args = parser.parse_args(_formulas_first(sys.argv[1:] if argv is None else list(argv)))
        if args.command == "demo":
            return demo(args.out)
        if args.command == "train":
            return train_command(args)
        if args.command == "lessons":
            return lessons_command(args)
        return draw_command(args)
    except UsageError as err:
        print(f"micrograd: error: {err}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # micrograd lessons | head: the reader has gone
        sys.stdout = open(os.devnull, "w")  # (Python's advice: no second error at exit)
        return 0
    except OSError as err:  # a file we could not read or write
        print(
            f"micrograd: error: {err.strerror or err}: {err.filename or ''}".rstrip(": "),
            file=sys.stderr,
        )
        return 2
    except RuntimeError as err:  # e.g. Graphviz missing: say how to install it
        print(f"micrograd: error: {err}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
