"""The fuzzer's programs: a hypothesis strategy that writes random tensor programs.

A program is a list of steps, each one line of Python that runs unchanged with ``T`` bound to
``torch`` or to ``micrograd``::

    t0 = T.tensor([[1.0, -0.0], [inf, 2.5]], requires_grad=True)
    t1 = t0[:, 1:]
    t2 = t1 * 0.1
    with T.no_grad(): t1.add_(2)
    t2.sum().backward()
    t3 = t0.grad

The names t0, t1, ... are the registers: the tensors the program has made so far.  To choose
operands that fit (shapes that broadcast, a dimension that exists, a mask of the right shape),
the generator runs each line under torch as soon as it has written it, and looks at torch's
registers.  Lines that torch refuses are kept, since micrograd must refuse them too, but most
lines are chosen to be valid.  The generator avoids what is undefined in torch (casting inf or
nan to an integer), since torch's answer to it means nothing.

Every choice is a hypothesis draw, so hypothesis can shrink a program: it drops lines, and
moves each choice towards the first of its options (the plainest numbers, no edge values).
"""

from __future__ import annotations

import functools
import math
import re
import warnings
from dataclasses import dataclass, field, replace
from typing import Any, Callable

import torch
from hypothesis import strategies as st

HEADER = ("import micrograd as T  # or: import torch as T", "from math import inf, nan")
REGISTER = re.compile(r"\bt\d+\b")
DTYPES = ("float32", "float64", "int64", "bool")
FLOATING = {"float32", "float64"}

# Sizes of a dimension: hypothesis shrinks towards the first; 0 (empty tensors) is rarer.
SIZES = (2, 1, 3, 2, 1, 3, 0)
PLAIN = {
    "float": (1.0, 0.5, -1.0, 2.0, 0.0, -1.5, 3.0, 0.25, -2.0, 1.25),
    "int": (1, 0, -1, 2, 3, -2),
    "bool": (True, False),
}
EDGE = {
    "float": (
        *(-0.0, math.inf, -math.inf, math.nan, 1e38, -1e38, 3.4e38, 1e-45, -1e-40),
        *(0.1, 1e-7, 16777217.0, 1e300, 0.7),
    ),
    "int": (2**31, 2**53 + 1, 2**62, -(2**63), 2**63 - 1, 10**12, -7, 2**63),
    "bool": (True, False),
}
EXPONENTS = (2, 0.5, -1, 3, 0, -0.5, 1.5, 2.0, -2)

ARITHMETIC = {"+": "add", "-": "sub", "*": "mul", "/": "div", "**": "pow"}
COMPARISONS = {"<": "lt", "<=": "le", ">": "gt", ">=": "ge", "==": "eq", "!=": "ne"}
UNARY = ("exp", "log", "sin", "cos", "tanh", "sigmoid", "relu", "abs", "sqrt", "neg")
# A few ulps apart.  sqrt too: torch's is not correctly rounded on every CPU (on this project's
# machine 36 of 4,160 float32 square roots are one ulp off), while + - * / are.
TRANSCENDENTAL = {"exp", "log", "sin", "cos", "tanh", "sigmoid", "sqrt"}
MAX_NUMEL = 64  # keeps micrograd's scalar work small: cat and stack only below this


# --- programs ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Step:
    """One line of a program, and what the interpreter needs to know about it.

    ``op`` names the operation in mismatch signatures (``t + float``, ``t[mask] = t``).
    ``accuracy`` says how its float results compare: ``exact`` (bit for bit: + - * /, views,
    copies), ``ulp`` (a few ulps: exp, sin, sqrt...), ``sum`` (sums in another order: sum,
    mean, prod, norm, matmul) or ``grad`` (gradients).  ``discrete`` results jump with their
    inputs (comparisons, casts to integers), so they are compared only when those are exact;
    ``structural`` registers (masks, index tensors) decide the shape of the result.
    """

    text: str
    op: str
    targets: tuple[str, ...] = ()
    mutates: str | None = None
    accuracy: str = "exact"
    discrete: bool = False
    structural: tuple[str, ...] = ()
    view_of: str | None = None  # the register this step's results are views of
    extra_reads: tuple[str, ...] = ()  # read but not named in the text ("@grads", the loss)
    extra_writes: tuple[str, ...] = ()  # pseudo-registers written ("@grads" by backward)
    reads: tuple[str, ...] = field(init=False)

    def __post_init__(self) -> None:
        expression = self.text
        if self.targets and not self.mutates:  # "t3, t4 = ...": the targets are not read
            expression = expression.split(" = ", 1)[1]
        named = tuple(dict.fromkeys(REGISTER.findall(expression)))
        object.__setattr__(self, "reads", named + self.extra_reads)


@dataclass
class Program:
    """A list of steps; printed as the lines that run under both libraries."""

    steps: list[Step]

    def lines(self, upto: int | None = None) -> list[str]:
        """The program's text: the header, then its lines (up to step `upto`, included)."""
        steps = self.steps if upto is None else self.steps[: upto + 1]
        return [*HEADER, *(step.text for step in steps)]

    def __repr__(self) -> str:
        return "\n".join(self.lines())


