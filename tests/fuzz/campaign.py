"""Many programs: explore, bucket the mismatches by signature, shrink one reproduction of each.

A campaign runs hypothesis in rounds of a few hundred programs (hypothesis remembers every
program of a run, so a run is kept short).  Every program is run on both libraries and its
mismatches are counted by signature (``t + float | values: [float32]``), keeping the shortest
program seen for each.  When a program shows a signature the campaign has not seen before, the
test body raises ``Found`` and hypothesis stops the round.  Each round has a seed of its own,
so a second run of the round with the same seed writes the same programs again: in that run
the programs that passed pass again without running, the test body fails only on that
signature, and hypothesis shrinks the program as far as it can while it still shows it
(within a budget of runs).  Last, whole lines the mismatch does not need are deleted, with the
lines that use what they made, and the registers are numbered from t0 again.  Then exploring
goes on with a fresh round.

With several worker processes, each explores its share, and a signature is shrunk by the first
worker that finds it (the others only count it).
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import random
import sys
import time
import traceback
from collections import Counter
from dataclasses import dataclass, field, replace
from typing import Any

from hypothesis import HealthCheck, Phase, Verbosity, given, seed, settings

from . import compare
from .programs import REGISTER, Program, Step, programs

ROUND = 400  # programs per hypothesis run
SHRINK_RUNS = 400  # programs a shrink may run before it settles for what it has
SHRINK_SECONDS = 60.0


@dataclass
class Finding:
    """One mismatch signature: how many programs showed it, and its shortest reproduction."""

    signature: str
    count: int = 0
    reproduction: str = ""
    shrunk: bool = False

    def offer(self, reproduction: str, shrunk: bool = False) -> None:
        """Keep `reproduction` if it is shorter (in lines, then characters) than the one kept."""
        size = (reproduction.count("\n"), len(reproduction))
        mine = (self.reproduction.count("\n"), len(self.reproduction))
        if not self.reproduction or size < mine:
            self.reproduction, self.shrunk = reproduction, shrunk


@dataclass
class Report:
    """What a campaign found."""

    library: str = "micrograd"
    programs: int = 0
    steps: int = 0
    seconds: float = 0.0
    workers: int = 1
    findings: dict[str, Finding] = field(default_factory=dict)
    unsupported: Counter = field(default_factory=Counter)
    known: Counter = field(default_factory=Counter)
    shrink_runs: int = 0

    def add(self, outcome: compare.Outcome) -> None:
        """Count one explored program."""
        self.programs += 1
        self.steps += outcome.steps
        self.unsupported.update(outcome.unsupported)
        self.known.update(outcome.known)
        first: dict[str, compare.Mismatch] = {}
        for mismatch in outcome.mismatches:
            first.setdefault(mismatch.signature, mismatch)
        for signature, mismatch in first.items():
            finding = self.findings.setdefault(signature, Finding(signature))
            finding.count += 1
            finding.offer(outcome.reproduction(mismatch))

    def merge(self, other: Report) -> None:
        """Add another worker's report to this one."""
        self.programs += other.programs
        self.steps += other.steps
        self.shrink_runs += other.shrink_runs
        self.unsupported.update(other.unsupported)
        self.known.update(other.known)
        for signature, theirs in other.findings.items():
            mine = self.findings.setdefault(signature, Finding(signature))
            mine.count += theirs.count
            mine.offer(theirs.reproduction, theirs.shrunk)

    def ranked(self) -> list[Finding]:
        """The findings, most frequent first."""
        return sorted(self.findings.values(), key=lambda f: (-f.count, f.signature))

    def summary(self, top: int = 30) -> str:
        """The report as text: totals, then the `top` signatures with a reproduction each,
        then the rest by name."""
        lines = [
            f"{self.library} against torch: {self.programs:,} programs, {self.steps:,} steps in "
            f"{self.seconds:.0f} s ({self.workers} worker{'s' * (self.workers > 1)}, "
            f"{self.shrink_runs:,} more runs shrinking): {len(self.findings)} mismatch "
            "signatures"
        ]
        if self.unsupported:
            counts = ", ".join(f"{op} {n}" for op, n in self.unsupported.most_common(12))
            total = sum(self.unsupported.values())
            lines.append(f"NotSupported (skipped): {total} lines; {counts}")
        if self.known:
            lines.append(
                "known differences (README): "
                + ", ".join(f"{name} {n}" for name, n in self.known.most_common())
            )
        for rank, finding in enumerate(self.ranked(), 1):
            if rank > top:
                lines.append(f"{rank:3}. [{finding.count}] {finding.signature}")
                continue
            state = "shrunk" if finding.shrunk else "not shrunk"
            lines.append("")
            lines.append(f"{rank:3}. [{finding.count} programs] {finding.signature}  ({state})")
            lines += ["       " + line for line in finding.reproduction.splitlines()]
        return "\n".join(lines)

    def as_json(self) -> dict:
        """The report as data (``--json``), e.g. to compare the signatures of two runs."""
        return {
            "programs": self.programs,
            "steps": self.steps,
            "seconds": round(self.seconds, 1),
            "unsupported": dict(self.unsupported),
            "known": dict(self.known),
            "findings": [
                {
                    "signature": f.signature,
                    "count": f.count,
                    "shrunk": f.shrunk,
                    "reproduction": f.reproduction,
                }  # fmt: skip
                for f in self.ranked()
            ],
        }


