def answer(a, b, c):
    return (a + b) * c
