"""Offline runs: the visible cases, in the learner's own Python, from what the server publishes.

The server's GET /api/exercises/<slug>/visible-cases gives each visible case's
arguments and the reference's output (arrays as base64 .npy). This module
rebuilds them, calls the learner's function and compares with the case's
tolerance. It is a convenience for working offline: the server's grading
(sandboxed, with hidden cases and diagnoses) is the one that counts.
"""

from __future__ import annotations

import base64
import importlib.util
import io
import sys
import traceback
from dataclasses import dataclass
from pathlib import Path


@dataclass
class LocalOutcome:
    name: str
    passed: bool
    message: str


def decode(node):
    """The inverse of trials.services.encode_value."""
    if isinstance(node, list):
        return [decode(v) for v in node]
    if not isinstance(node, dict):
        return node
    if "$ndarray" in node:
        return _array(node["$ndarray"])
    if "$tensor" in node:
        import torch  # only the PyTorch exercises send tensors

        array = _array(node["$tensor"])
        dtype = getattr(torch, str(node.get("dtype", "float32")), None) or torch.float32
        return torch.from_numpy(array.copy()).to(dtype)
    if "$tuple" in node:
        return tuple(decode(v) for v in node["$tuple"])
    if "$dict" in node:
        return {k: decode(v) for k, v in node["$dict"].items()}
    if "$float" in node:
        return float(node["$float"])
    raise ValueError(f"unknown value node {sorted(node)}")


def _array(text: str):
    import numpy as np

    return np.load(io.BytesIO(base64.b64decode(text)), allow_pickle=False)


def load_module(path: Path):
    """Import the learner's file as a fresh module (it may print; that goes to the terminal)."""
    spec = importlib.util.spec_from_file_location("tensordojo_local_submission", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _to_numpy(value):
    import numpy as np

    if hasattr(value, "detach") and hasattr(value, "cpu"):  # a torch tensor
        value = value.detach().cpu()
        try:
            return value.numpy()
        except TypeError:  # bfloat16 and friends
            return value.float().numpy()
    return np.asarray(value)


def compare(got, expected, case: dict) -> str | None:
    """None when ``got`` matches ``expected`` within the case's tolerance, else what differs."""
    import numpy as np

    if isinstance(expected, (tuple, list)) and not case.get("allow_lists") or isinstance(expected, tuple):
        if not isinstance(got, (tuple, list)) or len(got) != len(expected):
            return f"expected a sequence of {len(expected)} items, got {type(got).__name__}"
        for index, (g, e) in enumerate(zip(got, expected, strict=True)):
            problem = compare(g, e, case)
            if problem:
                return f"item {index}: {problem}"
        return None
    if isinstance(expected, dict):
        if not isinstance(got, dict) or set(got) != set(expected):
            return f"expected a dict with keys {sorted(expected)}"
        for key in expected:
            problem = compare(got[key], expected[key], case)
            if problem:
                return f"key {key!r}: {problem}"
        return None
    if expected is None or isinstance(expected, (bool, str)):
        return None if got == expected else f"expected {expected!r}, got {got!r}"
    if (
        case.get("strict_dtype")
        and hasattr(expected, "dtype")
        and str(getattr(got, "dtype", "")) != str(expected.dtype)
    ):
        return f"dtype {getattr(got, 'dtype', type(got).__name__)}, expected {expected.dtype}"
    try:
        g, e = _to_numpy(got).astype(float), _to_numpy(expected).astype(float)
    except (TypeError, ValueError):
        return f"expected a number or an array, got {type(got).__name__}"
    if g.shape != e.shape:
        return f"shape {g.shape}, expected {e.shape}"
    axis = case.get("sign_invariant_axis")
    if axis is not None and g.ndim:  # singular vectors may flip sign: align each with the expected one
        dot = np.sum(g * e, axis=axis, keepdims=True)
        g = g * np.where(dot < 0, -1.0, 1.0)
    if np.allclose(g, e, rtol=case.get("rtol", 1e-6), atol=case.get("atol", 1e-8), equal_nan=True):
        return None
    worst = np.unravel_index(np.nanargmax(np.abs(g - e)), g.shape) if g.ndim else ()
    return f"values differ (at index {tuple(int(i) for i in worst)}: got {g[worst]!r}, expected {e[worst]!r})"


def run_case(module, case: dict) -> LocalOutcome:
    name = case["name"]
    if not case.get("local", True):
        return LocalOutcome(name, False, f"not run offline: {case.get('why_not_local', '')}")
    function = getattr(module, case["entry"], None)
    if not callable(function):
        return LocalOutcome(name, False, f"your file defines no function {case['entry']}()")
    args, kwargs = decode(case["args"]), decode(case["kwargs"])
    try:
        got = function(*args, **kwargs)
    except Exception as exc:  # the learner's error, shown like Python would
        if case.get("expect_error") and type(exc).__name__ == case["expect_error"]:
            return LocalOutcome(name, True, f"raised {case['expect_error']} as expected")
        frames = traceback.format_exception(type(exc), exc, exc.__traceback__)
        return LocalOutcome(name, False, "raised an error:\n" + "".join(frames[-3:]).rstrip())
    if case.get("expect_error"):
        return LocalOutcome(name, False, f"expected {case['expect_error']} to be raised; it returned a value")
    problem = compare(got, decode(case["expected"]), case)
    note = (
        " (this case has its own check on the server; offline it is compared loosely)"
        if case.get("custom_check")
        else ""
    )
    return LocalOutcome(name, problem is None, (problem or "matches the reference") + note)


def run_local(cases: list[dict], path: Path) -> list[LocalOutcome]:
    """Run every published visible case against the file at ``path``."""
    sys.path.insert(0, str(path.parent))
    try:
        module = load_module(path)
    finally:
        sys.path.pop(0)
    return [run_case(module, case) for case in cases]
