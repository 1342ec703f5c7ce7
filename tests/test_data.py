"""micrograd.utils.data against torch.utils.data: datasets, samplers, batches, collation, errors.

Most tests run one program text under both (pytorch_harness.same_output): its printed lines,
batches included, must be equal.  Shuffling draws micrograd's permutation in both runs (the
harness patches torch.randperm), so a shuffled epoch prints the same batches.
"""

import collections

import pytest
from hypothesis import given
from hypothesis import strategies as st

import micrograd
from micrograd.utils import data
from pytorch_harness import same_output

pytestmark = pytest.mark.usefixtures("torch")

LOADING = """
import torch
from torch.utils.data import DataLoader, TensorDataset
x = torch.arange(14.).reshape(7, 2)
y = torch.arange(7)
ds = TensorDataset(x, y)
print(len(ds), ds[3], type(ds[3]).__name__)
for kw in [dict(), dict(batch_size=3), dict(batch_size=3, drop_last=True), dict(batch_size=7),
           dict(batch_size=10), dict(batch_size=None)]:
    loader = DataLoader(ds, **kw)
    print(kw, len(loader), loader.batch_size, loader.drop_last)
    for batch in loader:
        print(type(batch).__name__, batch)
print(next(iter(DataLoader(ds, batch_size=2))))
print(DataLoader(ds).sampler.__class__.__name__, DataLoader(ds, shuffle=True).sampler.__class__.__name__)
"""


def test_batches_of_a_tensor_dataset_are_lists_of_tensors_as_pytorchs():
    same_output(LOADING)


SHUFFLED = """
import torch
from torch.utils.data import DataLoader, TensorDataset
torch.manual_seed(0)
x = torch.randn(10, 3)
y = (x.sum(1) > 0).float()
loader = DataLoader(TensorDataset(x, y), batch_size=4, shuffle=True)
for epoch in range(3):
    for xb, yb in loader:
        print(epoch, xb, yb)
"""


def test_shuffled_epochs_give_the_batches_of_micrograds_order():
    same_output(SHUFFLED)


TRAINING = """
import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset, random_split
torch.manual_seed(0)
x = torch.randn(12, 2)
y = x @ torch.tensor([[2.0], [-1.0]]) + 0.5
train, test = random_split(TensorDataset(x, y), [0.75, 0.25])
print(len(train), len(test), train.indices, test.indices)
model = nn.Linear(2, 1)
opt = torch.optim.SGD(model.parameters(), lr=0.1)
for epoch in range(4):
    for xb, yb in DataLoader(train, batch_size=4, shuffle=True):
        opt.zero_grad()
        loss = nn.functional.mse_loss(model(xb), yb)
        loss.backward()
        opt.step()
    with torch.no_grad():
        print(epoch, sum(nn.functional.mse_loss(model(xb), yb).item() for xb, yb in DataLoader(test, batch_size=2)))
"""


def test_a_training_loop_over_a_random_split_prints_pytorchs_lines():
    same_output(TRAINING, rel=1e-5)


COLLATION = """
import collections
import torch
from torch.utils.data import DataLoader, Dataset, default_collate, default_convert
Point = collections.namedtuple("Point", "x y")

class Samples(Dataset):
    def __len__(self):
        return 5
    def __getitem__(self, i):
        return {"n": i, "f": i / 2, "b": i % 2 == 0, "name": f"s{i}", "t": torch.tensor([i, -i]),
                "pair": (i, [1.5, float(i)]), "p": Point(i, 2 * i)}

for batch in DataLoader(Samples(), batch_size=2):
    print(batch)
for sample in DataLoader(Samples(), batch_size=None):
    print(sample)
print(default_collate([(1, 2.0), (3, 4.0)]))
print(default_collate([[1, 2], [3, 4]]))
print(default_collate([torch.tensor(1.), torch.tensor(2.)]))
print(default_collate([collections.OrderedDict(a=1), collections.OrderedDict(a=2)]))
print(default_convert((torch.tensor(1.), 2, (3, 4))))
print(list(DataLoader(list(range(5)), batch_size=2)))
print(list(DataLoader([(i, float(i)) for i in range(3)], batch_size=2, collate_fn=lambda b: b)))
"""


def test_dicts_tuples_named_tuples_and_numbers_are_collated_as_pytorchs():
    same_output(COLLATION)


