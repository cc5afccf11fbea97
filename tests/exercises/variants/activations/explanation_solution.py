# The explanation's own solution: np.power, np.allclose with its default tolerances, another seed.
import numpy as np


def relu(x):
    return np.maximum(x, 0.0)


def sigmoid(x):
    x = np.asarray(x, dtype=float)
    e = np.exp(-np.abs(x))
    return np.where(x >= 0, 1 / (1 + e), e / (1 + e))


def gelu(x):
    inner = np.sqrt(2 / np.pi) * (x + 0.044715 * np.power(x, 3))
    return 0.5 * x * (1 + np.tanh(inner))


def breaks_linearity(f):
    x, y = np.random.default_rng(7).normal(size=(2, 100, 4))
    return not np.allclose(f(x + y), f(x) + f(y))
