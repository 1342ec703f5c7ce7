"""Reductions, as methods of Tensor: ``sum``, ``prod``, ``mean``, ``max``, ``min``, ``norm``.

Each output element is made of Value operations on the elements it reduces, so the graph of
``x.sum()`` is the chain of additions x₀ + x₁ + ... and its gradient flows back to each.
"""

from __future__ import annotations

import builtins
import functools
import math
import operator
import sys
import warnings
from typing import TYPE_CHECKING, Any, Callable

from ..core import rules
from ..core.errors import NotSupported
from ..core.value import apply
from .dtypes import FLOAT32_MAX, SCALAR_TYPE_NAMES, check_int64, float32, float32_steps
from .dtypes import int64
from .elements import copies, element_values
from .history import constant_value, remember_also
from .signatures import numpy_names, return_type
from .shapes import normalize_dim, strides_of


class _NoDim:
    """max()'s default: no dim given (an explicit None is refused, as PyTorch refuses it)."""

    def __repr__(self) -> str:
        return "<no dim>"


NO_DIM = _NoDim()


MaxResult = return_type("max")
MinResult = return_type("min")
DOF_WARNING = (
    "{name}(): degrees of freedom is <= 0. Correction should be strictly less than the "
    "reduction factor (input numel divided by output numel)."
)


if TYPE_CHECKING:  # these methods belong to Tensor; tensor.py imports this module
    from .tensor import Tensor


