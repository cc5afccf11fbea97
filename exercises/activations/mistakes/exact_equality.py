# expect: exact-equality
import numpy as np

GELU_C = np.sqrt(2.0 / np.pi)  # 0.7978845608...


def relu(x):
    return np.maximum(np.asarray(x, dtype=float), 0.0)


def sigmoid(x):
    x = np.asarray(x, dtype=float)
    e = np.exp(-np.abs(x))  # never overflows: the exponent is <= 0
    return np.where(x >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def gelu(x):
    x = np.asarray(x, dtype=float)
    return 0.5 * x * (1.0 + np.tanh(GELU_C * (x + 0.044715 * x**3)))


def breaks_linearity(f):
    x, y = np.random.default_rng(1).standard_normal((2, 10, 4))
    return bool(np.any(f(x + y) != f(x) + f(y)))
