"""Cases for device-mismatch: CPU dtype cases (values checked) and meta-device cases (place and type checked).

Each bug of the starter shows alone on some case: the hard-coded .cuda() everywhere
(no GPU here); a discarded .to() only where X differs from the model; a zeros() with
the default device and dtype only where the model is not CPU float32.
Diagnoses read the case and the error (the grader process may have no PyTorch).
"""

import numpy as np

from grader import diagnosis as dx
from grader.cases import Case, TensorArg


def _tensor(array, dtype, device="cpu"):
    return TensorArg(np.asarray(array, dtype=np.float64 if dtype == "float64" else np.float32), dtype, device)


def _model(rng, d, m, k, dtype, device="cpu"):
    n = rng.standard_normal
    shapes = {"Wx": (d, m), "Wh": (m, m), "b": (m,), "Wo": (m, k), "bo": (k,)}
    return {name: _tensor(0.5 * n(shape), dtype, device) for name, shape in shapes.items()}


def build_cases(rng):
    n = rng.standard_normal
    specs = [
        # name, (n, T, d), X dtype, X device, (m, k), model dtype, model device, visible, explain
        ("CPU, float32 throughout", (3, 4, 2), "float32", "cpu", (5, 3), "float32", "cpu", True, "Nothing to convert."),
        (
            "X float64 from NumPy, model float32",
            (2, 3, 4),
            "float64",
            "cpu",
            (3, 2),
            "float32",
            "cpu",
            True,
            "X must be converted to the model's dtype.",
        ),
        (
            "model float64, X float64",
            (4, 2, 3),
            "float64",
            "cpu",
            (4, 2),
            "float64",
            "cpu",
            True,
            "X is fine; what the function creates must be float64 too.",
        ),
        (
            "model and X on the meta device",
            (5, 3, 2),
            "float32",
            "meta",
            (6, 3),
            "float32",
            "meta",
            True,
            "No numbers here: the result must come out on meta, float32, shape (5, 3).",
        ),
        (
            "model on meta, X on the CPU",
            (2, 4, 3),
            "float32",
            "cpu",
            (4, 2),
            "float32",
            "meta",
            True,
            "X must follow the model to its device.",
        ),
        ("hidden: model float64, X float32", (3, 5, 2), "float32", "cpu", (3, 4), "float64", "cpu", False, ""),
        ("hidden: meta float64 model, CPU X", (2, 2, 2), "float32", "cpu", (3, 3), "float64", "meta", False, ""),
        ("hidden: larger CPU float32", (16, 6, 8), "float32", "cpu", (12, 5), "float32", "cpu", False, ""),
        ("hidden: meta, one time step", (3, 1, 4), "float32", "meta", (2, 2), "float32", "meta", False, ""),
        ("hidden: float16 X, float64 model", (2, 3, 2), "float16", "cpu", (3, 2), "float64", "cpu", False, ""),
    ]
    cases = []
    for name, x_shape, x_dtype, x_device, (m, k), w_dtype, w_device, visible, explain in specs:
        X = _tensor(n(x_shape), x_dtype, x_device)
        model = _model(rng, x_shape[2], m, k, w_dtype, w_device)
        loose = x_dtype == "float16"  # the input itself was rounded to half precision
        cases.append(
            Case(
                name,
                "predict",
                (X, model),
                visible=visible,
                explain=explain,
                strict_dtype=True,
                rtol=1e-2 if loose else None,
                atol=1e-2 if loose else None,
            )
        )
    return cases


# what each case can reveal ------------------------------------------------------------------


def _x_and_model(case):
    X, model = case.args
    return X, model["Wx"]


def _exception(m, *types) -> str | None:
    if m is None or m.kind != "exception" or (types and m.data.get("type") not in types):
        return None
    return str(m.data.get("message", "")).lower()


def _cuda(c, g, e, m):
    message = _exception(m)
    return message is not None and ("cuda" in message or "nvidia" in message)


def _names_cuda(message: str) -> bool:
    """A CUDA error is another mistake's (hard-coded .cuda()), whatever else matches."""
    return "cuda" in message.lower() or "nvidia" in message.lower()


def _placement_error(X, W) -> None:
    """What PyTorch does when X and W meet on different devices or with different dtypes."""
    raise RuntimeError(f"X is {X.dtype} on {X.device}, the model {W.dtype} on {W.device}")


