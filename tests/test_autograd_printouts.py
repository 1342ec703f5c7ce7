"""What autograd's inspection API prints, compared line by line with PyTorch 2.13: saved-tensor
hooks (when pack and unpack run, and with what), tangents of forward mode that require grad,
custom Functions' jvp, ``grad`` under ``vmap``, vmap over dicts of parameters with
``functional_call`` and ``stack_module_state``.  Programs written in the style of PyTorch's
autograd notes, its saved-tensors-hooks and forward-AD tutorials, and torch.func's docs.
"""

import pytest

import micrograd
from pytorch_harness import same_output

SAVED_HOOKS = """
import torch

def pack_hook(x):
    print("Packing", x)
    return x

def unpack_hook(x):
    print("Unpacking", x)
    return x

x = torch.ones(3, requires_grad=True)
y = x.pow(2)
y.grad_fn._raw_saved_self.register_hooks(pack_hook, unpack_hook)
y.sum().backward()
print(x.grad)
a = torch.ones(3, requires_grad=True)
b = torch.ones(3, requires_grad=True)
with torch.autograd.graph.saved_tensors_hooks(pack_hook, unpack_hook):
    y = a * (b * 2)
y.sum().backward()
print(a.grad, b.grad)
with torch.autograd.graph.saved_tensors_hooks(pack_hook, unpack_hook):
    z = (a * 3).exp()
print("built")
z.sum().backward()
print(a.grad)
"""


@pytest.mark.oracle
def test_pack_and_unpack_hooks_run_when_and_with_what_pytorch_gives_them():
    same_output(SAVED_HOOKS)


SAVED_READ_UNPACKS = """
import torch

calls = []
def pack(x):
    calls.append("pack")
    return x.clone()
def unpack(x):
    calls.append("unpack")
    return x

x = torch.ones(5, requires_grad=True)
with torch.autograd.graph.saved_tensors_hooks(pack, unpack):
    y = x.pow(2)
print(y.grad_fn._saved_self)
print(y.grad_fn._saved_self)
print(calls)
y.sum().backward()
print(calls, x.grad)

storage = {}
def pack_away(t):
    storage[len(storage)] = t
    return len(storage) - 1
def unpack_once(key):
    return storage.pop(key)
x = torch.ones(5, requires_grad=True)
with torch.autograd.graph.saved_tensors_hooks(pack_away, unpack_once):
    y = x.pow(2)
print(y.grad_fn._saved_self)
try:
    print(y.grad_fn._saved_self)
    print("Double access succeeded!")
except KeyError:
    print("Double access failed!")
"""


@pytest.mark.oracle
def test_reading_a_hooked_saved_tensor_calls_unpack_as_pytorch_does():
    same_output(SAVED_READ_UNPACKS)


ROUNDED_UNPACK = """
import torch

x = torch.randn(5, requires_grad=True)
with torch.autograd.graph.saved_tensors_hooks(lambda t: repr(t), lambda s: eval("torch." + s)):
    y = x * x
y.sum().backward()
print(torch.all((x.grad - 2 * x).abs() <= 1e-3))
delta = torch.randn(5)
with torch.autograd.graph.saved_tensors_hooks(lambda t: t - delta, lambda t: t + delta):
    y = x * x
x.grad = None
y.sum().backward()
print(torch.allclose(x.grad, 2 * x))
"""


@pytest.mark.oracle
def test_an_unpack_hook_giving_back_the_numbers_rounded_is_accepted():
    same_output(ROUNDED_UNPACK)


def test_an_unpack_hook_that_changes_the_numbers_is_refused_not_ignored():
    x = micrograd.ones(3, requires_grad=True)
    with micrograd.autograd.graph.saved_tensors_hooks(lambda t: t, lambda t: t * 2):
        y = x * x
    with pytest.raises(micrograd.NotSupported, match="unpack hook"):
        y.sum().backward()
    assert x.grad is None  # nothing was accumulated from the refused pass


DUAL_TANGENTS = """
import torch
import torch.nn as nn
import torch.autograd.forward_ad as fwAD

x = torch.randn(4, requires_grad=True)
t = torch.randn(4)
plain = torch.randn(4)
with fwAD.dual_level():
    d = fwAD.make_dual(plain, t)
    print(fwAD.unpack_dual(d * x).tangent)   # 0-tangent of x times d: requires grad
    print(fwAD.unpack_dual(d + x).tangent)   # a sum's tangent reads no primal
    print(fwAD.unpack_dual(d * plain).tangent)
    print(fwAD.unpack_dual((d * x).exp()).tangent)

model = nn.Linear(3, 2)
inputs = torch.randn(4, 3)
params = {name: p for name, p in model.named_parameters()}
tangents = {name: torch.rand_like(p) for name, p in params.items()}
with fwAD.dual_level():
    for name, p in params.items():
        delattr(model, name)
        setattr(model, name, fwAD.make_dual(p, tangents[name]))
    jvp = fwAD.unpack_dual(model(inputs)).tangent
print(jvp[0])
jvp.sum().backward()
print(params["weight"].grad, params["bias"].grad)
"""


@pytest.mark.oracle
def test_a_tangent_requires_grad_when_pytorch_s_does_and_its_gradient_is_zero():
    same_output(DUAL_TANGENTS, rel=1e-6)


