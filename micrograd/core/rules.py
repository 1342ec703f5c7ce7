"""The derivative rules: for every primitive, its forward and its vector-Jacobian product.

This is our version of PyTorch's ``tools/autograd/derivatives.yaml``.  Each primitive is two
named functions, registered right under them as one ``Primitive``:

* ``mul(m, x, y)``, the forward: the result from the operands;
* ``mul_vjp(m, g, out, x, y)``, the vector-Jacobian product: given ``g = ∂L/∂out``, the
  gradient arriving from the result, it returns ``∂L/∂x = g · ∂out/∂x`` for each input.  That
  is the chain rule for one node; its docstring states the local derivatives.

The first parameter ``m`` is the math the rule calls (``m.exp``, ``m.log``...).  Passing it in
lets one rule serve everywhere:

* ``FloatMath``: plain floats, for the first-order backward pass and forward mode;
* ``ValueMath``: the same functions on Values, so that ``create_graph=True`` records the backward
  pass itself and a derivative can be differentiated again (higher order);
* ``IEEEFloat`` operands instead of floats, when Python raised (``1/0``): see ``evaluate``.

``x ** 2``, ``2 - x``, ``2 ** x`` and ``x.clamp(0, 1)`` carry a constant ``c`` (the exponent,
the bounds): as in PyTorch's ``PowBackward0`` it is an attribute of the node, not an input, so
the rule receives it in place of ``y`` and returns one gradient.

Add a primitive by adding a pair of functions and its ``Primitive``: ``Value``'s and
``Tensor``'s methods, ``micrograd.<name>``, the command line's formulas, the drawings and the
property tests all read the table ``PRIMITIVES`` at the end of this file.
"""

from __future__ import annotations

import builtins
from typing import Any, Callable, Sequence

from . import ieee
from .errors import bad_data
from .modes import nan_check
from .nodes import Freed, backward_node_class


def _is_number(x: Any) -> bool:
    return isinstance(x, (int, float))


def _number(x: Any) -> Any:
    """A Value's number, or x itself (a number, or a constant such as clamp's bounds)."""
    return getattr(x, "data", x)


# === The math a rule may call ===================================================================
class FloatMath:
    """The math of the rules on plain floats: IEEE 754 results (``ieee.py``), never an exception."""

    exp, log, sqrt = staticmethod(ieee.exp), staticmethod(ieee.log), staticmethod(ieee.sqrt)
    sin, cos, tanh = staticmethod(ieee.sin), staticmethod(ieee.cos), staticmethod(ieee.tanh)
    sigmoid, relu = staticmethod(ieee.sigmoid), staticmethod(ieee.relu)
    abs, sign = staticmethod(builtins.abs), staticmethod(ieee.sign)
    pow, pow_by_number = staticmethod(ieee.ieee_pow), staticmethod(ieee.pow_by_number)
    clamp, inside = staticmethod(ieee.clamp), staticmethod(ieee.inside)

    @staticmethod
    def is_zero(x: float) -> bool:
        """x == 0."""
        return x == 0

    @staticmethod
    def linked(value: Any, to: Any) -> Any:
        """value itself: on floats nothing is recorded, so there is nothing to link."""
        return value

    @staticmethod
    def where(condition: bool, a: float, b: float) -> float:
        """a if condition else b."""
        return a if condition else b


