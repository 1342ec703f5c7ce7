"""The fuzzer's interpreter: run one program on torch and on micrograd, and compare them.

Each library gets a namespace of its own (``T`` is torch in one, micrograd in the other) and
runs the program's lines one by one.  After every line, every live register is compared:

1. error or not: torch raises iff micrograd raises, of the same family (RuntimeError,
   IndexError, TypeError, ValueError); a line micrograd answers with ``NotSupported`` is
   skipped, and counted;
2. for every register: its type, shape, dtype, values, ``requires_grad``, ``is_leaf``, the
   name of its ``grad_fn`` and ``str()``; the first that differs is the mismatch.

How values compare depends on how they were computed.  Each register carries a *level*:

* ``EXACT``: every step that made it is correctly rounded (+ - * / sqrt, views, copies), so
  the numbers must agree bit for bit, the sign of zero included;
* ``APPROX``: a function (exp, sin... a few ulps apart) or a sum in another order was on the
  way; values agree to a few ulps (a function of exact inputs) or to a relative tolerance of the
  largest magnitude that went into them (``floor``);
* ``FUZZY``: a comparison or a cast to integers of approximate numbers: values may rightly
  differ, so only the rest (shape, dtype, flags) is compared;
* ``TAINTED``: made from a register that already differed (or that micrograd could not make):
  not compared at all, so that one difference is reported once, where it starts.

A difference the README documents (``known.py``) is not reported; the register is tainted.
"""

from __future__ import annotations

import contextlib
import math
import signal
import struct
import threading
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Iterable, Iterator

from .known import KNOWN_DIFFERENCES, KnownDifference
from .programs import REGISTER, Program, Step, run_line

EXACT, APPROX, FUZZY, TAINTED = range(4)
FAMILIES = (IndexError, TypeError, ValueError, RuntimeError)
ULPS = 8  # a function of exact inputs: torch's float32 exp and micrograd's rounded one
RTOL = {"float32": 2.0**-12, "float64": 2.0**-32}  # everything else that is not exact
TINY = {"float32": 2.0**-126, "float64": 2.0**-1022}  # below this, tolerances are absolute
LARGEST = {"float32": 3.4028234663852886e38, "float64": 1.7976931348623157e308}
STEP_SECONDS = 20.0  # a line of micrograd's that runs longer is reported as a StepTimeout


# --- what a library shows of a register --------------------------------------------------------
@dataclass(frozen=True)
class Raised:
    """A field that raised when it was read (``str(t)`` raising OverflowError...)."""

    name: str

    def __repr__(self) -> str:
        return f"<raises {self.name}>"


def read(get: Any) -> Any:
    """get(), or Raised(the exception's class) if it raises."""
    try:
        return get()
    except Exception as error:  # reading a field is compared like any answer
        return Raised(type(error).__name__)


def flat(values: Any) -> list:
    """The numbers of ``tolist()``'s nested lists, in order."""
    if isinstance(values, (list, tuple)):
        return [x for item in values for x in flat(item)]
    return [values]


@dataclass
class Look:
    """One register as one library shows it after a step."""

    kind: str  # "tensor", "None", or the name of another type
    shape: Any = None
    dtype: Any = None
    values: Any = None
    requires_grad: Any = None
    is_leaf: Any = None
    grad_fn: Any = None
    obj: Any = None  # the tensor itself, for str() when it is needed

    def key(self) -> tuple:
        """Everything but str(): when the key has not changed, neither has str()."""
        return (self.kind, self.shape, self.dtype, bits(self.values), self.requires_grad,
                self.is_leaf, self.grad_fn)  # fmt: skip


def bits(values: Any) -> Any:
    """Values in a form where nan equals nan and -0.0 differs from 0.0."""
    if not isinstance(values, list):
        return values
    return tuple(
        struct.pack("d", x) if isinstance(x, float) else (type(x).__name__, x) for x in values
    )


def dtype_name(dtype: Any) -> str:
    """``float32`` for torch.float32 (either library's dtype object)."""
    return str(dtype).removeprefix("torch.")


def look(obj: Any) -> Look:
    """What `obj` (a register's value) shows: for a tensor, every field compared."""
    if obj is None:
        return Look("None")
    if type(obj).__name__ not in ("Tensor", "Parameter"):
        return Look(type(obj).__name__)
    return Look(
        "tensor",
        shape=read(lambda: tuple(int(s) for s in obj.shape)),
        dtype=read(lambda: dtype_name(obj.dtype)),
        values=read(lambda: flat(numbers_of(obj).tolist())),
        requires_grad=read(lambda: bool(obj.requires_grad)),
        is_leaf=read(lambda: bool(obj.is_leaf)),
        grad_fn=read(lambda: None if obj.grad_fn is None else type(obj.grad_fn).__name__),
        obj=obj,
    )


