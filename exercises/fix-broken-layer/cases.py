"""Cases for fix-broken-layer: one bug per group of cases, each with its diagnosis."""

import numpy as np

from grader import diagnosis as dx
from grader.cases import Case


def good_init(got, expected, case):
    n_in, n_out, _ = case.args
    if not (isinstance(got, tuple | list) and len(got) == 2):
        return "init_params must return a pair (W, b)."
    W, b = (np.asarray(x) for x in got)
    if W.shape != (n_in, n_out):
        return f"W must have shape ({n_in}, {n_out}), got {W.shape}."
    if b.shape != (n_out,):
        return f"b must have shape ({n_out},), got {b.shape}."
    if not np.all(np.isfinite(W)) or not np.any(W):
        return "W must be finite random values, not all zero."
    if float(np.std(W)) > 0.1:
        return f"W's standard deviation is {float(np.std(W)):.3g}; it must be at most 0.1."
    if np.any(b != 0):
        return "b must start as zeros."
    return None


def build_cases(rng):
    square = rng.standard_normal((3, 3))
    return [
        Case(
            "init: shapes for 4 -> 3",
            "init_params",
            (4, 3, 0),
            check=good_init,
            explain="W is (4, 3) and b has one zero per output unit: (3,).",
        ),
        Case(
            "init: scale of W",
            "init_params",
            (64, 32, 1),
            check=good_init,
            explain="Small weights: standard deviation at most 0.1.",
        ),
        Case(
            "forward: worked example",
            "forward",
            (np.array([[1.0, 2.0]]), np.eye(2), np.array([-1.5, 0.5])),
            explain="ReLU comes after the bias: the answer is [[0, 2.5]].",
        ),
        Case(
            "forward: non-square 5x4 @ 4x3",
            "forward",
            (rng.standard_normal((5, 4)), rng.standard_normal((4, 3)), rng.standard_normal(3)),
        ),
        Case(
            "forward: square 3x3",
            "forward",
            (square, rng.standard_normal((3, 3)), np.zeros(3)),
            explain="With square shapes X * W runs — and is still wrong.",
        ),
        Case("hidden: init 1 -> 1", "init_params", (1, 1, 7), check=good_init, visible=False),
        Case("hidden: init wide", "init_params", (10, 200, 3), check=good_init, visible=False),
        Case(
            "hidden: forward negative bias",
            "forward",
            (rng.standard_normal((6, 2)), rng.standard_normal((2, 4)), -np.abs(rng.standard_normal(4)) - 1),
            visible=False,
        ),
        Case(
            "hidden: forward square 4x4",
            "forward",
            (rng.standard_normal((4, 4)), rng.standard_normal((4, 4)), rng.standard_normal(4)),
            visible=False,
        ),
    ]


def _bias_shape(c, g, e, m):
    return c.entry == "init_params" and isinstance(g, tuple) and np.asarray(g[1]).shape != (c.args[1],)


def _unscaled(c, g, e, m):
    return c.entry == "init_params" and isinstance(g, tuple) and float(np.std(np.asarray(g[0]))) > 0.3


DIAGNOSES = [
    dx.when(
        "bias-per-sample", "b must have one entry per output unit (n_out), not per input or per example.", _bias_shape
    ),
    dx.when(
        "weights-not-scaled",
        "The initial weights are not scaled down: multiply the standard normal draws by a small factor such as 0.01.",
        _unscaled,
    ),
    dx.alternative(
        "activation-before-bias",
        "ReLU was applied before adding the bias: compute X @ W + b first, then ReLU.",
        lambda X, W, b: np.maximum(0.0, X @ W) + b,
        entry="forward",
    ),
    dx.alternative(
        "elementwise-product",
        "X * W multiplies entries pairwise; a layer needs the matrix product X @ W.",
        lambda X, W, b: np.maximum(0.0, X * W + b),
        entry="forward",
    ),
    dx.raised(
        "elementwise-product",
        "X * W multiplies entries pairwise; a layer needs the matrix product X @ W.",
        "ValueError",
        contains="broadcast",
        entry="forward",
    ),
]