class Found(Exception):
    """Raised by the test body for a program that shows the signature being looked for."""

    def __init__(self, signature: str, outcome: compare.Outcome, mismatch: Any) -> None:
        self.reproduction = outcome.reproduction(mismatch)
        super().__init__(f"{signature}\n{self.reproduction}")
        self.signature, self.program = signature, outcome.program
        self.step = mismatch.step
        self.size = (mismatch.step, len(self.reproduction))


def crash(program: Any, error: Exception) -> compare.Outcome:
    """The outcome of a program the fuzzer itself failed on: one mismatch, ``fuzzer error``,
    so that it is reported (and shrunk) like any other."""
    outcome = compare.Outcome(program)
    where = traceback.extract_tb(error.__traceback__)[-1]
    detail = f"{type(error).__name__} at {os.path.basename(where.filename)}:{where.lineno}"
    outcome.mismatches.append(
        compare.Mismatch(
            len(program.steps) - 1,
            "fuzzer error",
            "crash",
            detail,
            expected="",
            got=compare.short(f"{error}", 300),
        )  # fmt: skip
    )
    return outcome


def evaluate(program: Any, got: Any) -> compare.Outcome:
    """compare.run, or the outcome of a crash of the fuzzer."""
    try:
        return compare.run(program, got=got)
    except Exception as error:  # the fuzzer's own bug: report it, keep going
        return crash(program, error)


class Enough(BaseException):
    """Raised to end a shrink whose budget is spent: not an Exception, so hypothesis does not
    take it for a failure of the test but stops (the best program so far is kept aside)."""


class Search:
    """What the hypothesis test body does: explore (count every program, raise Found for a
    signature not raised before) or shrink (raise Found when a program shows the wanted
    signature; programs that passed while exploring pass again without running)."""

    def __init__(self, report: Report, got: Any = None) -> None:
        self.report, self.got = report, got
        self.mode = "explore"
        self.seen: set[str] = set()  # signatures already raised (shrunk or being shrunk)
        self.wanted = ""
        self.passed: set[str] = set()  # programs of this round that raised nothing
        self.cache: dict[str, compare.Outcome] = {}  # outcomes of this round's programs
        self.runs_left = 0
        self.deadline = 0.0
        self.best: Found | None = None  # the smallest program that showed the wanted signature

    def outcome(self, program: Any) -> compare.Outcome | None:
        """The program's outcome: run it, or remember it (hypothesis replays programs)."""
        text = repr(program)
        if text in self.cache:
            return self.cache[text]
        if self.mode == "explore":
            outcome = self.cache[text] = evaluate(program, self.got)
            self.report.add(outcome)
            return outcome
        if text in self.passed:
            return None  # passed while exploring: passes again
        if self.runs_left <= 0 or time.monotonic() > self.deadline:
            raise Enough()
        self.runs_left -= 1
        self.report.shrink_runs += 1
        outcome = self.cache[text] = evaluate(program, self.got)
        return outcome

    def check(self, program: Any) -> None:
        """The test body."""
        outcome = self.outcome(program)
        if outcome is None:
            return
        for mismatch in outcome.mismatches:
            signature = mismatch.signature
            if self.mode == "shrink":
                wanted = signature == self.wanted
            else:
                wanted = signature not in self.seen
            if wanted:
                found = Found(signature, outcome, mismatch)
                if self.mode == "shrink" and (self.best is None or found.size < self.best.size):
                    self.best = found
                raise found
        if self.mode == "explore":
            self.passed.add(repr(program))


