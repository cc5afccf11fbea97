"""Cases for count-params: the lesson's architectures (with correct totals) and edges."""

import numpy as np

from grader import diagnosis as dx
from grader.cases import Case
from grader.compare import Tolerance

EXACT = Tolerance(rtol=0.0, atol=0.5, allow_lists=True)  # counts are whole numbers: off by one is wrong


def exact_int(got, expected, case):
    """An int, or a NumPy integer scalar (np.int64 from np.prod or np.sum), equal to the total."""
    if isinstance(got, np.ndarray) and got.shape == () and got.dtype.kind in "iu":
        got = int(got)
    if isinstance(got, bool) or not isinstance(got, int):
        kind = "a list" if isinstance(got, list) else ("a float" if _is_float(got) else type(got).__name__)
        return f"Return one int (the total), not {kind}."
    if got == expected:
        return None
    # A hidden case shows no expected value.
    return f"Expected {expected:,}, got {got:,}." if case.visible else "Not the right count."


def _is_float(value) -> bool:
    return isinstance(value, float) or (isinstance(value, np.ndarray) and value.dtype.kind == "f")


ARCHITECTURES = [
    ("4 -> 64 -> 32 -> 1", [(4, 64), (64, 32), (32, 1)], True),
    ("narrow", [(4, 16), (16, 8), (8, 1)], True),
    ("wide", [(4, 512), (512, 256), (256, 1)], True),
    ("deep", [(4, 32), (32, 32), (32, 32), (32, 32), (32, 1)], True),
    ("hidden: no layers", [], False),
    ("hidden: a single 1 -> 1 layer", [(1, 1)], False),
    ("hidden: GPT-sized layer", [(12288, 49152), (49152, 12288)], False),
    ("hidden: expanding then compressing", [(3, 1000), (1000, 3), (3, 2)], False),
]


def build_cases(rng):
    return [
        Case(name, "count_params", ([tuple(s) for s in shapes],), visible=visible, check=exact_int)
        for name, shapes, visible in ARCHITECTURES
    ]


DIAGNOSES = [
    dx.alternative(
        "forgot-biases",
        "You counted only the weights: each layer also has one bias per output unit.",
        lambda shapes: sum(a * b for a, b in shapes),
        rules=EXACT,
    ),
    dx.alternative(
        "bias-per-input",
        "Biases belong to the output units (n_out per layer), not the inputs.",
        lambda shapes: sum(a * b + a for a, b in shapes),
        rules=EXACT,
    ),
    dx.alternative(
        "per-layer-not-total",
        "Return the total, a single int — not one count per layer.",
        lambda shapes: [a * b + b for a, b in shapes],
        rules=EXACT,
    ),
]
