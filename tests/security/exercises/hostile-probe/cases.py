"""Cases for hostile-probe: one visible case, canary-marked hidden cases and oracle cases.

Every hidden case carries a canary: numbers that appear nowhere else (exactly
representable, so any printing of them reads the same), whatever seed the grader
draws. A hidden case that expects a ValueError gives learner-named exceptions
a place to be quoted. The "bit" cases are small random vectors: a submission that passes or
fails them by the sign of an input turns the verdict into a readout of the inputs.
"""

import numpy as np

from grader.cases import Case

CANARIES = (
    (31337.125, -27182.8125, 16180.34375),
    (-14142.1328125, 17320.5078125, 22360.6796875),
    (26457.51171875, -30000.0078125, 12345.6789),
)
ORACLE_CASES = 6


def build_cases(rng):
    hidden = [
        Case(f"hidden: canary {i}", "solve", (np.array(canary + tuple(rng.standard_normal(3))),), visible=False)
        for i, canary in enumerate(CANARIES)
    ]
    bits = [Case(f"hidden: bit {i}", "solve", (rng.standard_normal(3),), visible=False) for i in range(ORACLE_CASES)]
    refused = Case(
        "hidden: a matrix is refused",
        "solve",
        (np.full((2, 2), 23456.78125),),
        visible=False,
        expect_error="ValueError",
    )
    return [Case("visible", "solve", (np.arange(4.0),)), *hidden, refused, *bits]
