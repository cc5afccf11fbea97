# expect: affine-called-linear
# Measures changes relative to f(0), which hides a constant bias.
import numpy as np


def collapse(weights):
    result = weights[0]
    for W in weights[1:]:
        result = result @ W
    return result


def is_linear(f, dim, seed):
    rng = np.random.default_rng(seed)
    x, y = rng.standard_normal(dim), rng.standard_normal(dim)
    zero = f(np.zeros(dim))
    g = lambda v: f(v) - zero
    scale = max(1.0, float(np.abs(f(x)).max()))
    return bool(
        np.allclose(g(x + y), g(x) + g(y), rtol=1e-6, atol=1e-9 * scale)
        and np.allclose(g(-2 * x), -2 * g(x), rtol=1e-6, atol=1e-9 * scale)
    )
