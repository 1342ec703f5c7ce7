"""The NotSupported contract: every public PyTorch name, listed from torch 2.13 itself, either
exists in micrograd or raises micrograd.NotSupported naming it, through every path a program
takes: ``micrograd.X``, ``micrograd.nn.X``, ``nn.functional.X``, ``Tensor.X``, optimizer and
module attributes, ``ctx.X``, ``import micrograd.sub``, ``from micrograd.utils.data import X``.
Never AttributeError, ImportError or ModuleNotFoundError, and ``hasattr`` still answers (a
missing attribute's NotSupported is also an AttributeError)."""

import importlib
import pkgutil
import types
import warnings

import pytest

import micrograd as mg
from micrograd.core.errors import NotSupportedAttribute

pytestmark = pytest.mark.usefixtures("torch")

MODULES = [
    "",
    "nn",
    "nn.functional",
    "nn.init",
    "optim",
    "autograd",
    "autograd.functional",
    "autograd.forward_ad",
    "utils",
    "utils.data",
    "func",
    "linalg",
    "special",
    "fft",
    "cuda",
    "backends",
    "random",
    "distributions",  # the five distributions teaching programs use; the others are refused
    "serialization",
    "testing",  # micrograd.testing is the teaching kit's; torch.testing's names are refused
]


def public(names):
    return sorted(n for n in names if not n.startswith("_"))


def outcome(get):
    """None if get() works or raises NotSupported; else the leaked error, described."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            get()
    except mg.NotSupported:
        return None
    except Exception as error:
        return f"{type(error).__name__}: {error}"[:160]
    return None


def torch_names(torch, module_name):
    """The public names of torch.<module_name> that are its own (not `import os` inside it)."""
    module = importlib.import_module("torch" + ("." + module_name if module_name else ""))
    names = []
    for name in public(dir(module)):
        value = getattr(module, name, None)
        foreign = isinstance(value, types.ModuleType) and not value.__name__.startswith("torch")
        if not foreign and name != "torch":
            names.append(name)
    return names


def leaks_of(torch, module_name):
    try:
        ours = importlib.import_module("micrograd" + ("." + module_name if module_name else ""))
    except mg.NotSupported:
        return []  # the whole module is refused, named
    leaks = []
    for name in torch_names(torch, module_name):
        leak = outcome(lambda: getattr(ours, name))
        if leak:
            leaks.append(f"micrograd.{module_name}.{name}: {leak}")
    return leaks


@pytest.mark.parametrize("module_name", MODULES)
def test_every_public_name_of_a_torch_module_exists_or_is_not_supported(torch, module_name):
    assert leaks_of(torch, module_name) == []


def test_every_submodule_of_torch_imports_or_is_not_supported(torch):
    leaks = []
    for package in ("", "nn", "utils", "autograd", "optim"):
        path = importlib.import_module("torch" + ("." + package if package else "")).__path__
        for found in pkgutil.iter_modules(path):
            if found.name.startswith("_"):
                continue
            name = "micrograd." + (package + "." if package else "") + found.name
            leak = outcome(lambda: importlib.import_module(name))
            if leak:
                leaks.append(f"import {name}: {leak}")
    assert leaks == []


def test_from_micrograd_utils_data_import_every_name_of_torchs(torch):
    leaks = []
    for name in public(torch.utils.data.__all__):
        leak = outcome(lambda: exec(f"from micrograd.utils.data import {name}", {}))
        if leak:
            leaks.append(f"{name}: {leak}")
    assert leaks == []


def test_every_tensor_attribute_of_torchs_exists_or_is_not_supported(torch):
    t = mg.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    leaks = [n for n in public(dir(torch.Tensor)) if outcome(lambda: getattr(t, n))]
    assert leaks == []


@pytest.mark.parametrize("name", ["SGD", "Adam"])
def test_every_optimizer_attribute_of_torchs_exists_or_is_not_supported(torch, name):
    optimizer = getattr(mg.optim, name)([mg.tensor([1.0], requires_grad=True)])
    names = public(dir(getattr(torch.optim, name)))
    assert [n for n in names if outcome(lambda: getattr(optimizer, n))] == []


def test_every_module_attribute_of_torchs_exists_or_is_not_supported(torch):
    model = mg.nn.Linear(2, 1)
    names = public(dir(torch.nn.Linear))
    leaks = [n for n in names if outcome(lambda: getattr(model, n))]
    # Module's type annotations (T_destination) and a class flag (call_super_init) are
    # nn/modules.py's to add
    assert set(leaks) <= {"T_destination", "call_super_init"}


def test_every_ctx_attribute_of_torchs_exists_or_is_not_supported(torch):
    names = public(dir(torch.autograd.function.FunctionCtx))
    leaks = []

    class Probe(mg.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            leaks.extend(n for n in names if outcome(lambda: getattr(ctx, n)))
            return x * 2

        @staticmethod
        def backward(ctx, g):
            return g * 2

    Probe.apply(mg.tensor([1.0], requires_grad=True))
    assert leaks == []


def test_a_missing_attribute_is_also_an_attribute_error_so_hasattr_answers():
    t = mg.tensor([1.0])
    optimizer = mg.optim.SGD([mg.tensor([1.0], requires_grad=True)])
    for owner, name in (
        (t, "to_sparse"),
        (optimizer, "register_step_pre_hook"),
        (mg.optim, "LBFGS"),
    ):
        with pytest.raises(NotSupportedAttribute, match=name):
            getattr(owner, name)
        assert not hasattr(owner, name)
    assert hasattr(optimizer, "state") and hasattr(optimizer, "state_dict")
    assert hasattr(mg.utils.data, "DataLoader")


def test_the_message_names_the_missing_thing():
    with pytest.raises(mg.NotSupported, match=r"torch\.sparse"):
        importlib.import_module("micrograd.sparse")
    with pytest.raises(mg.NotSupported, match=r"torch\.distributions\.Beta"):
        exec("from micrograd.distributions import Beta", {})
    with pytest.raises(mg.NotSupported, match=r"torch\.optim\.swa_utils"):
        exec("from micrograd.optim.swa_utils import AveragedModel", {})
    with pytest.raises(mg.NotSupported, match=r"torch\.utils\.data\.WeightedRandomSampler"):
        exec("from micrograd.utils.data import WeightedRandomSampler", {})
    with pytest.raises(mg.NotSupported, match=r"DataLoader\(num_workers=4\)"):
        mg.utils.data.DataLoader([1], num_workers=4)
    with pytest.raises(mg.NotSupported, match="add_safe_globals"):
        mg.serialization.add_safe_globals([])


def test_private_names_stay_pythons_errors():
    # Python's and tools' probes (copy's __deepcopy__, IPython's _repr_html_) must see plain
    # AttributeError / ModuleNotFoundError, not a NotSupported message
    for owner in (mg, mg.nn, mg.utils.data, mg.serialization):
        with pytest.raises(AttributeError) as error:
            owner._repr_html_
        assert not isinstance(error.value, mg.NotSupported)
    with pytest.raises(ModuleNotFoundError):
        importlib.import_module("micrograd._no_such_module")