SEARCH: Search | None = None


def check(program: Any) -> None:
    """The hypothesis test: whatever the current search does."""
    assert SEARCH is not None
    SEARCH.check(program)


def hypothesis_run(phases: list, examples: int, round_seed: int) -> Any:
    """A hypothesis test of `check` over random programs.  The seed makes a round repeatable:
    run again with the same seed, hypothesis writes the same programs in the same order."""
    test = settings(
        database=None,
        phases=phases,
        max_examples=max(examples, 1),
        deadline=None,
        suppress_health_check=list(HealthCheck),
        verbosity=Verbosity.quiet,
        report_multiple_bugs=False,
    )(given(programs())(check))
    return seed(round_seed)(test)


def explore(
    budget: int,
    base_seed: int | None = None,
    claims: Any = None,
    got: Any = None,
    progress: bool = False,
    shrink_runs: int = SHRINK_RUNS,
) -> Report:
    """Run `budget` programs in rounds; shrink each new signature this worker claims first."""
    global SEARCH
    report = Report()
    search = SEARCH = Search(report, got)
    seeds = random.Random(base_seed)
    started = last_note = time.monotonic()
    while report.programs < budget:
        round_seed = seeds.getrandbits(64)
        examples = min(ROUND, budget - report.programs)
        search.mode, search.passed, search.cache = "explore", set(), {}
        try:
            hypothesis_run([Phase.generate], examples, round_seed)()
        except Found as found:
            search.seen.add(found.signature)
            mine = claims is None or claims.setdefault(found.signature, os.getpid()) == os.getpid()
            if mine:
                shrunk = shrink(search, found.signature, examples, round_seed, shrink_runs)
                report.findings[found.signature].offer(shrunk or found.reproduction, bool(shrunk))
        except Exception:  # a crash in the generator: report it, and go on with another round
            signature = f"fuzzer error | {traceback.format_exc(limit=-1).splitlines()[-1]:.90}"
            finding = report.findings.setdefault(signature, Finding(signature))
            finding.count += 1
            finding.offer(traceback.format_exc(limit=-8))
            report.programs += examples  # counted, so that a campaign always ends
        if progress and time.monotonic() - last_note > 30:
            last_note = time.monotonic()
            print(
                f"fuzz[{os.getpid()}]: {report.programs:,}/{budget:,} programs, "
                f"{len(report.findings)} signatures, {last_note - started:.0f} s",
                file=sys.stderr,
                flush=True,
            )
    report.seconds = time.monotonic() - started
    return report


def shrink(search: Search, signature: str, examples: int, round_seed: int, runs: int) -> str | None:
    """Run the round again, now failing on `signature`, so that hypothesis reaches the same
    program and shrinks it while it still shows `signature`, for at most `runs` programs;
    then prune it.  The reproduction, or None if the program did not come again."""
    search.mode, search.wanted, search.best = "shrink", signature, None
    search.runs_left, search.deadline = runs, time.monotonic() + SHRINK_SECONDS
    try:
        hypothesis_run([Phase.generate, Phase.shrink], examples, round_seed)()
    except (Found, Enough):
        pass  # the best program is in search.best
    except Exception:  # the generator crashed while shrinking: keep what we have
        pass
    finally:
        search.mode = "explore"
    best = search.best
    if best is None:
        return None
    if os.environ.get("FUZZ_DEBUG"):
        print(f"shrunk {signature!r} in {runs - search.runs_left} runs", file=sys.stderr)
    return prune(best.program.steps[: best.step + 1], signature, search.got) or best.reproduction


def prune(steps: list[Step], signature: str, got: Any) -> str | None:
    """After hypothesis: delete whole lines that the mismatch does not need (with the lines
    that use what they made), then number the registers from t0 again.  The reproduction, or
    None if the lines no longer show `signature` (they should)."""
    changed = True
    while changed:
        changed = False
        for i in reversed(range(len(steps) - 1)):
            shorter = without(steps, i)
            if shorter and shows(shorter, signature, got):
                steps, changed = shorter, True
                break
    steps = renumbered(steps)
    outcome = evaluate(Program(steps), got)
    for mismatch in outcome.mismatches:
        if mismatch.signature == signature:
            return outcome.reproduction(mismatch)
    return None


