"""Benchmarks: this engine against karpathy's micrograd, PyTorch CPU scalars and the floor.

Every figure is a ratio measured in the same run: the engines take turns, each workload is
repeated and the best (least disturbed) time kept.  Targets (ratios other/ours):

  forward  >= 10x micrograd, >= 3x torch (chain), within 2.5x of the floor
  backward >= 1.5x micrograd, >= 4x torch, on the chain and on the chain-sum
  memory   <= 1/6 of micrograd's bytes per node
  training step >= 12x micrograd's

Run:  ./dev bench            (or  python bench/run.py --quick)
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
import time
import tracemalloc
from typing import Any, Callable, Sequence

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.setrecursionlimit(1_000_000)  # karpathy's backward is recursive

import anchors  # noqa: E402
from micrograd import Value  # noqa: E402
from micrograd.core.graph import topological_order  # noqa: E402


def best_of(repeats: int, run: Callable[[], float]) -> float:
    return min(run() for _ in range(repeats))


def timed(function: Callable[[], Any]) -> tuple[float, Any]:
    gc.collect()  # every engine starts clean: no other engine's garbage to traverse
    start = time.perf_counter()
    result = function()
    return time.perf_counter() - start, result


# --- the engines, each as (make a leaf, make a constant-free chain...) ----------------------
def engines() -> dict[str, Callable[[float], Any]]:
    found: dict[str, Callable[[float], Any]] = {"ours": lambda x: Value(x)}
    karpathy = anchors.karpathy()
    if karpathy:
        found["micrograd"] = lambda x: karpathy.engine.Value(x)
    torch = anchors.torch()
    if torch:
        found["torch"] = lambda x: torch.tensor(x, dtype=torch.float64, requires_grad=True)
    return found


def chain(leaf: Any, n: int) -> Any:
    y = leaf
    for _ in range(n):
        y = y * 1.0001 + 0.1
    return y


def chain_sum(leaves: list) -> Any:
    s = leaves[0] * leaves[0]
    for v in leaves[1:]:
        s = s + v * v
    return s


def floor_chain(n: int) -> Any:
    y = anchors.Bare(1.0)
    for _ in range(2 * n):
        y = anchors.Bare(y.data * 1.0001, (y,))
    return y


def measure_scalar(repeats: int, n_chain: int, n_sum: int) -> dict[str, dict[str, float]]:
    makers = engines()
    results: dict[str, dict[str, float]] = {name: {} for name in makers}
    forward = {name: [] for name in makers}
    backward = {name: [] for name in makers}
    sum_forward = {name: [] for name in makers}
    sum_backward = {name: [] for name in makers}
    floor: list[float] = []
    for _ in range(repeats):  # engines take turns within each repeat
        floor.append(timed(lambda: floor_chain(n_chain))[0])
        for name, make in makers.items():
            seconds, y = timed(lambda: chain(make(1.0), n_chain))
            forward[name].append(seconds)
            backward[name].append(timed(y.backward)[0])
            del y
            leaves = [make(0.001 * i) for i in range(n_sum)]
            seconds, s = timed(lambda: chain_sum(leaves))
            sum_forward[name].append(seconds)
            sum_backward[name].append(timed(s.backward)[0])
            del s
    ops = 2 * n_chain  # each step is one * and one +
    for name in makers:
        results[name]["forward ns/op"] = min(forward[name]) / ops * 1e9
        results[name]["backward ns/node"] = min(backward[name]) / ops * 1e9
        results[name]["chain-sum forward ns/op"] = min(sum_forward[name]) / (2 * n_sum) * 1e9
        results[name]["chain-sum backward ns/node"] = min(sum_backward[name]) / (2 * n_sum) * 1e9
    results["floor"] = {"forward ns/op": min(floor) / ops * 1e9}
    return results


def bytes_per_node(make: Callable[[float], Any], n: int) -> float:
    leaf = make(1.0)
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    y = chain(leaf, n // 2)
    after = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    del y
    return (after - before) / n


def measure_memory(n: int) -> dict[str, float]:
    # tracemalloc sees Python's allocations only, not PyTorch's (C++), so torch is left out.
    found = {name: bytes_per_node(make, n) for name, make in engines().items() if name != "torch"}
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    y = floor_chain(n // 2)
    found["floor"] = (tracemalloc.get_traced_memory()[0] - before) / n
    tracemalloc.stop()
    del y
    return found


def verdict(ok: bool) -> str:
    return "met" if ok else "MISSED"


def report(scalar: dict[str, dict[str, float]], memory: dict[str, float]) -> str:
    ours = scalar["ours"]
    lines = [
        "| workload | ours | micrograd | torch | floor | micrograd/ours | torch/ours |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for key in (
        "forward ns/op",
        "backward ns/node",
        "chain-sum forward ns/op",
        "chain-sum backward ns/node",
    ):
        row = [key, f"{ours[key]:.0f}"]
        for other in ("micrograd", "torch", "floor"):
            value = scalar.get(other, {}).get(key)
            row.append("-" if value is None else f"{value:.0f}")
        for other in ("micrograd", "torch"):
            value = scalar.get(other, {}).get(key)
            row.append("-" if value is None else f"{value / ours[key]:.1f}x")
        lines.append("| " + " | ".join(row) + " |")
    row = ["bytes/node (chain of 100,000)", f"{memory['ours']:.0f}"]
    row += [f"{memory[k]:.0f}" if k in memory else "-" for k in ("micrograd", "torch", "floor")]
    row += [
        f"{memory[k] / memory['ours']:.1f}x" if k in memory else "-" for k in ("micrograd", "torch")
    ]
    lines.append("| " + " | ".join(row) + " |")
    lines.append("")
    targets = []
    floor_ratio = ours["forward ns/op"] / scalar["floor"]["forward ns/op"]
    targets.append(
        f"forward within 2.5x of the floor: {floor_ratio:.2f}x -> {verdict(floor_ratio <= 2.5)}"
    )
    for anchor, forward_target, backward_target in (("micrograd", 10, 1.5), ("torch", 3, 4)):
        if anchor in scalar:
            f = scalar[anchor]["forward ns/op"] / ours["forward ns/op"]
            targets.append(
                f"forward >= {forward_target}x {anchor}: {f:.1f}x -> {verdict(f >= forward_target)}"
            )
            for key in ("backward ns/node", "chain-sum backward ns/node"):
                b = scalar[anchor][key] / ours[key]
                targets.append(
                    f"{key.replace(' ns/node', '')} >= {backward_target}x {anchor}: {b:.2f}x -> "
                    f"{verdict(b >= backward_target)}"
                )
    if "micrograd" in memory:
        share = memory["ours"] / memory["micrograd"]
        targets.append(f"memory <= 1/6 of micrograd's: {share:.2f} -> {verdict(share <= 1 / 6)}")
    return "\n".join(lines + ["- " + t for t in targets])


# --- tensors: the cost per scalar node against the same computation with bare Values -------------
def tensor_workloads(n: int) -> dict[str, tuple[Callable, Callable]]:
    """name -> (with Tensors, with bare Values); each returns the scalar output to backpropagate."""
    import micrograd as mg

    a = mg.randn(n, n, requires_grad=True)
    b = mg.randn(n, n, requires_grad=True)
    av = [[Value(x) for x in row] for row in a.tolist()]
    bv = [[Value(x) for x in row] for row in b.tolist()]

    def bare_sum(rows: list) -> Value:
        total = rows[0][0] + 0.0
        for row_index, row in enumerate(rows):
            for col_index, v in enumerate(row):
                if row_index or col_index:
                    total = total + v
        return total

    def bare_elementwise() -> Value:
        return bare_sum([[x * y + x for x, y in zip(ra, rb)] for ra, rb in zip(av, bv)])

    def bare_matmul() -> Value:
        columns = list(zip(*bv))
        product = []
        for row in av:
            out_row = []
            for column in columns:
                total = row[0] * column[0]
                for x, y in zip(row[1:], column[1:]):
                    total = total + x * y
                out_row.append(total)
            product.append(out_row)
        return bare_sum(product)

    return {
        "elementwise a*b + a": (lambda: (a * b + a).sum(), bare_elementwise),
        "sum": (lambda: a.sum(), lambda: bare_sum(av)),
        "matmul a @ b": (lambda: (a @ b).sum(), bare_matmul),
    }


def measure_tensors(
    repeats: int, sizes: Sequence[int]
) -> list[tuple[str, int, float, float, float, float]]:
    rows = []
    for n in sizes:
        for name, (with_tensors, with_values) in tensor_workloads(n).items():
            times = {}
            for label, build in (("tensor", with_tensors), ("values", with_values)):
                forward, backward = [], []
                for _ in range(repeats):
                    seconds, out = timed(build)
                    forward.append(seconds)
                    backward.append(timed(out.backward)[0])
                    del out
                times[label] = (min(forward), min(backward))
            nodes = count_nodes(with_values())
            rows.append(
                (
                    name,
                    n,
                    times["tensor"][0] / nodes * 1e9,
                    times["values"][0] / nodes * 1e9,
                    times["tensor"][1] / nodes * 1e9,
                    times["values"][1] / nodes * 1e9,
                )
            )
    return rows


def count_nodes(root: Value) -> int:
    """The operations (non-leaf Values) the backward pass goes through."""
    return sum(1 for v in topological_order(root) if v._inputs)


def tensor_report(rows: list) -> str:
    lines = [
        "| workload | n | scalar nodes | forward ns/node (tensor / values) | ratio | "
        "backward ns/node (tensor / values) | ratio |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    worst = 0.0
    for name, n, tf, vf, tb, vb in rows:
        nodes = {"elementwise a*b + a": 3 * n * n, "sum": n * n, "matmul a @ b": 2 * n**3 + n * n}[
            name
        ]
        worst = max(worst, tf / vf, tb / vb)
        lines.append(
            f"| {name} | {n} | ~{nodes} | {tf:.0f} / {vf:.0f} | {tf / vf:.2f}x | {tb:.0f} / {vb:.0f} | {tb / vb:.2f}x |"
        )
    lines.append("")
    lines.append(
        f"- tensor cost per scalar node within 1.5x of bare Values: worst {worst:.2f}x -> {verdict(worst <= 1.5)}"
    )
    return "\n".join(lines)


# --- drawing: time to build the Digraph and to render it with dot ------------------------------------
def measure_drawing(sizes: Sequence[int]) -> str:
    import shutil

    from micrograd import drawing

    lines = [
        "| nodes drawn | build Digraph (ms) | render svg with dot (ms) |",
        "| ---: | ---: | ---: |",
    ]
    for target in sizes:
        x = Value(0.5, label="x")
        y = x
        while True:  # each step adds 2 Values and 2 operations (4 drawn nodes)
            y = (y * 1.01).tanh()
            drawn = len(drawing._values([y], 10**6))
            if 2 * drawn >= target:
                break
        y.backward()
        build = best_of(3, lambda: timed(lambda: drawing.draw(y, max_nodes=10**6))[0]) * 1e3
        made = drawing.draw(y, max_nodes=10**6)
        render = (
            best_of(3, lambda: timed(lambda: drawing.svg(made))[0]) * 1e3
            if shutil.which("dot")
            else float("nan")
        )
        lines.append(f"| {2 * drawn - 1} | {build:.1f} | {render:.0f} |")
    return "\n".join(lines)


# --- the micrograd demo's training step: MLP(2, [16, 16, 1]), 100 moons points, hinge + L2 -----------
def training_step(value_class: type, mlp_class: type, X: list, y: list) -> Callable[[], None]:
    """karpathy's demo step, written once, run with either engine's Value and MLP."""
    import random

    random.seed(1337)
    model = mlp_class(2, [16, 16, 1])

    def step() -> None:
        inputs = [list(map(value_class, row)) for row in X]
        scores = list(map(model, inputs))
        losses = [(1 + -yi * si).relu() for yi, si in zip(y, scores)]
        data_loss = sum(losses) * (1.0 / len(losses))
        total = data_loss + 1e-4 * sum(p * p for p in model.parameters())
        model.zero_grad()
        total.backward()
        for p in model.parameters():
            p.data -= 0.5 * p.grad

    return step


def measure_training(repeats: int) -> str:
    from micrograd import data, nn

    X, y = data.moons(100, noise=0.1)
    steps = {"ours": training_step(Value, nn.MLP, X, y)}
    karpathy = anchors.karpathy()
    if karpathy:
        steps["micrograd"] = training_step(karpathy.engine.Value, karpathy.nn.MLP, X, y)
    # Consecutive steps, as in training: the collection of the previous steps' garbage (cyclic
    # in karpathy's engine, where each node's _backward closure refers to the node) is part of
    # the cost of a step, so no gc.collect() between them.
    seconds = {}
    for name, step in steps.items():
        gc.collect()  # no other engine's garbage to traverse
        step()  # warm up
        start = time.perf_counter()
        for _ in range(repeats):
            step()
        seconds[name] = (time.perf_counter() - start) / repeats
    lines = ["| engine | ms per training step |", "| --- | ---: |"]
    lines += [f"| {name} | {value * 1e3:.0f} |" for name, value in seconds.items()]
    if "micrograd" in seconds:
        ratio = seconds["micrograd"] / seconds["ours"]
        lines += [
            "",
            f"- training step >= 12x faster than micrograd: {ratio:.1f}x -> {verdict(ratio >= 12)}",
        ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="fewer repeats and smaller sizes")
    args = parser.parse_args()
    engines()
    gc.freeze()  # objects made by imports are not the engines' to traverse
    repeats = 2 if args.quick else 7
    scale = 10 if args.quick else 1
    scalar = measure_scalar(repeats, 20_000 // scale, 50_000 // scale)
    memory = measure_memory(100_000 // scale)
    print(
        "Scalar engine (chain y = y*1.0001 + 0.1, N = 20,000; chain-sum s = s + v*v, 50,000 terms)"
    )
    print(report(scalar, memory))
    print()
    print("Tensors of Values against the same computation with bare Values (per scalar node)")
    print(tensor_report(measure_tensors(repeats, (8, 16) if args.quick else (8, 16, 32, 64))))
    print()
    print("The micrograd demo's training step (MLP(2, [16, 16, 1]), 100 moons points, hinge + L2)")
    print(measure_training(2 if args.quick else 5))
    print()
    print("Drawing")
    print(measure_drawing((50, 200) if args.quick else (50, 200, 500)))


if __name__ == "__main__":
    main()
