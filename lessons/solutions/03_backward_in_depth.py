from micrograd import Value, autograd


def answer(f, x0):
    x = Value(x0)
    (first,) = autograd.grad(f(x), x, create_graph=True)
    (second,) = autograd.grad(first, x)
    return second