class ValueMath:
    """The same math on Values, through their methods, so that it is recorded: with
    ``create_graph=True`` the backward pass builds a graph of its own.  A rule may meet a
    number (a constant operand); on a number each function is FloatMath's."""

    @staticmethod
    def exp(x: Any) -> Any:
        """eˣ."""
        return ieee.exp(x) if _is_number(x) else x.exp()

    @staticmethod
    def log(x: Any) -> Any:
        """ln x."""
        return ieee.log(x) if _is_number(x) else x.log()

    @staticmethod
    def sqrt(x: Any) -> Any:
        """√x."""
        return ieee.sqrt(x) if _is_number(x) else x.sqrt()

    @staticmethod
    def sin(x: Any) -> Any:
        """sin x."""
        return ieee.sin(x) if _is_number(x) else x.sin()

    @staticmethod
    def cos(x: Any) -> Any:
        """cos x."""
        return ieee.cos(x) if _is_number(x) else x.cos()

    @staticmethod
    def tanh(x: Any) -> Any:
        """tanh x."""
        return ieee.tanh(x) if _is_number(x) else x.tanh()

    @staticmethod
    def sigmoid(x: Any) -> Any:
        """σ(x)."""
        return ieee.sigmoid(x) if _is_number(x) else x.sigmoid()

    @staticmethod
    def relu(x: Any) -> Any:
        """max(x, 0)."""
        return ieee.relu(x) if _is_number(x) else x.relu()

    @staticmethod
    def abs(x: Any) -> Any:
        """|x|."""
        return builtins.abs(x)

    @staticmethod
    def clamp(x: Any, low: float | None, high: float | None) -> Any:
        """min(max(x, low), high)."""
        return ieee.clamp(x, low, high) if _is_number(x) else x.clamp(low, high)

    @staticmethod
    def pow(x: Any, y: Any) -> Any:
        """xʸ."""
        return ieee.ieee_pow(x, y) if _is_number(x) and _is_number(y) else x**y

    @staticmethod
    def pow_by_number(x: Any, c: float) -> Any:
        """xᶜ for a number c."""
        return ieee.pow_by_number(x, c) if _is_number(x) else x**c

    @staticmethod
    def sign(x: Any) -> float:
        """-1, 0 or 1: a step, so a number (its derivative is 0)."""
        return ieee.sign(_number(x))

    @staticmethod
    def inside(x: Any, low: float | None, high: float | None) -> float:
        """1.0 where low ≤ x ≤ high, else 0.0: a step, so a number."""
        return ieee.inside(_number(x), low, high)

    @staticmethod
    def is_zero(x: Any) -> bool:
        """x == 0."""
        return _number(x) == 0

    @staticmethod
    def linked(value: Any, to: Any) -> Any:
        """value, recorded as depending on `to` with derivative 0.  PyTorch's backward formulas
        for abs (g·sgn x) and relu (g where the result > 0) read a saved tensor that requires
        grad, so their gradient requires grad too and differentiating it again gives 0."""
        if _is_number(to) or to._node is None:
            return value
        return to._linked(value)

    @staticmethod
    def where(condition: bool, a: Any, b: Any) -> Any:
        """a if condition else b, as PyTorch's where: a·[condition] + b·[not condition], so the
        gradient reaches the chosen one and a masked 0 reaches the other (whose own derivative may
        then make a nan, as in PyTorch).  Its number is the chosen one's: the sum's could be nan
        (inf·0), so it is set after the sum is recorded."""
        if _is_number(a) and _is_number(b):
            return a if condition else b
        result = a * float(condition) + b * float(not condition)
        result.data = _number(a if condition else b)
        return result


Math = type[FloatMath] | type[ValueMath]
"""What a rule's first argument ``m`` is: the class whose functions it calls."""


def evaluate(rule: Callable[..., Any], *args: Any) -> Any:
    """A forward or vjp on plain floats, IEEE-safe: ``evaluate(div, 1.0, 0.0)`` is inf.

    The rules use Python's operators, which are fastest on floats but raise where IEEE 754 (and
    PyTorch) give inf or nan.  Then the rule runs again on ``IEEEFloat`` numbers, whose operators
    never raise: the usual path pays nothing for the rare one."""
    try:
        return rule(FloatMath, *args)
    except ArithmeticError:
        return on_ieee_floats(rule, *args)


def on_ieee_floats(rule: Callable[..., Any], *args: Any) -> Any:
    """rule(FloatMath, *args) with IEEEFloat numbers: a float, or a tuple of floats for a vjp."""
    result = rule(FloatMath, *[ieee.IEEEFloat(a) if isinstance(a, float) else a for a in args])
    return tuple(map(float, result)) if isinstance(result, tuple) else float(result)