def without(steps: list[Step], i: int) -> list[Step] | None:
    """The steps without step i and the later steps that read what it made; None if that
    would remove the last step (the one the mismatch is at)."""
    gone = {name for name in steps[i].targets if name != steps[i].mutates}
    kept = steps[:i]
    for step in steps[i + 1 :]:
        if gone & set(step.reads):
            gone |= set(step.targets)
        else:
            kept.append(step)
    return kept if kept and kept[-1] is steps[-1] else None


def shows(steps: list[Step], signature: str, got: Any) -> bool:
    """True if the program of `steps` has a mismatch of `signature`."""
    return signature in evaluate(Program(steps), got).signatures


def renumbered(steps: list[Step]) -> list[Step]:
    """The steps with their registers named t0, t1, ... in the order they appear."""
    names: dict[str, str] = {}
    for step in steps:
        for name in REGISTER.findall(step.text):
            names.setdefault(name, f"t{len(names)}")
    rename = lambda text: REGISTER.sub(lambda m: names[m.group()], text)
    return [
        replace(
            step,
            text=rename(step.text),
            targets=tuple(map(rename, step.targets)),
            mutates=step.mutates and rename(step.mutates),
            structural=tuple(map(rename, step.structural)),
            view_of=step.view_of and rename(step.view_of),
            extra_reads=tuple(map(rename, step.extra_reads)),
        )
        for step in steps
    ]


def _worker(arguments: tuple) -> Report:
    """One worker process's share of a campaign."""
    budget, worker_seed, claims, progress, shrink_runs = arguments
    import torch

    torch.set_num_threads(1)
    return explore(budget, worker_seed, claims, progress=progress, shrink_runs=shrink_runs)


def run(
    programs_count: int,
    workers: int = 1,
    base_seed: int | None = None,
    progress: bool = False,
    shrink_runs: int = SHRINK_RUNS,
    got: Any = None,
) -> Report:
    """A campaign of `programs_count` programs over `workers` processes (1: this process),
    comparing micrograd (or the module `got`, in this process only) with torch."""
    started = time.monotonic()
    if workers <= 1 or got is not None:
        report = explore(programs_count, base_seed, None, got, progress, shrink_runs)
    else:
        context = multiprocessing.get_context("spawn")
        with context.Manager() as manager, context.Pool(workers) as pool:
            claims = manager.dict()
            shares = [programs_count // workers + (i < programs_count % workers) for i in
                      range(workers)]  # fmt: skip
            seeds = [None if base_seed is None else base_seed * workers + i for i in range(workers)]
            jobs = [(n, s, claims, progress, shrink_runs) for n, s in zip(shares, seeds)]
            report = Report()
            for part in pool.map(_worker, jobs):
                report.merge(part)
    report.library = getattr(got, "__name__", "micrograd")
    report.workers = 1 if got is not None else max(workers, 1)
    report.seconds = time.monotonic() - started
    return report


def main(argv: list[str] | None = None) -> int:
    """``python -m fuzz [N]``: a campaign of N programs; prints the signature summary and
    exits with 1 if there was any mismatch."""
    parser = argparse.ArgumentParser(prog="./dev fuzz", description=__doc__.split("\n\n")[0])
    parser.add_argument("programs", nargs="?", type=int, default=100_000, help="default 100000")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1, help="processes")
    parser.add_argument("--seed", type=int, default=None, help="repeat a campaign exactly")
    parser.add_argument("--top", type=int, default=30, help="signatures shown with a program")
    parser.add_argument("--shrink-runs", type=int, default=SHRINK_RUNS, help="per signature")
    parser.add_argument("--json", help="also write the report as JSON to this file")
    options = parser.parse_args(argv)
    report = run(options.programs, options.workers, options.seed, progress=True,
                 shrink_runs=options.shrink_runs)  # fmt: skip
    print(report.summary(options.top))
    if options.json:
        with open(options.json, "w") as out:
            json.dump(report.as_json(), out, indent=1)
    return 1 if report.findings else 0
