# The textbook 1 / (1 + exp(-x)): exp(1000) overflows to inf (with a warning), and 1 / inf is 0, which is right.
import numpy as np


def relu(x):
    return np.where(x > 0, x, 0.0)


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


def gelu(x):
    return 0.5 * x * (1 + np.tanh(0.7978845608028654 * (x + 0.044715 * x**3)))


def breaks_linearity(f):
    rng = np.random.default_rng(123)
    for _ in range(5):
        x, y = rng.standard_normal((2, 4)), rng.standard_normal((2, 4))
        if not np.allclose(f(x + y), f(x) + f(y)):
            return True
    return False