# === A row of the table =========================================================================
class Primitive:
    """A differentiable operation: its two rules, and the names PyTorch and karpathy give it.

    ``name`` is PyTorch's (``torch.mul`` is our ``mul``); ``symbol`` is what karpathy's micrograd
    shows in ``Value._op`` (``'*'``); ``grad_fn_name`` names PyTorch's backward node
    (``MulBackward0``).
    ``inputs`` is how many operands are differentiated (1 or 2); ``constant`` names the parameters
    a constant carries (``("min", "max")`` for clamp), or is empty; ``saves`` is False for rules
    that read no saved values (``x + y``), whose nodes may be backpropagated through twice, as in
    PyTorch; ``operator`` marks the rows reached through Python's operators (``x * y``, ``x ** 2``).

    A result's ``_node`` is its Primitive: the history of a Value (see ``nodes.py``).
    """

    __slots__ = (
        "name",
        "symbol",
        "grad_fn_name",
        "forward",
        "vjp",
        "math",
        "inputs",
        "saves",
        "constant",
        "operator",
        "variants",
        "freed",
    )

    def __init__(
        self,
        name: str,
        symbol: str,
        grad_fn: str,
        forward: Callable[..., Any],
        vjp: Callable[..., tuple],
        *,
        inputs: int = 1,
        saves: bool = True,
        constant: Sequence[str] = (),
        operator: bool = False,
        variants: Sequence[tuple[str, str, str]] = (),
    ) -> None:
        self.name, self.symbol, self.grad_fn_name = name, symbol, grad_fn
        self.forward, self.vjp = forward, vjp
        self.math = (vjp.__doc__ or "").strip().splitlines()[0]  # for docstrings and drawings
        self.inputs = inputs
        self.saves = saves
        self.constant = tuple(constant)
        self.operator = operator or inputs == 2
        self.variants = tuple(variants)  # (method, grad_fn, the one parameter it sets): clamp_min
        self.freed = Freed(self) if saves else self  # what a node becomes once backward freed it

    # --- the node protocol (nodes.py): what the backward pass and the drawings ask a node ------
    @property
    def rule(self) -> Primitive:
        """The primitive behind the node: itself."""
        return self

    def inputs_of(self, value: Any) -> tuple:
        """The operands of `value` that are inputs: a constant (the 2 of x ** 2) is not one."""
        a, b = value._a, value._b
        return (a,) if b is None or self.constant else (a, b)

    def gradients(self, value: Any, g: Any, create_graph: bool = False) -> tuple:
        """(∂L/∂x[, ∂L/∂y]) for `value`, a result of this primitive, given g = ∂L/∂value: on
        floats, or on Values with create_graph (so that the gradients form a graph of their own)."""
        a, b = value._a, value._b
        if create_graph:
            operands = (a,) if b is None else (a, b)
            try:
                return self.vjp(ValueMath, g, value, *operands)
            except ArithmeticError:  # numbers among them (a zero gradient, a constant): IEEE's
                ieee_numbers = [ieee.IEEEFloat(x) if x.__class__ is float else x for x in
                                (g, *operands)]  # fmt: skip
                grads = self.vjp(ValueMath, ieee_numbers[0], value, *ieee_numbers[1:])
                return tuple(float(x) if isinstance(x, ieee.IEEEFloat) else x for x in grads)
        try:
            if b is None:
                return evaluate(self.vjp, g, value.data, _number(a))
            return evaluate(self.vjp, g, value.data, _number(a), _number(b))
        except TypeError:
            _check_numbers(value.data, _number(a), _number(b))
            raise

    def local_gradients(self, value: Any, g: Any, run: Any) -> zip:
        """One step of the backward pass `run`: for each input x of `value`, the pair (x, its
        share g·∂value/∂x), the local derivative times the upstream g.  Without retain_graph
        the node is freed after this step (a second pass through it raises)."""
        grads = self.gradients(value, g, run.create_graph)
        if run.check_nan:
            nan_check(self.grad_fn_name, grads)
        if not run.retain_graph:
            value._node = self.freed
        return zip(self.inputs_of(value), grads)

    def grad_fn(self, value: Any) -> Any:
        """PyTorch's view of the node: ``MulBackward0``, made on request."""
        return backward_node_class(self.grad_fn_name)(value)

    def output_index(self, value: Any) -> int:
        """A primitive has one output."""
        return 0

    def label(self, constant: Any = None) -> str:
        """The symbol in ``Value._op`` and drawings: ``'**2'`` for x ** 2, ``'3-'`` for 3 - x."""
        if "{c}" not in self.symbol:
            return self.symbol
        return self.symbol.format(c=_number_text(constant))

    def bind(self, args: tuple, kwargs: dict) -> tuple | None:
        """The constants a method call passes to this row, checked: clamp(0, max=1) -> (0, 1)."""
        if len(args) > len(self.constant) or set(kwargs) - set(self.constant):
            takes = ", ".join(self.constant) or "none"
            raise TypeError(
                f"{self.name}() takes the arguments {takes}; "
                f"got {len(args)} positional and {sorted(kwargs)}"
            )
        given = dict(zip(self.constant, args), **kwargs)
        bound = tuple(given.get(name) for name in self.constant)
        for name, c in zip(self.constant, bound):
            if c is not None and ieee.as_float(c) is None:
                raise TypeError(
                    f"{self.name}(): '{name}' must be a number or None, "
                    f"got {c!r} of type {type(c).__name__}"
                )
        if self.constant and all(c is None for c in bound):
            raise RuntimeError(
                f"{self.name}(): at least one of "
                f"{' or '.join(map(repr, self.constant))} must not be None"
            )
        return bound if self.constant else None

    def __repr__(self) -> str:
        return f"<primitive {self.name}: {self.math}>"


