"""The core's speed, each figure measured in a fresh process, as the median of K repeats.

Engines, side by side in one run:
  ours          this checkout's micrograd
  ours@REV      another checkout of micrograd, one per ``--against PATH`` (PATH first on sys.path
                in its processes), so that before/after figures come from the same run
  karpathy      karpathy's micrograd 0.1.0 (bench/anchors.py downloads it)
  torch         PyTorch CPU, 0-dim float64 tensors with requires_grad
  floor         bench/anchors.py's bare __slots__ node: the forward makes one per operation; the
                backward is a plain reversed loop over the list of operations (a tape recorded for
                free, untimed) doing ``g = node.grad`` per node and ``input.grad += g`` per edge,
                with no local derivative: a lower bound for any pass, not a gradient

Measures (the workloads of bench/run.py, whose functions are reused):
  forward ns/op          chain ``y = y*1.0001 + 0.1``, N = 20,000 (2 ops per step)
  backward ns/node       backward of that chain, per node (2N nodes)
  sum backward ns/node   backward of the chain-sum ``s = s + v*v``, 50,000 terms (per 2 x terms)
  bytes/node             tracemalloc, a chain of 100,000 nodes (not torch: its memory is C++'s)
  train ms/step          the demo's step, MLP(2, [16, 16, 1]) on 100 moons points, hinge + L2
                         (ours, ours@REV and karpathy only)

Each (engine, measure) runs in its own ``python bench/core.py --worker ...`` process that prints
one JSON number; each is repeated K times (7, ``--quick`` 3), the engines taking turns round-robin
(their order rotating from one repeat to the next) so that drift hits all alike.  In a worker:
imports, ``gc.freeze()``, one untimed warm-up of the workload, ``gc.collect()``, the timed part.

Run:  .venv/bin/python bench/core.py --against /work/baseline [--quick] [--json FILE]
"""

from __future__ import annotations

import __future__
import argparse
import ast
import gc
import hashlib
import importlib.util
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from typing import Any, Callable

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.setrecursionlimit(1_000_000)  # karpathy's backward is recursive

N_CHAIN = 20_000  # steps of the chain (2 operations each)
N_SUM = 50_000  # terms of the chain-sum
N_BYTES = 100_000  # nodes of the chain whose memory is traced
TRAIN_STEPS = 5  # consecutive training steps timed in one process (after one warm-up)

MEASURES = {  # name -> (label, unit, engines it applies to: None = all)
    "forward": ("forward (chain)", "ns/op", None),
    "backward": ("backward (chain)", "ns/node", None),
    "sum_backward": ("backward (chain-sum)", "ns/node", None),
    "bytes": ("memory (chain)", "bytes/node", ("ours", "ours@", "karpathy", "floor")),
    "train": ("MLP training step", "ms/step", ("ours", "ours@", "karpathy")),
}


# --- the workloads: bench/run.py's own functions ---------------------------------------------
def run_py_functions(names: tuple[str, ...], namespace: dict[str, Any]) -> dict[str, Any]:
    """The named functions of bench/run.py, compiled from its source without running the module.

    Importing run.py would put this checkout first on sys.path and import its micrograd (and
    micrograd.core.graph, which an older checkout does not have), which an ours@REV process must
    not do; so the functions' own source is compiled, with run.py's future import and line numbers.
    """
    path = os.path.join(HERE, "run.py")
    with open(path) as handle:
        tree = ast.parse(handle.read(), path)
    body = [node for node in tree.body if isinstance(node, ast.FunctionDef) and node.name in names]
    missing = set(names) - {node.name for node in body}
    if missing:
        raise SystemExit(f"bench/core.py: bench/run.py no longer defines {sorted(missing)}")
    code = compile(
        ast.Module(body=body, type_ignores=[]),
        path,
        "exec",
        flags=__future__.annotations.compiler_flag,
        dont_inherit=True,
    )
    exec(code, namespace)
    return {name: namespace[name] for name in names}


def floor_tape(root: Any) -> list:
    """The operations of a floor chain (bare nodes, one input each), oldest first."""
    tape = []
    node = root
    while node._prev:
        tape.append(node)
        node = node._prev[0]
    tape.reverse()
    return tape


