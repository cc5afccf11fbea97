"""Cases for dense-layer: single layers, ReLU, and whole forward passes."""

import numpy as np

from grader import diagnosis as dx
from grader.cases import Case, FixtureArg


def network(rng, sizes, scale=0.5):
    layers = []
    for n_in, n_out in zip(sizes[:-1], sizes[1:]):
        layers.append((rng.standard_normal((n_in, n_out)) * scale, rng.standard_normal(n_out)))
    return layers


def build_cases(rng):
    X_example = np.array([[1.0, 2.0]])
    W_example = np.array([[1.0, -1.0, 0.0], [0.0, 1.0, 2.0]])
    b_example = np.array([0.5, 0.0, -5.0])
    square_X = rng.standard_normal((3, 3))
    return [
        Case(
            "dense: worked example",
            "dense",
            (X_example, W_example, b_example),
            explain="(1, 2) @ W + b = (1.5, 1, -1).",
        ),
        Case(
            "dense: batch 5, 4 -> 3",
            "dense",
            (rng.standard_normal((5, 4)), rng.standard_normal((4, 3)), rng.standard_normal(3)),
        ),
        Case(
            "dense: batch equals n_out (3x3)",
            "dense",
            (square_X, rng.standard_normal((3, 3)), np.array([10.0, -10.0, 0.0])),
            explain="When batch == n_out a per-sample bias broadcasts silently — and gives wrong numbers.",
        ),
        Case("relu: mixed signs", "relu", (np.array([[-2.0, 0.0, 3.0], [1.5, -0.1, -7.0]]),)),
        Case(
            "relu: leaves its input unchanged",
            "relu",
            (FixtureArg("read_only", {"array": np.array([[3.0, -1.0], [-0.5, 2.0]])}),),
            explain="Z is write-protected here: relu must build a new array, not clip Z in place.",
        ),
        Case("mlp: 4 -> 64 -> 32 -> 1", "mlp_forward", (rng.standard_normal((8, 4)), network(rng, [4, 64, 32, 1]))),
        Case("mlp: one layer only (no activation)", "mlp_forward", (rng.standard_normal((4, 3)), network(rng, [3, 2]))),
        Case(
            "hidden: dense 1 x n",
            "dense",
            (rng.standard_normal((1, 6)), rng.standard_normal((6, 2)), rng.standard_normal(2)),
            visible=False,
        ),
        Case(
            "hidden: dense square batch",
            "dense",
            (rng.standard_normal((4, 4)), rng.standard_normal((4, 4)), rng.standard_normal(4) * 5),
            visible=False,
        ),
        Case(
            "hidden: relu on 3-D",
            "relu",
            (FixtureArg("read_only", {"array": rng.standard_normal((2, 3, 4))}),),
            visible=False,
        ),
        Case(
            "hidden: mlp with negative outputs",
            "mlp_forward",
            (rng.standard_normal((6, 5)), network(rng, [5, 7, 3], scale=1.0)),
            visible=False,
        ),
        Case(
            "hidden: mlp deep 4-32-32-32-32-1",
            "mlp_forward",
            (rng.standard_normal((10, 4)), network(rng, [4, 32, 32, 32, 32, 1])),
            visible=False,
        ),
    ]


def _relu_everywhere(X, layers):
    out = np.asarray(X, float)
    for W, b in layers:
        out = np.maximum(0.0, out @ W + b)
    return out


def _weights_left(X, W, b):
    return np.asarray(W).T @ np.asarray(X).T + np.asarray(b)[:, None]


def _weights_times_x(X, W, b):
    return np.asarray(W) @ np.asarray(X) + np.asarray(b)


def _bias_per_sample(X, W, b):
    if len(np.asarray(b)) != len(np.asarray(X)):
        return None  # the per-sample bias cannot even be added: whatever the code did, it is not this
    return np.asarray(X) @ np.asarray(W) + np.asarray(b)[:, None]


DIAGNOSES = [
    dx.alternative(
        "activation-on-output",
        "ReLU was applied after the last layer too: the output layer has no activation, so negative "
        "predictions must survive.",
        _relu_everywhere,
        entry="mlp_forward",
    ),
    dx.alternative(
        "weights-on-the-left",
        "You computed W-first (Wᵀ Xᵀ), which gives one column per example: with one example per row "
        "the layer is X @ W.",
        _weights_left,
        entry="dense",
    ),
    dx.alternative(
        "weights-on-the-left",
        "You computed W @ X: with one example per row of X, the layer is X @ W — (batch, n_in) @ (n_in, n_out).",
        _weights_times_x,
        entry="dense",
    ),
    dx.raised(
        "weights-on-the-left",
        "You computed W @ X: with one example per row of X, the layer is X @ W — (batch, n_in) @ (n_in, n_out).",
        "ValueError",
        contains="core dimension",
        entry="dense",
        mistake=_weights_times_x,
        same_message=True,
    ),
    dx.raised(
        "relu-in-place",
        "relu changed its input: Z is write-protected in this case. Build a new array with np.maximum(0, Z) "
        "instead of assigning into Z.",
        "ValueError",
        contains="read-only",
        entry="relu",
    ),
    dx.alternative(
        "bias-per-sample",
        "The bias was added per example (down the rows) instead of per output unit: b has one entry "
        "per column of X @ W and broadcasts over the rows.",
        _bias_per_sample,
        entry="dense",
    ),
    dx.shape_transposed(),
]