def _check_numbers(*numbers: Any) -> None:
    """Raise a clear TypeError if a Value's data (an operand's, or the result's) is not a real
    number: ``v.data = "abc"`` after the operation is not checked, its first use is."""
    for number in numbers:
        if number is not None and not isinstance(number, tuple) and ieee.as_float(number) is None:
            raise bad_data(number)


def _number_text(c: Any) -> str:
    """2 and 2.0 both print as 2 (karpathy's '**2'); 0.5 stays 0.5."""
    return str(int(c)) if _is_number(c) and float(c).is_integer() else repr(c)


# === Two operands ===============================================================================
# In the rules: x, y the operands; out the result; g = ∂L/∂out; c a constant carried by the node.
def add(m: Math, x: Any, y: Any) -> Any:
    """x + y"""
    return x + y


def add_vjp(m: Math, g: Any, out: Any, x: Any, y: Any) -> tuple:
    """x + y: ∂/∂x = 1, ∂/∂y = 1"""
    return g, g


ADD = Primitive("add", "+", "AddBackward0", add, add_vjp, inputs=2, saves=False)


def sub(m: Math, x: Any, y: Any) -> Any:
    """x - y"""
    return x - y


def sub_vjp(m: Math, g: Any, out: Any, x: Any, y: Any) -> tuple:
    """x - y: ∂/∂x = 1, ∂/∂y = -1"""
    return g, -g


SUB = Primitive("sub", "-", "SubBackward0", sub, sub_vjp, inputs=2, saves=False)


def mul(m: Math, x: Any, y: Any) -> Any:
    """x·y"""
    return x * y


def mul_vjp(m: Math, g: Any, out: Any, x: Any, y: Any) -> tuple:
    """x·y: ∂/∂x = y, ∂/∂y = x"""
    return g * y, g * x


MUL = Primitive("mul", "*", "MulBackward0", mul, mul_vjp, inputs=2)


def div(m: Math, x: Any, y: Any) -> Any:
    """x/y"""
    return x / y


def div_vjp(m: Math, g: Any, out: Any, x: Any, y: Any) -> tuple:
    """x/y: ∂/∂x = 1/y, ∂/∂y = -x/y²  (written -(x/y)/y, PyTorch's formula and rounding)"""
    # not from out: PyTorch's DivBackward0 saves the inputs only, so an in-place change of the
    # result after the division does not change its gradient
    return g / y, -g * ((x / y) / y)


DIV = Primitive("div", "/", "DivBackward0", div, div_vjp, inputs=2)


def pow(m: Math, x: Any, y: Any) -> Any:  # torch.pow's name (builtins.pow is unused here)
    """xʸ"""
    return m.pow(x, y)