def floor_chain_sum(bare: type, n: int) -> tuple[list, list]:
    """The chain-sum with bare nodes: its leaves, and its operations oldest first (the tape)."""
    leaves = [bare(0.001 * i) for i in range(n)]
    v = leaves[0]
    s = bare(v.data * v.data, (v, v), "*")
    tape = [s]
    for v in leaves[1:]:
        m = bare(v.data * v.data, (v, v), "*")
        s = bare(s.data + m.data, (s, m), "+")
        tape.append(m)
        tape.append(s)
    return leaves, tape


def floor_backward(tape: list) -> None:
    """The floor's pass: a plain reversed loop over the tape, one += per edge."""
    tape[-1].grad = 1.0
    for node in reversed(tape):
        g = node.grad
        for x in node._prev:
            x.grad += g


# --- one worker: one engine, one measure, one number ------------------------------------------
def load_engine(engine: str, path: str | None) -> dict[str, Any]:
    """The engine's leaf maker (and Value and MLP for the training step)."""
    import anchors

    if engine == "ours" or engine.startswith("ours@"):
        where = os.path.abspath(path or ROOT)
        sys.path.insert(0, where)
        import micrograd
        from micrograd import Value, nn

        loaded = os.path.dirname(os.path.dirname(os.path.abspath(micrograd.__file__)))
        if loaded != where:
            raise SystemExit(
                f"bench/core.py: {engine} imported micrograd from {loaded}, not {where}"
            )
        return {"make": Value, "Value": Value, "MLP": nn.MLP}
    if engine == "karpathy":
        karpathy = anchors.karpathy()
        if karpathy is None:
            raise SystemExit("bench/core.py: karpathy's micrograd is not available")
        return {
            "make": karpathy.engine.Value,
            "Value": karpathy.engine.Value,
            "MLP": karpathy.nn.MLP,
        }
    if engine == "torch":
        torch = anchors.torch()
        if torch is None:
            raise SystemExit("bench/core.py: torch is not installed")
        return {"make": lambda x: torch.tensor(x, dtype=torch.float64, requires_grad=True)}
    if engine == "floor":
        return {"make": anchors.Bare}
    raise SystemExit(f"bench/core.py: unknown engine {engine}")


def timed(function: Callable[[], Any]) -> tuple[float, Any]:
    gc.collect()
    start = time.perf_counter_ns()
    result = function()
    return time.perf_counter_ns() - start, result


