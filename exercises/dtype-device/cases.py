"""Cases for dtype-device: mixed dtypes; the result must follow W."""

import numpy as np

from grader import diagnosis as dx
from grader.cases import Case, TensorArg


def t(array, dtype):
    return TensorArg(np.asarray(array, dtype=np.float64 if dtype == "float64" else np.float32), dtype=dtype)


def build_cases(rng):
    n = rng.standard_normal
    mixes = [
        (
            "worked example",
            (np.ones((2, 3)), "float64"),
            (np.ones((3, 1)), "float32"),
            (np.array([0.5]), "float64"),
            True,
        ),
        ("X float64, W and b float32", (n((4, 3)), "float64"), (n((3, 2)), "float32"), (n(2), "float32"), True),
        ("all float32", (n((5, 4)), "float32"), (n((4, 3)), "float32"), (n(3), "float32"), True),
        ("W float64, X float32", (n((3, 3)), "float32"), (n((3, 2)), "float64"), (n(2), "float64"), True),
        ("hidden: bias float64 only", (n((6, 2)), "float32"), (n((2, 4)), "float32"), (n(4), "float64"), False),
        ("hidden: X float16", (n((3, 5)), "float16"), (n((5, 2)), "float32"), (n(2), "float32"), False),
        ("hidden: bias float16", (n((3, 4)), "float32"), (n((4, 2)), "float64"), (n(2), "float16"), False),
        ("hidden: everything differs", (n((2, 3)), "float16"), (n((3, 3)), "float64"), (n(3), "float32"), False),
    ]
    cases = []
    for name, X, W, b, visible in mixes:
        rtol = 1e-2 if "float16" in (X[1], W[1], b[1]) else None
        cases.append(
            Case(
                name,
                "predict",
                (t(*X), t(*W), t(*b)),
                visible=visible,
                strict_dtype=True,
                rtol=rtol,
                atol=1e-2 if rtol else None,
            )
        )
    return cases


def _result_dtype_is(which):
    def test(c, g, e, m):
        return m is not None and m.kind == "dtype" and m.data.get("got_dtype") == c.args[which].dtype

    return test


DIAGNOSES = [
    dx.raised(
        "dtype-mismatch-crash",
        "The tensors have different dtypes and matmul refuses to mix them: convert X to W's dtype and device "
        "first (X.to(device=W.device, dtype=W.dtype)).",
        "RuntimeError",
    ),
    dx.when(
        "followed-x-dtype",
        "The result followed X's dtype; the contract says W's: convert X (and b) to W.dtype.",
        _result_dtype_is(0),
    ),
    dx.when(
        "bias-not-converted",
        "The bias's dtype leaked into the result by type promotion: convert b to W.dtype too.",
        _result_dtype_is(2),
    ),
    dx.when(
        "returned-numpy",
        "Return a torch.Tensor, not a NumPy array.",
        lambda c, g, e, m: m is not None and m.kind == "type" and "torch.Tensor" in m.message,
    ),
]
