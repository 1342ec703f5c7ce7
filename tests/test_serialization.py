"""micrograd.save / micrograd.load against torch.save / torch.load 2.13: what a program prints
after a round trip (values, dtypes, requires_grad, Parameters, containers, shared storages),
PyTorch's errors for a missing file or directory, and refusals: PyTorch's pickles, objects
that would need pickle, options that only make sense for a pickle."""

import io
import json
import math
import pickle

import pytest
from hypothesis import given
from hypothesis import strategies as st

import micrograd as mg
from micrograd.utils import serialization
from pytorch_harness import same_output

pytestmark = pytest.mark.usefixtures("torch")

ROUND_TRIP = """
import collections, io
import torch
f = io.BytesIO()
obj = {
    "float32": torch.tensor([[1.5, -2.25], [0.1, 3e38]]),
    "float64": torch.tensor([0.1, float("nan"), float("-inf"), -0.0], dtype=torch.float64),
    "int64": torch.tensor([2**62, -3]),
    "bool": torch.tensor([True, False]),
    "scalar": torch.tensor(7.0),
    "empty": torch.zeros(0, 3),
    "grad": torch.tensor([1.0, 2.0], requires_grad=True),
    "result": torch.tensor([1.0, 2.0], requires_grad=True) * 2,
    "parameter": torch.nn.Parameter(torch.tensor([0.5])),
    "frozen": torch.nn.Parameter(torch.tensor([0.5]), requires_grad=False),
    "size": torch.Size([2, 3]),
    "ordered": collections.OrderedDict([("b", 1), ("a", 2.5)]),
    "nested": [1, (2, None, "three", True), {4: [5.0]}, (0.1,), []],
    "noncontiguous": torch.arange(6.).reshape(2, 3).t(),
}
torch.save(obj, f)
f.seek(0)
loaded = torch.load(f)
for key, value in loaded.items():
    print(key, type(value).__name__, value)
    if isinstance(value, torch.Tensor):
        print("  ", value.dtype, value.shape, value.requires_grad, value.is_leaf, value.is_contiguous())
print(type(loaded["ordered"]).__name__, list(loaded["ordered"]))
print(loaded["float64"][-1].item(), loaded["float32"][1, 0].item())
"""


def test_tensors_numbers_and_containers_round_trip_as_in_pytorch():
    same_output(ROUND_TRIP)


SHARING = """
import io
import torch
a = torch.arange(6.).reshape(2, 3)
row, col, t = a[1], a[:, 2], a.t()
f = io.BytesIO()
torch.save([a, row, a, col, t, {"again": row}], f)
f.seek(0)
l = torch.load(f)
print(l[0] is l[2], l[1] is l[5]["again"], l[1].storage_offset(), l[3].stride(), l[4].stride())
l[0][1, 2] = 100.0
print(l[1], l[3], l[4])
print(l[1].data_ptr() == l[0][1].data_ptr())
"""


def test_one_tensor_saved_twice_and_views_of_one_storage_stay_shared():
    same_output(SHARING)


FILES = """
import os, tempfile
import torch
folder = tempfile.mkdtemp()
path = os.path.join(folder, "model.pt")
torch.save({"w": torch.tensor([1.0, 2.0])}, path)
torch.save({"w": torch.tensor([3.0])}, path)  # replaced, as PyTorch does
print(torch.load(path), torch.load(path, weights_only=True), torch.load(path, weights_only=False))
print(torch.load(path, map_location="cpu"), torch.load(path, map_location=torch.device("cpu")))
import pathlib
torch.save(torch.ones(2), pathlib.Path(folder) / "p.pt")
print(torch.load(pathlib.Path(folder) / "p.pt"))
with open(path, "wb") as f:
    torch.save([1, 2], f)
with open(path, "rb") as f:
    print(torch.load(f))
for attempt in [lambda: torch.load(os.path.join(folder, "missing.pt")),
                lambda: torch.save(1, os.path.join(folder, "no", "such", "dir.pt"))]:
    try:
        attempt()
    except Exception as error:
        print(type(error).__name__, str(error).replace(folder, "<folder>"))
"""


def test_paths_file_objects_and_pytorchs_errors_for_missing_files():
    same_output(FILES)


MODEL = """
import io
import torch
from torch import nn
torch.manual_seed(0)
model = nn.Sequential(nn.Linear(3, 2), nn.Tanh(), nn.Linear(2, 1))
f = io.BytesIO()
torch.save(model.state_dict(), f)
f.seek(0)
state = torch.load(f)
print(type(state).__name__, list(state), state["0.weight"])
other = nn.Sequential(nn.Linear(3, 2), nn.Tanh(), nn.Linear(2, 1))
print(other.load_state_dict(state))
x = torch.randn(4, 3)
print(torch.equal(model(x), other(x)))
"""


def test_a_modules_state_dict_round_trips_as_in_pytorch():
    if not hasattr(mg.nn.Linear(1, 1), "state_dict"):
        pytest.skip("nn.Module.state_dict is not in micrograd yet")
    same_output(MODEL)


def test_a_pytorch_file_is_refused_naming_why(torch, tmp_path):
    zipped, legacy = tmp_path / "zip.pt", tmp_path / "legacy.pt"
    torch.save({"w": torch.ones(2)}, zipped)
    torch.save({"w": torch.ones(2)}, legacy, _use_new_zipfile_serialization=False)
    for path in (zipped, legacy):
        with pytest.raises(mg.NotSupported, match="PyTorch's .*pickle.*run code"):
            mg.load(path)
    with pytest.raises(mg.NotSupported, match="pickle"):
        mg.load(io.BytesIO(pickle.dumps([1, 2])))


