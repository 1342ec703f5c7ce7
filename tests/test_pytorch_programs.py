"""Real PyTorch programs run with `import micrograd as torch` and print what torch 2.13 prints.

Each program below follows, call for call, a public tutorial or lecture (named above it), written
out again here.  The harness (pytorch_harness.py) runs the same text under PyTorch and, with
its imports pointed at micrograd, under micrograd, with the same random numbers.
"""

import pytest

import micrograd
from pytorch_harness import same_output


# pytorch/tutorials beginner_source/blitz/autograd_tutorial.py (the 60-minute blitz, older version)
BLITZ = """
import torch
x = torch.ones(2, 2, requires_grad=True)
print(x)
y = x + 2
print(y)
print(y.grad_fn)
z = y * y * 3
out = z.mean()
print(z, out)
a = torch.randn(2, 2)
a = ((a * 3) / (a - 1))
print(a.requires_grad)
a.requires_grad_(True)
print(a.requires_grad)
b = (a * a).sum()
print(b.grad_fn)
out.backward()
print(x.grad)
x = torch.randn(3, requires_grad=True)
y = x * 2
while y.data.norm() < 1000:
    y = y * 2
print(y)
gradients = torch.tensor([0.1, 1.0, 0.0001], dtype=torch.float)
y.backward(gradients)
print(x.grad)
print(x.requires_grad)
print((x ** 2).requires_grad)
with torch.no_grad():
    print((x ** 2).requires_grad)
"""

# pytorch/tutorials beginner_source/basics/autogradqs_tutorial.py
AUTOGRADQS = """
import torch
x = torch.ones(5)
y = torch.zeros(3)
w = torch.randn(5, 3, requires_grad=True)
b = torch.randn(3, requires_grad=True)
z = torch.matmul(x, w) + b
loss = torch.nn.functional.binary_cross_entropy_with_logits(z, y)
print(f"Gradient function for z = {z.grad_fn}")
print(f"Gradient function for loss = {loss.grad_fn}")
loss.backward()
print(w.grad)
print(b.grad)
z = torch.matmul(x, w) + b
print(z.requires_grad)
with torch.no_grad():
    z = torch.matmul(x, w) + b
print(z.requires_grad)
z = torch.matmul(x, w) + b
z_det = z.detach()
print(z_det.requires_grad)
inp = torch.eye(4, 5, requires_grad=True)
out = (inp + 1).pow(2).t()
out.backward(torch.ones_like(out), retain_graph=True)
print(f"First call\\n{inp.grad}")
out.backward(torch.ones_like(out), retain_graph=True)
print(f"\\nSecond call\\n{inp.grad}")
inp.grad.zero_()
out.backward(torch.ones_like(out), retain_graph=True)
print(f"\\nCall after zeroing gradients\\n{inp.grad}")
"""

# d2l-ai/d2l-en chapter_preliminaries/autograd.md, PyTorch tab (d2l-zh has the same code)
D2L = """
import torch
x = torch.arange(4.0)
print(x)
x.requires_grad_(True)
print(x.grad)
y = 2 * torch.dot(x, x)
print(y)
y.backward()
print(x.grad)
print(x.grad == 4 * x)
x.grad.zero_()
y = x.sum()
y.backward()
print(x.grad)
x.grad.zero_()
y = x * x
y.backward(gradient=torch.ones(len(y)))
print(x.grad)
x.grad.zero_()
y = x * x
u = y.detach()
z = u * x
z.sum().backward()
print(x.grad == u)
x.grad.zero_()
y.sum().backward()
print(x.grad == 2 * x)
def f(a):
    b = a * 2
    while b.norm() < 1000:
        b = b * 2
    if b.sum() > 0:
        c = b
    else:
        c = 100 * b
    return c
a = torch.randn(size=(), requires_grad=True)
d = f(a)
d.backward()
print(a.grad == d / a)
"""