def _x_not_converted(X, model):
    """X left as it came (no .to(), or its result discarded): fails wherever X is not the model's kind."""
    W = model["Wx"]
    if X.device == W.device == "meta" and X.dtype != W.dtype:
        return None  # meta computes nothing: a dtype mismatch may pass there
    if X.device != W.device or X.dtype != W.dtype:
        _placement_error(X, W)
    return "runs"  # no placement error here


def _x_dtype_not_converted(X, model):
    """X moved to the model's device, its dtype forgotten: fails wherever the dtype differs (on the meta
    device nothing is computed, and a dtype mismatch passes unnoticed: it runs there)."""
    W = model["Wx"]
    if W.device == "meta":
        return "runs"  # X moved to meta, where nothing is computed and a dtype mismatch passes
    if X.dtype != W.dtype:
        _placement_error(X, W)
    return "runs"  # no placement error here


def _x_device_not_converted(X, model):
    """X converted to the model's dtype, its device forgotten: fails wherever the device differs."""
    W = model["Wx"]
    if X.device != W.device:
        _placement_error(X, W)
    return "runs"  # no placement error here


def _created_with_defaults_model(X, model):
    """The hidden state made with torch.zeros' defaults (CPU, float32): fails wherever the model is not that."""
    W = model["Wx"]
    if W.device != "cpu" or W.dtype != "float32":
        _placement_error(X, W)
    return "runs"  # no placement error here


def _followed_input(c, g, e, m):
    X, _ = _x_and_model(c)
    return m is not None and m.kind == "dtype" and m.data.get("got_dtype") == X.dtype


def _copied_out_of_meta(c, g, e, m):
    message = _exception(m, "NotImplementedError")
    return message is not None and "meta" in message


DIAGNOSES = [
    dx.when(
        "hard-coded-cuda",
        ".cuda() (or device='cuda') names one machine's device: it fails wherever there is no GPU. "
        "Take the device from the model instead: X.to(device=Wx.device, dtype=Wx.dtype).",
        _cuda,
    ),
    dx.raised(
        "to-result-discarded",
        "X is not on the model's device, or not in its dtype: convert it and keep the result, "
        "X = X.to(device=Wx.device, dtype=Wx.dtype) — .to() returns a new tensor, so calling it without "
        "assigning changes nothing.",
        "RuntimeError",
        mistake=_x_not_converted,
        message_key=_names_cuda,
    ),
    dx.raised(
        "input-dtype-not-converted",
        "X is on the model's device but still in its own dtype: convert the dtype too, "
        "X = X.to(device=Wx.device, dtype=Wx.dtype).",
        "RuntimeError",
        mistake=_x_dtype_not_converted,
        message_key=_names_cuda,
    ),
    dx.raised(
        "input-device-not-converted",
        "X is not on the model's device: move it there, X = X.to(device=Wx.device, dtype=Wx.dtype) — the "
        "caller chose the device (and dtype) by placing the model.",
        "RuntimeError",
        mistake=_x_device_not_converted,
        message_key=_names_cuda,
    ),
    dx.raised(
        "created-on-cpu",
        "A tensor the function creates (the initial hidden state) uses the defaults — CPU, float32 — not the "
        "model's device and dtype: torch.zeros(n, m, device=Wx.device, dtype=Wx.dtype), or Wx.new_zeros(n, m).",
        "RuntimeError",
        mistake=_created_with_defaults_model,
        message_key=_names_cuda,
    ),
    dx.when(
        "followed-input-dtype",
        "The result has X's dtype: the model's parameters were converted to the input instead of the input to "
        "the model. The caller chose the dtype (and device) by placing the model: convert X.",
        _followed_input,
    ),
    dx.when(
        "moved-model-off-meta",
        "Something tried to copy a meta tensor's numbers to the CPU (a meta tensor has none): the model's "
        "parameters must stay where the caller put them, and so must the result (no .cpu(), .numpy() or .item()).",
        _copied_out_of_meta,
    ),
    dx.when(
        "result-on-wrong-device",
        "The result is not on the model's device: compute everything where the parameters are and return it there.",
        lambda c, g, e, m: m is not None and m.kind == "device",
    ),
]
