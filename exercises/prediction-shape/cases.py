"""Cases for prediction-shape: one prediction per sample, for any number of samples, even one."""

import numpy as np

from grader import diagnosis as dx
from grader.cases import Case


def _layers(rng, sizes):
    return [(rng.standard_normal(s) / np.sqrt(s[0]), 0.1 * rng.standard_normal(s[1])) for s in sizes]


def build_cases(rng):
    n = rng.standard_normal
    lesson = [(4, 64), (64, 32), (32, 1)]
    return [
        Case("the lesson's network, 32 samples", "predict", (n((32, 4)), _layers(rng, lesson))),
        Case(
            "one sample",
            "predict",
            (n((1, 4)), _layers(rng, lesson)),
            explain="One sample still gets a 1-D array of one prediction, shape (1,).",
        ),
        Case(
            "two outputs per sample",
            "predict",
            (n((5, 3)), _layers(rng, [(3, 8), (8, 2)])),
            explain="With two output units there is nothing to drop: (5, 2).",
        ),
        Case("hidden: a single linear layer", "predict", (n((7, 5)), _layers(rng, [(5, 1)])), visible=False),
        Case(
            "hidden: one sample, three outputs", "predict", (n((1, 6)), _layers(rng, [(6, 4), (4, 3)])), visible=False
        ),
        Case(
            "hidden: deep and narrow",
            "predict",
            (n((9, 2)), _layers(rng, [(2, 3)] + [(3, 3)] * 3 + [(3, 1)])),
            visible=False,
        ),
        Case(
            "hidden: one sample, one output, one layer", "predict", (n((1, 3)), _layers(rng, [(3, 1)])), visible=False
        ),
    ]


def _hidden(X, layers):
    """The activations that enter the last layer."""
    A = np.asarray(X, dtype=float)
    for W, b in layers[:-1]:
        A = np.maximum(0.0, A @ W + b)
    return A


def _network(X, layers):
    W, b = layers[-1]
    return _hidden(X, layers) @ W + b  # (n, m)


def _flattened_weights(X, layers):
    W, b = layers[-1]
    return _hidden(X, layers) @ np.ravel(W) + b


DIAGNOSES = [
    dx.alternative(
        "squeeze-all-axes",
        "squeeze() drops every axis of length 1 — with a single sample that is the sample axis too, leaving a 0-d "
        "array (or (m,) for m outputs). Drop only the last axis, and only when it has length 1: Z[:, 0].",
        lambda X, layers: np.squeeze(_network(X, layers)),
    ),
    dx.alternative(
        "reshape-minus-one",
        "reshape(-1) flattens (n, m) into one long vector of n * m numbers when the last layer has several "
        "outputs. Drop the last axis only when it has length 1.",
        lambda X, layers: _network(X, layers).reshape(-1),
        # With one sample, reshape(-1) and squeeze() give the same vector: only n > 1 tells them apart.
        test=lambda c, g, e, m: np.shape(c.args[0])[0] > 1,
    ),
    dx.alternative(
        "first-output-only",
        "Z[:, 0] keeps only the first output unit; with several outputs return all of them, (n, m).",
        lambda X, layers: _network(X, layers)[:, 0],
    ),
    dx.raised(
        "flatten-before-last-layer",
        "You flattened the last layer's weights to a vector before the product, which works only for one output "
        "unit. Keep W as (k, m), multiply, then drop the last axis if it has length 1.",
        "ValueError",
        mistake=_flattened_weights,
    ),
]