def pow_vjp(m: Math, g: Any, out: Any, x: Any, y: Any) -> tuple:
    """xʸ: ∂/∂x = y·xʸ⁻¹, ∂/∂y = xʸ·ln x"""
    return pow_dx(m, g, x, y), pow_dy(m, g, out, x, y)


def pow_dx(m: Math, g: Any, x: Any, y: Any) -> Any:
    """∂L/∂x of xʸ = g·y·xʸ⁻¹; 0 where y = 0 (so 0⁰ has slope 0).  Written as PyTorch's
    pow_backward_self, a where() over both branches, so second derivatives match it too."""
    return m.where(m.is_zero(y), 0.0, g * (y * m.pow(x, y - 1)))


def pow_dy(m: Math, g: Any, out: Any, x: Any, y: Any) -> Any:
    """∂L/∂y of xʸ = g·xʸ·ln x; 0 where x = 0 and y ≥ 0 (PyTorch's pow_backward_exponent)."""
    return g * m.where(m.is_zero(x) and y >= 0, 0.0, out * m.log(x))


POW = Primitive("pow", "**", "PowBackward1", pow, pow_vjp, inputs=2)


# === One operand ================================================================================
def neg(m: Math, x: Any) -> Any:
    """-x"""
    return -x


def neg_vjp(m: Math, g: Any, out: Any, x: Any) -> tuple:
    """f(x) = -x, f′(x) = -1"""
    return (-g,)


NEG = Primitive("neg", "neg", "NegBackward0", neg, neg_vjp, saves=False)


def exp(m: Math, x: Any) -> Any:
    """eˣ"""
    return m.exp(x)


def exp_vjp(m: Math, g: Any, out: Any, x: Any) -> tuple:
    """f(x) = eˣ, f′(x) = eˣ  (the result itself)"""
    return (g * out,)


EXP = Primitive("exp", "exp", "ExpBackward0", exp, exp_vjp)


def log(m: Math, x: Any) -> Any:
    """ln x"""
    return m.log(x)


def log_vjp(m: Math, g: Any, out: Any, x: Any) -> tuple:
    """f(x) = ln x, f′(x) = 1/x"""
    return (g / x,)


LOG = Primitive("log", "log", "LogBackward0", log, log_vjp)


def tanh(m: Math, x: Any) -> Any:
    """tanh x"""
    return m.tanh(x)


def tanh_vjp(m: Math, g: Any, out: Any, x: Any) -> tuple:
    """f(x) = tanh x, f′(x) = 1 - tanh²x"""
    return (g * (1 - out * out),)


TANH = Primitive("tanh", "tanh", "TanhBackward0", tanh, tanh_vjp)


def sigmoid(m: Math, x: Any) -> Any:
    """σ(x) = 1/(1 + e⁻ˣ)"""
    return m.sigmoid(x)


def sigmoid_vjp(m: Math, g: Any, out: Any, x: Any) -> tuple:
    """f(x) = σ(x) = 1/(1 + e⁻ˣ), f′(x) = σ(x)(1 - σ(x))"""
    return (g * out * (1 - out),)


SIGMOID = Primitive("sigmoid", "sigmoid", "SigmoidBackward0", sigmoid, sigmoid_vjp)


def relu(m: Math, x: Any) -> Any:
    """max(x, 0)"""
    return m.relu(x)


def relu_vjp(m: Math, g: Any, out: Any, x: Any) -> tuple:
    """f(x) = max(x, 0), f′(x) = 1 if x > 0 else 0  (nan passes g on, as in PyTorch)"""
    return (m.linked(0.0 if out <= 0 else g, out),)


RELU = Primitive("relu", "ReLU", "ReluBackward0", relu, relu_vjp)


def sin(m: Math, x: Any) -> Any:
    """sin x"""
    return m.sin(x)


def sin_vjp(m: Math, g: Any, out: Any, x: Any) -> tuple:
    """f(x) = sin x, f′(x) = cos x"""
    return (g * m.cos(x),)


SIN = Primitive("sin", "sin", "SinBackward0", sin, sin_vjp)


def cos(m: Math, x: Any) -> Any:
    """cos x"""
    return m.cos(x)


def cos_vjp(m: Math, g: Any, out: Any, x: Any) -> tuple:
    """f(x) = cos x, f′(x) = -sin x"""
    return (-g * m.sin(x),)


