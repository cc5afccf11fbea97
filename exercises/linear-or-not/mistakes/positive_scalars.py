# expect: positive-scaling-only
# also: homogeneous-is-not-linear
# Only checks homogeneity, and only with a positive scalar.
import numpy as np


def collapse(weights):
    result = weights[0]
    for W in weights[1:]:
        result = result @ W
    return result


def is_linear(f, dim, seed):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal(dim)
    scale = max(1.0, float(np.abs(f(x)).max()))
    return bool(np.allclose(f(2.5 * x), 2.5 * f(x), rtol=1e-6, atol=1e-9 * scale))
