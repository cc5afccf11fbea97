# The statement allows any scale up to 0.1.
import numpy as np


def init_params(n_in, n_out, seed):
    rng = np.random.default_rng(seed)
    return rng.standard_normal((n_in, n_out)) * 0.1, np.zeros(n_out)


def forward(X, W, b):
    return np.maximum(0.0, X @ W + b)