# pytorch/tutorials beginner_source/examples_autograd/polynomial_autograd.py (2000 points cut to 200
# and 2000 steps to 200: one Value per element; the printed lines are the same kind)
POLYNOMIAL = """
import math
import torch
dtype = torch.float
device = "cuda" if torch.cuda.is_available() else "cpu"
torch.set_default_device(device)
x = torch.linspace(-math.pi, math.pi, 200, dtype=dtype)
y = torch.sin(x)
a = torch.randn((), dtype=dtype, requires_grad=True)
b = torch.randn((), dtype=dtype, requires_grad=True)
c = torch.randn((), dtype=dtype, requires_grad=True)
d = torch.randn((), dtype=dtype, requires_grad=True)
learning_rate = 1e-5
for t in range(200):
    y_pred = a + b * x + c * x ** 2 + d * x ** 3
    loss = (y_pred - y).pow(2).sum()
    if t % 50 == 49:
        print(t, round(loss.item(), 2))
    loss.backward()
    with torch.no_grad():
        a -= learning_rate * a.grad
        b -= learning_rate * b.grad
        c -= learning_rate * c.grad
        d -= learning_rate * d.grad
        a.grad = None
        b.grad = None
        c.grad = None
        d.grad = None
print(f'Result: y = {a.item():.4f} + {b.item():.4f} x + {c.item():.4f} x^2 + {d.item():.4f} x^3')
"""


@pytest.mark.parametrize(
    "program",
    [BLITZ, AUTOGRADQS, D2L, POLYNOMIAL],
    ids=["blitz", "autogradqs", "d2l", "polynomial"],
)
@pytest.mark.usefixtures("torch")
def test_a_tutorial_prints_what_pytorch_prints(program):
    assert same_output(program).count("\n") >= 5


def test_karpathys_lecture_backpropagates_by_hand_with_underscore_backward():
    """nn-zero-to-hero's micrograd lecture: o._backward() node by node, then the numbers he shows."""
    from micrograd import Value

    x1, x2, w1, w2 = (
        Value(2.0, label="x1"),
        Value(0.0, label="x2"),
        Value(-3.0, label="w1"),
        Value(1.0, label="w2"),
    )
    b = Value(6.8813735870195432, label="b")
    x1w1, x2w2 = x1 * w1, x2 * w2
    n = x1w1 + x2w2 + b
    o = n.tanh()
    o.grad = 1.0
    for v in (o, n, n._prev[0], n._prev[1], x1w1, x2w2, b, x1):  # his order; a leaf's does nothing
        v._backward()
    assert [round(v.grad, 6) for v in (n, x1, w1, x2, w2)] == [0.5, -1.5, 1.0, 0.5, 0.0]
    again = [Value(2.0), Value(0.0), Value(-3.0), Value(1.0)]
    out = (again[0] * again[2] + again[1] * again[3] + 6.8813735870195432).tanh()
    out.backward()
    assert [v.grad for v in again] == pytest.approx([x1.grad, x2.grad, w1.grad, w2.grad])


@pytest.mark.usefixtures("torch")
def test_devices_are_the_cpu_and_accelerators_are_not_supported():
    same_output("""
        import torch
        device = "cuda" if torch.cuda.is_available() else "cpu"
        x = torch.ones(2, device=device)
        print(device, x.device, repr(torch.device("cpu")), x.to("cpu").device, torch.cuda.is_available())
        print(torch.zeros(2, device=torch.device("cpu")), x.cpu(), torch.device("cpu") == torch.device("cpu:0"))
    """)
    for ask in (
        lambda: micrograd.device("cuda"),
        lambda: micrograd.ones(2).to("cuda:0"),
        lambda: micrograd.ones(2).cuda(),
        lambda: micrograd.zeros(2, device="mps"),
        lambda: micrograd.cuda.synchronize(),
    ):
        with pytest.raises(micrograd.NotSupported, match="CPU only"):
            ask()