def numbers_of(obj: Any) -> Any:
    """The tensor, or for one of torch's zero tensors (the gradient it gives through ``sgn``,
    which has no storage, so that its ``tolist()`` raises) a copy that has one."""
    if getattr(obj, "_is_zerotensor", bool)():
        return obj.clone()
    return obj


def text_of(obj: Any) -> Any:
    """str(obj), or Raised."""
    return read(lambda: str(obj))


def error_family(error: BaseException) -> str:
    """The family an exception is compared by: RuntimeError, IndexError, TypeError, ValueError,
    or its own class name."""
    for family in FAMILIES:
        if isinstance(error, family):
            return family.__name__
    return type(error).__name__


# --- one library ---------------------------------------------------------------------------------
class StepTimeout(Exception):
    """A line that ran for longer than Library.time_limit seconds."""


@contextlib.contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Raise StepTimeout in the block after `seconds` (in the main thread; elsewhere no limit)."""
    if not seconds or threading.current_thread() is not threading.main_thread():
        yield
        return

    def expire(signum: int, frame: Any) -> None:
        raise StepTimeout(f"the line ran for over {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


class Library:
    """A library (torch or micrograd) running a program in a namespace of its own."""

    def __init__(
        self, module: Any, unsupported: tuple[type, ...] = (), time_limit: float = 0.0
    ) -> None:
        self.module = module
        self.unsupported = unsupported  # what it raises for a feature it does not have
        self.time_limit = time_limit  # seconds a line may take (a hang becomes an error)
        self.env: dict[str, Any] = {"T": module, "inf": math.inf, "nan": math.nan}

    def run(self, step: Step) -> BaseException | None:
        """Run the step's line; its exception, or None."""
        with time_limit(self.time_limit):
            return run_line(self.env, step.text)

    def has(self, name: str) -> bool:
        """True if register `name` exists here."""
        return name in self.env

    def storage(self, name: str) -> int | None:
        """Where a torch register's numbers live (None for other libraries, or a storage with
        no memory; an empty view of a tensor has its base's)."""
        t = self.env.get(name)
        try:
            return t.untyped_storage().data_ptr() or None
        except Exception:  # not a torch tensor
            return None


# --- the bookkeeping of each register ---------------------------------------------------------
@dataclass
class Register:
    """What the interpreter knows about one register (and pseudo-registers such as ``@grads``,
    which stand for the gradients a backward pass wrote)."""

    level: int = EXACT
    mode: str = "bits"  # how APPROX values compare: "ulps", "relative" (to floor) or "own"
    # (relative to the largest of the register's own values: gradients)
    floor: float = 0.0  # the magnitude an APPROX value's error is relative to
    scale: float = 0.0  # the largest finite |value| torch shows
    root: str = ""  # the register its chain of views starts from (micrograd shares those)
    ancestors: frozenset = frozenset()
    tags: frozenset = frozenset()  # names of known differences that apply downstream
    seen: tuple | None = None  # the keys of both looks at the last comparison
    through_float32: bool = False  # made from a float32 register: an approximate float64
    # result (a gradient, a cast) may carry float32 rounding


def largest(values: Any) -> float:
    """The largest finite magnitude among `values` (0 if none)."""
    if not isinstance(values, list):
        return 0.0
    finite = [abs(float(x)) for x in values if isinstance(x, (int, float)) and math.isfinite(x)]
    return max(finite, default=0.0)


# --- mismatches ----------------------------------------------------------------------------------
@dataclass
class Mismatch:
    """A difference between torch (expected) and micrograd (got) at one step."""

    step: int
    op: str
    kind: str  # "error", "error class", "type", "shape", "dtype", "values", "signed zero"...
    detail: str = ""  # what the signature says about it ("torch raises RuntimeError")
    register: str | None = None
    where: str = "step"  # "step" (the line's error), "result" (what it made or changed),
    # "alias" (another register that changed with it)
    expected: str = ""
    got: str = ""
    numel: int | None = None
    tags: frozenset = frozenset()
    unshared_alias: bool = False  # torch's registers share memory, micrograd's documented
    # views do not join them
    expected_values: list | None = None  # the numbers themselves, for known.py to look at
    got_values: list | None = None

    @property
    def signature(self) -> str:
        """The bucket of this mismatch: the op and the kind of difference."""
        what = self.kind if not self.detail else f"{self.kind}: {self.detail}"
        if self.where == "alias":
            what = f"another register's {what}"
        return f"{self.op} | {what}"

    def describe(self) -> str:
        """One line for a report."""
        where = f" of {self.register}" if self.register else ""
        return f"step {self.step}: {self.kind}{where}: torch {self.expected}, micrograd {self.got}"


