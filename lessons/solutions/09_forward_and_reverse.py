from micrograd import func, tensor


def answer(f, x, j):
    basis = tensor([1.0 if k == j else 0.0 for k in range(x.numel())])
    _, column = func.jvp(f, (x,), (basis,))
    return column
