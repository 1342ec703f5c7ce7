"""``torch.utils.data``: datasets, samplers, ``random_split`` and a ``DataLoader`` that batches.

A ``Dataset`` maps an index to a sample.  A *sampler* gives the indices to read: in order
(``SequentialSampler``) or in a random permutation (``RandomSampler``, a new one each epoch); a
``BatchSampler`` cuts them into lists of ``batch_size`` (the last one shorter, or dropped with
``drop_last``).  A ``DataLoader`` reads each list's samples and gives them to ``collate_fn``, by
default ``default_collate``, which stacks tensors and numbers; with ``batch_size=None`` each
sample alone goes through ``default_convert`` (tuples become lists, as in PyTorch).

Everything runs in the main process, one sample at a time: ``num_workers``, ``pin_memory``,
``generator``... at anything but PyTorch's default raise ``NotSupported``.  Random permutations
come from micrograd's generator (``manual_seed``), not PyTorch's.
"""

from __future__ import annotations

import bisect
import collections.abc
import itertools
import math
import warnings
from typing import Any, Callable, Iterable, Iterator, Sequence

from ..core.errors import NotSupported, missing_name
from ..core.missing import refuse_keywords, refuse_unless_default
from ..tensors import Tensor, bool_, float32, float64, int64, stack, tensor
from ..tensors.randomness import generator as _generator

__all__ = [
    "Dataset",
    "IterableDataset",
    "TensorDataset",
    "ConcatDataset",
    "ChainDataset",
    "Subset",
    "random_split",
    "Sampler",
    "SequentialSampler",
    "RandomSampler",
    "SubsetRandomSampler",
    "BatchSampler",
    "DataLoader",
    "default_collate",
    "default_convert",
    "get_worker_info",
    "permutation",
]

_NO_GENERATOR = "its random order comes from micrograd's generator (seed it with manual_seed)"


def permutation(n: int) -> list[int]:
    """A random order of 0..n-1 from micrograd's generator (``torch.randperm(n).tolist()``'s role:
    every order equally likely; the numbers are not PyTorch's)."""
    order = list(range(n))
    _generator.shuffle(order)
    return order


def _positive(name: str, value: Any) -> None:
    """PyTorch's check of a batch size or a number of samples."""
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise ValueError(f"{name} should be a positive integer value, but got {name}={value}")


# === Datasets ===================================================================================
class Dataset:
    """A map from indices to samples: a subclass defines ``__getitem__`` (and ``__len__``, for
    a DataLoader).  ``a + b`` is ``ConcatDataset([a, b])``."""

    def __getitem__(self, index: Any) -> Any:
        raise NotImplementedError("Subclasses of Dataset should implement __getitem__.")

    def __add__(self, other: Dataset) -> ConcatDataset:
        return ConcatDataset([self, other])


class IterableDataset(Dataset, collections.abc.Iterable):
    """A stream of samples: a subclass defines ``__iter__`` (abstract, as in PyTorch); a
    DataLoader batches it in order.  ``a + b`` is ``ChainDataset([a, b])``."""

    def __add__(self, other: Any) -> ChainDataset:  # type: ignore[override]
        return ChainDataset([self, other])


class TensorDataset(Dataset):
    """Sample i is ``tuple(t[i] for t in tensors)``: the tensors' rows, side by side (features
    and labels)."""

    def __init__(self, *tensors: Tensor) -> None:
        assert all(tensors[0].size(0) == t.size(0) for t in tensors), (
            "Size mismatch between tensors"
        )
        self.tensors = tensors

    def __getitem__(self, index: Any) -> tuple[Any, ...]:
        return tuple(t[index] for t in self.tensors)

    def __len__(self) -> int:
        return self.tensors[0].size(0)