COS = Primitive("cos", "cos", "CosBackward0", cos, cos_vjp)


def sqrt(m: Math, x: Any) -> Any:
    """√x"""
    return m.sqrt(x)


def sqrt_vjp(m: Math, g: Any, out: Any, x: Any) -> tuple:
    """f(x) = √x, f′(x) = 1/(2√x)  (the result is √x)"""
    return (g / (2 * out),)


SQRT = Primitive("sqrt", "sqrt", "SqrtBackward0", sqrt, sqrt_vjp)


def abs(m: Math, x: Any) -> Any:  # torch.abs's name (FloatMath uses builtins.abs)
    """|x|"""
    return m.abs(x)


def abs_vjp(m: Math, g: Any, out: Any, x: Any) -> tuple:
    """f(x) = |x|, f′(x) = sign(x)  (0 at 0, as PyTorch)"""
    return (g * m.linked(m.sign(x), x),)


ABS = Primitive("abs", "abs", "AbsBackward0", abs, abs_vjp)


def clamp(m: Math, x: Any, c: tuple) -> Any:
    """min(max(x, lo), hi), c = (lo, hi), either bound may be None"""
    return m.clamp(x, *c)


def clamp_vjp(m: Math, g: Any, out: Any, x: Any, c: tuple) -> tuple:
    """f(x) = min(max(x, lo), hi), f′(x) = 1 if lo ≤ x ≤ hi else 0"""
    # a choice, not a product with a 0/1 mask: outside the bounds the gradient is 0 even where
    # g is inf or nan (inf·0 would be nan), as PyTorch's where(mask, g, 0)
    return (m.where(m.inside(x, *c), g, 0.0),)


CLAMP = Primitive(
    "clamp",
    "clamp",
    "ClampBackward1",
    clamp,
    clamp_vjp,
    constant=("min", "max"),
    variants=(("clamp_min", "ClampMinBackward0", "min"), ("clamp_max", "ClampMaxBackward0", "max")),
)


# === One operand and a number: the operators x ** 2, 2 - x, 2 ** x ==============================
def pow_constant(m: Math, x: Any, c: float) -> Any:
    """xᶜ"""
    return m.pow_by_number(x, c)


def pow_constant_vjp(m: Math, g: Any, out: Any, x: Any, c: float) -> tuple:
    """f(x) = xᶜ, f′(x) = c·xᶜ⁻¹  (0 for c = 0)"""
    return (0.0 if c == 0 else g * (c * m.pow_by_number(x, c - 1)),)


POW_CONSTANT = Primitive(
    "pow",
    "**{c}",
    "PowBackward0",
    pow_constant,
    pow_constant_vjp,
    constant=("exponent",),
    operator=True,
)


def rsub_constant(m: Math, x: Any, c: float) -> Any:
    """c - x"""
    return c - x


def rsub_constant_vjp(m: Math, g: Any, out: Any, x: Any, c: float) -> tuple:
    """f(x) = c - x, f′(x) = -1"""
    return (-g,)


RSUB_CONSTANT = Primitive(
    "rsub",
    "{c}-",
    "RsubBackward1",
    rsub_constant,
    rsub_constant_vjp,
    constant=("other",),
    operator=True,
    saves=False,
)


def reciprocal(m: Math, x: Any) -> Any:
    """1/x"""
    return 1 / x


def reciprocal_vjp(m: Math, g: Any, out: Any, x: Any) -> tuple:
    """f(x) = 1/x, f′(x) = -1/x² = -f(x)²  (from the result, which PyTorch saves)"""
    return (-g * out * out,)


RECIPROCAL = Primitive(  # also c / t of tensors: c * t.reciprocal() (a Value's c / x is DIV)
    "reciprocal", "1/", "ReciprocalBackward0", reciprocal, reciprocal_vjp
)


def rpow_constant(m: Math, x: Any, c: float) -> Any:
    """cˣ"""
    return m.pow(c, x)


def rpow_constant_vjp(m: Math, g: Any, out: Any, x: Any, c: float) -> tuple:
    """f(x) = cˣ, f′(x) = cˣ·ln c"""
    return (pow_dy(m, g, out, c, x),)