FUNCTION_JVP = """
import torch
import torch.autograd.forward_ad as fwAD

class Exp(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        result = torch.exp(x)
        ctx.result = result
        return result

    @staticmethod
    def jvp(ctx, gI):
        return gI * ctx.result

    @staticmethod
    def backward(ctx, gO):
        return gO * ctx.result

x = torch.randn(3, dtype=torch.double, requires_grad=True)
t = torch.randn(3, dtype=torch.double)
with fwAD.dual_level():
    out = Exp.apply(fwAD.make_dual(x, t))
    tangent = fwAD.unpack_dual(out).tangent
print(tangent)
y = Exp.apply(x)
print(y.grad_fn)
(g,) = torch.autograd.grad(y.sum(), x, create_graph=True)
print(g)
"""


@pytest.mark.oracle
def test_a_function_s_jvp_is_recorded_and_ctx_keeps_the_output_the_caller_sees():
    same_output(FUNCTION_JVP)


GRAD_IN_VMAP = """
import torch

x = torch.randn(4, requires_grad=True)
y = x ** 2
def get_vjp(v):
    return torch.autograd.grad(y, x, v)
print(torch.vmap(get_vjp)(torch.eye(4)))
try:
    torch.autograd.grad(y, x, torch.ones(4))
except RuntimeError as e:
    print("RuntimeError:", str(e)[:50])
w = torch.randn(3, requires_grad=True)
def model(v):
    return v.dot(w).relu()
print(torch.vmap(model)(torch.randn(5, 3)))
print(torch.vmap(torch.mul)(torch.randn(2, 3), torch.randn(2, 3)).grad_fn)
"""


@pytest.mark.oracle
def test_grad_inside_vmap_frees_the_graph_after_the_batch_and_results_keep_their_node():
    same_output(GRAD_IN_VMAP)


ENSEMBLE = """
import copy
import torch
import torch.nn as nn
from torch.func import functional_call, grad, stack_module_state, vmap

torch.manual_seed(0)
class MLP(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(4, 3)
        self.fc2 = nn.Linear(3, 2)
    def forward(self, x):
        return self.fc2(self.fc1(x).relu())

models = [MLP() for _ in range(3)]
params, buffers = stack_module_state(models)
print({k: tuple(v.shape) for k, v in params.items()}, buffers)
print(params["fc1.weight"].is_leaf, params["fc1.weight"].requires_grad)
base = copy.deepcopy(models[0])
def fmodel(params, buffers, x):
    return functional_call(base, (params, buffers), (x,))
x = torch.randn(3, 5, 4)
out = vmap(fmodel)(params, buffers, x)
print(out.shape, torch.allclose(out[1], models[1](x[1])))
out = vmap(fmodel, in_dims=(0, 0, None))(params, buffers, x[0])
print(out.shape, torch.allclose(out[2], models[2](x[0])))

model = MLP()
params = {k: v.detach() for k, v in model.named_parameters()}
def loss(params, sample, target):
    prediction = functional_call(model, params, (sample.unsqueeze(0),))
    return ((prediction - target) ** 2).mean()
per_sample = vmap(grad(loss), in_dims=(None, 0, 0))(params, torch.randn(6, 4), torch.randn(6, 2))
print({k: tuple(g.shape) for k, g in per_sample.items()})
print(per_sample["fc2.bias"])
try:
    functional_call(model, (params, {"fc1.bias": params["fc1.bias"]}), (x[0],))
except ValueError as e:
    print("ValueError:", e)
"""


@pytest.mark.oracle
def test_vmap_over_dicts_of_parameters_functional_call_and_stack_module_state():
    same_output(ENSEMBLE, rel=1e-5)


@pytest.mark.oracle
def test_numpy_under_no_grad_as_pytorch_and_its_copy_is_read_only(torch):
    for lib in (micrograd, torch):
        x = lib.ones(2, requires_grad=True)
        with pytest.raises(RuntimeError, match="requires grad"):
            x.numpy()
        with lib.no_grad():
            assert x.numpy().tolist() == [1.0, 1.0]
    array = micrograd.ones(2).numpy()
    with pytest.raises(ValueError, match="read-only"):
        array += 1  # PyTorch's array would change the tensor too: never silently lost here


def test_a_type_with_torch_function_is_refused_by_name():
    class ScalarTensor:
        @classmethod
        def __torch_function__(cls, func, types, args=(), kwargs=None):
            return NotImplemented

    with pytest.raises(micrograd.NotSupported, match="ScalarTensor defines __torch_function__"):
        micrograd.mean(ScalarTensor())


@pytest.mark.oracle
def test_a_zero_gradient_keeps_its_sign_as_pytorch_assigns_the_first_one(torch):
    for make in (lambda a, b: (a - b).relu(), lambda a, b: (a - b) * 0.0, lambda a, b: -(a * b)):
        grads = []
        for lib in (micrograd, torch):
            a = lib.tensor([-1.0, 2.0], requires_grad=True)
            b = lib.tensor([0.0, 0.0], requires_grad=True)
            make(a, b).sum().backward()
            grads.append([str(g) for g in a.grad.tolist() + b.grad.tolist()])
        assert grads[0] == grads[1]
