"""Cases for rotary-embedding: the "rotate half" convention, any batch shape, and its two properties."""

import numpy as np

from grader import diagnosis as dx
from grader.cases import Case
from grader.compare import Tolerance, compare

RULES = Tolerance(rtol=1e-6, atol=1e-8)


def _rotate(x, angles, pairs="half", swap=False):
    """Rotate feature pairs of x (..., T, d) by angles (T, d/2): the right answer and its mistaken relatives."""
    x = np.asarray(x, dtype=float)
    half = x.shape[-1] // 2
    cos, sin = np.cos(angles), np.sin(angles)
    if swap:
        cos, sin = sin, cos
    if pairs == "half":
        first, second = x[..., :half], x[..., half:]
    else:  # adjacent: (0, 1), (2, 3), ...
        first, second = x[..., 0::2], x[..., 1::2]
    a, b = first * cos - second * sin, first * sin + second * cos
    if pairs == "half":
        return np.concatenate([a, b], axis=-1)
    out = np.empty_like(x)
    out[..., 0::2], out[..., 1::2] = a, b
    return out


def _angles(x, positions, base, exponent=2.0, by_position=True):
    d = np.shape(x)[-1]
    inv_freq = float(base) ** (-exponent * np.arange(d // 2) / d)
    scale = np.asarray(positions, dtype=float)[:, None] if by_position else np.ones((len(positions), 1))
    return scale * inv_freq


def _norms_preserved(got, expected, case):
    """The learner's vectors keep their lengths (a rotation), then the values themselves."""
    x = np.asarray(case.args[0], float)
    try:
        g = np.asarray(got, float)
    except (TypeError, ValueError):
        return compare(got, expected, RULES)
    if g.shape == x.shape and not np.allclose(np.linalg.norm(g, axis=-1), np.linalg.norm(x, axis=-1), rtol=1e-6):
        return "The lengths of the vectors changed: each feature pair must be rotated, which keeps its length."
    return compare(got, expected, RULES)


def _relative(got, expected, case):
    """<rope(q, m), rope(k, n)> depends only on m - n: rows 0 and 1 of x hold q and k at every position."""
    positions = np.asarray(case.args[1])
    try:
        g = np.asarray(got, float)
    except (TypeError, ValueError):
        return compare(got, expected, RULES)
    if g.shape == np.shape(case.args[0]):
        gram = g[0] @ g[1].T  # gram[i, j] = <rope(q, p_i), rope(k, p_j)>
        offsets = positions[:, None] - positions[None, :]
        for offset in np.unique(offsets):
            same = gram[offsets == offset]
            if not np.allclose(same, same[0], rtol=1e-6, atol=1e-8):
                return (
                    f"<rope(q, m), rope(k, n)> should depend only on m - n, but for m - n = {offset} it takes "
                    f"values from {same.min():.6g} to {same.max():.6g}."
                )
    return compare(got, expected, RULES)


def build_cases(rng):
    n = rng.standard_normal
    worked = np.array([[1.0, 0.0, 0.0, 1.0]] * 3)
    q, k = n(8), n(8)
    positions = np.array([0, 1, 2, 3, 50, 51, 52, 53])
    pair = np.stack([np.tile(q, (len(positions), 1)), np.tile(k, (len(positions), 1))])
    return [
        Case(
            "worked example: d = 4, positions 0, 1, 2",
            "rope",
            (worked, np.array([0, 1, 2])),
            explain="Features 0 and 2 turn by 1 radian per position, features 1 and 3 by 0.01.",
        ),
        Case("T = 5, d = 8", "rope", (n((5, 8)), np.arange(5))),
        Case(
            "lengths are preserved",
            "rope",
            (n((3, 6, 16)) * 3.0, np.array([0, 7, 19, 100, 1000, 4095])),
            check=_norms_preserved,
            explain="A rotation never changes a vector's length.",
        ),
        Case(
            "scores depend only on the offset m - n",
            "rope",
            (pair, positions),
            check=_relative,
            explain="Row 0 is the same query q at every position, row 1 the same key k.",
        ),
        Case("hidden: batch x heads x T x d", "rope", (n((2, 3, 5, 8)), np.arange(5)), visible=False),
        Case("hidden: positions far from 0", "rope", (n((4, 32)), np.array([1000, 1001, 2048, 4095])), visible=False),
        Case("hidden: base = 500", "rope", (n((6, 12)), np.arange(6)), {"base": 500.0}, visible=False),
        Case("hidden: d = 2", "rope", (n((2, 4, 2)), np.array([3, 1, 4, 1])), visible=False),
        Case("hidden: d = 64, one position", "rope", (n((1, 64)), np.array([9])), visible=False),
    ]


def _adjacent(x, positions, base=10000.0):
    return _rotate(x, _angles(x, positions, base), pairs="adjacent")


def _exponent_i(x, positions, base=10000.0):
    return _rotate(x, _angles(x, positions, base, exponent=1.0))


def _unscaled(x, positions, base=10000.0):
    return _rotate(x, _angles(x, positions, base, by_position=False))


def _swapped(x, positions, base=10000.0):
    return _rotate(x, _angles(x, positions, base), swap=True)


DIAGNOSES = [
    dx.alternative(
        "adjacent-pairs",
        'You rotated adjacent features (0, 1), (2, 3), ... together. This exercise uses the "rotate half" '
        "convention: feature i pairs with feature i + d/2.",
        _adjacent,
    ),
    dx.alternative(
        "exponent-i-over-d",
        "The frequencies fall too slowly: pair i turns by position * base**(-2i/d), with 2i in the exponent, not i.",
        _exponent_i,
    ),
    dx.alternative(
        "angles-not-scaled-by-position",
        "Every position got the same rotation: the angle of pair i is the position times base**(-2i/d).",
        _unscaled,
    ),
    dx.alternative(
        "sin-cos-swapped",
        "sin and cos are exchanged: a pair (a, b) becomes (a cos θ - b sin θ, a sin θ + b cos θ).",
        _swapped,
    ),
]