RPOW_CONSTANT = Primitive(
    "pow",
    "{c}**",
    "PowBackward2",
    rpow_constant,
    rpow_constant_vjp,
    constant=("base",),
    operator=True,
)


# === Copying and choosing, for tensors ===========================================================
# A tensor copy (cat, clone, x[[0, 1]]) needs new Values, so that writing into the copy leaves
# the source alone; a choice (where, t[i] = v) must still send a zero to the operand it did not
# choose, as PyTorch does (a zero times an infinite local derivative upstream is nan there).
def copy(m: Math, x: Any) -> Any:
    """x, as a new Value"""
    return x


def copy_vjp(m: Math, g: Any, out: Any, x: Any) -> tuple:
    """f(x) = x, f′(x) = 1"""
    return (g,)


COPY = Primitive("copy", "copy", "CloneBackward0", copy, copy_vjp, saves=False)


def pick(m: Math, x: Any) -> Any:
    """x, read by an index (t[[0, 2]], t[mask]): a copy whose node keeps the index"""
    return x


def pick_vjp(m: Math, g: Any, out: Any, x: Any) -> tuple:
    """f(x) = x, f′(x) = 1 (PyTorch keeps the index: a second pass needs retain_graph)"""
    return (g,)


PICK = Primitive("pick", "index", "IndexBackward0", pick, pick_vjp)


def choose_x(m: Math, x: Any, y: Any) -> Any:
    """x (where the condition holds)"""
    return x


def choose_x_vjp(m: Math, g: Any, out: Any, x: Any, y: Any) -> tuple:
    """where(true, x, y) = x: ∂/∂x = 1, ∂/∂y = 0"""
    return g, 0.0


CHOOSE_X = Primitive("choose_x", "where", "WhereBackward0", choose_x, choose_x_vjp, inputs=2)


def choose_y(m: Math, x: Any, y: Any) -> Any:
    """y (where the condition does not hold, or y written over x)"""
    return y


def choose_y_vjp(m: Math, g: Any, out: Any, x: Any, y: Any) -> tuple:
    """where(false, x, y) = y: ∂/∂x = 0, ∂/∂y = 1"""
    return 0.0, g


CHOOSE_Y = Primitive("choose_y", "where", "WhereBackward0", choose_y, choose_y_vjp, inputs=2)
OVERWRITE = Primitive(  # t.fill_(2.0), t.zero_(): as PyTorch's FillBackward, saves nothing
    "overwrite", "fill", "FillBackward2", choose_y, choose_y_vjp, inputs=2, saves=False
)

DIVIDE_BY_COUNT = Primitive(  # mean's Σx / n: as PyTorch's MeanBackward, saves nothing
    "divide_by_count", "/", "DivBackward0", div, div_vjp, inputs=2, saves=False
)

FOR_TENSORS = (COPY, PICK, CHOOSE_X, CHOOSE_Y, OVERWRITE, DIVIDE_BY_COUNT)
"""The primitives tensors use for copies and choices: no Value method, operator or formula."""


# === The table ==================================================================================
PRIMITIVES: tuple[Primitive, ...] = (
    ADD,
    SUB,
    MUL,
    DIV,
    POW,
    NEG,
    EXP,
    LOG,
    TANH,
    SIGMOID,
    RELU,
    SIN,
    COS,
    SQRT,
    ABS,
    CLAMP,
    POW_CONSTANT,
    RSUB_CONSTANT,
    RECIPROCAL,
    RPOW_CONSTANT,
    *FOR_TENSORS,
)
"""Every primitive, in order."""

BINARY: dict[str, Primitive] = {
    p.name: p for p in PRIMITIVES if p.inputs == 2 and p not in FOR_TENSORS
}
"""The operations of two Values: add, sub, mul, div, pow (reached through Python's operators)."""

UNARY: dict[str, Primitive] = {
    p.name: p for p in PRIMITIVES if not p.operator and p not in FOR_TENSORS
}
"""The functions of one Value: neg, exp, log, ..., clamp.  Each is a method of Value and Tensor
(``x.exp()``), a function of the package (``micrograd.exp(x)``) and a function of formulas."""