NUMPY = """
import numpy as np
import torch
from torch.utils.data import default_collate, default_convert
print(default_collate([np.array([1., 2.], dtype=np.float32), np.array([3., 4.], dtype=np.float32)]))
print(default_collate([np.array([1., 2.]), np.array([3., 4.])]))
print(default_collate([np.float32(1), np.float32(2)]), default_collate([np.int64(1), np.int64(5)]))
print(default_convert([np.array([1.])]))
"""


def test_numpy_arrays_and_scalars_become_tensors_as_pytorchs():
    same_output(NUMPY)


SAMPLERS = """
import torch
from torch.utils.data import (BatchSampler, ConcatDataset, DataLoader, RandomSampler,
                              SequentialSampler, Subset, SubsetRandomSampler, TensorDataset)
torch.manual_seed(0)
ds = list(range(10, 17))
print(list(DataLoader(ds, batch_sampler=[[0, 3], [1]])), len(DataLoader(ds, batch_sampler=[[0, 3], [1]])))
print(list(DataLoader(ds, sampler=[4, 3, 2], batch_size=2)), len(DataLoader(ds, sampler=[4, 3, 2], batch_size=2)))
print(list(BatchSampler(SequentialSampler(ds), 3, False)), len(BatchSampler(range(7), 3, True)))
print(list(RandomSampler(ds)), list(RandomSampler(ds, num_samples=10)), len(RandomSampler(ds, num_samples=10)))
print(list(SubsetRandomSampler([5, 6, 0])))
print(list(DataLoader(ds, sampler=RandomSampler(ds), batch_size=3)))
print(list(DataLoader(ds, batch_sampler=BatchSampler(RandomSampler(ds), 3, drop_last=True))))
t = TensorDataset(torch.arange(3.))
both = t + t
print(type(both).__name__, len(both), both[4], both[-1], both.cumulative_sizes)
c = ConcatDataset([ds, t, Subset(ds, [6, 0])])
print(len(c), [c[i] for i in range(len(c))])
s = Subset(ds, [4, 0])
print(s[0], s[1], len(s))
print(torch.utils.data.get_worker_info())
"""


def test_samplers_batch_samplers_and_concatenation_as_pytorchs():
    same_output(SAMPLERS)


ITERABLE = """
import torch
from torch.utils.data import DataLoader, IterableDataset

class Stream(IterableDataset):
    def __iter__(self):
        return iter(range(5))

class Counted(Stream):
    def __len__(self):
        return 5

print(list(DataLoader(Stream(), batch_size=2)), list(DataLoader(Stream(), batch_size=2, drop_last=True)))
print(list(DataLoader(Stream(), batch_size=None)))
print(len(DataLoader(Counted(), batch_size=2)), len(DataLoader(Counted(), batch_size=2, drop_last=True)))
print(list(Stream() + Counted()))
"""


def test_iterable_datasets_are_batched_in_order_as_pytorchs():
    same_output(ITERABLE)


ERRORS = """
import torch
from torch.utils.data import (BatchSampler, DataLoader, Dataset, IterableDataset, RandomSampler,
                              TensorDataset, random_split, default_collate)

class Stream(IterableDataset):
    def __iter__(self):
        return iter(range(5))

ds = list(range(5))
attempts = [
    lambda: DataLoader(ds, batch_size=0),
    lambda: DataLoader(ds, batch_size=-2),
    lambda: DataLoader(ds, batch_size=1.5),
    lambda: DataLoader(ds, shuffle=True, sampler=[0, 1]),
    lambda: DataLoader(ds, batch_sampler=[[0]], batch_size=2),
    lambda: DataLoader(ds, batch_sampler=[[0]], shuffle=True),
    lambda: DataLoader(ds, batch_sampler=[[0]], drop_last=True),
    lambda: DataLoader(ds, batch_size=None, drop_last=True),
    lambda: DataLoader(Stream(), shuffle=True),
    lambda: DataLoader(Stream(), sampler=[1]),
    lambda: len(DataLoader(Stream())),
    lambda: BatchSampler(ds, 0, False),
    lambda: RandomSampler(ds, num_samples=0),
    lambda: RandomSampler(ds, replacement=1),
    lambda: TensorDataset(torch.zeros(3), torch.zeros(2)),
    lambda: random_split(range(10), [3, 3]),
    lambda: random_split(range(10), [0.5, 0.6]),
    lambda: default_collate([object()]),
    lambda: default_collate([[1, 2], [3]]),
    lambda: default_collate([torch.zeros(2), torch.zeros(3)]),
    lambda: Dataset()[0],
    lambda: iter(IterableDataset()).__next__(),
]
for attempt in attempts:
    try:
        attempt()
        print("no error")
    except Exception as error:
        print(type(error).__name__, error)
"""


