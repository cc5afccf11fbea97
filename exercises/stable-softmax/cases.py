"""Cases for stable-softmax: large magnitudes, any axis, batch dimensions."""

import numpy as np

from grader import diagnosis as dx
from grader.cases import Case


def _stable(x, axis):
    e = np.exp(x - np.max(x, axis=axis, keepdims=True))
    return e / np.sum(e, axis=axis, keepdims=True)


def build_cases(rng):
    far_apart = np.array([[1000.0, 999.0, 998.0], [-1000.0, -999.0, -1001.0]])
    return [
        Case("small vector", "softmax", (np.array([1.0, 2.0, 3.0]),)),
        Case(
            "scores near 1000",
            "softmax",
            (np.array([1000.0, 1000.0, 999.0]),),
            explain="exp(1000) overflows: subtract the maximum first.",
        ),
        Case("columns with axis=0", "softmax", (np.array([[1.0, 2.0], [3.0, 5.0]]),), {"axis": 0}),
        Case(
            "rows far apart",
            "softmax",
            (far_apart,),
            explain="Each row needs its own maximum: the second row is 2000 below the first.",
        ),
        Case(
            "hidden: batch x heads x T x T, last axis",
            "softmax",
            (rng.standard_normal((2, 3, 4, 4)) * 10,),
            visible=False,
        ),
        Case("hidden: 3-D along axis 1", "softmax", (rng.standard_normal((3, 5, 2)),), {"axis": 1}, visible=False),
        Case("hidden: very negative scores", "softmax", (np.array([[-1e4, -1e4 - 1, -1e4 + 2]]),), visible=False),
        Case("hidden: large spread", "softmax", (rng.standard_normal((4, 6)) * 500,), visible=False),
        Case("hidden: axis=-2", "softmax", (rng.standard_normal((2, 4, 3)) * 3,), {"axis": -2}, visible=False),
        Case("hidden: a single score", "softmax", (np.array([[42.0]]),), visible=False),
    ]


def _naive(x, axis=-1):
    """Softmax without the maximum subtracted: inf / inf and 0 / 0 where the scores are far from 0."""
    with np.errstate(all="ignore"):
        e = np.exp(np.asarray(x, float))
        return e / e.sum(axis=axis, keepdims=True)


def _global_max(x, axis=-1):
    """The maximum of the whole array subtracted: rows far below it underflow (to 0 / 0 = nan, or to
    a few denormal terms that are finite and wrong). What the mistake returns, exactly."""
    with np.errstate(all="ignore"):
        x = np.asarray(x, float)
        e = np.exp(x - np.max(x))
        return e / e.sum(axis=axis, keepdims=True)


def _whole_array(c, g, e, m):
    got = np.asarray(g, float)
    return (
        got.shape == np.shape(c.args[0])
        and bool(np.isclose(got.sum(), 1.0))
        and np.asarray(e).size > 1
        and not (np.isclose(np.asarray(e).sum(), 1.0))
    )


DIAGNOSES = [
    dx.alternative(
        "no-max-subtraction",
        "exp overflowed to inf (inf / inf = nan), or every term of a slice underflowed to 0 (0 / 0 = nan): "
        "subtract the maximum along the axis before exponentiating.",
        _naive,
    ),
    dx.alternative(
        "global-max",
        "The maximum was taken over the whole array: rows far below it underflow to 0 / 0. Take the maximum "
        "along the axis (keepdims=True).",
        _global_max,
    ),
    dx.wrong_axis(
        lambda other, x, axis=-1: _stable(np.asarray(x, float), other),
        message="The probabilities sum to 1 along a different axis: normalise along `axis`.",
    ),
    dx.when(
        "normalised-over-everything",
        "You divided by the sum of the whole array; each slice along `axis` must sum to 1 on its own.",
        _whole_array,
    ),
]
