def answer(y_pred, y):
    return ((y_pred - y) ** 2).mean()


def training_loop(w, b, xs, ys, lr, steps):
    from micrograd.optim import SGD
    optimizer = SGD([w, b], lr=lr)
    for _ in range(steps):
        loss = sum((w * x + b - y) ** 2 for x, y in zip(xs, ys)) / len(xs)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