def run_line(env: dict, text: str) -> BaseException | None:
    """Run one line in `env`; the exception it raised, or None.  Warnings are not shown."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            exec(compiled(text), env)
    except Exception as error:  # any error is an answer to compare
        return error
    return None


_COMPILED: dict[str, Any] = {}


def compiled(text: str) -> Any:
    """The code object of a line (lines repeat a lot across programs)."""
    code = _COMPILED.get(text)
    if code is None:
        if len(_COMPILED) > 50_000:
            _COMPILED.clear()
        code = _COMPILED[text] = compile(text, "<step>", "exec")
    return code


def number_text(x: Any) -> str:
    """A number as the program writes it: ``inf``, ``-0.0``, ``nan``, ``2.5``, ``True``."""
    if isinstance(x, bool) or isinstance(x, int):
        return repr(x)
    if math.isnan(x):
        return "nan"
    if math.isinf(x):
        return "inf" if x > 0 else "-inf"
    return repr(x)


def left(x: Any) -> str:
    """A number written as a left operand: negative ones in brackets (``(-1) ** t`` is not
    ``-(1 ** t)``)."""
    text = number_text(x)
    return f"({text})" if text.startswith("-") else text


def kind_of(x: Any) -> str:
    """'bool', 'int' or 'float': the kind of Python number, as op names show it."""
    return "bool" if isinstance(x, bool) else "int" if isinstance(x, int) else "float"


def nested(numbers: list, shape: tuple[int, ...]) -> str:
    """The nested-list literal of `numbers` laid out in `shape`."""
    if not shape:
        return number_text(numbers[0])
    if shape[0] == 0:
        return "[]"
    step = len(numbers) // shape[0] if shape[0] else 0
    parts = [nested(numbers[i * step : (i + 1) * step], shape[1:]) for i in range(shape[0])]
    return "[" + ", ".join(parts) + "]"


def sizes_text(shape: tuple[int, ...]) -> str:
    """A shape as a tuple literal: ``(2, 3)``, ``(2,)``, ``()``."""
    return "(" + ", ".join(map(str, shape)) + ("," if len(shape) == 1 else "") + ")"


def broadcasts(a: tuple[int, ...], b: tuple[int, ...]) -> bool:
    """True if shapes a and b broadcast together."""
    return all(x == y or x == 1 or y == 1 for x, y in zip(reversed(a), reversed(b)))


def expands_to(a: tuple[int, ...], b: tuple[int, ...]) -> bool:
    """True if shape a broadcasts to exactly shape b (an in-place operand of a tensor of b)."""
    return (
        len(a) <= len(b)
        and broadcasts(a, b)
        and all(x == y or x == 1 for x, y in zip(reversed(a), reversed(b)))
    )


@functools.lru_cache(maxsize=None)
def integers(low: int, high: int) -> st.SearchStrategy[int]:
    """st.integers(low, high), made once (making a strategy costs more than drawing from it)."""
    return st.integers(low, high)


# --- the writer: a program being written, and torch's registers after each of its lines -----
class Writer:
    """Draws the choices, writes the steps and runs them under torch as it goes."""

    def __init__(self, draw: Callable) -> None:
        self.draw = draw
        self.steps: list[Step] = []
        self.env: dict[str, Any] = {"T": torch, "inf": math.inf, "nan": math.nan}
        self.made = 0
        self.ids: dict[str, int] = {}  # register -> the number references are matched to
        self.producer: dict[str, str] = {}  # register -> the op that made or changed it last
        self.no_grad = False  # write the next steps inside ``with T.no_grad():``
        self.min_steps = 0  # the loop of steps goes on at least this far

    # choices
    def integer(self, low: int, high: int) -> int:
        """An integer from low to high (shrinks towards low)."""
        return self.draw(integers(low, high))

    def choose(self, options: tuple | list) -> Any:
        """One of `options` (shrinks towards the first)."""
        return options[self.draw(integers(0, len(options) - 1))]

    def sometimes(self, one_in: int) -> bool:
        """True about once in `one_in` draws (shrinks to False)."""
        return self.integer(0, one_in - 1) == one_in - 1

    def usually(self, one_in: int = 4) -> bool:
        """False about once in `one_in` draws (shrinks to False too: the feature is dropped)."""
        return self.integer(0, one_in - 1) != 0

    def coin(self) -> bool:
        """True or False (shrinks to False)."""
        return self.integer(0, 1) == 1

    def number(self, kind: str) -> Any:
        """A Python number of `kind`: a plain one, or now and then an edge value."""
        pool = EDGE[kind] if self.sometimes(8) else PLAIN[kind]
        return self.choose(pool)

    def shape(self, max_dims: int = 3) -> tuple[int, ...]:
        """A shape of 0 to `max_dims` dimensions of sizes 0 to 3."""
        return tuple(self.choose(SIZES) for _ in range(self.integer(0, max_dims)))

    def dim(self, ndim: int, extra: int = 0) -> int:
        """A dimension of a tensor of `ndim` dimensions (``extra`` more, for unsqueeze and
        stack), negative ones included; once in a while one out of range."""
        count = max(ndim + extra, 1)
        if self.sometimes(16):
            return self.choose((count, -count - 1))
        return self.choose(tuple(range(count)) + tuple(range(-count, 0)))

    # registers
    def fresh(self) -> str:
        """A new register name (and the number its references are matched to)."""
        self.made += 1
        name = f"t{self.made - 1}"
        self.ids[name] = self.integer(0, 1023)
        return name

    def tensors(self, test: Callable[[torch.Tensor], bool] | None = None) -> list[str]:
        """The names of torch's live tensor registers (those passing `test`)."""
        return [
            name
            for name, value in self.env.items()
            if REGISTER.fullmatch(name)
            and isinstance(value, torch.Tensor)
            and (test is None or passes(test, value))
        ]

    def pick(self, names: list[str]) -> str:
        """One of the registers `names`: the one whose number is nearest a drawn number.
        (Not the i-th of the list: when hypothesis deletes a step, the other references
        keep pointing where they did, so that the shorter program still does the same.)"""
        wanted = self.integer(0, 1023)
        return min(names, key=lambda name: (abs(self.ids.get(name, 0) - wanted), int(name[1:])))

    def tensor(self, name: str) -> torch.Tensor:
        """torch's tensor in register `name`."""
        return self.env[name]

    def emit(self, step: Step) -> BaseException | None:
        """Add `step` to the program and run it under torch; torch's error, or None."""
        if self.no_grad:
            step = replace(step, text=f"with T.no_grad(): {step.text}", op=f"no_grad: {step.op}")
        self.steps.append(step)
        error = run_line(self.env, step.text)
        if error is None:
            for name in (*step.targets, step.mutates):
                if name:
                    self.producer[name] = step.op
        return error

    def assign(self, expression: str, op: str, count: int = 1, **details: Any) -> list[str]:
        """Emit ``tN = expression`` (or ``tN, tM = ...`` for `count` results)."""
        unpack = details.pop("unpack", False)
        names = [self.fresh() for _ in range(count)]
        targets = ", ".join(names) + ("," if count == 1 and unpack else "")
        self.emit(Step(f"{targets} = {expression}", op, tuple(names), **details))
        return names

    def shares_storage(self, name: str) -> bool:
        """True if torch's register `name` shares memory with another register."""
        mine = storage(self.tensor(name))
        return mine is not None and any(
            storage(self.tensor(other)) == mine for other in self.tensors() if other != name
        )


def passes(test: Callable[[torch.Tensor], bool], t: torch.Tensor) -> bool:
    """test(t), False if it raises (a view torch has invalidated raises on .grad_fn)."""
    try:
        return bool(test(t))
    except Exception:
        return False


