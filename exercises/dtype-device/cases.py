"""Cases for dtype-device: mixed dtypes; the result must follow W."""

import numpy as np

from grader import diagnosis as dx
from grader.cases import Case, TensorArg
from grader.values import TensorValue


def t(array, dtype, device="cpu"):
    return TensorArg(
        np.asarray(array, dtype=np.float64 if dtype == "float64" else np.float32), dtype=dtype, device=device
    )


def build_cases(rng):
    n = rng.standard_normal
    mixes = [
        (
            "worked example",
            (np.ones((2, 3)), "float16"),
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
    # No GPU here: PyTorch's meta device has shapes and dtypes but no numbers, and refuses to be
    # mixed with CPU tensors just as a GPU would. The comparison checks device, dtype and shape.
    cases += [
        Case(
            "device: W and b on another device",
            "predict",
            (t(n((4, 3)), "float32"), t(n((3, 2)), "float32", "meta"), t(n(2), "float32", "meta")),
            strict_dtype=True,
            explain="W and b live on PyTorch's meta device (shapes and dtypes, no numbers): the result must too.",
        ),
        Case(
            "hidden: device and dtype both differ",
            "predict",
            (t(n((3, 5)), "float64"), t(n((5, 2)), "float32", "meta"), t(n(2), "float64", "meta")),
            visible=False,
            strict_dtype=True,
        ),
    ]
    return cases


def _promoted(*dtypes: str) -> str:
    """The dtype type promotion gives (NumPy and PyTorch agree on float16/32/64)."""
    return str(np.result_type(*(np.dtype(d) for d in dtypes)))


def _dtype_crash(c, g, e, m):
    text = str(m.data.get("message", "")).lower() if m is not None and m.kind == "exception" else ""
    return m.data.get("type") == "RuntimeError" and ("dtype" in text or "scalar type" in text) if text else False


def _mixes_dtypes(X, W, b):
    """The unconverted product X @ W fails exactly where X's dtype is not W's."""
    if X.dtype != W.dtype:
        raise RuntimeError("X @ W mixes dtypes")


def _kind_of(value) -> str:
    return "numpy" if isinstance(value, np.ndarray) else type(value).__name__


def _as_numpy(expected):
    """What .numpy() on the right result gives, as a kind of value: an array, except on the meta device,
    which has no numbers to copy out (it raises)."""
    if not isinstance(expected, TensorValue):
        return None
    if expected.device.startswith("meta"):
        raise TypeError("can't convert meta device type tensor to numpy")
    return "numpy"


DIAGNOSES = [
    dx.Diagnosis(
        "dtype-mismatch-crash",
        "The tensors have different dtypes and matmul refuses to mix them: convert X to W's dtype and device "
        "first (X.to(device=W.device, dtype=W.dtype)).",
        test=_dtype_crash,
        mistake=lambda c, e: _mixes_dtypes(*c.args),
        raises=True,
        specificity=dx.EXCEPTION,
    ),
    dx.raised(
        "device-mismatch-crash",
        "X stayed on its own device while W and b are elsewhere, and PyTorch refuses to mix devices: move X "
        "to W's device (X.to(device=W.device, dtype=W.dtype)).",
        "RuntimeError",
        contains="device",
    ),
    dx.result_dtype(
        "followed-x-dtype",
        "The result followed X's dtype; the contract says W's: convert X (and b) to W.dtype.",
        lambda X, W, b: X.dtype,
    ),
    dx.result_dtype(
        "bias-not-converted",
        "The bias's dtype leaked into the result by type promotion: convert b to W.dtype too.",
        lambda X, W, b: _promoted(W.dtype, b.dtype),
    ),
    dx.device_mismatch(),
    dx.Diagnosis(
        "returned-numpy",
        "Return a torch.Tensor, not a NumPy array.",
        mistake=lambda c, e: _as_numpy(e),
        part=_kind_of,
        specificity=dx.VALUE,
    ),
]