def worker(
    engine: str, measure: str, path: str | None, data_file: str | None, train_steps: int
) -> float:
    sys.path.insert(0, HERE)
    import anchors

    found = load_engine(engine, path)
    run = run_py_functions(
        ("chain", "chain_sum", "floor_chain", "training_step"), {"anchors": anchors}
    )
    chain, chain_sum, floor_chain = run["chain"], run["chain_sum"], run["floor_chain"]
    make = found["make"]
    floor = engine == "floor"
    gc.freeze()  # objects made by imports are not the engine's to traverse

    if measure == "forward":
        build = (lambda: floor_chain(N_CHAIN)) if floor else (lambda: chain(make(1.0), N_CHAIN))
        build()  # warm-up, discarded
        return timed(build)[0] / (2 * N_CHAIN)

    if measure == "backward":

        def graph() -> Callable[[], None]:
            if floor:
                tape = floor_tape(floor_chain(N_CHAIN))
                return lambda: floor_backward(tape)
            return chain(make(1.0), N_CHAIN).backward

        graph()()  # warm-up, discarded
        backward = graph()
        return timed(backward)[0] / (2 * N_CHAIN)

    if measure == "sum_backward":

        def graph() -> Callable[[], None]:
            if floor:
                leaves, tape = floor_chain_sum(make, N_SUM)
                return lambda: floor_backward(tape)
            return chain_sum([make(0.001 * i) for i in range(N_SUM)]).backward

        graph()()  # warm-up, discarded
        backward = graph()
        return timed(backward)[0] / (2 * N_SUM)

    if measure == "bytes":  # as bench/run.py's bytes_per_node
        leaf = None if floor else make(1.0)
        gc.collect()
        tracemalloc.start()
        before = tracemalloc.get_traced_memory()[0]
        y = floor_chain(N_BYTES // 2) if floor else chain(leaf, N_BYTES // 2)
        after = tracemalloc.get_traced_memory()[0]
        tracemalloc.stop()
        del y
        return (after - before) / N_BYTES

    if measure == "train":  # as bench/run.py's measure_training
        with open(data_file) as handle:
            X, y = json.load(handle)
        step = run["training_step"](found["Value"], found["MLP"], X, y)
        # Consecutive steps, as in training: collecting the previous steps' garbage (cyclic in
        # karpathy's engine) is part of a step's cost, so gc.collect() only before the warm-up.
        gc.collect()
        step()  # warm-up
        start = time.perf_counter_ns()
        for _ in range(train_steps):
            step()
        return (time.perf_counter_ns() - start) / train_steps / 1e6

    raise SystemExit(f"bench/core.py: unknown measure {measure}")


# --- the driver ------------------------------------------------------------------------------
def applies(engine: str, measure: str) -> bool:
    allowed = MEASURES[measure][2]
    return (
        allowed is None or engine in allowed or (engine.startswith("ours@") and "ours@" in allowed)
    )


def source_digest(path: str) -> str:
    """A hash of the micrograd package's .py files under path (to see if it changes during the run)."""
    digest = hashlib.sha256()
    package = os.path.join(path, "micrograd")
    for folder, dirs, files in sorted(os.walk(package)):
        dirs.sort()
        for name in sorted(files):
            if name.endswith(".py"):
                file = os.path.join(folder, name)
                digest.update(os.path.relpath(file, path).encode())
                with open(file, "rb") as handle:
                    digest.update(handle.read())
    return digest.hexdigest()[:12]


def git_label(path: str) -> str:
    """The checkout's short commit, '+dirty' when its micrograd/ has uncommitted changes."""

    def git(*args: str) -> str:
        done = subprocess.run(["git", "-C", path, *args], capture_output=True, text=True)
        return done.stdout.strip() if done.returncode == 0 else ""

    rev = git("rev-parse", "--short", "HEAD")
    if not rev:
        return os.path.basename(os.path.abspath(path))
    return rev + ("+dirty" if git("status", "--porcelain", "--", "micrograd") else "")


def run_worker(
    engine: str, measure: str, path: str | None, data_file: str, train_steps: int, timeout: float
) -> tuple[float | None, str]:
    command = [
        sys.executable,
        os.path.abspath(__file__),
        "--worker",
        engine,
        measure,
        "--data",
        data_file,
        "--train-steps",
        str(train_steps),
    ]
    if path:
        command += ["--path", path]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout, cwd=HERE)
    except subprocess.TimeoutExpired:
        return None, f"timed out after {timeout:.0f} s"
    lines = done.stdout.strip().splitlines()
    if done.returncode != 0 or not lines:
        return None, (done.stderr.strip().splitlines() or [f"exit code {done.returncode}"])[-1]
    try:
        return float(json.loads(lines[-1])), ""
    except ValueError:
        return None, f"not a number: {lines[-1][:80]}"


def median(values: list[float]) -> float | None:
    return statistics.median(values) if values else None


def spread(values: list[float]) -> float | None:
    """(max - min) / median, the noise between repeats."""
    return (max(values) - min(values)) / statistics.median(values) if len(values) > 1 else None


def number(value: float | None, unit: str) -> str:
    if value is None:
        return "-"
    if unit == "ms/step":
        return f"{value:.1f}"
    return f"{value:.0f}" if value >= 100 else f"{value:.1f}"


def versus(engine: str, ours: float | None, other: float | None, unit: str) -> str:
    """How ours compares with this engine, in words."""
    if ours is None or other is None:
        return "-"
    better, worse = ("smaller", "larger") if unit == "bytes/node" else ("faster", "slower")
    if engine == "floor":
        return f"ours {ours / other:.2f}x the floor"
    if engine.startswith("ours@"):
        change = ours / other - 1
        if abs(change) < 0.0005:
            return f"{change * 100:+.1f} % (same)"
        return f"{change * 100:+.1f} % ({worse if change > 0 else better})"
    ratio = other / ours
    return f"ours {ratio:.2f}x {better}" if ratio >= 1 else f"ours {1 / ratio:.2f}x {worse}"


