"""Cases for {slug}. Expected values come from solution.py, run in a sandbox."""

import numpy as np

from grader import diagnosis as dx
from grader.cases import Case


def build_cases(rng):
    # TODO: visible cases teach; hidden cases catch the careless. Cover the edges.
    return [
        Case("small example", "solve", (np.array([1.0, 2.0]),), explain="TODO"),
        Case("hidden: random", "solve", (rng.standard_normal(5),), visible=False),
    ]


DIAGNOSES = [
    # TODO: one line per known mistake, e.g.
    dx.alternative("forgot-double", "You returned x unchanged: multiply by two.", lambda x: x),
]
