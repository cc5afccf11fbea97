"""Cases for transform-2d."""

import numpy as np

from grader import diagnosis as dx
from grader.cases import Case


def build_cases(rng):
    unit = np.array([[1.0, 0.0], [0.0, 1.0]])
    quarter = np.array([[0.0, -1.0], [1.0, 0.0]])
    return [
        Case("rotation by pi/2", "rotation", (np.pi / 2,), explain="[[0, -1], [1, 0]] up to round-off."),
        Case("rotation by 30 degrees", "rotation", (np.pi / 6,)),
        Case("scaling 2 and 0.5", "scaling", (2.0, 0.5)),
        Case(
            "apply a quarter turn to the unit vectors",
            "apply",
            (unit, quarter),
            explain="(1, 0) goes to (0, 1) and (0, 1) to (-1, 0).",
        ),
        Case(
            "apply a non-symmetric matrix", "apply", (rng.standard_normal((5, 2)), np.array([[1.0, 2.0], [0.0, 1.0]]))
        ),
        Case("hidden: rotation by a negative angle", "rotation", (-1.1,), visible=False),
        Case("hidden: rotation by 2 pi", "rotation", (2 * np.pi,), visible=False),
        Case("hidden: scaling with a reflection", "scaling", (-1.0, 3.0), visible=False),
        Case(
            "hidden: apply a rotation to 100 points",
            "apply",
            (rng.standard_normal((100, 2)), np.array([[np.cos(0.7), -np.sin(0.7)], [np.sin(0.7), np.cos(0.7)]])),
            visible=False,
        ),
        Case(
            "hidden: apply to a single point",
            "apply",
            (np.array([[3.0, -4.0]]), rng.standard_normal((2, 2))),
            visible=False,
        ),
    ]


DIAGNOSES = [
    dx.alternative(
        "row-vector-convention",
        "points @ M applies the transpose of M to each point (a rotation turns the wrong way). "
        "With one point per row, use points @ M.T.",
        lambda points, M: np.asarray(points, float) @ np.asarray(M, float),
        entry="apply",
    ),
    dx.alternative(
        "clockwise-rotation",
        "This rotates clockwise: the counter-clockwise matrix has -sin(theta) in the top-right corner.",
        lambda t: np.array([[np.cos(t), np.sin(t)], [-np.sin(t), np.cos(t)]]),
        entry="rotation",
    ),
    dx.alternative(
        "degrees-not-radians",
        "theta is in radians; np.cos and np.sin take radians — do not convert from degrees.",
        lambda t: np.array(
            [[np.cos(np.deg2rad(t)), -np.sin(np.deg2rad(t))], [np.sin(np.deg2rad(t)), np.cos(np.deg2rad(t))]]
        ),
        entry="rotation",
    ),
]
