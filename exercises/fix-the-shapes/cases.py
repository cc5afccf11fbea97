"""Cases for fix-the-shapes: each bug has cases where only it can show, with a diagnosis quoting the shapes.

The starter's three bugs: X not flattened, W1 (h, d) used untransposed, the per-sample mean
subtracted without a trailing axis. Each is invisible on some shapes (X already 2-D, W1
symmetric, n = 1), which is how a case isolates one bug.
"""

import re

import numpy as np

from grader import diagnosis as dx
from grader.cases import Case


def model(X, params, *, flatten=True, transpose=True, per_sample=True, centre_axis=1):
    """The reference computation, with any one of the starter's bugs switched back on."""
    X = np.asarray(X, dtype=float)
    if flatten:
        X = X.reshape(len(X), -1)
    W1 = params["W1"]
    H = np.maximum(0.0, X @ (W1.T if transpose else W1) + params["b1"])
    means = H.mean(axis=centre_axis)
    H = H - (means[:, None] if per_sample and centre_axis == 1 else means)
    return H @ params["W2"] + params["b2"]


BUGS = {
    "flatten-input": {"flatten": False},
    "transpose-weights": {"transpose": False},
    "per-sample-axis": {"per_sample": False},
    "centred-over-batch": {"centre_axis": 0},
    "global-mean": {"centre_axis": None},
    "several-shape-bugs": {"flatten": False, "transpose": False, "per_sample": False},  # the starter as given
}


def _signature(message: str) -> tuple:
    """A NumPy shape error reduced to its kind and its numbers (the sizes it names)."""
    kind = "broadcast" if "broadcast" in message else "matmul" if "matmul" in message else message
    return kind, tuple(int(x) for x in re.findall(r"\d+", message))


def _fails_like(bug):
    def test(c, g, e, m):
        if m is None or m.kind != "exception":
            return False
        try:
            model(*c.args, **BUGS[bug])
        except Exception as exc:  # noqa: BLE001 - the bug's own failure is the evidence
            return type(exc).__name__ == m.data.get("type") and _signature(str(exc)) == _signature(
                str(m.data.get("message", ""))
            )
        return False

    return test


def _applies(bug):
    """Several bugs at once only where they differ from a single one: for a 2-D X, flattening changes nothing."""
    if bug != "several-shape-bugs":
        return lambda c, g, e, m: True
    return lambda c, g, e, m: np.ndim(c.args[0]) > 2


def _diagnoses(bug: str, message: str) -> tuple:
    """The bug recognised by its wrong numbers or by the very error it raises."""
    applies, fails_like = _applies(bug), _fails_like(bug)
    return (
        dx.alternative(bug, message, lambda X, params: model(X, params, **BUGS[bug]), test=applies),
        dx.Diagnosis(
            bug,
            message,
            test=lambda c, g, e, m: applies(c, g, e, m) and fails_like(c, g, e, m),
            specificity=dx.EXCEPTION,
        ),
    )


def _messages(X, params) -> dict[str, str]:
    """What each bug means on these very shapes."""
    n, d = len(X), int(np.prod(np.shape(X)[1:]))
    h, k = params["W2"].shape
    flat, row = f"({n}, {d})", f"({n},)"
    same = n == h
    return {
        "flatten-input": f"X has shape {np.shape(X)}, but the layer needs one row of {d} numbers per sample: "
        f"X.reshape(len(X), -1) gives {flat}, which lines up with W1.T {(d, h)}.",
        "transpose-weights": f"W1 has shape {(h, d)}, stored (out, in). X @ W1 pairs X's last size ({d}) with "
        f"W1's first ({h}); X @ W1.T is {flat} @ {(d, h)} -> {(n, h)}.",
        "per-sample-axis": f"H has shape {(n, h)} and H.mean(axis=1) has shape {row}. Broadcasting matches {row} "
        f"against H's LAST axis ({h} hidden units), not the samples"
        + (f" — with n = h = {h} it even runs, subtracting the wrong means" if same else "")
        + f". Make the means a column: H.mean(axis=1)[:, None] has shape ({n}, 1) (or keepdims=True).",
        "centred-over-batch": f"H.mean(axis=0) has shape ({h},): each hidden unit's mean over the batch. The model "
        f"centres each sample over its own hidden units: axis=1, as a column ({n}, 1).",
        "global-mean": f"H.mean() is one number, the mean of all {n} x {h} entries of H. The model centres "
        f"each sample over its own hidden units: H.mean(axis=1) as a column ({n}, 1).",
        "several-shape-bugs": f"X @ W1 with X {np.shape(X)} and W1 {(h, d)}: more than one bug meets here — X is not "
        f"flattened to {flat} and W1 is used as stored instead of transposed. Fix one at a time, printing "
        "X.shape and W1.shape before the product.",
    }


