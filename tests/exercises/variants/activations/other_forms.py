# Equivalent forms: a mask for ReLU, sigmoid through tanh, GELU as x * sigmoid(2z), a max-error test.
import math

import numpy as np


def relu(x):
    return x * (x > 0)


def sigmoid(x):
    return 0.5 * (1.0 + np.tanh(0.5 * np.asarray(x, dtype=float)))


def gelu(x):
    z = math.sqrt(2 / math.pi) * (x + 0.044715 * x * x * x)
    return x * sigmoid(2 * z)


def breaks_linearity(f):
    rng = np.random.default_rng()
    x = rng.uniform(-5, 5, size=(32, 4))
    y = rng.uniform(-5, 5, size=(32, 4))
    left, right = f(x + y), f(x) + f(y)
    return bool(np.max(np.abs(left - right)) > 1e-6 * (1 + np.max(np.abs(right))))