@pytest.mark.usefixtures("torch")
def test_new_names_print_what_pytorch_prints():
    same_output("""
        import torch
        m = torch.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0], [7.0, 8.0, 9.5]], requires_grad=True)
        v = torch.tensor([1.0, -2.0], requires_grad=True)
        print(torch.diag(m), m.diagonal(), m.diagonal(1), m.diagonal(-1), torch.diag(v), torch.diag(v, -1))
        print(m.movedim(0, 1), torch.movedim(m, 1, 0), v.expand_as(torch.ones(3, 2)))
        print(torch.allclose(m, m + 1e-9), torch.isclose(v, torch.tensor([1.0, -2.1])), v.allclose(v))
        print(torch.empty(2, 3).shape, torch.FloatTensor([1, 2]), torch.Tensor([[1, 2]]), torch.Tensor(2, 1).shape)
        print(torch.DoubleTensor([1.5]), torch.LongTensor([3, 4]), torch.autograd.Variable(torch.ones(2), requires_grad=True))
        p = torch.nn.Parameter(torch.ones(2))
        print(p, p.is_leaf, torch.nn.Parameter(torch.ones(1), requires_grad=False))
        (torch.diag(m).sum() + m.diagonal(1).sum() * 2 + torch.diag(v, 1).sum() * 3).backward()
        print(m.grad, v.grad)
        print(torch.zeros(3).uniform_(0, 0).sum(), torch.zeros(2).normal_(0, 0).sum())
        a = torch.ones(2, 3, 4, requires_grad=True)
        print((a @ torch.ones(4, 5)).shape, (a @ torch.ones(4)).shape, (torch.ones(4) @ torch.ones(2, 4, 5)).shape)
        print((a @ torch.ones(2, 4, 1)).grad_fn)
        nan = float("nan")
        print(torch.isclose(torch.tensor([nan, 1.0, 1e-9]), torch.tensor([nan, 1.00001, 0.0])),
              torch.isclose(torch.tensor([nan]), torch.tensor([nan]), equal_nan=True), torch.allclose(v, v + 0.01, atol=0.1))
    """)


@pytest.mark.parametrize(
    "left, right",
    [
        ((2, 3, 4), (4, 5)),
        ((2, 3, 4), (2, 4, 5)),
        ((4,), (2, 4, 5)),
        ((2, 3, 4), (4,)),
        ((5, 2, 3, 4), (4, 1)),
        ((3, 1, 2, 3), (2, 3, 2)),
    ],
)
@pytest.mark.usefixtures("torch")
def test_batched_matmul_values_and_gradients_match_pytorch(left, right):
    same_output(f"""
        import torch
        a = torch.randn({left}, requires_grad=True)
        b = torch.randn({right}, requires_grad=True)
        out = a @ b
        weights = torch.randn(tuple(out.shape))
        (out * weights).sum().backward()
        print(out.shape, [round(x, 4) for x in out.flatten().tolist()])
        print([round(x, 4) for x in a.grad.flatten().tolist()], [round(x, 4) for x in b.grad.flatten().tolist()])
    """)


@pytest.mark.usefixtures("torch")
def test_nn_functional_matches_pytorch_values_gradients_and_grad_fn_names():
    same_output("""
        import torch
        import torch.nn.functional as F
        x = torch.tensor([[0.5, -1.0, 2.0], [1.5, 0.0, -0.5]], requires_grad=True)
        t = torch.tensor([[0.0, 1.0, 0.5], [1.0, 0.0, 0.25]])
        labels = torch.tensor([2, 0])
        W = torch.tensor([[0.1, 0.2, -0.3], [0.5, -0.5, 0.25]], requires_grad=True)
        results = [F.linear(x, W), F.relu(x), F.sigmoid(x), F.tanh(x), F.softmax(x, dim=1), F.log_softmax(x, dim=0),
                   F.mse_loss(x, t), F.mse_loss(x, t, reduction="sum"), F.l1_loss(x, t), F.l1_loss(x, t, reduction="none"),
                   F.binary_cross_entropy(torch.sigmoid(x), t), F.binary_cross_entropy_with_logits(x, t),
                   F.cross_entropy(x, labels), F.cross_entropy(x, labels, reduction="none"),
                   F.nll_loss(F.log_softmax(x, dim=1), labels), torch.nn.MSELoss()(x, t), torch.nn.CrossEntropyLoss()(x, labels)]
        for k, r in enumerate(results):
            x.grad = None
            (r * (k + 1)).sum().backward()
            print(type(r.grad_fn).__name__, r.shape, [round(v, 4) for v in r.flatten().tolist()],
                  [round(g, 4) + 0.0 for g in x.grad.flatten().tolist()])     # + 0.0: relu's -0.0 gradient is 0.0
    """)