class ConcatDataset(Dataset):
    """The datasets one after another: index i falls in the first dataset whose cumulative size
    ``cumulative_sizes[k]`` exceeds it, at ``i - cumulative_sizes[k - 1]``."""

    def __init__(self, datasets: Iterable[Any]) -> None:
        self.datasets = list(datasets)
        assert len(self.datasets) > 0, "datasets should not be an empty iterable"
        for d in self.datasets:
            assert not isinstance(d, IterableDataset), (
                "ConcatDataset does not support IterableDataset"
            )
        self.cumulative_sizes = list(itertools.accumulate(len(d) for d in self.datasets))

    def __len__(self) -> int:
        return self.cumulative_sizes[-1]

    def __getitem__(self, index: int) -> Any:
        if index < 0:
            if -index > len(self):
                raise ValueError("absolute value of index should not exceed dataset length")
            index = len(self) + index
        k = bisect.bisect_right(self.cumulative_sizes, index)
        start = self.cumulative_sizes[k - 1] if k > 0 else 0
        return self.datasets[k][index - start]


class ChainDataset(IterableDataset):
    """Iterable datasets one after another."""

    def __init__(self, datasets: Iterable[Any]) -> None:
        self.datasets = datasets

    def __iter__(self) -> Iterator[Any]:
        for d in self.datasets:
            yield from d

    def __len__(self) -> int:
        return sum(len(d) for d in self.datasets)


class Subset(Dataset):
    """The samples of ``dataset`` at ``indices``, renumbered 0..len(indices)-1."""

    def __init__(self, dataset: Any, indices: Sequence[int]) -> None:
        self.dataset = dataset
        self.indices = indices

    def __getitem__(self, index: Any) -> Any:
        if isinstance(index, list):
            return self.dataset[[self.indices[i] for i in index]]
        return self.dataset[self.indices[index]]

    def __len__(self) -> int:
        return len(self.indices)


def _split_lengths(lengths: Sequence[float], n: int) -> list[int]:
    """Lengths as given, or fractions turned into lengths as PyTorch does: ⌊n·fᵢ⌋ each, then the
    n - Σ⌊n·fᵢ⌋ left over added one each to the first splits."""
    if not (math.isclose(sum(lengths), 1) and sum(lengths) <= 1):
        return list(lengths)  # type: ignore[arg-type]
    sizes = []
    for i, fraction in enumerate(lengths):
        if fraction < 0 or fraction > 1:
            raise ValueError(f"Fraction at index {i} is not between 0 and 1")
        sizes.append(int(math.floor(n * fraction)))
    for i in range(n - sum(sizes)):
        sizes[i % len(sizes)] += 1
    for i, size in enumerate(sizes):
        if size == 0:
            warnings.warn(
                f"Length of split at index {i} is 0. This might result in an empty dataset.",
                stacklevel=3,
            )
    return sizes


@refuse_keywords("random_split", _NO_GENERATOR, generator=None)
def random_split(dataset: Any, lengths: Sequence[float]) -> list[Subset]:
    """Split ``dataset`` into Subsets of the given lengths (or fractions of its length, summing
    to 1), over one random permutation of its indices: the first split gets the first
    lengths[0] of it, and so on."""
    sizes = _split_lengths(lengths, len(dataset))
    if sum(sizes) != len(dataset):
        raise ValueError("Sum of input lengths does not equal the length of the input dataset!")
    order = permutation(sum(sizes))
    ends = itertools.accumulate(sizes)
    return [Subset(dataset, order[end - size : end]) for end, size in zip(ends, sizes)]


# === Samplers: which indices, in which order ====================================================
class Sampler:
    """An iterable of indices (or, for a batch sampler, of lists of indices)."""

    def __iter__(self) -> Iterator[Any]:
        raise NotImplementedError


class SequentialSampler(Sampler):
    """0, 1, ..., len(data_source) - 1."""

    def __init__(self, data_source: Any) -> None:
        self.data_source = data_source

    def __iter__(self) -> Iterator[int]:
        return iter(range(len(self.data_source)))

    def __len__(self) -> int:
        return len(self.data_source)