def storage(t: torch.Tensor) -> int | None:
    """The address of a tensor's memory (None when it has no elements)."""
    return t.untyped_storage().data_ptr() if t.numel() else None


def finite_and_small(t: torch.Tensor) -> bool:
    """True if every number of t can be cast to int64 without undefined behaviour."""
    if not t.dtype.is_floating_point or t.numel() == 0:
        return True
    values = t.detach()
    return bool(torch.isfinite(values).all()) and bool((values.abs() < 2.0**62).all())


# --- making tensors ------------------------------------------------------------------------------
def elements(w: Writer, count: int, kinds: tuple[str, ...]) -> list:
    """`count` numbers, each of one of `kinds`."""
    return [w.number(w.choose(kinds)) for _ in range(count)]


def literal_kinds(w: Writer, dtype: str | None) -> tuple[str, ...]:
    """The kinds of Python numbers a ``T.tensor`` literal holds (mixed now and then)."""
    if dtype is None:
        base = w.choose(("float", "int", "bool"))
        return (base, w.choose(("float", "int", "bool"))) if w.sometimes(4) else (base,)
    base = "float" if dtype in FLOATING else "int" if dtype == "int64" else "bool"
    other = {"float": "int", "int": "bool", "bool": "int"}[base]
    return (base, other) if w.sometimes(6) else (base,)


def new_tensor(
    w: Writer, shape: tuple[int, ...], dtype: str, requires_grad: bool | None = None
) -> str:
    """Emit a fresh tensor of `shape` and `dtype` (for an operand that must fit); its name."""
    if requires_grad is None:
        requires_grad = dtype in FLOATING and w.coin()
    grad = ", requires_grad=True" if requires_grad else ""
    if 0 in shape[:-1]:  # no literal has this shape
        return w.assign(f"T.zeros({sizes_text(shape)}, dtype=T.{dtype}{grad})", "T.zeros")[0]
    kinds = ("float",) if dtype in FLOATING else ("int",) if dtype == "int64" else ("bool",)
    numbers = elements(w, math.prod(shape), kinds)
    text = f"T.tensor({nested(numbers, shape)}, dtype=T.{dtype}{grad})"
    return w.assign(text, "T.tensor")[0]


def create(w: Writer) -> None:
    """A new tensor: ``T.tensor`` of a literal, zeros, ones, full, arange or a ``*_like``."""
    form = w.choose(("tensor", "zeros", "full", "arange", "like"))
    if form == "like" and not w.tensors():
        form = "tensor"
    if form == "tensor":
        shape = w.shape()
        dtype = w.choose((None, "float32", "float64", "int64", "bool"))
        kinds = literal_kinds(w, dtype)
        floating = dtype in FLOATING or (dtype is None and "float" in kinds)
        numbers = elements(w, math.prod(shape), kinds)
        if dtype == "int64":  # a float literal in an int64 tensor: only ones cast defines
            numbers = [x if kind_of(x) != "float" or abs(x) < 2**62 else 1.5 for x in numbers]
        options = "" if dtype is None else f", dtype=T.{dtype}"
        if (w.coin() and floating) or w.sometimes(20):
            options += ", requires_grad=True"
        w.assign(f"T.tensor({nested(numbers, shape)}{options})", "T.tensor")
    elif form == "zeros":
        name = w.choose(("zeros", "ones"))
        shape = w.shape()
        dtype = w.choose((None, *DTYPES))
        options = "" if dtype is None else f", dtype=T.{dtype}"
        if (dtype in (None, "float32", "float64") and w.coin()) or w.sometimes(20):
            options += ", requires_grad=True"
        sizes = ", ".join(map(str, shape)) if shape and w.coin() else sizes_text(shape)
        w.assign(f"T.{name}({sizes}{options})", f"T.{name}")
    elif form == "full":
        shape = w.shape()
        value = w.number(w.choose(("float", "int", "bool")))
        dtype = w.choose((None, *DTYPES))
        options = "" if dtype is None else f", dtype=T.{dtype}"
        floating = dtype in FLOATING or (dtype is None and kind_of(value) == "float")
        if floating and w.coin():
            options += ", requires_grad=True"
        w.assign(f"T.full({sizes_text(shape)}, {number_text(value)}{options})", "T.full")
    elif form == "arange":
        arange(w)
    else:
        source = w.pick(w.tensors())
        name = w.choose(("zeros_like", "ones_like", "full_like"))
        value = (
            f", {number_text(w.number(w.choose(('float', 'int'))))}" if name == "full_like" else ""
        )
        dtype = w.choose((None, *DTYPES))
        options = "" if dtype is None else f", dtype=T.{dtype}"
        w.assign(f"T.{name}({source}{value}{options})", f"T.{name}")


def arange(w: Writer) -> None:
    """``T.arange(end)``, ``(start, end)`` or ``(start, end, step)``, ints or floats."""
    count = w.integer(1, 3)
    floats = w.sometimes(3)
    start = w.choose((0, 1, -2, 2)) + (0.5 if floats else 0)
    end = start + w.choose((3, 2, 4, 1, 0, 6, -2))
    step = w.choose((1, 2, -1, 0.5, 0, -0.5)) if count == 3 else 1
    bounds = [end] if count == 1 else [start, end] if count == 2 else [start, end, step]
    options = ""
    if w.sometimes(3):
        options = f", dtype=T.{w.choose(DTYPES)}"
    elif any(isinstance(b, float) for b in bounds) and w.coin():
        options = ", requires_grad=True"
    w.assign(f"T.arange({', '.join(map(number_text, bounds))}{options})", "T.arange")


# --- operands ------------------------------------------------------------------------------------
def partner_shape(w: Writer, shape: tuple[int, ...], exact: bool = False) -> tuple[int, ...]:
    """A shape that broadcasts with `shape` (to exactly `shape`, for in-place operands, when
    `exact`): leading dimensions dropped, sizes replaced by 1, now and then a new one."""
    kept = shape[w.integer(0, len(shape)) :] if shape else ()
    result = tuple(1 if size != 1 and w.sometimes(3) else size for size in kept)
    if not exact and len(result) < 3 and w.sometimes(5):
        result = (w.choose((2, 1)),) + result
    return result