def test_a_file_of_something_else_is_a_clear_error():
    with pytest.raises(ValueError, match="not a file written by micrograd.save"):
        mg.load(io.BytesIO(b"hello"))
    with pytest.raises(EOFError):
        mg.load(io.BytesIO(b""))


def test_loading_reads_only_tagged_data_never_code():
    # a file naming a callable (as a pickle would) is refused: nothing in it is looked up
    content = {"storages": [], "tensors": [], "object": {"type": "os.system", "items": ["ls"]}}
    bad = serialization.HEADER + json.dumps(content).encode()
    with pytest.raises(ValueError, match="unknown entry 'os.system'"):
        mg.load(io.BytesIO(bad))
    bad_dtype = {"storages": [{"dtype": "object", "data": [1]}], "tensors": [], "object": None}
    content = {**bad_dtype, "tensors": [{"storage": 0, "offset": 0, "shape": [1], "stride": [1],
               "requires_grad": False, "parameter": False}], "object": {"type": "tensor", "index": 0}}  # fmt: skip
    with pytest.raises(ValueError, match="unknown dtype 'object'"):
        mg.load(io.BytesIO(serialization.HEADER + json.dumps(content).encode()))


def test_what_would_need_pickle_is_not_supported():
    for obj in (object(), {1, 2}, lambda: 0, mg.float32):  # a whole module is pickled
        with pytest.raises(mg.NotSupported, match="cannot write"):
            mg.save(obj, io.BytesIO())
    with pytest.raises(mg.NotSupported, match="pickle_module"):
        mg.save(1, io.BytesIO(), pickle_module=json)
    with pytest.raises(mg.NotSupported, match="pickle_protocol"):
        mg.save(1, io.BytesIO(), pickle_protocol=4)
    f = io.BytesIO()
    mg.save(1, f, pickle_module=pickle, pickle_protocol=2)  # PyTorch's defaults, spelled out
    with pytest.raises(mg.NotSupported, match="mmap"):
        mg.load(io.BytesIO(f.getvalue()), mmap=True)
    with pytest.raises(mg.NotSupported):
        mg.load(io.BytesIO(f.getvalue()), map_location="cuda:0")
    with pytest.raises(TypeError, match="weights_only"):
        mg.load(io.BytesIO(f.getvalue()), weights_only="yes")


def test_a_leaf_that_requires_grad_sharing_a_storage_is_refused_not_unshared():
    w = mg.tensor([1.0, 2.0, 3.0], requires_grad=True)
    with pytest.raises(mg.NotSupported, match="share a storage"):
        mg.save([w, w[1:]], io.BytesIO())
    mg.save([w, w], io.BytesIO())  # the same tensor twice is one tensor
    mg.save([w.detach(), w.detach()[1:]], io.BytesIO())


NUMBERS = st.floats(allow_nan=False, width=32) | st.integers(-(2**63), 2**63 - 1)
LEAVES = (
    st.none()
    | st.booleans()
    | st.text(max_size=5)
    | st.floats(allow_nan=False)
    | st.integers()
    | st.lists(st.floats(allow_nan=False, width=32), max_size=4).map(mg.tensor)
    | st.lists(st.integers(-(2**63), 2**63 - 1), min_size=1, max_size=4).map(mg.tensor)
)
OBJECTS = st.recursive(
    LEAVES,
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.tuples(inner, inner)
        | st.dictionaries(st.text(max_size=3) | st.integers(), inner, max_size=3)
    ),
    max_leaves=8,
)


def same(a, b):
    if isinstance(a, mg.Tensor):
        return (
            isinstance(b, mg.Tensor)
            and a.dtype is b.dtype
            and a.shape == b.shape
            and a.tolist() == b.tolist()
        )
    if isinstance(a, float):
        return type(b) is float and (a == b and math.copysign(1, a) == math.copysign(1, b))
    if isinstance(a, (list, tuple)):
        return type(a) is type(b) and len(a) == len(b) and all(map(same, a, b))
    if isinstance(a, dict):
        return type(a) is type(b) and list(a) == list(b) and all(same(a[k], b[k]) for k in a)
    return type(a) is type(b) and a == b


@given(OBJECTS)
def test_any_nest_of_savable_things_loads_equal(obj):
    f = io.BytesIO()
    mg.save(obj, f)
    f.seek(0)
    assert same(obj, mg.load(f))


@given(OBJECTS)
def test_what_torch_loads_back_micrograd_loads_back(torch, obj):
    """The round trip's result printed by both libraries (torch with the same objects made as
    torch tensors) reads the same."""

    def as_torch(x):
        if isinstance(x, mg.Tensor):
            return torch.tensor(x.tolist(), dtype=getattr(torch, str(x.dtype).split(".")[1]))
        if isinstance(x, (list, tuple)):
            return type(x)(map(as_torch, x))
        if isinstance(x, dict):
            return {k: as_torch(v) for k, v in x.items()}
        return x

    texts = []
    for lib, thing in ((mg, obj), (torch, as_torch(obj))):
        f = io.BytesIO()
        lib.save(thing, f)
        f.seek(0)
        texts.append(repr(lib.load(f)))
    assert texts[0] == texts[1]