@pytest.mark.usefixtures("torch")
def test_autograd_functional_and_func_transforms_match_pytorch():
    same_output("""
        import torch
        from torch.autograd.functional import hessian, hvp, jacobian, jvp, vhp, vjp
        def f(x, y):
            return (x ** 2 * y).sum() + (x * y).exp().sum()
        def g(x):
            return x.sin() * x.sum()
        x, y, v = torch.tensor([1.0, 2.0]), torch.tensor([0.5, -1.0]), torch.tensor([1.0, -2.0])
        print(jacobian(g, x), jacobian(f, (x, y)), jacobian(g, x, strategy="forward-mode", vectorize=True))
        print(hessian(f, (x, y)), hessian(lambda x: (x ** 3).sum(), x))
        print(vjp(g, x, v), jvp(g, x, v), hvp(f, (x, y), (v, v)), vhp(lambda x: (x ** 3).sum(), x, v))
        print(vjp(lambda x: (x ** 2).sum(), x), jvp(lambda x: x ** 3, torch.tensor(2.0)))
        print(jacobian(g, x).requires_grad)
        batch = torch.tensor([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
        print(torch.func.vmap(lambda r: (r ** 2).sum())(batch), torch.func.vmap(torch.dot, in_dims=(0, None))(batch, v))
        print(torch.func.vmap(torch.func.grad(lambda r: (r ** 3).sum()))(batch))
        print(torch.func.vmap(lambda r: r * 2, in_dims=1, out_dims=1)(batch))
        gradient, aux = torch.func.grad(lambda x: ((x ** 2).sum(), x.detach() * 7), has_aux=True)(x)
        print(gradient, aux)
        jac, aux = torch.func.jacrev(lambda x: (x ** 2, x.detach() + 1), has_aux=True)(x)
        print(jac, aux)
        out, fn, aux = torch.func.vjp(lambda x: (x.exp(), x.detach()), x, has_aux=True)
        print(fn(v), aux)
        net = torch.nn.Linear(2, 1)
        params = {"weight": torch.tensor([[1.0, -1.0]]), "bias": torch.tensor([0.5])}
        print(torch.func.functional_call(net, params, (batch,)))
    """)


@pytest.mark.usefixtures("torch")
def test_zero_grad_set_to_none_false_keeps_zero_tensors_as_in_pytorch():
    same_output("""
        import torch
        net = torch.nn.Linear(2, 1)
        opt = torch.optim.SGD(net.parameters(), lr=0.1)
        net(torch.ones(1, 2)).sum().backward()
        opt.zero_grad(set_to_none=False)
        print(net.weight.grad, net.bias.grad)
        net.zero_grad()
        print(net.weight.grad)
    """)


@pytest.mark.parametrize(
    "statement",
    [
        "micrograd.no_such_thing",
        "micrograd.nn.Conv3d",
        "micrograd.nn.functional.conv3d",
        "micrograd.autograd.profilerx",
        "micrograd.autograd.functional.no_such",
        "__import__('micrograd.nn.functional', fromlist=['grid_sample']).grid_sample",
    ],
)
def test_a_missing_pytorch_name_raises_not_supported(statement):
    with pytest.raises(micrograd.NotSupported, match="not supported"):
        eval(statement)


def test_from_import_of_a_missing_name_raises_not_supported():
    namespace = {}
    for line in (
        "from micrograd import fft",
        "from micrograd.nn import Conv3d",
        "from micrograd.nn.functional import grid_sample",
        "from micrograd.autograd import profilerx",
    ):
        with pytest.raises(micrograd.NotSupported):
            exec(line, namespace)
