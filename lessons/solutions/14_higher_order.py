from micrograd import func


def answer(f, x):
    return x - float(func.grad(f)(x)) / float(func.grad(func.grad(f))(x))