def test_bad_arguments_raise_pytorchs_errors():
    same_output(ERRORS)


def test_default_options_spelled_out_are_accepted():
    ds = data.TensorDataset(micrograd.arange(4.0))
    loader = data.DataLoader(
        ds, 2, False, None, None, 0, None, False, False, 0, None, None, None,
        prefetch_factor=None, persistent_workers=False, pin_memory_device="", in_order=True,
    )  # fmt: skip
    assert [b[0].tolist() for b in loader] == [[0.0, 1.0], [2.0, 3.0]]
    assert len(data.random_split(ds, [2, 2], generator=None)) == 2


@pytest.mark.parametrize(
    "keyword",
    [
        dict(num_workers=4),
        dict(pin_memory=True),
        dict(timeout=5),
        dict(worker_init_fn=print),
        dict(persistent_workers=True),
        dict(prefetch_factor=2),
        dict(multiprocessing_context="spawn"),
        dict(pin_memory_device="cuda"),
        dict(in_order=False),
        dict(generator=object()),
    ],
)
def test_what_needs_worker_processes_or_pytorchs_generator_is_not_supported(keyword):
    name = next(iter(keyword))
    with pytest.raises(micrograd.NotSupported, match=f"DataLoader\\({name}="):
        data.DataLoader([1, 2], **keyword)


def test_a_generator_for_random_split_or_a_sampler_is_not_supported():
    for call in (
        lambda: data.random_split([1, 2], [1, 1], generator=object()),
        lambda: data.RandomSampler([1, 2], generator=object()),
        lambda: data.SubsetRandomSampler([1, 2], generator=object()),
    ):
        with pytest.raises(micrograd.NotSupported, match="generator="):
            call()


def test_a_numpy_dtype_micrograd_lacks_is_not_supported():
    np = pytest.importorskip("numpy")
    with pytest.raises(micrograd.NotSupported, match="int32"):
        data.default_collate([np.array([1], dtype=np.int32)])


@given(n=st.integers(1, 30), batch_size=st.integers(1, 12), drop_last=st.booleans())
def test_a_shuffled_epoch_visits_each_sample_once_in_batches_of_pytorchs_sizes(
    torch, n, batch_size, drop_last
):
    ds = data.TensorDataset(micrograd.arange(float(n)))
    loader = data.DataLoader(ds, batch_size=batch_size, shuffle=True, drop_last=drop_last)
    expected = torch.utils.data.DataLoader(
        torch.utils.data.TensorDataset(torch.arange(float(n))),
        batch_size=batch_size,
        shuffle=True,
        drop_last=drop_last,
    )
    batches = [b[0].tolist() for b in loader]
    assert [len(b) for b in batches] == [len(b[0]) for b in expected]
    assert len(loader) == len(expected)
    seen = [x for b in batches for x in b]
    assert len(set(seen)) == len(seen) and set(seen) <= set(range(n))
    assert len(seen) == (n - n % batch_size if drop_last else n)


@given(
    n=st.integers(0, 40),
    fractions=st.lists(st.integers(1, 9), min_size=1, max_size=5),
)
def test_random_split_by_fractions_has_pytorchs_lengths(torch, n, fractions):
    total = sum(fractions)
    lengths = [f / total for f in fractions]
    if not abs(sum(lengths) - 1) < 1e-9 or sum(lengths) > 1:
        return
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ours = data.random_split(list(range(n)), lengths)
        theirs = torch.utils.data.random_split(list(range(n)), lengths)
    assert [len(s) for s in ours] == [len(s) for s in theirs]
    assert sorted(i for s in ours for i in s.indices) == list(range(n))


def test_a_shuffle_is_reproducible_with_manual_seed_and_changes_each_epoch():
    loader = data.DataLoader(list(range(20)), batch_size=20, shuffle=True)
    micrograd.manual_seed(3)
    first, second = next(iter(loader)).tolist(), next(iter(loader)).tolist()
    micrograd.manual_seed(3)
    assert next(iter(loader)).tolist() == first
    assert first != second and sorted(first) == list(range(20))


def test_an_ordered_dict_sample_stays_an_ordered_dict():
    batch = data.default_collate([collections.OrderedDict(b=1, a=2.0)] * 2)
    assert type(batch) is collections.OrderedDict and list(batch) == ["b", "a"]
