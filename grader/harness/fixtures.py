"""Callables that a case may pass to a learner's function.

Some entry points take a function as an argument (``is_linear(f, dim, seed)``).
Functions cannot travel as data, so the job names one of these builders and
its parameters, and the harness builds the function inside the sandbox.
"""

from __future__ import annotations

import numpy as np

# Saved before the runner patches forbidden names, so fixtures keep working.
_matmul = np.matmul


def linear(W):
    """x -> x @ W (a linear map)."""
    return lambda x: _matmul(np.asarray(x, dtype=float), W)


def affine(W, b):
    """x -> x @ W + b (linear only when b is zero)."""
    return lambda x: _matmul(np.asarray(x, dtype=float), W) + b


def relu_layer(W):
    """x -> max(0, x @ W) (not linear)."""
    return lambda x: np.maximum(0.0, _matmul(np.asarray(x, dtype=float), W))


def squared(W):
    """x -> (x @ W) ** 2 (homogeneous of degree two, not linear)."""
    return lambda x: _matmul(np.asarray(x, dtype=float), W) ** 2


def abs_map(W):
    """x -> |x @ W| (positively homogeneous, not additive)."""
    return lambda x: np.abs(_matmul(np.asarray(x, dtype=float), W))


def nearly_linear(W, eps):
    """x -> x @ W + eps * sin(x).sum() (linear up to a small wobble)."""
    return lambda x: _matmul(np.asarray(x, dtype=float), W) + eps * np.sin(np.asarray(x)).sum()


def homogeneous(W, V):
    """x -> cbrt((x @ W)**3 + (x @ V)**3): f(ax) = a f(x) for every a, f(0) = 0, yet not additive."""
    return lambda x: np.cbrt(_matmul(np.asarray(x, dtype=float), W) ** 3 + _matmul(np.asarray(x, dtype=float), V) ** 3)


def read_only(array):
    """The array itself, write-protected: a function that must not modify its input fails loudly."""
    frozen = np.array(array, copy=True)
    frozen.flags.writeable = False
    return frozen


BUILDERS = {
    "read_only": read_only,
    "homogeneous": homogeneous,
    "linear": linear,
    "affine": affine,
    "relu_layer": relu_layer,
    "squared": squared,
    "abs": abs_map,
    "nearly_linear": nearly_linear,
}


def build(name: str, **kwargs):
    if name not in BUILDERS:
        raise ValueError(f"unknown fixture {name!r}")
    return BUILDERS[name](**kwargs)
