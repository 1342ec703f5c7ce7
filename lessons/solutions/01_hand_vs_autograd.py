import math


def answer(x):
    return 3 * x * x * math.sin(x) + x ** 3 * math.cos(x)      # (uv)' = u'v + uv'
