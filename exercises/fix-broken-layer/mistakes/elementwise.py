# expect: elementwise-product
# Fixes every bug of the starter but one.
import numpy as np


def init_params(n_in, n_out, seed):
    rng = np.random.default_rng(seed)
    W = rng.standard_normal((n_in, n_out)) * 0.01
    b = np.zeros(n_out)
    return W, b


def forward(X, W, b):
    return np.maximum(0, X * W + b)