def partner(w: Writer, name: str, exact: bool = False) -> str:
    """A second tensor operand for register `name`: usually one whose shape broadcasts with it
    (an existing register, or a new tensor), sometimes any register."""
    shape = tuple(w.tensor(name).shape)
    fits = expands_to if exact else broadcasts
    fitting = w.tensors(lambda t: fits(tuple(t.shape), shape))
    how = w.choose(("existing", "new", "any"))
    if how == "existing" and fitting:
        return w.pick(fitting)
    if how == "any":
        return w.pick(w.tensors())
    dtype = str(w.tensor(name).dtype).removeprefix("torch.")
    if dtype not in DTYPES or w.sometimes(4):
        dtype = w.choose(DTYPES)
    return new_tensor(w, partner_shape(w, shape, exact), dtype)


def some_tensor(w: Writer, test: Callable[[torch.Tensor], bool] | None = None) -> str:
    """A register, preferably one passing `test`."""
    preferred = w.tensors(test) if test else []
    return w.pick(preferred if preferred and w.usually(6) else w.tensors())


def dtype_of(w: Writer, name: str) -> str:
    """torch's dtype of register `name`, without ``torch.``."""
    return str(w.tensor(name).dtype).removeprefix("torch.")


# --- elementwise operations ----------------------------------------------------------------------
def arithmetic(w: Writer) -> None:
    """``a + b``, ``a - 2``, ``0.5 * a``, ``a / b``, ``a ** 2``, ``T.add(a, b)``, ``a.mul(3)``:
    tensors with tensors or Python numbers on either side, broadcasting."""
    symbol = w.choose(tuple(ARITHMETIC))
    name = ARITHMETIC[symbol]
    a = some_tensor(w)
    form = w.choose(("t op t", "t op n", "n op t", "T.fn(t, t)", "t.fn(n)"))
    accuracy = "ulp" if symbol == "**" else "exact"
    if form in ("t op t", "T.fn(t, t)"):
        b = partner(w, a)
        if form == "t op t":
            w.assign(f"{a} {symbol} {b}", f"t {symbol} t", accuracy=accuracy)
        else:
            w.assign(f"T.{name}({a}, {b})", f"T.{name}(t, t)", accuracy=accuracy)
        return
    kind = w.choose(("float", "int", "bool"))
    n = w.number(kind)
    if symbol == "**" and not w.sometimes(6):
        n = w.choose(EXPONENTS)
        kind = kind_of(n)
    if form == "t op n":
        w.assign(f"{a} {symbol} {number_text(n)}", f"t {symbol} {kind}", accuracy=accuracy)
    elif form == "n op t":
        w.assign(f"{left(n)} {symbol} {a}", f"{kind} {symbol} t", accuracy=accuracy)
    else:
        w.assign(f"{a}.{name}({number_text(n)})", f"t.{name}({kind})", accuracy=accuracy)


def comparison(w: Writer) -> None:
    """``a < b``, ``a == 0.5``, ``T.eq(a, b)``: bool tensors."""
    symbol = w.choose(tuple(COMPARISONS))
    a = some_tensor(w)
    form = w.choose(("t op t", "t op n", "T.fn(t, t)"))
    if form == "t op n":
        kind = w.choose(("float", "int", "bool"))
        w.assign(f"{a} {symbol} {number_text(w.number(kind))}", f"t {symbol} {kind}", discrete=True)
        return
    b = partner(w, a)
    if form == "t op t":
        w.assign(f"{a} {symbol} {b}", f"t {symbol} t", discrete=True)
    else:
        name = COMPARISONS[symbol]
        w.assign(f"T.{name}({a}, {b})", f"T.{name}(t, t)", discrete=True)


def bound(w: Writer) -> Any:
    """A clamp bound: an int or a float."""
    return w.number(w.choose(("float", "int")))


def unary(w: Writer) -> None:
    """``a.exp()``, ``T.log(a)``, ``-a``, ``abs(a)``, ``a.clamp(min, max)``..."""
    a = some_tensor(w)
    name = w.choose((*UNARY, "clamp"))
    accuracy = "ulp" if name in TRANSCENDENTAL else "exact"
    if name == "clamp":
        form = w.choose(("both", "min", "max", "T.clamp", "positional", "none"))
        lo, hi = bound(w), bound(w)
        if form == "both":
            text = f"{a}.clamp(min={number_text(lo)}, max={number_text(hi)})"
            op = f"clamp({kind_of(lo)}, {kind_of(hi)})"
        elif form == "min":
            text, op = f"{a}.clamp(min={number_text(lo)})", f"clamp(min={kind_of(lo)})"
        elif form == "max":
            text, op = f"{a}.clamp(max={number_text(hi)})", f"clamp(max={kind_of(hi)})"
        elif form == "T.clamp":
            text = f"T.clamp({a}, {number_text(lo)}, {number_text(hi)})"
            op = f"clamp({kind_of(lo)}, {kind_of(hi)})"
        elif form == "positional":
            text, op = f"{a}.clamp({number_text(lo)})", f"clamp(min={kind_of(lo)})"
        else:
            text, op = f"{a}.clamp()", "clamp()"
        w.assign(text, op)
        return
    form = w.choose(("method", "function", "operator"))
    if form == "operator" and name == "neg":
        text = f"-{a}"
    elif form == "operator" and name == "abs":
        text = f"abs({a})"
    elif form == "function":
        text = f"T.{name}({a})"
    else:
        text = f"{a}.{name}()"
    w.assign(text, name, accuracy=accuracy)


def where(w: Writer) -> None:
    """``T.where(cond, a, b)``: cond a bool register or a comparison, a and b tensors or
    numbers."""
    if w.tensors(lambda t: t.dtype == torch.bool) and w.coin():
        condition = some_tensor(w, lambda t: t.dtype == torch.bool)
        source = condition
    else:
        source = some_tensor(w)
        condition = f"{source} {w.choose(('>', '!=', '<='))} {number_text(w.choose((0, 1.5, -1)))}"
    operands, kinds = [], []
    for _ in range(2):
        if w.choose(("tensor", "number")) == "tensor":
            operands.append(partner(w, source))
            kinds.append("t")
        else:
            n = w.number(w.choose(("float", "int", "bool")))
            operands.append(number_text(n))
            kinds.append(kind_of(n))
    text = f"T.where({condition}, {operands[0]}, {operands[1]})"
    w.assign(text, f"T.where(t, {kinds[0]}, {kinds[1]})", discrete=True)


