"""Cases for activations: three activation functions and a test of additivity."""

import math

import numpy as np

from grader import diagnosis as dx
from grader.cases import Case, FixtureArg
from grader.compare import Tolerance
from grader.harness import fixtures

GELU_C = math.sqrt(2.0 / math.pi)


def build_cases(rng):
    n = rng.standard_normal
    ramp = np.array([-3.0, -1.0, -0.5, 0.0, 0.5, 1.0, 3.0])
    eye = np.eye(4)
    return [
        Case("relu: a ramp", "relu", (ramp,), strict_dtype=True),
        Case(
            "relu: all negative",
            "relu",
            (np.array([[-2.5, -1.0], [-0.25, -7.0]]),),
            strict_dtype=True,
            explain="Float in, float out: the zeros are float64 too.",
        ),
        Case("sigmoid: a ramp", "sigmoid", (ramp,)),
        Case(
            "sigmoid: +-1000",
            "sigmoid",
            (np.array([-1000.0, -745.0, -30.0, 30.0, 710.0, 1000.0]),),
            explain="exp(1000) overflows float64: the answer must still be finite.",
        ),
        Case("gelu: a ramp", "gelu", (ramp,)),
        Case("gelu: a 3 x 4 batch", "gelu", (n((3, 4)) * 2.0,)),
        Case("breaks_linearity: a linear map", "breaks_linearity", (FixtureArg("linear", {"W": n((4, 3))}),)),
        Case("breaks_linearity: ReLU", "breaks_linearity", (FixtureArg("relu_layer", {"W": eye}),)),
        Case(
            "breaks_linearity: a bias",
            "breaks_linearity",
            (FixtureArg("affine", {"W": eye, "b": n(4)}),),
            explain="f(x + y) counts the bias once, f(x) + f(y) twice.",
        ),
        Case("hidden: relu of a 4-D batch", "relu", (n((2, 3, 4, 5)),), visible=False, strict_dtype=True),
        Case("hidden: relu of one number", "relu", (np.array(-3.5),), visible=False, strict_dtype=True),
        Case("hidden: sigmoid of a batch", "sigmoid", (n((5, 6)) * 20.0,), visible=False),
        Case("hidden: sigmoid of very negative scores", "sigmoid", (-np.abs(n(8)) * 400.0 - 600.0,), visible=False),
        Case("hidden: gelu far into the tails", "gelu", (np.linspace(-12.0, 12.0, 49),), visible=False),
        Case("hidden: gelu near -2.7", "gelu", (np.array([-2.9, -2.7, -2.5, -2.1, -1.5]),), visible=False),
        Case(
            "hidden: breaks_linearity: a big linear map",
            "breaks_linearity",
            (FixtureArg("linear", {"W": n((4, 4)) * 1e6}),),
            visible=False,
        ),
        Case(
            "hidden: breaks_linearity: squares", "breaks_linearity", (FixtureArg("squared", {"W": eye}),), visible=False
        ),
        Case(
            "hidden: breaks_linearity: |x|", "breaks_linearity", (FixtureArg("abs", {"W": n((4, 2))}),), visible=False
        ),
        Case(
            "hidden: breaks_linearity: scaling by 3",
            "breaks_linearity",
            (FixtureArg("linear", {"W": 3.0 * eye}),),
            visible=False,
        ),
    ]


def _python_max_relu(x):
    """max(0, v) in Python keeps the int 0 whenever v <= 0: the array is of ints when nothing is positive."""
    x = np.asarray(x, dtype=float)
    return np.array([max(0, v) for v in x.ravel().tolist()]).reshape(x.shape)


def _naive_sigmoid(x):
    with np.errstate(all="ignore"):
        e = np.exp(np.asarray(x, dtype=float))
        return e / (1.0 + e)


def _erf_gelu(x):
    x = np.asarray(x, dtype=float)
    return 0.5 * x * (1.0 + np.vectorize(math.erf, otypes=[float])(x / math.sqrt(2.0)))


def _mixed_gelu(x):
    x = np.asarray(x, dtype=float)
    return 0.5 * x * (1.0 + np.tanh(x / math.sqrt(2.0)))


def _no_cube_gelu(x):
    x = np.asarray(x, dtype=float)
    return 0.5 * x * (1.0 + np.tanh(GELU_C * x))


def _exact_equality(f):
    """The additivity test with == in place of a tolerance: rounding alone makes a linear map 'break'."""
    function = fixtures.build(f.name, **f.kwargs)
    x, y = np.random.default_rng(0).standard_normal((2, 64, 4))
    return bool(np.any(function(x + y) != function(x) + function(y)))


def _dtype(value):
    return str(np.asarray(value).dtype)


DIAGNOSES = [
    dx.Diagnosis(
        "relu-returns-ints",
        "Python's max(0, v) returns the int 0 whenever v <= 0, so an input with nothing positive comes back as "
        "integers. Use np.maximum(x, 0.0): float in, float out.",
        entry="relu",
        mistake=lambda c, e: _dtype(_python_max_relu(*c.args)),
        part=_dtype,
        specificity=dx.VALUE,
    ),
    dx.alternative(
        "sigmoid-overflow",
        "exp(x) overflows to inf for x above about 709.8, and inf / inf is nan. Exponentiate only "
        "non-positive numbers: exp(-|x|), with one formula for x >= 0 and another for x < 0.",
        _naive_sigmoid,
        entry="sigmoid",
    ),
    dx.alternative(
        "exact-erf-gelu",
        "This is the exact GELU, 0.5 x (1 + erf(x / sqrt 2)). The exercise asks for the tanh approximation, "
        "0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))); the two differ by up to 4.7e-4.",
        _erf_gelu,
        entry="gelu",
    ),
    dx.alternative(
        "gelu-forms-mixed",
        "You mixed the two GELU formulas: tanh(x / sqrt 2) is neither. The tanh approximation is "
        "tanh(sqrt(2/pi) (x + 0.044715 x^3)).",
        _mixed_gelu,
        entry="gelu",
    ),
    dx.alternative(
        "gelu-cubic-missing",
        "The cubic term is missing: inside the tanh goes sqrt(2/pi) (x + 0.044715 x^3), not sqrt(2/pi) x.",
        _no_cube_gelu,
        entry="gelu",
    ),
    dx.alternative(
        "exact-equality",
        "You compared f(x + y) with f(x) + f(y) exactly. Floating-point rounding makes even a linear map fail "
        "that; compare with a tolerance (np.allclose).",
        _exact_equality,
        entry="breaks_linearity",
        rules=Tolerance(rtol=0.0, atol=0.0),
    ),
]