@dataclass
class Outcome:
    """What running one program on both libraries found."""

    program: Program
    mismatches: list[Mismatch] = field(default_factory=list)
    known: Counter = field(default_factory=Counter)  # known difference -> times it applied
    unsupported: Counter = field(default_factory=Counter)  # op -> NotSupported lines
    steps: int = 0

    @property
    def signatures(self) -> list[str]:
        """The signatures of the mismatches, each once, in the order found."""
        return list(dict.fromkeys(m.signature for m in self.mismatches))

    def reproduction(self, mismatch: Mismatch) -> str:
        """The program's lines up to the mismatch, and a comment saying what differs."""
        lines = self.program.lines(upto=mismatch.step)
        return "\n".join([*lines, f"# {mismatch.describe()}"])


def as_list(values: Any) -> list | None:
    """`values` if it is a list of numbers (not a Raised), else None."""
    return values if isinstance(values, list) else None


def short(value: Any, width: int = 160) -> str:
    """A value for a report, cut to `width` characters."""
    text = repr(value) if not isinstance(value, str) else value
    return text if len(text) <= width else text[: width - 3] + "..."


# --- comparing values -----------------------------------------------------------------------------
def ulp(x: float, dtype: str) -> float:
    """The distance from |x| to the next number of `dtype`."""
    if dtype == "float64":
        return math.ulp(x)
    exponent = math.frexp(abs(x))[1] if x else -148
    return 2.0 ** max(exponent - 24, -149)


def close(x: float, y: float, dtype: str, mode: str, floor: float) -> bool:
    """True if micrograd's `y` is close enough to torch's `x` for an APPROX register: within
    a few ulps ("ulps"), or within RTOL of the larger of |x| and `floor`."""
    if math.isnan(x) or math.isnan(y):
        return math.isnan(x) and math.isnan(y)
    if math.isinf(x) or math.isinf(y):  # past the largest number, in one library only
        finite = y if math.isinf(x) else x
        near = abs(finite) >= LARGEST.get(dtype, math.inf) / 2
        return x == y or (near and math.copysign(1, x) == math.copysign(1, y))
    if mode == "ulps":
        return abs(x - y) <= ULPS * ulp(x, dtype)
    tolerance = RTOL.get(dtype, 0.0) * max(abs(x), floor, TINY.get(dtype, 0.0))
    return abs(x - y) <= tolerance


def compare_values(expected: list, got: list, dtype: str, reg: Register) -> str | None:
    """None if the values agree; else "values" or "signed zero"."""
    if not isinstance(expected, list) or not isinstance(got, list) or len(expected) != len(got):
        return "values"
    inexact = reg.level == APPROX and dtype in RTOL
    if reg.through_float32:
        dtype = "float32"  # the tolerance of the narrowest precision on the way
    floor = max(reg.floor, largest(expected)) if reg.mode == "own" else reg.floor
    zeros_differ = False
    for x, y in zip(expected, got):
        if isinstance(x, float) and isinstance(y, (int, float)):
            if inexact:
                if not close(x, float(y), dtype, reg.mode, floor):
                    return "values"
                continue
            if not (x == y or (math.isnan(x) and math.isnan(float(y)))):
                return "values"
            if x == 0 and math.copysign(1, x) != math.copysign(1, float(y)):
                zeros_differ = True
        elif x != y or (type(x) is bool and type(y) is not bool):
            return "values"
    return "signed zero" if zeros_differ else None


def differences(expected: Look, got: Look, reg: Register) -> tuple[str, str, str, str] | None:
    """The first field in which micrograd's look differs from torch's: (kind, detail,
    expected, got), or None."""
    if expected.kind != got.kind:
        return "type", f"torch {expected.kind}, micrograd {got.kind}", expected.kind, got.kind
    if expected.kind != "tensor":
        return None
    for name in ("shape", "dtype"):
        e, g = getattr(expected, name), getattr(got, name)
        if e != g:
            detail = f"torch {short(e)}, micrograd {short(g)}" if name == "dtype" else ""
            return name, detail, short(e), short(g)
    dtype = expected.dtype
    if reg.level < FUZZY:
        problem = compare_values(expected.values, got.values, dtype, reg)
        if problem:
            return problem, f"[{dtype}]", short(expected.values), short(got.values)
    for name in ("requires_grad", "is_leaf", "grad_fn"):
        e, g = getattr(expected, name), getattr(got, name)
        if e != g:
            return name, f"torch {e}, micrograd {g}", short(e), short(g)
    same_numbers = bits(expected.values) == bits(got.values)
    if reg.level == EXACT or same_numbers:
        e, g = text_of(expected.obj), text_of(got.obj)
        if e != g:
            return "str", "", short(e, 400), short(g, 400)
    return None


