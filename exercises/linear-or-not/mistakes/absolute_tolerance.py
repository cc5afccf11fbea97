# expect: absolute-tolerance
import numpy as np


def collapse(weights):
    result = weights[0]
    for W in weights[1:]:
        result = result @ W
    return result


def is_linear(f, dim, seed):
    rng = np.random.default_rng(seed)
    for _ in range(3):
        x, y, a = rng.standard_normal(dim), rng.standard_normal(dim), rng.uniform(-3, 3)
        if np.max(np.abs(f(x + y) - f(x) - f(y))) > 1e-12 or np.max(np.abs(f(a * x) - a * f(x))) > 1e-12:
            return False
    return True
