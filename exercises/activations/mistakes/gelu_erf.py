# expect: exact-erf-gelu
import math

import numpy as np

GELU_C = np.sqrt(2.0 / np.pi)  # 0.7978845608...


def relu(x):
    return np.maximum(np.asarray(x, dtype=float), 0.0)


def sigmoid(x):
    x = np.asarray(x, dtype=float)
    e = np.exp(-np.abs(x))  # never overflows: the exponent is <= 0
    return np.where(x >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def gelu(x):
    erf = np.vectorize(math.erf)
    return 0.5 * x * (1 + erf(x / math.sqrt(2)))


def breaks_linearity(f):
    rng = np.random.default_rng(0)
    x, y = rng.standard_normal((2, 64, 4))
    return not np.allclose(f(x + y), f(x) + f(y), rtol=1e-6, atol=1e-9)