def _params(rng, d, h, k, symmetric=False):
    W1 = rng.standard_normal((h, d))
    if symmetric:  # d == h and W1 == W1.T: the transpose bug cannot show
        W1 = (W1 + W1.T) / 2
    return {"W1": W1, "b1": rng.standard_normal(h), "W2": rng.standard_normal((h, k)), "b2": rng.standard_normal(k)}


def build_cases(rng):
    n = rng.standard_normal
    visible = [
        ("worked example: every bug at once", n((2, 2, 3)), _params(rng, 6, 4, 2), "The statement's shapes."),
        (
            "flatten: X arrives as (1, 2, 3)",
            n((1, 2, 3)),
            _params(rng, 6, 6, 2, symmetric=True),
            "One sample of 2 x 3 numbers; W1 is symmetric and n = 1, so only the flattening can fail.",
        ),
        (
            "transpose: W1 is (3, 4)",
            n((1, 4)),
            _params(rng, 4, 3, 2),
            "X is already 2-D and n = 1, so only the transpose can fail.",
        ),
        (
            "new axis: 5 samples, 3 hidden units",
            n((5, 3)),
            _params(rng, 3, 3, 2, symmetric=True),
            "X is 2-D and W1 symmetric, so only the per-sample mean can fail.",
        ),
        (
            "new axis: n = h = 3, a silent bug",
            n((3, 3)),
            _params(rng, 3, 3, 4, symmetric=True),
            "Same sizes, no error — the per-sample mean bug returns wrong numbers here.",
        ),
    ]
    hidden = [
        ("hidden: every bug, 7 samples of 3 x 2", n((7, 3, 2)), _params(rng, 6, 5, 3)),
        ("hidden: flatten, (1, 4, 2, 2)", n((1, 4, 2, 2)), _params(rng, 16, 16, 1, symmetric=True)),
        ("hidden: transpose, W1 (6, 2)", n((1, 2)), _params(rng, 2, 6, 3)),
        ("hidden: new axis, 8 samples", n((8, 4)), _params(rng, 4, 4, 2, symmetric=True)),
        ("hidden: new axis, n = h = 5", n((5, 5)), _params(rng, 5, 5, 2, symmetric=True)),
        ("hidden: one feature, one output", n((4, 1)), _params(rng, 1, 3, 1)),
    ]
    cases = []
    for name, X, params, explain in visible:
        messages = _messages(X, params)
        own = tuple(d for bug in BUGS for d in _diagnoses(bug, messages[bug]))
        cases.append(Case(name, "forward", (X, params), explain=explain, diagnoses=own))
    for name, X, params in hidden:
        cases.append(Case(name, "forward", (X, params), visible=False))
    return cases


# For hidden cases: the same bugs, without quoting shapes the learner is not shown.
DIAGNOSES = [
    *_diagnoses(
        "flatten-input",
        "X was not flattened: each sample must become one row of d numbers, X.reshape(len(X), -1).",
    ),
    *_diagnoses(
        "transpose-weights",
        "W1 is stored (out, in) = (h, d): multiply by its transpose, X @ W1.T.",
    ),
    *_diagnoses(
        "per-sample-axis",
        "The per-sample means have shape (n,), which broadcasts against H's last axis: use "
        "H.mean(axis=1)[:, None] (shape (n, 1)) or keepdims=True.",
    ),
    *_diagnoses(
        "several-shape-bugs",
        "Several shape bugs at once (X not flattened, W1 not transposed, the mean without its column axis): "
        "fix one at a time, printing the shapes of both operands before each product.",
    ),
    *_diagnoses(
        "global-mean",
        "H.mean() is one number, the mean over every sample and hidden unit; the model centres each sample "
        "over its own hidden units: H.mean(axis=1) as a column, shape (n, 1).",
    ),
    *_diagnoses(
        "centred-over-batch",
        "H.mean(axis=0) centres each hidden unit over the batch; the model centres each sample: axis=1, as a column.",
    ),
]
