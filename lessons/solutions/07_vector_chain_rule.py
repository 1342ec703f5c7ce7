def answer(X, w, y):
    residual = [sum(a * b for a, b in zip(row, w)) - t for row, t in zip(X, y)]
    return [2 * sum(X[i][j] * residual[i] for i in range(len(X))) for j in range(len(w))]