# --- joining -------------------------------------------------------------------------------------
def join(w: Writer) -> None:
    """``T.cat([a, b], dim=d)`` and ``T.stack((a, b), d)``: tensors that fit, mostly."""
    small = w.tensors(lambda t: t.numel() <= MAX_NUMEL // 3)
    if not small:
        return create(w)
    a = w.pick(small)
    shape = tuple(w.tensor(a).shape)
    name = w.choose(("cat", "stack"))
    d = w.dim(len(shape), extra=1 if name == "stack" else 0)
    parts = [a]
    for _ in range(w.choose((1, 2, 0))):
        how = w.choose(("new", "same", "any"))
        if how == "same":
            parts.append(a)
        elif how == "any":
            parts.append(w.pick(small))
        else:
            sizes = list(shape)
            if name == "cat" and sizes and -len(sizes) <= d < len(sizes):
                sizes[d] = w.choose((1, 2, 0, 3))
            dtype = dtype_of(w, a) if w.usually(5) else w.choose(DTYPES)
            parts.append(new_tensor(w, tuple(sizes), dtype))
    listed = ", ".join(parts)
    if w.usually(3):
        listed = f"[{listed}]"
    else:
        listed = f"({listed},)" if len(parts) == 1 else f"({listed})"
    if w.sometimes(3) and d == 0:
        text = f"T.{name}({listed})"
    elif w.coin():
        text = f"T.{name}({listed}, dim={d})"
    else:
        text = f"T.{name}({listed}, {d})"
    w.assign(text, f"T.{name}")


# --- views ---------------------------------------------------------------------------------------
def factor_shape(w: Writer, numel: int) -> tuple[int, ...]:
    """A shape with `numel` elements (for view and reshape), of up to 3 dimensions."""
    primes, n, p = [], numel, 2
    while n > 1:
        while n % p == 0:
            primes.append(p)
            n //= p
        p += 1
    ndim = w.integer(0 if numel == 1 else 1, 3)
    sizes = [1] * max(ndim, 1)
    for prime in primes:
        sizes[w.integer(0, len(sizes) - 1)] *= prime
    if numel == 0:
        sizes[w.integer(0, len(sizes) - 1)] = 0
    if ndim == 0 and numel == 1:
        sizes = []
    return tuple(sizes)


def new_shape_text(w: Writer, numel: int) -> str:
    """Arguments of view/reshape: a shape of `numel` elements, maybe with a -1, maybe wrong."""
    sizes = list(factor_shape(w, numel))
    if w.sometimes(12):
        sizes.append(2)  # the wrong number of elements
    if sizes and w.sometimes(3):
        sizes[w.integer(0, len(sizes) - 1)] = -1
    if not sizes:
        return "()"
    if w.coin():
        return ", ".join(map(str, sizes))
    return sizes_text(tuple(sizes))


def slice_item(w: Writer, size: int) -> tuple[str, str]:
    """One item of a basic index for a dimension of `size`: its text and kind."""
    form = w.choose(("all", "int", "start", "stop", "range", "step", "negative"))
    if form == "all":
        return ":", "slice"
    if form == "int":
        i = w.choose(tuple(range(size)) + tuple(range(-size, 0))) if size else 0
        if w.sometimes(12):
            i = size
        return str(i), "int"
    i = w.choose((1, 0, -1, 2, -2, 5))
    if form == "start":
        return f"{i}:", "slice"
    if form == "stop":
        return f":{i}", "slice"
    if form == "range":
        return f"{i}:{w.choose((2, -1, 3, 0))}", "slice"
    if form == "step":
        return f"{w.choose(('', '1'))}::{w.choose((2, 3))}", "step"
    return "::-1", "negative step"


def basic_index(w: Writer, shape: tuple[int, ...]) -> tuple[str, list[str]]:
    """A basic index (ints, slices, None, ...) for a tensor of `shape`: text and kinds."""
    items, kinds = [], []
    count = w.integer(1, max(len(shape), 1))
    for size in shape[:count] or (1,):
        text, kind = slice_item(w, size)
        items.append(text)
        kinds.append(kind)
    if not shape and not w.sometimes(4):
        items, kinds = ["..."], ["..."]
    if w.sometimes(4):
        position = w.integer(0, len(items))
        items.insert(position, "None")
        kinds.insert(position, "None")
    if w.sometimes(5):
        items.insert(0, "...")
        kinds.insert(0, "...")
        if kinds.count("...") > 1 and w.usually(3):
            del items[0], kinds[0]
    return ", ".join(items), sorted(set(kinds))


def view(w: Writer) -> None:
    """A view, or detach: view, reshape, basic indexing, transpose, permute, expand, squeeze,
    unsqueeze, t, T, diagonal, select, narrow, unbind, split, chunk, flatten, movedim,
    ``.data``, ``detach()``."""
    a = some_tensor(w)
    t = w.tensor(a)
    shape, nd = tuple(t.shape), t.dim()
    name = w.choose(
        (
            *("index", "view", "reshape", "transpose", "permute", "expand", "squeeze"),
            *("unsqueeze", "t", "T", "diagonal", "select", "narrow", "unbind", "split"),
            *("chunk", "flatten", "movedim", "data", "detach"),
        )
    )
    views = {"view_of": a}
    if name == "index":
        index, kinds = basic_index(w, shape)
        w.assign(f"{a}[{index}]", f"t[{', '.join(kinds)}]", **views)
    elif name in ("view", "reshape"):
        w.assign(f"{a}.{name}({new_shape_text(w, t.numel())})", f"t.{name}", **views)
    elif name == "transpose":
        w.assign(f"{a}.transpose({w.dim(nd)}, {w.dim(nd)})", "t.transpose", **views)
    elif name == "permute":
        order = list(range(nd))
        for i in range(nd - 1, 0, -1):  # a shuffle hypothesis can shrink to the identity
            j = w.integer(0, i)
            order[i], order[j] = order[j], order[i]
        if nd and w.sometimes(10):
            order[0] = order[-1]  # a repeated dimension
        args = ", ".join(map(str, order)) if w.coin() else sizes_text(tuple(order))
        w.assign(f"{a}.permute({args})", "t.permute", **views)
    elif name == "expand":
        sizes = [w.choose((size, -1)) if size != 1 else w.choose((2, 1, 3, -1)) for size in shape]
        if nd < 3 and w.sometimes(3):
            sizes.insert(0, w.choose((2, 1)))
        w.assign(f"{a}.expand({', '.join(map(str, sizes)) or '()'})", "t.expand", **views)
    elif name == "squeeze":
        if w.coin():
            w.assign(f"{a}.squeeze()", "t.squeeze()", **views)
        else:
            w.assign(f"{a}.squeeze({w.dim(nd)})", "t.squeeze(dim)", **views)
    elif name == "unsqueeze":
        w.assign(f"{a}.unsqueeze({w.dim(nd, extra=1)})", "t.unsqueeze", **views)
    elif name == "t":
        w.assign(f"{a}.t()", "t.t()", **views)
    elif name == "T":
        w.assign(f"{a}.T", "t.T", **views)
    elif name == "diagonal":
        if w.coin():
            w.assign(f"{a}.diagonal()", "t.diagonal", **views)
        else:
            offset = w.choose((0, 1, -1, 2))
            text = f"{a}.diagonal({offset}, {w.dim(nd)}, {w.dim(nd)})"
            w.assign(text, "t.diagonal", **views)
    elif name == "select":
        d = w.dim(nd)
        size = shape[d] if -nd <= d < nd else 1
        i = w.choose(tuple(range(-size, size)) or (0,)) if not w.sometimes(12) else size
        w.assign(f"{a}.select({d}, {i})", "t.select", **views)
    elif name == "narrow":
        d = w.dim(nd)
        size = shape[d] if -nd <= d < nd else 1
        start = w.integer(0, size)
        length = w.integer(0, size - start) if not w.sometimes(12) else size + 1
        w.assign(f"{a}.narrow({d}, {start}, {length})", "t.narrow", **views)
    elif name in ("unbind", "split", "chunk"):
        pieces(w, a, name)
    elif name == "flatten":
        if nd and w.coin():
            text = f"{a}.flatten({w.dim(nd)}, {w.dim(nd)})"
        else:
            text = w.choose((f"{a}.flatten()", f"T.flatten({a})"))
        w.assign(text, "t.flatten", **views)
    elif name == "movedim":
        w.assign(f"{a}.movedim({w.dim(nd)}, {w.dim(nd)})", "t.movedim", **views)
    elif name == "data":
        w.assign(f"{a}.data", "t.data", **views)
    else:
        w.assign(f"{a}.detach()", "t.detach()", **views)  # shares (README), like .data


def pieces(w: Writer, a: str, name: str) -> None:
    """``t5, t6 = a.unbind(d)``, ``a.split(size, d)``, ``a.chunk(n, d)``: as many targets
    as torch gives (1 to 4); other counts are not written."""
    nd = w.tensor(a).dim()
    d = w.dim(nd)
    if name == "unbind":
        expression = f"{a}.unbind({d})"
    elif name == "split":
        sizes = w.choose((1, 2, "list"))
        arg = sizes if sizes != "list" else "[1, 1]"
        expression = f"{a}.split({arg}, {d})"
    else:
        expression = f"{a}.chunk({w.choose((2, 1, 3))}, {d})"
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            count = len(eval(compiled_eval(expression), w.env))
    except Exception:  # torch refuses it: one target, the error is compared
        count = 1
    if 1 <= count <= 4:
        w.assign(expression, f"t.{name}", count=count, unpack=True, view_of=a)


def compiled_eval(expression: str) -> Any:
    """The code object of an expression."""
    return compile(expression, "<expression>", "eval")


# --- indexing that copies ------------------------------------------------------------------------
def advanced_index(w: Writer, a: str) -> tuple[str, str, tuple[str, ...]]:
    """An advanced index for register `a`: text, kind and the registers it reads (a mask or an
    index tensor): ``[0, -1]``, ``T.tensor([1, 0])``, a bool mask, ``a > 0``, ``:, [0, 1]``."""
    t = w.tensor(a)
    shape = tuple(t.shape)
    size = shape[0] if shape else 1
    form = w.choose(("list", "mask", "inline mask", "int tensor", "bool list", "slice, list"))
    inside = tuple(range(-size, size)) or (0,)
    if form == "list" or (form == "slice, list" and len(shape) < 2):
        items = [w.choose(inside) for _ in range(w.integer(1, 3))]
        if w.sometimes(10):
            items[0] = size
        return "[" + ", ".join(map(str, items)) + "]", "t[list]", ()
    if form == "slice, list":
        inner = tuple(range(-shape[1], shape[1])) or (0,)
        items = [w.choose(inner) for _ in range(w.integer(1, 2))]
        return ":, [" + ", ".join(map(str, items)) + "]", "t[:, list]", ()
    if form == "int tensor":
        ints = w.tensors(lambda x: x.dtype == torch.int64 and x.dim() <= 2 and x.numel() <= 6)
        if ints and w.coin():
            index = w.pick(ints)
            return index, "t[int tensor]", (index,)
        items = [w.choose(inside) for _ in range(w.integer(0, 3))]
        return f"T.tensor([{', '.join(map(str, items))}], dtype=T.int64)", "t[int tensor]", ()
    if form == "bool list":
        items = [w.choose((True, False)) for _ in range(size)]
        return "[" + ", ".join(map(repr, items)) + "]", "t[bool list]", ()
    if form == "mask":
        masks = w.tensors(lambda x: x.dtype == torch.bool and tuple(x.shape) == shape[: x.dim()])
        if masks:
            mask = w.pick(masks)
            return mask, "t[mask]", (mask,)
    return f"{a} {w.choose(('>', '!=', '<'))} {number_text(w.choose((0, 1.5)))}", "t[a > n]", (a,)


def index(w: Writer) -> None:
    """Advanced indexing (a copy): ``a[[0, -1]]``, ``a[mask]``, ``a[a > 0]``, ``a[idx]``."""
    a = some_tensor(w, lambda t: t.dim() > 0)
    text, op, structural = advanced_index(w, a)
    w.assign(f"{a}[{text}]", op, structural=structural)


# --- in place ------------------------------------------------------------------------------------
def safe_value(w: Writer, target: str, value: Any) -> Any:
    """`value`, or a plain number where casting it into the target's dtype is undefined."""
    if dtype_of(w, target) == "int64" and kind_of(value) == "float":
        if not math.isfinite(value) or abs(value) >= 2**62:
            return 2.5
    return value


def in_place(w: Writer) -> None:
    """An in-place change, of a base or of a view, in or out of ``no_grad``: ``add_``, ``sub_``,
    ``mul_``, ``div_``, ``zero_``, ``fill_``, ``clamp_``, ``exp_``..., ``+=``, ``a[i] = v``."""
    names = w.tensors()
    sharing = [name for name in names if w.shares_storage(name)]
    a = w.pick(sharing) if sharing and w.coin() else w.pick(names)
    form = w.choose(("method", "augmented", "setitem", "zero_", "fill_", "clamp_", "unary_"))
    accuracy, structural = "exact", ()
    if form in ("method", "augmented"):
        name = w.choose(("add", "mul", "sub", "div"))
        symbol = {"add": "+", "mul": "*", "sub": "-", "div": "/"}[name]
        if w.coin():
            operand = partner(w, a, exact=True)
            kind = "t"
        else:
            n = safe_value(w, a, w.number(w.choose(("float", "int", "bool"))))
            operand, kind = number_text(n), kind_of(n)
        if form == "method":
            text, op = f"{a}.{name}_({operand})", f"t.{name}_({kind})"
        else:
            text, op = f"{a} {symbol}= {operand}", f"t {symbol}= {kind}"
    elif form == "setitem":
        text, op, structural = setitem(w, a)
    elif form == "zero_":
        text, op = f"{a}.zero_()", "t.zero_()"
    elif form == "fill_":
        n = safe_value(w, a, w.number(w.choose(("float", "int", "bool"))))
        text, op = f"{a}.fill_({number_text(n)})", f"t.fill_({kind_of(n)})"
    elif form == "clamp_":
        lo, hi = safe_value(w, a, bound(w)), safe_value(w, a, bound(w))
        if w.coin():
            text = f"{a}.clamp_({number_text(lo)}, {number_text(hi)})"
            op = f"t.clamp_({kind_of(lo)}, {kind_of(hi)})"
        else:
            text, op = f"{a}.clamp_(min={number_text(lo)})", f"t.clamp_(min={kind_of(lo)})"
    else:
        name = w.choose(("exp", "relu", "sqrt", "neg", "abs", "sin", "sigmoid", "tanh", "log"))
        text, op = f"{a}.{name}_()", f"t.{name}_()"
        accuracy = "ulp" if name in TRANSCENDENTAL else "exact"
    if w.sometimes(3):
        w.no_grad = True
    targets = (a,) if form == "augmented" else ()
    w.emit(Step(text, op, targets, mutates=a, accuracy=accuracy, structural=structural))


def setitem(w: Writer, a: str) -> tuple[str, str, tuple[str, ...]]:
    """``a[index] = value``: text, op and structural reads.  The value is a number, or a tensor
    that broadcasts to the selected part (its shape read from torch)."""
    t = w.tensor(a)
    if t.dim() and w.coin():
        index, op, structural = advanced_index(w, a)
        op = op.removeprefix("t")
    else:
        index, kinds = basic_index(w, tuple(t.shape))
        op, structural = f"[{', '.join(kinds)}]", ()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            selected = tuple(eval(compiled_eval(f"{a}[{index}]"), w.env).shape)
    except Exception:  # torch refuses the index: any value will do
        selected = None
    if selected is not None and w.coin():
        dtype = dtype_of(w, a) if w.usually(4) else w.choose(DTYPES)
        value = new_tensor(w, partner_shape(w, selected, exact=True), dtype, requires_grad=None)
        if dtype in FLOATING and dtype_of(w, a) == "int64":
            if not passes(finite_and_small, w.tensor(value)):
                value = "2"
        kind = "t" if value != "2" else "int"
    else:
        n = safe_value(w, a, w.number(w.choose(("float", "int", "bool"))))
        value, kind = number_text(n), kind_of(n)
    return f"{a}[{index}] = {value}", f"t{op} = {kind}", structural


# --- reductions ----------------------------------------------------------------------------------
def reduce(w: Writer) -> None:
    """sum, mean, prod, max, min, amax, amin and norm, over everything or over dims, keepdim."""
    a = some_tensor(w)
    t = w.tensor(a)
    nd = t.dim()
    name = w.choose(("sum", "mean", "prod", "max", "min", "amax", "amin", "norm"))
    accuracy = "sum" if name in ("sum", "mean", "prod", "norm") else "exact"
    over = w.choose(("all", "dim", "dims")) if name not in ("prod",) else w.choose(("all", "dim"))
    if name in ("amax", "amin") and over == "all":
        over = "dim"
    if name in ("max", "min") and over == "dims":
        over = "dim"
    args: list[str] = []
    if name == "norm" and w.sometimes(3):
        args.append(f"p={w.choose((1, 2, 'inf'))}")
    keyword = bool(args) or w.coin()  # after a keyword, only keywords
    if over == "dim":
        args.append(f"dim={w.dim(nd)}" if keyword else str(w.dim(nd)))
    elif over == "dims":
        args.append(f"dim=({w.dim(nd)}, {w.dim(nd)})")
    keepdim = over != "all" and w.coin()
    if keepdim:
        args.append("keepdim=True")
    op = f"t.{name}({over if over != 'all' else ''}{', keepdim' if keepdim else ''})"
    if w.coin():
        text = f"{a}.{name}({', '.join(args)})"
    else:
        text = f"T.{name}({', '.join([a, *args])})"
    count = 2 if name in ("max", "min") and over == "dim" else 1
    w.assign(text, op, count=count, accuracy=accuracy, discrete=count == 2)


# --- matrix products -----------------------------------------------------------------------------
def matmul(w: Writer) -> None:
    """``a @ b``, ``T.matmul``, ``T.mm``, ``T.mv``, ``T.dot`` of 1- to 3-dimensional tensors,
    the second operand usually made to fit."""
    form = w.choose(("@", "T.matmul", "T.mm", "T.mv", "T.dot", "t.matmul"))
    wanted = {"T.mm": (2,), "T.mv": (2,), "T.dot": (1,)}.get(form, (1, 2, 3))
    a = some_tensor(w, lambda t: t.dim() in wanted and t.numel() <= 18)
    shape = tuple(w.tensor(a).shape)
    k = shape[-1] if shape else 2
    m = w.choose((2, 1, 3, 0))
    if form == "T.dot" or form == "T.mv":
        other = (k,)
    elif form == "T.mm":
        other = (k, m)
    else:
        other = w.choose(((k,), (k, m), (2, k, m), (1, k, m)))
        if len(shape) == 3 and len(other) == 3 and w.coin():
            other = (shape[0], k, m)
    if w.sometimes(8):
        other = (*other[:-1], other[-1] + 1)  # does not fit
    dtype = dtype_of(w, a) if dtype_of(w, a) in DTYPES and w.usually(8) else w.choose(DTYPES)
    fitting = w.tensors(lambda t: tuple(t.shape) == other)
    b = w.pick(fitting) if fitting and w.coin() else new_tensor(w, other, dtype)
    if form == "@":
        text = f"{a} @ {b}"
    elif form == "t.matmul":
        text = f"{a}.matmul({b})"
    else:
        text = f"{form}({a}, {b})"
    w.assign(text, form if form != "t.matmul" else "T.matmul", accuracy="sum")


# --- conversions and flags -----------------------------------------------------------------------
def cast(w: Writer) -> None:
    """Dtype conversions, ``clone()``, ``requires_grad_()`` and ``detach().requires_grad_()``."""
    a = some_tensor(w)
    form = w.choose(
        (
            *(".float()", ".double()", ".long()", ".bool()", ".to(T.float64)", ".to(T.float32)"),
            *(".to(T.int64)", ".to(T.bool)", ".clone()", ".int()", "requires_grad_"),
            ".detach().requires_grad_()",
        )
    )
    to_integer = form in (".long()", ".int()", ".to(T.int64)")
    if to_integer and not passes(finite_and_small, w.tensor(a)):
        form = ".float()"  # inf or nan as an integer is undefined in torch
    if form == "requires_grad_":
        flag = "" if w.usually(4) else "False"
        w.emit(Step(f"{a}.requires_grad_({flag})", f"t.requires_grad_({flag})", mutates=a))
        return
    discrete = to_integer or "bool" in form.lower()
    same = {".float()": "float32", ".double()": "float64", ".long()": "int64", ".bool()": "bool"}
    target = same.get(form) or form.removeprefix(".to(T.").removesuffix(")")
    views = {"view_of": a} if target == dtype_of(w, a) else {}  # torch returns the tensor itself
    w.assign(f"{a}{form}", f"t{form}", discrete=discrete, **views)


# --- the end: gradients ---------------------------------------------------------------------------
def finish(w: Writer) -> None:
    """Most programs end with a backward pass from a float register that requires grad:
    ``.backward()`` of its sum or with a gradient (then the leaves' ``.grad`` are read), or
    ``autograd.grad`` with ``create_graph=True``, sometimes twice (second order)."""
    losses = w.tensors(lambda t: t.requires_grad and t.dtype.is_floating_point and t.numel())
    if not losses or not w.usually(4):
        return
    loss = w.pick(losses)
    via = w.producer.get(loss, "leaf")
    leaves = w.tensors(lambda t: t.is_leaf and t.requires_grad)
    how = w.choose(("sum", "gradient", "autograd.grad", "twice"))
    if how == "autograd.grad":
        return second_order(w, loss, via, leaves)
    t = w.tensor(loss)
    if how == "gradient" and t.dim():
        numbers = elements(w, t.numel(), ("float",))
        dtype = str(t.dtype).removeprefix("torch.")
        seed = f"T.tensor({nested(numbers, tuple(t.shape))}, dtype=T.{dtype})"
        calls = [f"{loss}.backward({seed})"]
    elif how == "gradient" and t.numel() == 1:
        calls = [f"{loss}.backward()"]
    else:
        calls = [f"{loss}.sum().backward()"]
    if how == "twice":
        retain = "retain_graph=True" if w.usually(3) else ""
        calls = [calls[0].replace("backward()", f"backward({retain})"), calls[0]]
    for call in calls:
        w.emit(Step(call, f"backward via {via}", extra_reads=(loss,), extra_writes=("@grads",)))
    for name in w.tensors(lambda t: t.requires_grad):
        leaf = passes(lambda t: t.is_leaf, w.tensor(name))
        if (leaf and w.usually(4)) or (not leaf and w.sometimes(8)):
            op = f"grad via {via}" if leaf else "grad of a non-leaf"
            w.assign(f"{name}.grad", op, accuracy="grad", extra_reads=(loss, "@grads"))


def second_order(w: Writer, loss: str, via: str, leaves: list[str]) -> None:
    """``g, h = T.autograd.grad(loss.sum(), [x, y], create_graph=True, allow_unused=True)``,
    then sometimes the same again from one of those gradients."""
    if not leaves:
        return
    chosen = leaves[:4]
    inputs = "[" + ", ".join(chosen) + "]"
    call = f"T.autograd.grad({loss}.sum(), {inputs}, create_graph=True, allow_unused=True)"
    op = f"autograd.grad via {via}"
    grads = w.assign(call, op, count=len(chosen), unpack=True, accuracy="grad")
    grads = [g for g in grads if isinstance(w.env.get(g), torch.Tensor)]
    if not grads or not w.usually(3):
        return
    g = w.pick(grads)
    outer = f"{g}.sum()" if w.coin() else f"({g} * {g}).sum()"
    call = f"T.autograd.grad({outer}, {inputs}, allow_unused=True)"
    w.assign(call, f"grad of grad via {via}", count=len(chosen), unpack=True, accuracy="grad")


# --- the strategy --------------------------------------------------------------------------------
FAMILIES: tuple[Callable[[Writer], None], ...] = (
    *(create, create, arithmetic, arithmetic, arithmetic, view, view, view, in_place, in_place),
    *(in_place, unary, unary, reduce, reduce, index, index, comparison, where, join, matmul),
    cast,
)


_WRITERS: list[Writer] = []  # the writer of the program being drawn


@st.composite
def _step(draw: Callable) -> bool:
    """One more step of the program being written, or False to stop.  A strategy of its own,
    so that each step is one span of choices, which hypothesis can delete as a whole."""
    w = _WRITERS[-1]
    outer, w.draw = w.draw, draw
    try:
        if not w.usually(8) and len(w.steps) >= w.min_steps:
            return False
        family = w.choose(FAMILIES) if w.tensors() else create
        w.no_grad = w.sometimes(10)
        family(w)
        return True
    finally:
        w.no_grad = False
        w.draw = outer


STEP = _step()


@st.composite
def programs(draw: Callable, min_steps: int = 4, max_steps: int = 14) -> Program:
    """A random program: a first tensor, `min_steps` to `max_steps` lines, and most often a
    backward pass at the end.  (Hypothesis often draws the value that ends the loop; the lines
    a mismatch does not need are deleted after shrinking, so the minimum costs nothing.)"""
    w = Writer(draw)
    w.min_steps = min_steps
    _WRITERS.append(w)
    try:
        create(w)
        while len(w.steps) < max_steps and draw(STEP):
            pass
        finish(w)
    finally:
        _WRITERS.pop()
    return Program(w.steps)
