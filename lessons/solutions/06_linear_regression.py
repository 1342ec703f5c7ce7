def answer(y_pred, y):
    return ((y_pred - y) ** 2).mean()