class RandomSampler(Sampler):
    """A random permutation of the indices, a new one each pass (micrograd's generator).  With
    ``num_samples`` > n: whole permutations, then the start of one more, as PyTorch; with
    ``replacement``, ``num_samples`` indices drawn independently."""

    @refuse_keywords("RandomSampler", _NO_GENERATOR, generator=None)
    def __init__(
        self, data_source: Any, replacement: bool = False, num_samples: int | None = None
    ) -> None:
        if not isinstance(replacement, bool):
            raise TypeError(
                f"replacement should be a boolean value, but got replacement={replacement}"
            )
        self.data_source = data_source
        self.replacement = replacement
        self._num_samples = num_samples
        _positive("num_samples", self.num_samples)

    @property
    def num_samples(self) -> int:
        """How many indices one pass gives: len(data_source) unless given."""
        return len(self.data_source) if self._num_samples is None else self._num_samples

    def __iter__(self) -> Iterator[int]:
        n = len(self.data_source)
        if self.replacement:
            for _ in range(self.num_samples):
                yield _generator.randrange(n)
            return
        for _ in range(self.num_samples // n):
            yield from permutation(n)
        yield from permutation(n)[: self.num_samples % n]

    def __len__(self) -> int:
        return self.num_samples


class SubsetRandomSampler(Sampler):
    """The given indices in a random order, a new one each pass."""

    @refuse_keywords("SubsetRandomSampler", _NO_GENERATOR, generator=None)
    def __init__(self, indices: Sequence[int]) -> None:
        self.indices = indices

    def __iter__(self) -> Iterator[int]:
        return (self.indices[i] for i in permutation(len(self.indices)))

    def __len__(self) -> int:
        return len(self.indices)


class BatchSampler(Sampler):
    """``sampler``'s indices in lists of ``batch_size``: the last shorter, or dropped with
    ``drop_last``; ⌈n / batch_size⌉ lists (⌊n / batch_size⌋ with drop_last)."""

    def __init__(self, sampler: Iterable[int], batch_size: int, drop_last: bool) -> None:
        _positive("batch_size", batch_size)
        if not isinstance(drop_last, bool):
            raise ValueError(f"drop_last should be a boolean value, but got drop_last={drop_last}")
        self.sampler, self.batch_size, self.drop_last = sampler, batch_size, drop_last

    def __iter__(self) -> Iterator[list[int]]:
        indices = iter(self.sampler)
        while batch := list(itertools.islice(indices, self.batch_size)):
            if len(batch) < self.batch_size and self.drop_last:
                return
            yield batch

    def __len__(self) -> int:
        n = len(self.sampler)  # type: ignore[arg-type]
        return n // self.batch_size if self.drop_last else -(-n // self.batch_size)


# === Collating: a list of samples into a batch ==================================================
def _equal_sizes(batch: Sequence[Any]) -> None:
    if len({len(sample) for sample in batch}) > 1:
        raise RuntimeError("each element in list of batch should be of equal size")


def _is_numpy(x: Any) -> bool:
    return type(x).__module__ == "numpy" and hasattr(x, "dtype")


def _numpy_tensor(x: Any) -> Tensor:
    """A NumPy array or scalar as a tensor of its dtype (one micrograd has)."""
    if x.dtype.kind not in "biuf":
        raise TypeError(
            "default_collate: batch must contain tensors, numpy arrays, numbers, dicts or "
            f"lists; found {x.dtype}"
        )
    if str(x.dtype) not in _NUMPY_DTYPES:
        raise NotSupported(
            f"a NumPy array of {x.dtype} is not supported by micrograd's data loading: it has "
            "float32, float64, int64 and bool tensors (convert with x.astype('float32'))"
        )
    return tensor(x.tolist(), dtype=_NUMPY_DTYPES[str(x.dtype)])


_NUMPY_DTYPES = {"float32": float32, "float64": float64, "int64": int64, "bool": bool_}


def _rebuild(elem: Any, fields: list[Any]) -> Any:
    """A container like ``elem`` holding ``fields`` (a list where its type cannot be made)."""
    try:
        return type(elem)(fields)
    except TypeError:
        return fields


def default_collate(batch: Sequence[Any]) -> Any:
    """PyTorch's default_collate: a batch of tensors stacked (a new first dimension); of floats
    a float64 tensor, of ints (bools) an int64 (bool) tensor; NumPy arrays and scalars as
    tensors; strings as a list; dicts, named tuples and sequences collated field by field (a
    tuple's fields in a list)."""
    elem = batch[0]
    if isinstance(elem, Tensor):
        return stack(list(batch))
    if _is_numpy(elem):
        return default_collate([_numpy_tensor(b) for b in batch])
    if isinstance(elem, float):
        return tensor(list(batch), dtype=float64)
    if isinstance(elem, int):  # bool included: tensor([True, False]) is a bool tensor
        return tensor(list(batch))
    if isinstance(elem, (str, bytes)):
        return batch
    if isinstance(elem, collections.abc.Mapping):
        collated = {key: default_collate([sample[key] for sample in batch]) for key in elem}
        return _rebuild(elem, collated)  # type: ignore[arg-type]
    if isinstance(elem, tuple) and hasattr(elem, "_fields"):  # a named tuple
        _equal_sizes(batch)
        return type(elem)(*(default_collate(field) for field in zip(*batch)))
    if isinstance(elem, collections.abc.Sequence):
        _equal_sizes(batch)
        fields = [default_collate(list(field)) for field in zip(*batch)]
        return fields if isinstance(elem, tuple) else _rebuild(elem, fields)
    raise TypeError(
        "default_collate: batch must contain tensors, numpy arrays, numbers, dicts or lists; "
        f"found {type(elem)}"
    )


def default_convert(data: Any) -> Any:
    """What an unbatched sample (``batch_size=None``) goes through, as PyTorch's: NumPy arrays
    become tensors, containers are converted field by field, a plain tuple becomes a list."""
    if _is_numpy(data) and data.dtype.kind in "biuf":
        return _numpy_tensor(data)
    if isinstance(data, (Tensor, str, bytes)):
        return data
    if isinstance(data, collections.abc.Mapping):
        return _rebuild(data, {key: default_convert(value) for key, value in data.items()})
    if isinstance(data, tuple) and hasattr(data, "_fields"):
        return type(data)(*(default_convert(d) for d in data))
    if isinstance(data, tuple):
        return [default_convert(d) for d in data]
    if isinstance(data, collections.abc.Sequence):
        return _rebuild(data, [default_convert(d) for d in data])
    return data


def get_worker_info() -> None:
    """None: the samples are always read in the main process (as PyTorch's there)."""
    return None


# === The DataLoader =============================================================================
_MAIN_PROCESS = "micrograd's DataLoader reads samples one by one in the main process"
_EXCLUSIVE = (
    "batch_sampler option is mutually exclusive with batch_size, shuffle, sampler, and drop_last"
)


class DataLoader:
    """Batches of ``dataset``'s samples: the indices of ``sampler`` (by default 0..n-1 in
    order; ``shuffle=True``: a new random permutation each epoch) cut into batches of
    ``batch_size`` (the last shorter, or dropped with ``drop_last``), or the lists of
    ``batch_sampler``, each list's samples given to ``collate_fn``.  ``len(loader)`` is the
    number of batches: ⌈n / batch_size⌉, or ⌊n / batch_size⌋ with ``drop_last``.
    ``batch_size=None`` gives the samples one by one, unbatched (through default_convert)."""

    def __init__(
        self,
        dataset: Any,
        batch_size: int | None = 1,
        shuffle: bool | None = None,
        sampler: Iterable[int] | None = None,
        batch_sampler: Iterable[list[int]] | None = None,
        num_workers: int = 0,
        collate_fn: Callable[[Any], Any] | None = None,
        pin_memory: bool = False,
        drop_last: bool = False,
        timeout: float = 0,
        worker_init_fn: Callable[[int], None] | None = None,
        multiprocessing_context: Any = None,
        generator: Any = None,
        *,
        prefetch_factor: int | None = None,
        persistent_workers: bool = False,
        pin_memory_device: str = "",
        in_order: bool = True,
    ) -> None:
        for name, value, default in (
            ("num_workers", num_workers, 0),
            ("pin_memory", pin_memory, False),
            ("timeout", timeout, 0),
            ("worker_init_fn", worker_init_fn, None),
            ("multiprocessing_context", multiprocessing_context, None),
            ("prefetch_factor", prefetch_factor, None),
            ("persistent_workers", persistent_workers, False),
            ("pin_memory_device", pin_memory_device, ""),
            ("in_order", in_order, True),
        ):
            refuse_unless_default("DataLoader", name, value, default, _MAIN_PROCESS)
        refuse_unless_default("DataLoader", "generator", generator, None, _NO_GENERATOR)
        if isinstance(dataset, IterableDataset):
            for name, value in (("shuffle", shuffle), ("sampler", sampler)):
                if value not in (None, False):
                    raise ValueError(
                        f"DataLoader with IterableDataset: expected unspecified {name} option, "
                        f"but got {name}={value}"
                    )
            if batch_sampler is not None:
                raise ValueError(
                    "DataLoader with IterableDataset: expected unspecified batch_sampler "
                    f"option, but got batch_sampler={batch_sampler}"
                )
        if sampler is not None and shuffle:
            raise ValueError("sampler option is mutually exclusive with shuffle")
        if batch_sampler is not None:
            if batch_size != 1 or shuffle or sampler is not None or drop_last:
                raise ValueError(_EXCLUSIVE)
            batch_size, drop_last = None, False
        elif batch_size is None and drop_last:
            raise ValueError(
                "batch_size=None option disables auto-batching and is mutually exclusive with "
                "drop_last"
            )
        if sampler is None and not isinstance(dataset, IterableDataset):
            sampler = RandomSampler(dataset) if shuffle else SequentialSampler(dataset)
        if batch_size is not None and batch_sampler is None:
            batch_sampler = BatchSampler(sampler, batch_size, drop_last)  # type: ignore[arg-type]
        self.dataset, self.batch_size, self.drop_last = dataset, batch_size, drop_last
        self.sampler, self.batch_sampler = sampler, batch_sampler
        self.num_workers, self.generator = 0, None
        self.collate_fn = collate_fn or (
            default_collate if batch_sampler is not None else default_convert
        )

    def __iter__(self) -> Iterator[Any]:
        if isinstance(self.dataset, IterableDataset):
            samples = iter(self.dataset)
            if self.batch_size is None:
                yield from map(self.collate_fn, samples)
                return
            while batch := list(itertools.islice(samples, self.batch_size)):
                if len(batch) < self.batch_size and self.drop_last:
                    return
                yield self.collate_fn(batch)
        elif self.batch_sampler is None:
            for index in self.sampler:  # type: ignore[union-attr]
                yield self.collate_fn(self.dataset[index])
        else:
            for indices in self.batch_sampler:
                yield self.collate_fn([self.dataset[i] for i in indices])

    def __len__(self) -> int:
        if isinstance(self.dataset, IterableDataset):
            n = len(self.dataset)
            if self.batch_size is None:
                return n
            return n // self.batch_size if self.drop_last else -(-n // self.batch_size)
        indices = self.batch_sampler if self.batch_sampler is not None else self.sampler
        return len(indices)  # type: ignore[arg-type]


def __getattr__(name: str) -> Any:
    """A torch.utils.data name micrograd does not have: say so (never AttributeError)."""
    raise missing_name("utils.data.", name)
