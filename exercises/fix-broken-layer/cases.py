"""Cases for fix-broken-layer: one bug per group of cases, each with its diagnosis."""

import numpy as np

from grader import diagnosis as dx
from grader.cases import Case

SMALLEST_SCALE = 1e-3  # below this, activations vanish layer after layer


def largest_scale(n_in: int) -> float:
    """0.1, or He's sqrt(2 / n_in) where that is larger: both keep activations from exploding."""
    return max(0.1, float(np.sqrt(2.0 / n_in)))


def seeded_draws(n_in: int, n_out: int, seed: int) -> np.ndarray:
    return np.random.default_rng(seed).standard_normal((n_in, n_out))


def scale_of(W, case) -> float | None:
    """sigma when W = sigma * (the seeded standard normal draws), else None."""
    Z = seeded_draws(*case.args)
    sigma = float(np.sum(W * Z) / np.sum(Z * Z))
    return sigma if sigma > 0 and np.allclose(W, sigma * Z, rtol=1e-6, atol=1e-12) else None


def good_init(got, expected, case):
    n_in, n_out, seed = case.args
    if not (isinstance(got, tuple | list) and len(got) == 2):
        return "init_params must return a pair (W, b)."
    W, b = (np.asarray(x) for x in got)
    if W.shape != (n_in, n_out):
        return (
            f"W must have shape (n_in, n_out) = ({n_in}, {n_out}), got {W.shape}."
            if case.visible
            else "W must have shape (n_in, n_out)."
        )
    if b.shape != (n_out,):
        return (
            f"b must have shape (n_out,) = ({n_out},), got {b.shape}."
            if case.visible
            else "b must have shape (n_out,)."
        )
    if not np.all(np.isfinite(W)) or not np.any(W):
        return "W must be finite random values, not all zero."
    if np.any(b != 0):
        return "b must start as zeros."
    sigma = scale_of(W, case)
    if sigma is None:
        return (
            "W is not a scaled draw of np.random.default_rng(seed).standard_normal((n_in, n_out)): "
            "the same seed must give the same W."
        )
    if sigma > largest_scale(n_in) * (1 + 1e-9):
        if not case.visible:  # a hidden case names no sizes
            return "W is scaled up too much: at most 0.1, or He's √(2 / n_in)."
        return f"W is scaled by {sigma:.3g}: too large for {n_in} inputs (at most {largest_scale(n_in):.3g})."
    if sigma < SMALLEST_SCALE * (1 - 1e-9):
        return f"W is scaled by {sigma:.3g}: so small that activations vanish (at least {SMALLEST_SCALE:g})."
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
            explain="Small weights: scaled by at most 0.1 (or He's √(2/64) ≈ 0.18), and by at least 0.001.",
        ),
        Case(
            "init: the seed decides W",
            "init_params",
            (5, 2, 42),
            check=good_init,
            explain="W is σ times rng.standard_normal((5, 2)) with rng = np.random.default_rng(42).",
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
        Case("hidden: init 256 -> 128", "init_params", (256, 128, 7), check=good_init, visible=False),
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


def _init_pair(g):
    return isinstance(g, tuple | list) and len(g) == 2


def _bias_shape(c, g, e, m):
    return _init_pair(g) and np.asarray(g[1]).shape != (c.args[1],)


def _scale_is(outside):
    def test(c, g, e, m):
        if not _init_pair(g) or np.asarray(g[0]).shape != c.args[:2]:
            return False
        sigma = scale_of(np.asarray(g[0], float), c)
        return sigma is not None and outside(sigma, c.args[0])

    return test


def _unseeded(c, g, e, m):
    if not _init_pair(g) or np.asarray(g[0]).shape != c.args[:2] or not np.any(g[0]):
        return False
    return scale_of(np.asarray(g[0], float), c) is None


DIAGNOSES = [
    dx.when(
        "bias-per-sample",
        "b must have one entry per output unit (n_out), not per input or per example.",
        _bias_shape,
        entry="init_params",
    ),
    dx.when(
        "weights-not-scaled",
        "The initial weights are too large, so activations grow layer after layer: multiply the standard "
        "normal draws by a small factor (0.01 as in the lesson, or He's √(2 / n_in)).",
        _scale_is(lambda sigma, n_in: sigma > largest_scale(n_in) * (1 + 1e-9)),
        entry="init_params",
    ),
    dx.when(
        "weights-vanish",
        "The initial weights are so small that activations shrink towards zero layer after layer: scale "
        "the draws by something like 0.01, not less than 0.001.",
        _scale_is(lambda sigma, n_in: sigma < SMALLEST_SCALE * (1 - 1e-9)),
        entry="init_params",
    ),
    dx.when(
        "seed-not-used",
        "W does not come from np.random.default_rng(seed): draw it with that generator "
        "(rng.standard_normal((n_in, n_out)) times a scale), so the same seed gives the same W.",
        _unseeded,
        entry="init_params",
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
        mistake=lambda X, W, b: np.asarray(X) * np.asarray(W),
    ),
]