# --- the interpreter -------------------------------------------------------------------------
class Interpreter:
    """Runs a program on two libraries and collects the mismatches (see the module's doc)."""

    def __init__(
        self,
        program: Program,
        expected: Library,
        got: Library,
        known: Iterable[KnownDifference] = KNOWN_DIFFERENCES,
    ) -> None:
        self.program, self.expected, self.got = program, expected, got
        self.known = list(known)
        self.registers: dict[str, Register] = {}
        self.outcome = Outcome(program)

    def register(self, name: str) -> Register:
        """The bookkeeping of `name` (made on first use)."""
        if name not in self.registers:
            self.registers[name] = Register(root=name)
        return self.registers[name]

    def names(self) -> list[str]:
        """The registers torch has, in the order they were made."""
        found = [n for n in self.expected.env if REGISTER.fullmatch(n)]
        return sorted(found, key=lambda n: int(n[1:]))

    def run(self) -> Outcome:
        """Run every step on both libraries and compare after each."""
        for index, step in enumerate(self.program.steps):
            self.run_step(index, step)
        return self.outcome

    def run_step(self, index: int, step: Step) -> None:
        """One step: run it on both, update the bookkeeping, compare."""
        self.outcome.steps += 1
        before = {name: self.register(name).scale for name in step.reads}
        tainted = any(self.register(name).level >= TAINTED for name in step.reads)
        expected_error = self.expected.run(step)
        got_error = self.got.run(step)
        unsupported = isinstance(got_error, self.got.unsupported)
        if unsupported:
            self.outcome.unsupported[step.op] += 1
        written = self.written(step)
        # what both refused half done: torch's kernel wrote the elements before an index out of
        # bounds, its engine gave gradients to leaves before the node that raised (micrograd
        # checks first), a state after an error no program should read
        half_done = (
            expected_error is not None
            and got_error is not None
            and (
                isinstance(expected_error, IndexError)
                or step.op.startswith(("backward", "autograd"))
            )
        )
        self.update(step, written, before, taint=tainted or unsupported or half_done)
        if unsupported:  # what was made from them before is no longer torch's either
            for name in written:
                self.taint(name)
        if not tainted and not unsupported:
            self.compare_errors(index, step, expected_error, got_error, written)
        self.compare_registers(index, step)

    def written(self, step: Step) -> list[str]:
        """The registers the step made or changed: its targets, what it changed in place and
        every register sharing memory with that in torch, and the pseudo-registers."""
        written = [*step.targets, *step.extra_writes]
        if step.mutates:
            written.append(step.mutates)
            memory = self.expected.storage(step.mutates)
            if memory is not None:
                written += [n for n in self.names() if self.expected.storage(n) == memory]
            root = self.register(step.mutates).root  # views of it, with no memory
            written += [n for n in self.names() if root and self.register(n).root == root]
        return list(dict.fromkeys(written))

    def update(self, step: Step, written: list[str], before: dict, taint: bool) -> None:
        """The level, tolerance, views, ancestry and tags of the registers the step wrote."""
        reads = [self.register(name) for name in step.reads]
        level = max((r.level for r in reads), default=EXACT)
        # a mask, an index (or the numbers a mask is made of, t[a > 0]) that may rightly differ
        if any(self.register(name).level >= APPROX for name in step.structural):
            level = TAINTED
        if step.discrete and level >= APPROX:
            level = max(level, FUZZY)
        if step.accuracy != "exact":
            level = max(level, APPROX)
        exact_inputs = all(r.level == EXACT for r in reads)
        floor = max([*before.values(), *(r.floor for r in reads)], default=0.0)
        ancestors = frozenset(step.reads).union(*(r.ancestors for r in reads))
        tags = frozenset().union(*(r.tags for r in reads))
        inputs = {name: self.expected.env.get(name) for name in step.reads}
        through_float32 = any(r.through_float32 for r in reads) or any(
            dtype_name(getattr(t, "dtype", "")) == "float32" for t in inputs.values()
        )
        tags |= {k.name for k in self.known if k.marks is not None and k.marks(step, inputs)}
        for name in written:
            reg = self.register(name)
            fresh = name in step.targets and name != step.mutates
            old_level = EXACT if fresh else reg.level
            reg.level = TAINTED if taint else max(old_level, level)
            reg.mode = "ulps" if step.accuracy == "ulp" and exact_inputs else "relative"
            reg.floor = floor if fresh else max(reg.floor, floor)
            if step.accuracy == "grad":  # relative to itself, or to what it was made from:
                reg.mode = "own"  # a gradient that cancels to 0 keeps its terms' rounding
            reg.through_float32 = through_float32 or (not fresh and reg.through_float32)
            reg.ancestors = ancestors if fresh else reg.ancestors | ancestors
            reg.tags = tags if fresh else reg.tags | tags
            if fresh:
                reg.root = self.register(step.view_of).root if step.view_of else name
            reg.seen = None

    def compare_errors(
        self, index: int, step: Step, expected: Any, got: Any, written: list[str]
    ) -> None:
        """torch raises iff micrograd raises, and an error of the same family."""
        if expected is None and got is None:
            return
        if expected is not None and "INTERNAL ASSERT FAILED" in str(expected):
            return  # a bug of torch's (False ** t's backward), not a behaviour to match
        if expected is None or got is None:
            if got is None:
                detail = f"torch raises {error_family(expected)}, micrograd does not"
            else:
                detail = f"micrograd raises {error_family(got)}, torch does not"
            kind = "error"
        elif error_family(expected) != error_family(got):
            detail = f"torch {error_family(expected)}, micrograd {error_family(got)}"
            kind = "error class"
        else:
            return
        text = lambda e: "no error" if e is None else short(f"{type(e).__name__}: {e}", 200)
        tags = frozenset().union(*(self.register(n).tags for n in step.reads))
        mismatch = Mismatch(index, step.op, kind, detail, expected=text(expected),
                            got=text(got), tags=tags)  # fmt: skip
        self.found(mismatch, written)

    def compare_registers(self, index: int, step: Step) -> None:
        """Compare every register torch has with micrograd's."""
        for name in self.names():
            reg = self.register(name)
            if reg.level >= TAINTED:
                continue
            if not self.got.has(name):  # micrograd failed to make it: reported as an error
                reg.level = TAINTED
                continue
            expected, got = look(self.expected.env[name]), look(self.got.env[name])
            reg.scale = largest(expected.values)
            keys = (expected.key(), got.key())
            if keys == reg.seen:
                continue  # nothing changed since it was last compared
            reg.seen = keys
            found = differences(expected, got, reg)
            if found is None:
                continue
            kind, detail, e, g = found
            where = "result" if name in step.targets or name == step.mutates else "alias"
            tags, unshared = reg.tags, False
            if where == "alias" and step.mutates:
                tags = tags | self.register(step.mutates).tags
                unshared = self.unshared_alias(step, name)
            numel = len(expected.values) if isinstance(expected.values, list) else None
            mismatch = Mismatch(
                index, step.op, kind, detail, name, where, e, g, numel, tags, unshared,
                expected_values=as_list(expected.values), got_values=as_list(got.values),
            )  # fmt: skip
            self.found(mismatch, [name])

    def unshared_alias(self, step: Step, name: str) -> bool:
        """True if register `name` shares torch's memory with what the step changed in place,
        but no chain of micrograd's views joins them (``Step.view_of``)."""
        if not step.mutates:
            return False
        memory = self.expected.storage(name)
        same_memory = memory is not None and memory == self.expected.storage(step.mutates)
        return same_memory and self.register(name).root != self.register(step.mutates).root

    def found(self, mismatch: Mismatch, names: list[str]) -> None:
        """Report a mismatch (unless the README documents it), and taint the registers it is
        about and everything made from them since."""
        for difference in self.known:
            if difference.matches(mismatch):
                self.outcome.known[difference.name] += 1
                break
        else:
            self.outcome.mismatches.append(mismatch)
        for name in filter(None, names):
            self.taint(name)

    def taint(self, name: str) -> None:
        """Stop comparing `name` and every register made from it."""
        self.register(name).level = TAINTED
        for other, reg in self.registers.items():
            if name in reg.ancestors:
                reg.level = TAINTED


def run(program: Program, expected: Any = None, got: Any = None, known: Any = None) -> Outcome:
    """Run `program` on torch (expected) and micrograd (got), or on the modules given."""
    if expected is None:
        import torch as expected
    unsupported: tuple[type, ...] = ()
    if got is None:
        import micrograd as got

        unsupported = (got.NotSupported,)
    known = KNOWN_DIFFERENCES if known is None else known
    tested = Library(got, unsupported, time_limit=STEP_SECONDS)
    return Interpreter(program, Library(expected), tested, known).run()
