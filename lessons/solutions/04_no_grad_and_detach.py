import micrograd as torch


def answer(w, lr):
    with torch.no_grad():
        w -= lr * w.grad
