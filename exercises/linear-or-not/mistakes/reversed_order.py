# expect: reversed-order
import numpy as np


def collapse(weights):
    result = weights[-1]
    for W in reversed(weights[:-1]):
        result = result @ W
    return result


def is_linear(f, dim, seed):
    rng = np.random.default_rng(seed)
    x, y, a = rng.standard_normal(dim), rng.standard_normal(dim), -1.7
    scale = max(1.0, float(np.abs(f(x)).max()))
    return bool(
        np.allclose(f(x + y), f(x) + f(y), atol=1e-9 * scale) and np.allclose(f(a * x), a * f(x), atol=1e-9 * scale)
    )
