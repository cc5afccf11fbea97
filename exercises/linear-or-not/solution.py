import numpy as np


def collapse(weights):
    result = np.asarray(weights[0], dtype=float)
    for W in weights[1:]:
        result = result @ np.asarray(W, dtype=float)
    return result


def _close(a, b, scale):
    return np.allclose(a, b, rtol=1e-6, atol=1e-9 * scale)


def is_linear(f, dim, seed):
    rng = np.random.default_rng(seed)
    for _ in range(5):
        x, y = rng.standard_normal(dim), rng.standard_normal(dim)
        a = rng.uniform(-3, 3)
        fx, fy = np.asarray(f(x), float), np.asarray(f(y), float)
        scale = max(1.0, float(np.max(np.abs(fx))), float(np.max(np.abs(fy))))
        if not _close(f(x + y), fx + fy, scale):
            return False
        if not _close(f(a * x), a * fx, scale) or not _close(f(-x), -fx, scale):
            return False
    return True