def report(
    results: dict[str, dict[str, list[float]]],
    engines: list[str],
    revs: list[str],
    errors: dict[tuple[str, str], list[str]],
) -> str:
    out = []
    for measure, (label, unit, _) in MEASURES.items():
        rows = [e for e in engines if applies(e, measure)]
        ours = median(results["ours"][measure])
        out += [
            f"### {label}, {unit}",
            "",
            f"| engine | median {unit} | min - max | spread | ours vs this |",
            "| --- | ---: | ---: | ---: | --- |",
        ]
        for engine in rows:
            values = results[engine][measure]
            if not values:
                out.append(
                    f"| {engine} | - | - | - | failed: {(errors.get((engine, measure)) or ['?'])[-1]} |"
                )
                continue
            s = spread(values)
            out.append(
                f"| {engine} | {number(median(values), unit)} | {number(min(values), unit)} - "
                f"{number(max(values), unit)} | {'-' if s is None else f'{s * 100:.0f} %'} | "
                f"{'-' if engine == 'ours' else versus(engine, ours, median(values), unit)} |"
            )
        out.append("")

    anchors_shown = [e for e in ("karpathy", "torch", "floor") if e in engines]
    headers = ["measure", *engines]
    headers += [
        {"karpathy": "karpathy/ours", "torch": "torch/ours", "floor": "ours/floor"}[e]
        for e in anchors_shown
    ]
    headers += [f"change vs {rev}" for rev in revs]
    out += [
        "### Summary (medians; x/ours > 1: ours faster or smaller; change > 0: ours slower or larger)",
        "",
        "| " + " | ".join(headers) + " |",
        "| --- |" + " ---: |" * (len(headers) - 1),
    ]
    worst: dict[str, tuple[float, str]] = {}
    for measure, (label, unit, _) in MEASURES.items():
        ours = median(results["ours"][measure])
        row = [f"{label}, {unit}"]
        row += [
            number(median(results[e][measure]), unit) if applies(e, measure) else "-"
            for e in engines
        ]
        for anchor in anchors_shown:
            other = median(results[anchor][measure]) if applies(anchor, measure) else None
            if ours is None or other is None:
                row.append("-")
            else:
                row.append(f"{ours / other:.2f}x" if anchor == "floor" else f"{other / ours:.2f}x")
        for rev in revs:
            other = median(results[rev][measure])
            if ours is None or other is None:
                row.append("-")
                continue
            change = ours / other - 1
            row.append(f"{change * 100:+.1f} %")
            if rev not in worst or change > worst[rev][0]:
                worst[rev] = (change, label)
        out.append("| " + " | ".join(row) + " |")
    out.append("")
    for rev in revs:
        if rev not in worst:
            out.append(f"- none more than 10 % worse than {rev}: no figures")
            continue
        change, label = worst[rev]
        verdict = "met" if change <= 0.10 else "MISSED"
        over = [
            MEASURES[m][0]
            for m in MEASURES
            if median(results["ours"][m])
            and median(results[rev][m])
            and median(results["ours"][m]) / median(results[rev][m]) - 1 > 0.10
        ]
        out.append(
            f"- none more than 10 % worse than {rev}: worst {label} {change * 100:+.1f} % -> {verdict}"
            + (f" (over 10 %: {', '.join(over)})" if over else "")
        )
    return "\n".join(out)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="3 repeats instead of 7 (same sizes)")
    parser.add_argument("--repeats", type=int, help="K, the processes per (engine, measure)")
    parser.add_argument(
        "--against",
        action="append",
        default=[],
        metavar="PATH",
        help="another checkout of micrograd, measured as ours@REV (repeatable)",
    )
    parser.add_argument("--json", metavar="FILE", help="write the raw numbers to FILE")
    parser.add_argument("--timeout", type=float, default=900, help="seconds per worker process")
    parser.add_argument("--worker", nargs=2, metavar=("ENGINE", "MEASURE"), help=argparse.SUPPRESS)
    parser.add_argument("--path", help=argparse.SUPPRESS)
    parser.add_argument("--data", help=argparse.SUPPRESS)
    parser.add_argument("--train-steps", type=int, default=TRAIN_STEPS, help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.worker:
        print(json.dumps(worker(*args.worker, args.path, args.data, args.train_steps)))
        return

    started = time.perf_counter()
    repeats = args.repeats or (3 if args.quick else 7)
    train_steps = 2 if args.quick else TRAIN_STEPS
    sys.path.insert(0, HERE)
    import anchors

    paths: dict[str, str | None] = {"ours": None}
    labels = {"ours": git_label(ROOT)}
    revs = []
    for path in args.against:
        path = os.path.abspath(path)
        if not os.path.isdir(os.path.join(path, "micrograd")):
            raise SystemExit(f"bench/core.py: {path} has no micrograd package")
        rev = f"ours@{git_label(path)}"
        if rev in paths:
            rev = f"{rev}({os.path.basename(path)})"
        paths[rev], labels[rev] = path, path
        revs.append(rev)
    if anchors.karpathy() is not None:  # downloads it once, before the workers need it
        paths["karpathy"], labels["karpathy"] = None, "micrograd 0.1.0 (PyPI)"
    if importlib.util.find_spec("torch") is not None:
        paths["torch"], labels["torch"] = None, "0-dim float64, requires_grad, 1 thread"
    paths["floor"], labels["floor"] = None, "anchors.Bare; backward = reversed loop over the tape"
    engines = list(paths)
    digests = {e: source_digest(p or ROOT) for e, p in paths.items() if e == "ours" or e in revs}

    with tempfile.TemporaryDirectory() as scratch:  # the moons points, the same for every engine
        data_file = os.path.join(scratch, "moons.json")
        done = subprocess.run(
            [
                sys.executable,
                "-c",
                "import json, sys; sys.path.insert(0, sys.argv[1]); "
                "from micrograd import data; print(json.dumps(data.moons(100, noise=0.1)))",
                ROOT,
            ],
            capture_output=True,
            text=True,
            check=True,
        )
        with open(data_file, "w") as handle:
            handle.write(done.stdout)

        results = {e: {m: [] for m in MEASURES} for e in engines}
        errors: dict[tuple[str, str], list[str]] = {}
        jobs = sum(applies(e, m) for e in engines for m in MEASURES) * repeats
        count = 0
        for repeat in range(repeats):
            order = engines[repeat % len(engines) :] + engines[: repeat % len(engines)]
            for measure in MEASURES:
                for engine in order:
                    if not applies(engine, measure):
                        continue
                    count += 1
                    value, error = run_worker(
                        engine, measure, paths[engine], data_file, train_steps, args.timeout
                    )
                    if value is None:
                        errors.setdefault((engine, measure), []).append(error)
                    else:
                        results[engine][measure].append(value)
                    print(
                        f"[{count}/{jobs}] repeat {repeat + 1}/{repeats} {measure} {engine}: "
                        f"{'FAILED ' + error if value is None else f'{value:.4g}'}",
                        file=sys.stderr,
                        flush=True,
                    )

    changed = [e for e in digests if source_digest(paths[e] or ROOT) != digests[e]]
    elapsed = time.perf_counter() - started
    command = " ".join(
        [
            os.path.relpath(sys.executable, ROOT)
            if sys.executable.startswith(ROOT)
            else sys.executable,
            os.path.relpath(os.path.abspath(__file__), ROOT),
            *sys.argv[1:],
        ]
    )
    print(
        f"Core benchmark: each figure the median of {repeats} processes (engines round-robin); "
        f"chain N = {N_CHAIN:,} steps, chain-sum {N_SUM:,} terms, memory over {N_BYTES:,} nodes, "
        f"training step = mean of {train_steps} consecutive steps after 1 warm-up"
    )
    print()
    print("| engine | what |")
    print("| --- | --- |")
    print(f"| ours | {ROOT} ({labels['ours']}) |")
    for engine in engines[1:]:
        print(f"| {engine} | {labels[engine]} |")
    print()
    print(report(results, engines, revs, errors))
    print()
    for engine in changed:
        print(
            f"- WARNING: {paths[engine] or ROOT}'s micrograd sources changed during the run; "
            f"{engine}'s figures may mix versions"
        )
    for (engine, measure), failures in errors.items():
        print(
            f"- {engine} {measure}: {len(failures)} of {repeats} processes failed: {failures[-1]}"
        )
    print(f"- command: {command}")
    print(f"- runtime: {elapsed:.0f} s for {jobs} processes")

    if args.json:
        with open(args.json, "w") as handle:
            json.dump(
                {
                    "command": command,
                    "repeats": repeats,
                    "train_steps": train_steps,
                    "sizes": {"chain": N_CHAIN, "chain_sum": N_SUM, "bytes": N_BYTES},
                    "engines": {e: {"path": paths[e], "label": labels[e]} for e in engines},
                    "units": {m: MEASURES[m][1] for m in MEASURES},
                    "raw": results,
                    "errors": {f"{e} {m}": v for (e, m), v in errors.items()},
                    "sources_changed_during_run": changed,
                    "runtime_s": elapsed,
                },
                handle,
                indent=1,
            )


if __name__ == "__main__":
    main()