class ReductionMethods:
    """The reductions of Tensor (a part of the class, kept in a module of its own)."""

    def _dims(self, dim: Any, name: str, several: bool = True) -> set[int]:
        """The dimensions to reduce: all for None (and, as in PyTorch, for an empty list)."""
        n = self.dim()
        if dim is None:
            return set(range(n))
        if (
            isinstance(dim, bool)
            or not isinstance(dim, (int, list, tuple))
            or (not several and not isinstance(dim, int))
        ):
            expected = "an int or a list or tuple of ints" if several else "an int"
            raise TypeError(
                f"{name}(): argument 'dim' must be {expected}, got {type(dim).__name__}"
            )
        dims = [dim] if isinstance(dim, int) else list(dim)
        for d in dims:
            if isinstance(d, bool) or not isinstance(d, int):
                raise TypeError(
                    f"{name}(): argument 'dim' must be a list of ints, got an element of type {type(d).__name__}"
                )
        normalized = [normalize_dim(d, n) for d in dims]  # ranges first, then repeats, as PyTorch
        for d in normalized:
            if normalized.count(d) > 1:
                raise RuntimeError(f"dim {d} appears multiple times in the list of dims")
        return set(normalized) if normalized else set(range(n))

    def _groups(self, dims: set[int], keepdim: bool) -> tuple[list[list[int]], tuple[int, ...]]:
        """For each output element, the flat positions it reduces (maybe none); the output shape."""
        shape, strides = tuple(self._shape), strides_of(self._shape)
        out_shape = (
            tuple(1 if i in dims else s for i, s in enumerate(shape))
            if keepdim
            else tuple(s for i, s in enumerate(shape) if i not in dims)
        )
        if len(dims) == len(shape):  # everything into one element (the common case)
            return [list(range(len(self._values)))], out_shape
        starts, reduced = [0], [0]
        for i, (size, stride) in enumerate(zip(shape, strides)):
            steps = [k * stride for k in range(size)]
            if i in dims:
                reduced = [r + step for r in reduced for step in steps]
            else:
                starts = [p + step for p in starts for step in steps]
        return [[start + r for r in reduced] for start in starts], out_shape

    def _reduce(
        self,
        combine: Callable,
        dim: Any,
        keepdim: bool,
        name: str,
        op: str,
        empty: float,
        several: bool = True,
    ) -> Tensor:
        groups, shape = self._groups(self._dims(dim, op, several), keepdim)
        kind = self._dtype if self._dtype.is_floating_point else int64  # int32 sums too
        if not kind.is_floating_point:  # exact ints: a Value's arithmetic is float
            numbers = [int(v.data) for v in self._values]
            totals = [
                check_int64(functools.reduce(combine, [numbers[i] for i in g], int(empty)))
                for g in groups
            ]
            suffix = "0" if dim is None else "1"
            return self._result(
                element_values(totals, kind), shape, f"{name}{suffix}", op, (self,), kind
            )
        # a group of one element still gets a node of its own (+ 0.0, * 1.0), so the sum shows in
        # drawings; a group of none is the operation's identity (0 for sum, 1 for prod), as in
        # PyTorch
        elements = self._values
        values = [
            functools.reduce(combine, [elements[i] for i in group])
            if len(group) > 1
            else combine(elements[group[0]], empty)
            if group
            else constant_value(empty)
            for group in groups
        ]
        if combine is operator.add:
            positive_zeros(values)
        if kind is float32:
            overflow_as_float32(values, groups, elements, combine)
        suffix = "0" if dim is None else "1"
        return self._result(
            values,
            shape,
            f"{name}{suffix}",
            op,
            (self,),
            self._dtype if self._dtype.is_floating_point else int64,
        )

    @numpy_names
    def sum(self, dim: Any = None, keepdim: bool = False) -> Tensor:
        """Σ of the elements, over all dimensions or `dim`: ∂sum/∂xᵢ = 1."""
        return self._reduce(operator.add, dim, keepdim, "SumBackward", "sum", 0.0)

    @numpy_names
    def prod(self, dim: int | None = None, keepdim: bool = False) -> Tensor:
        """Π of the elements, over all dimensions or one `dim`: ∂prod/∂xᵢ = Π over j ≠ i of xⱼ."""
        return self._reduce(operator.mul, dim, keepdim, "ProdBackward", "prod", 1.0, several=False)

    @numpy_names
    def mean(self, dim: Any = None, keepdim: bool = False) -> Tensor:
        """(1/n)·Σ xᵢ over all dimensions or `dim`: ∂mean/∂xᵢ = 1/n."""
        if not self._dtype.is_floating_point:
            raise RuntimeError(
                f"mean(): could not infer output dtype. Input dtype must be either a floating point "
                f"or complex dtype. Got: {SCALAR_TYPE_NAMES[self._dtype]}"
            )
        groups, shape = self._groups(self._dims(dim, "mean"), keepdim)
        elements = self._values
        values = [
            apply(rules.DIVIDE_BY_COUNT, functools.reduce(operator.add, [elements[i] for i in g]),
                  float(len(g)))
            if g
            else constant_value(math.nan)
            for g in groups
        ]  # the mean of nothing: 0/0  # fmt: skip
        positive_zeros(values)
        if self._dtype is float32:
            overflow_as_float32(values, groups, elements, operator.add, count=True)
        return self._result(
            values, shape, "MeanBackward0" if dim is None else "MeanBackward1", "mean", (self,)
        )

    def _extreme(self, pick: Callable, dim: Any, keepdim: bool, name: str, result: type) -> Any:
        op = name.lower()
        if dim is None and not self._values:
            raise RuntimeError(
                f"{op}(): Expected reduction dim to be specified for input.numel() == 0. "
                "Specify the reduction dim with the 'dim' argument."
            )
        dims = self._dims(dim, op, several=False)
        groups, shape = self._groups(dims, keepdim)
        d = min(dims) if dims else 0  # with dim: the one dimension reduced
        if dim is not None and self.dim() > 0 and self._shape[d] == 0:
            raise IndexError(f"{op}(): Expected reduction dim {d} to have non-zero size.")

        elements = self._values

        def key(i: int) -> tuple:  # nan wins, as in PyTorch
            x = elements[i].data
            return (x != x, x) if pick is builtins.max else (x == x, x)

        chosen = [pick(g, key=key) for g in groups]
        if dim is None and not self._dtype.is_floating_point:
            values = self._chosen([elements[c] for c in chosen])
            return self._result(values, shape, f"{name}Backward1", op, (self,))
        if dim is None:
            return self._result(
                [_evenly(elements, g, c) for g, c in zip(groups, chosen)],
                shape,
                f"{name}Backward1",
                op,
                (self,),
            )
        values = self._chosen([elements[i] for i in chosen])
        strides = strides_of(self._shape)
        at = [(i // strides[d]) % self._shape[d] if self.dim() else 0 for i in chosen]
        indices = self._plain([constant_value(float(i)) for i in at], shape, int64)
        made = self._result(values, shape, f"{name}Backward0", op, (self,))
        remember_also(made, indices)
        return result(made, indices)

    def _chosen(self, values: list) -> list:
        """New Values for chosen elements: copies in the graph (which keep a zero's sign, as
        x + 0.0 would not), or of an integer dtype, the exact ints."""
        if self._dtype.is_floating_point:
            return copies(values)
        return element_values([v.data for v in values], self._dtype)

    def _amax_amin(self, pick: Callable, dim: Any, keepdim: bool, name: str) -> Tensor:
        """amax/amin: the largest/smallest elements over `dim` (all for ()), nan winning; the
        gradient is shared evenly among the elements equal to the result, as in PyTorch (nan
        everywhere in a group whose result is nan: no element equals it)."""
        op = name.lower()
        # each dimension's size is checked as it is read: before repeats are looked for
        for d in [dim] if isinstance(dim, int) else dim if isinstance(dim, (list, tuple)) else ():
            if isinstance(d, int) and not isinstance(d, bool) and self.dim():
                if self._shape[normalize_dim(d, self.dim())] == 0:
                    raise IndexError(
                        f"{op}(): Expected reduction dim {normalize_dim(d, self.dim())} to have "
                        "non-zero size."
                    )
        dims = self._dims(dim, op)
        if not self._values and not (dim or dim == 0):
            raise RuntimeError(
                f"{op}(): Expected reduction dim to be specified for input.numel() == 0. "
                "Specify the reduction dim with the 'dim' argument."
            )
        groups, shape = self._groups(dims, keepdim)
        elements = self._values

        def key(i: int) -> tuple:  # nan wins; of equal elements the first (as PyTorch's)
            x = elements[i].data
            return (x != x, x) if pick is builtins.max else (x == x, x)

        chosen = [pick(g, key=key) for g in groups]
        if self._dtype.is_floating_point:
            values = [_evenly(elements, g, c, nan_ties=False) for g, c in zip(groups, chosen)]
        else:
            values = self._chosen([elements[c] for c in chosen])
        return self._result(values, shape, f"{name}Backward0", op, (self,))

    @numpy_names
    def amax(self, dim: Any = (), keepdim: bool = False) -> Tensor:
        """The largest elements over `dim` (an int or a tuple; () for all), without indices; the
        gradient is shared evenly among the elements equal to the largest."""
        return self._amax_amin(builtins.max, dim, keepdim, "Amax")

    @numpy_names
    def amin(self, dim: Any = (), keepdim: bool = False) -> Tensor:
        """The smallest elements over `dim` (an int or a tuple; () for all), without indices; the
        gradient is shared evenly among the elements equal to the smallest."""
        return self._amax_amin(builtins.min, dim, keepdim, "Amin")

    @numpy_names
    def max(self, dim: Any = NO_DIM, keepdim: bool = False) -> Any:
        """The largest element (or, with dim, (values, indices)); the gradient goes to the chosen element."""
        if hasattr(dim, "_values"):  # torch.max(a, b): the elementwise maximum
            return self.maximum(dim)
        return self._extreme(builtins.max, _dim_given(dim, "max"), keepdim, "Max", MaxResult)

    @numpy_names
    def min(self, dim: Any = NO_DIM, keepdim: bool = False) -> Any:
        """The smallest element (or, with dim, (values, indices)); the gradient goes to the chosen element."""
        if hasattr(dim, "_values"):  # torch.min(a, b): the elementwise minimum
            return self.minimum(dim)
        return self._extreme(builtins.min, _dim_given(dim, "min"), keepdim, "Min", MinResult)

    @numpy_names
    def var(
        self,
        dim: Any = None,
        unbiased: Any = None,
        keepdim: bool = False,
        *,
        correction: Any = None,
    ) -> Tensor:
        """Σ (xᵢ − x̄)² / (N − correction) over `dim` (all for None); correction 1 (Bessel's)
        unless `unbiased` is False (0) or `correction` says: ∂var/∂xᵢ = 2(xᵢ − x̄)/(N − c)."""
        return self._spread(dim, unbiased, keepdim, correction, "var")

    @numpy_names
    def std(
        self,
        dim: Any = None,
        unbiased: Any = None,
        keepdim: bool = False,
        *,
        correction: Any = None,
    ) -> Tensor:
        """√var: ∂std/∂xᵢ = (xᵢ − x̄)/((N − c)·std) (nan where every xᵢ is equal, as in PyTorch)."""
        return self._spread(dim, unbiased, keepdim, correction, "std")

    def _spread(self, dim: Any, unbiased: Any, keepdim: bool, correction: Any, name: str) -> Any:
        """var or std: PyTorch's forms var(unbiased), var(dim, unbiased, keepdim) and
        var(dim, *, correction, keepdim)."""
        if isinstance(dim, bool):  # var(True): the legacy form, unbiased first
            dim, unbiased = None, dim
        if unbiased is not None and correction is not None:
            raise TypeError(f"{name}() received both unbiased and correction: give one")
        c = correction if correction is not None else 0 if unbiased is False else 1
        if not self._dtype.is_floating_point:
            raise RuntimeError("std and var only support floating point and complex dtypes")
        groups, shape = self._groups(self._dims(dim, name), keepdim)
        elements = self._values
        if any(len(g) - c <= 0 for g in groups):
            warnings.warn(DOF_WARNING.format(name=name), UserWarning, stacklevel=3)
        values = [_variance([elements[i] for i in g], c) for g in groups]
        if name == "std":  # PyTorch masks the gradient where std = 0 (√ has none there) to 0
            values = [v * 0.0 if v.data == 0 else v.sqrt() for v in values]
        suffix = "StdBackward0" if name == "std" else "VarBackward0"
        return self._result(values, shape, suffix, name, (self,))

    @numpy_names
    def norm(self, p: Any = "fro", dim: Any = None, keepdim: bool = False) -> Tensor:
        """A vector norm over all elements or `dim`: p = 2 (and the default "fro") the Euclidean
        length ‖x‖ = √(Σ xᵢ²), ∂‖x‖/∂xᵢ = xᵢ/‖x‖ (0 at the zero vector, and never underflowing
        nor overflowing in Σ xᵢ²); p = 1 Σ |xᵢ|; p = inf max |xᵢ|, its gradient sign(xᵢ) shared
        among the largest, as in PyTorch."""
        if isinstance(p, str) and p != "fro":
            raise NotSupported(f"norm(p={p!r}) is not supported: only p=1, p=2 and p=inf")
        if not isinstance(p, str) and p not in (1, 2, math.inf):
            raise NotSupported(f"norm(p={p}) is not supported: only p=1, p=2 and p=inf")
        if p == "fro" and isinstance(dim, (list, tuple)) and len(dim) > 2:
            # PyTorch sends these to matrix_norm
            if self.dim() < 2:
                raise RuntimeError(
                    "linalg.matrix_norm: The input tensor A must have at least 2 dimensions."
                )
            raise RuntimeError(
                f"linalg.matrix_norm: dim must be a 2-tuple. Got {' '.join(map(str, dim))}"
            )
        if not self._dtype.is_floating_point:  # before the dims are read, as in PyTorch
            raise RuntimeError(
                "linalg.vector_norm: Expected a floating point or complex tensor as input. "
                f"Got {SCALAR_TYPE_NAMES[self._dtype]}"
            )
        if p == math.inf and dim is not None:  # each dimension's size is checked as it is read
            for d in (
                [dim] if isinstance(dim, int) else dim if isinstance(dim, (list, tuple)) else ()
            ):
                if (
                    isinstance(d, int)
                    and self.dim()
                    and not self._shape[normalize_dim(d, self.dim())]
                ):
                    self._no_inf_norm(normalize_dim(d, self.dim()))
        dims = self._dims(dim, "norm")
        groups, shape = self._groups(dims, keepdim)
        if p == math.inf and any(not g for g in groups):
            empty = [d for d in sorted(dims) if self._shape[d] == 0]
            self._no_inf_norm(empty[0] if dim is not None else None)
        length = _length if p in ("fro", 2) else _sum_of_sizes if p == 1 else _largest_size
        elements = self._values
        values = [length([elements[i] for i in g]) for g in groups]
        return self._result(values, shape, "LinalgVectorNormBackward0", "norm", (self,))

    @staticmethod
    def _no_inf_norm(dim: int | None) -> None:
        """PyTorch's refusal of the inf norm over nothing (max has no identity): over dimension
        `dim`, or (None) over all the elements of an empty tensor."""
        where = f"the dimension {dim}" if dim is not None else "an empty tensor "
        raise RuntimeError(  # sic: PyTorch's message has no space after the dimension
            f"linalg.vector_norm cannot compute the inf norm on {where}because "
            + ("this dimension is empty and " if dim is not None else "")
            + "the operation does not have an identity"
        )


def _dim_given(dim: Any, name: str) -> Any:
    """max's and min's `dim`: None when not given."""
    if dim is NO_DIM:
        return None
    if dim is None:
        raise TypeError(f"{name}(): argument 'dim' must be int, not NoneType")
    return dim


def _variance(xs: list, correction: Any) -> Any:
    """Σ (xᵢ − x̄)² / max(N − correction, 0), made of Values (x̄ too, so that its gradient
    counts: it sums to 0, as the math says); nan or inf when there are too few elements."""
    n = len(xs)
    if not n:
        return constant_value(math.nan)
    mean = functools.reduce(operator.add, xs) / float(n)
    squares = functools.reduce(operator.add, [(x - mean) * (x - mean) for x in xs])
    return squares / float(builtins.max(n - correction, 0))


def _sign(x: float) -> float:
    """sign(x) as PyTorch's norms use it: 0 at 0 and at nan."""
    return 1.0 if x > 0 else -1.0 if x < 0 else 0.0


def _sum_of_sizes(xs: list) -> Any:
    """‖x‖₁ = Σ |xᵢ|, made of xᵢ·sign(xᵢ): its gradient is sign(xᵢ), 0 at 0 and at nan (as
    PyTorch's sgn)."""
    if not xs:
        return constant_value(0.0)
    return functools.reduce(operator.add, [x * _sign(x.data) for x in xs]) + 0.0


def _largest_size(xs: list) -> Any:
    """‖x‖∞ = max |xᵢ| (nan if any is nan); its gradient sign(xᵢ) is shared evenly among the
    elements of that size (and the nans, whose sign is 0), as in PyTorch."""
    sizes = [abs(x.data) for x in xs]
    largest = math.nan if any(s != s for s in sizes) else builtins.max(sizes)
    ties = [x for x, s in zip(xs, sizes) if s == largest or s != s]
    result = functools.reduce(operator.add, [x * (_sign(x.data) / len(ties)) for x in ties]) + 0.0
    result.data = largest
    return result


def overflow_as_float32(
    results: list, groups: list, elements: list, combine: Callable, count: bool = False
) -> None:
    """Give a float32 sum or product PyTorch's number where a partial one goes beyond
    float32's range (inf there; the float64 one micrograd computes may fit): only when it
    might.  With `count`, the results are means: the sum divided by the group's size."""
    for v, group in zip(results, groups):
        terms = [elements[i].data for i in group]
        if len(terms) < 2:
            continue
        if combine is operator.mul:
            bound = math.prod(max(1.0, abs(x)) for x in terms)
        else:
            bound = sum(abs(x) for x in terms)
        if bound > FLOAT32_MAX:
            total = float32_steps(terms, combine)
            v.data = total / len(terms) if count else total


def positive_zeros(values: list) -> None:
    """Make a sum's zeros +0.0: PyTorch adds the elements to a +0.0, so that the sum of -0.0s
    is +0.0 (Σ of a chain starting at x₀ keeps x₀'s sign)."""
    for v in values:
        if v.data == 0:
            v.data = 0.0


def _evenly(values: list, group: list[int], chosen: int, nan_ties: bool = True) -> Any:
    """max()/min() without dim: the gradient is shared evenly among the elements equal to the
    result (PyTorch's evenly_distribute_backward), so the result is their mean.  Its number
    is set to the chosen element's: (a + a + a)/3 may round away from a.  A nan result shares
    it among the nans, or with `nan_ties` False (amax, amin: PyTorch's mask result == x holds
    nowhere, and its grad/0·0 is nan) sends nan to every element of the group."""
    x = values[chosen].data
    if x != x and not nan_ties:
        everywhere = functools.reduce(operator.add, [values[i] * math.nan for i in group])
        everywhere.data = x
        return everywhere
    ties = [
        values[i]
        for i in group
        if values[i].data == x or (x != x and values[i].data != values[i].data)
    ]
    if len(ties) == 1:
        return copies(ties)[0]  # a node of its own that keeps a zero's sign
    mean = functools.reduce(operator.add, ties) / len(ties)
    mean.data = x
    return mean


def _length(xs: list) -> Any:
    """‖x‖ = √(Σ xᵢ²), whose gradient is xᵢ/‖x‖, masked to 0 where ‖x‖ = 0 (at the zero vector,
    where √ has no derivative, as PyTorch's backward masks it).

    A square under about 1e-308 underflows and one over about 1e308 overflows, so where Σ xᵢ²
    leaves the normal floats the vector is first scaled, as hypot does: ‖x‖ = s·√(Σ (xᵢ/s)²)
    with s = 2ᵏ near max |xᵢ| (a power of two, so that scaling is exact).  Everywhere else the
    plain sum serves: it is PyTorch's computation, and the graph a student draws.  (PyTorch
    sums the squares as they are: its norm of [1e-200, 1e-200] is 0, of [1e200, 1e200] inf.)"""
    numbers = [x.data for x in xs]
    if not xs:
        return constant_value(0.0)
    if all(n == 0 for n in numbers):
        # x·x·0 is +0 even for -0.0, and its derivative 2x·0 is the masked gradient 0
        return functools.reduce(operator.add, [x * x * 0.0 for x in xs])
    squares = sum(n * n for n in numbers)
    if not all(map(math.isfinite, numbers)) or sys.float_info.min <= squares < math.inf:
        return functools.reduce(operator.add, [x * x for x in xs]).sqrt()
    # 2ᵏ ≥ max |xᵢ| > 2ᵏ⁻¹, k kept where both 2ᵏ and 2⁻ᵏ are normal floats
    k = builtins.min(builtins.max(math.frexp(builtins.max(map(abs, numbers)))[1], -1022), 1023)
    scale, unit = math.ldexp(1.0, k), math.ldexp(1.0, -k)
    if scale * math.sqrt(sum((n * unit) ** 2 for n in numbers)) == math.inf:
        # ‖x‖ itself overflows: the plain chain gives PyTorch's gradient x/‖x‖ = x/inf = 0
        return functools.reduce(operator.add, [x * x for x in xs]).sqrt()
    return functools.reduce(operator.add, [(x * unit) * (x * unit) for x in xs]).sqrt() * scale
