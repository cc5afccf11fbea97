"""Cases for linear-or-not: collapsing stacks, and probing black-box maps."""

import numpy as np

from grader import diagnosis as dx
from grader.cases import Case, FixtureArg


def exact_bool(got, expected, case):
    value = bool(got) if isinstance(got, bool | np.ndarray) and np.asarray(got).shape == () else None
    if value is None:
        return f"Return True or False, not {type(got).__name__}."
    return None if value == bool(expected) else f"This map is {'linear' if expected else 'not linear'}."


def build_cases(rng):
    def stack(*dims):
        return [rng.standard_normal((a, b)) for a, b in zip(dims[:-1], dims[1:])]

    W = rng.standard_normal((4, 3))
    probes = [
        ("linear map x @ W", FixtureArg("linear", {"W": W}), 4, True, True),
        ("affine map x @ W + b", FixtureArg("affine", {"W": W, "b": rng.standard_normal(3)}), 4, False, True),
        ("ReLU layer", FixtureArg("relu_layer", {"W": W}), 4, False, True),
        (
            "hidden: linear with huge weights",
            FixtureArg("linear", {"W": rng.standard_normal((6, 2)) * 1e6}),
            6,
            True,
            False,
        ),
        ("hidden: absolute value", FixtureArg("abs", {"W": rng.standard_normal((5, 5))}), 5, False, False),
        ("hidden: squared", FixtureArg("squared", {"W": rng.standard_normal((3, 2))}), 3, False, False),
        ("hidden: small bias", FixtureArg("affine", {"W": W, "b": np.full(3, 1e-3)}), 4, False, False),
        ("hidden: identity in 1-D", FixtureArg("linear", {"W": np.eye(1)}), 1, True, False),
        (
            "nearly linear: odd and f(0) = 0",
            FixtureArg("nearly_linear", {"W": W, "eps": 1e-3}),
            4,
            False,
            True,
        ),
        (
            "hidden: homogeneous but not additive",
            FixtureArg("homogeneous", {"W": rng.standard_normal((3, 3)), "V": rng.standard_normal((3, 3))}),
            3,
            False,
            False,
        ),
        (
            "hidden: nearly linear, large outputs",
            FixtureArg("nearly_linear", {"W": rng.standard_normal((5, 4)) * 1e3, "eps": 10.0}),
            5,
            False,
            False,
        ),
    ]
    cases = [
        Case(
            "collapse: lesson example",
            "collapse",
            ([np.array([[1.0, 2.0], [0.0, 1.0]]), np.array([[3.0], [1.0]])],),
            explain="W1 @ W2 = [[5], [1]].",
        ),
        Case("collapse: 4 -> 64 -> 32 -> 1", "collapse", (stack(4, 64, 32, 1),)),
        Case(
            "collapse: square stack",
            "collapse",
            (stack(3, 3, 3, 3),),
            explain="With square matrices, the wrong order still has the right shape.",
        ),
        Case("hidden: collapse single matrix", "collapse", (stack(5, 2),), visible=False),
        Case("hidden: collapse wide then narrow", "collapse", (stack(2, 50, 2, 7),), visible=False),
    ]
    cases += [
        Case(name, "is_linear", (fixture, dim, 1234), visible=visible, check=exact_bool)
        for name, fixture, dim, _, visible in probes
    ]
    return cases


def _reversed_product(weights):
    result = np.asarray(weights[-1], float)
    for W in reversed(weights[:-1]):
        result = result @ np.asarray(W, float)
    return result


def _called_linear(kinds):
    def test(c, g, e, m):
        return c.entry == "is_linear" and c.args[0].name in kinds and bool(np.asarray(g)) and not e

    return test


def _large_outputs(fixture) -> bool:
    """Round-off can matter only where the map's outputs are large."""
    return float(np.max(np.abs(fixture.kwargs["W"]))) > 1e3


def _linear_called_nonlinear(round_off: bool):
    def test(c, g, e, m):
        return c.entry == "is_linear" and bool(e) and not bool(np.asarray(g)) and _large_outputs(c.args[0]) == round_off

    return test


DIAGNOSES = [
    dx.alternative(
        "reversed-order",
        "The product is in the wrong order: x @ W1 @ W2 means W1 first, so the collapse is W1 @ W2 @ ...",
        _reversed_product,
        entry="collapse",
    ),
    dx.raised(
        "reversed-order",
        "The product is in the wrong order: multiply W1 @ W2 @ ... from the left.",
        "ValueError",
        contains="matmul",
        entry="collapse",
        mistake=_reversed_product,
        same_message=True,
    ),
    dx.when(
        "affine-called-linear",
        "A map with a bias is affine, not linear: f(0) = b is not 0, and f(x + y) = f(x) + f(y) fails by b.",
        _called_linear({"affine"}),
    ),
    dx.when(
        "positive-scaling-only",
        "This map passes f(ax) = a f(x) for a > 0 but not for negative a (or not additivity): test "
        "negative scalars and sums too.",
        _called_linear({"relu_layer", "abs"}),
    ),
    dx.when(
        "odd-is-not-linear",
        "This map sends 0 to 0 and -x to -f(x), yet it is not linear (it adds a small odd wobble): test "
        "additivity, f(x + y) = f(x) + f(y), with a tolerance relative to the outputs' size — a looser "
        "tolerance, or checking only f(0) and f(-x), misses it.",
        _called_linear({"nearly_linear"}),
    ),
    dx.when(
        "homogeneous-is-not-linear",
        "This map satisfies f(ax) = a f(x) for every a, negative ones too, yet it is not linear: test "
        "additivity, f(x + y) = f(x) + f(y), as well.",
        _called_linear({"homogeneous"}),
    ),
    dx.when(
        "squared-called-linear",
        "This map is quadratic: f(-x) = f(x) and f(2x) = 4 f(x). Test homogeneity with negative scalars "
        "and additivity.",
        _called_linear({"squared"}),
    ),
    dx.when(
        "absolute-tolerance",
        "A linear map with outputs in the thousands or more was called non-linear. If your test passes "
        "ordinary linear maps, round-off is the cause: it grows with the size of the outputs, so compare "
        "with a tolerance relative to them.",
        _linear_called_nonlinear(round_off=True),
    ),
    dx.when(
        "linear-called-nonlinear",
        "This map is linear (x @ W), and your test refused it: with outputs of ordinary size this is not "
        "round-off. Check that you compare f(x + y) with f(x) + f(y) and f(ax) with a·f(x) — same inputs, "
        "same scalar on both sides.",
        _linear_called_nonlinear(round_off=False),
    ),
]
