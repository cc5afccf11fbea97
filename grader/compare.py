"""Trusted comparison of a learner's value with the reference's.

Shapes first, then values; each mismatch says what was expected and what
came back in words a learner can act on (where the largest error is, how
many entries are off), and carries the numbers for diagnoses.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from grader.harness.contract import MismatchKind
from grader.values import TensorValue, describe


@dataclass
class Mismatch:
    kind: MismatchKind  # see contract.MismatchKind (an exercise's own check may pass a plain string)
    message: str  # safe to show for hidden cases too: no input values
    detail: str = ""  # numbers; shown for visible cases only
    path: str = "output"
    data: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Tolerance:
    rtol: float
    atol: float
    strict_dtype: bool = False
    allow_lists: bool = False
    sign_invariant_axis: int | None = None


def compare(got, expected, rules: Tolerance, path: str = "output") -> Mismatch | None:
    """None when got matches expected under the rules."""
    if isinstance(expected, (tuple, list)) and not _is_numeric_list(expected):
        return _compare_sequence(got, expected, rules, path)
    if isinstance(expected, TensorValue):
        return _compare_tensor(got, expected, rules, path)
    if isinstance(expected, np.ndarray) or _is_numeric_list(expected):
        return _compare_array(got, np.asarray(expected), rules, path)
    if isinstance(expected, bool) or expected is None or isinstance(expected, str):
        if got is expected or (type(got) is type(expected) and got == expected):
            return None
        if isinstance(expected, bool) and isinstance(got, np.ndarray) and got.ndim == 0 and got.dtype == bool:
            return (
                None
                if bool(got) == expected
                else Mismatch(MismatchKind.VALUES, f"{path}: expected {expected}, got {bool(got)}")
            )
        return Mismatch(MismatchKind.VALUES, f"{path}: expected {expected!r}, got {_short(got)}")
    if isinstance(expected, (int, float)):
        return _compare_array(got, np.asarray(expected, dtype=float), rules, path)
    return Mismatch(MismatchKind.TYPE, f"{path}: cannot compare with {type(expected).__name__}")


def _is_numeric_list(value) -> bool:
    if not isinstance(value, list) or not value:
        return False
    try:
        array = np.asarray(value)
    except (ValueError, TypeError):
        return False
    return array.dtype.kind in "biuf"


def _compare_sequence(got, expected, rules: Tolerance, path: str) -> Mismatch | None:
    if not isinstance(got, (tuple, list)):
        return Mismatch(MismatchKind.TYPE, f"{path}: expected a tuple of {len(expected)} values, got {describe(got)}")
    if len(got) != len(expected):
        return Mismatch(MismatchKind.LENGTH, f"{path}: expected {len(expected)} values, got {len(got)}")
    for index, (g, e) in enumerate(zip(got, expected, strict=True)):
        mismatch = compare(g, e, rules, f"{path}[{index}]")
        if mismatch:
            return mismatch
    return None


def _compare_tensor(got, expected: TensorValue, rules: Tolerance, path: str) -> Mismatch | None:
    if not isinstance(got, TensorValue):
        return Mismatch(MismatchKind.TYPE, f"{path}: expected a torch.Tensor, got {describe(got)}")
    if got.device.split(":")[0] != expected.device.split(":")[0]:
        return Mismatch(
            "device",
            f"{path}: expected a tensor on {expected.device}, got one on {got.device}",
            data={"got_device": got.device, "expected_device": expected.device},
        )
    if rules.strict_dtype and str(got.dtype) != str(expected.dtype):
        return _dtype_mismatch(path, str(got.dtype), str(expected.dtype))
    return _compare_array(got.array, expected.array, rules, path)


def _compare_array(got, expected: np.ndarray, rules: Tolerance, path: str) -> Mismatch | None:
    if isinstance(got, TensorValue):
        return Mismatch(MismatchKind.TYPE, f"{path}: expected a NumPy array, got a torch.Tensor")
    if isinstance(got, list) and (rules.allow_lists or expected.ndim == 0):
        try:
            got = np.asarray(got, dtype=float)
        except (ValueError, TypeError):
            return Mismatch(MismatchKind.TYPE, f"{path}: the nested list is ragged or not all numbers")
    elif isinstance(got, (int, float)) and not isinstance(got, bool):
        got = np.asarray(got, dtype=float)
    if isinstance(got, list):
        return Mismatch(MismatchKind.TYPE, f"{path}: expected a NumPy array, got a Python list")
    if not isinstance(got, np.ndarray):
        return Mismatch(MismatchKind.TYPE, f"{path}: expected {describe(expected)}, got {describe(got)}")
    if got.shape != expected.shape:
        hint = ""
        if got.ndim == 2 and got.shape == expected.shape[::-1]:
            hint = " (the transpose of the expected shape)"
        return Mismatch(
            "shape",
            f"{path}: expected shape {expected.shape}, got {got.shape}{hint}",
            data={"got_shape": got.shape, "expected_shape": expected.shape},
        )
    if rules.strict_dtype and str(got.dtype) != str(expected.dtype):
        return _dtype_mismatch(path, str(got.dtype), str(expected.dtype))
    g = got.astype(np.float64)
    e = expected.astype(np.float64)
    bad_finite = ~np.isfinite(g) & np.isfinite(e)
    if bad_finite.any():
        where = tuple(int(i) for i in np.argwhere(bad_finite)[0])
        return Mismatch(
            "nonfinite",
            f"{path}: contains NaN or infinity where a finite number was expected",
            detail=f"first at index {where}",
            data={"count": int(bad_finite.sum())},
        )
    if rules.sign_invariant_axis is not None and g.ndim >= 1:
        g = _align_signs(g, e, rules.sign_invariant_axis)
    with np.errstate(invalid="ignore"):
        diff = np.abs(g - e)
        allowed = rules.atol + rules.rtol * np.abs(e)
        # Where the expected value is infinite, the tolerance is infinite too: only equality counts.
        wrong = ~(((diff <= allowed) & np.isfinite(e)) | (np.isnan(g) & np.isnan(e)) | (g == e))
    if not wrong.any():
        return None
    # The largest error among the wrong entries; a NaN error (NaN expected, a number given) ranks first.
    ranked = np.where(wrong, np.nan_to_num(diff, nan=np.inf), -1.0)
    worst = np.unravel_index(int(np.argmax(ranked)), e.shape) if e.ndim else ()
    worst = tuple(int(i) for i in worst)
    detail = (
        f"{int(wrong.sum())} of {e.size} entries differ; largest error {float(diff[worst]):.4g} at index "
        f"{worst}: expected {float(e[worst]):.6g}, got {float(g[worst]):.6g} "
        f"(tolerance rtol={rules.rtol:g}, atol={rules.atol:g})"
    )
    return Mismatch(
        "values",
        f"{path}: wrong values",
        detail=detail,
        data={"wrong": int(wrong.sum()), "size": int(e.size), "max_error": float(diff[worst])},
    )


def _dtype_mismatch(path: str, got: str, expected: str) -> Mismatch:
    return Mismatch(
        "dtype", f"{path}: expected dtype {expected}, got {got}", data={"got_dtype": got, "expected_dtype": expected}
    )


def _align_signs(got: np.ndarray, expected: np.ndarray, axis: int) -> np.ndarray:
    """Flip each vector along ``axis`` to the sign that best matches expected."""
    moved_g = np.moveaxis(got, axis, -1)
    moved_e = np.moveaxis(expected, axis, -1)
    sign = np.sign(np.sum(moved_g * moved_e, axis=-1, keepdims=True))
    sign[sign == 0] = 1
    return np.moveaxis(moved_g * sign, -1, axis)


def _short(value) -> str:
    text = repr(value) if isinstance(value, (bool, int, float, str)) or value is None else describe(value)
    return text[:80]
