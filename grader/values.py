"""Values reported by a sandbox, rebuilt outside as plain data.

The tree in results.json refers to arrays by name; here they become NumPy
arrays (already validated by grader.protocol), tensors become TensorValue
(the numbers plus the dtype and device they had), and nothing else exists.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


class BadValue(Exception):
    """The tree refers to something that is not there or is malformed."""


@dataclass(frozen=True)
class TensorValue:
    array: np.ndarray
    dtype: str  # e.g. "float32", "bfloat16"
    device: str  # e.g. "cpu", "cuda:0"

    @property
    def shape(self) -> tuple:
        return self.array.shape


def rebuild(tree, arrays: dict[str, np.ndarray], depth: int = 0):
    """The value a JSON tree (as frames.loads_strict reads it) describes, or BadValue: nothing else.

    At most 11 levels deep (codec.MAX_DEPTH, 8, is what an honest runner writes), so the
    recursion is bounded by construction, not by the interpreter's limit.
    """
    if depth > 10:
        raise BadValue("nested too deeply")
    if tree is None or isinstance(tree, (bool, int, float, str)):
        return tree
    if isinstance(tree, list):
        return [rebuild(v, arrays, depth + 1) for v in tree]
    if not isinstance(tree, dict):
        raise BadValue(f"unexpected {type(tree).__name__}")
    if "$float" in tree:
        text = tree["$float"]
        if type(text) is not str or text not in ("nan", "inf", "-inf"):
            raise BadValue("bad float")
        return float(text)
    if "$list" in tree:
        return [rebuild(v, arrays, depth + 1) for v in _seq(tree["$list"])]
    if "$tuple" in tree:
        return tuple(rebuild(v, arrays, depth + 1) for v in _seq(tree["$tuple"]))
    if "$array" in tree:
        name = tree["$array"]
        if not isinstance(name, str) or name not in arrays:
            raise BadValue("missing array")
        array = arrays[name]
        if tree.get("tensor"):
            return TensorValue(array, str(tree.get("dtype", ""))[:32], str(tree.get("device", ""))[:32])
        if tree.get("scalar"):
            return array.reshape(()) if array.size == 1 else array
        return array
    raise BadValue("unknown node")


def _seq(value) -> list:
    if not isinstance(value, list):
        raise BadValue("expected a list")
    return value


def describe(value) -> str:
    """A short description of a value's kind and shape, for feedback."""
    if isinstance(value, TensorValue):
        return f"torch.Tensor of shape {tuple(value.shape)}, dtype {value.dtype}, on {value.device}"
    if isinstance(value, np.ndarray):
        if value.ndim == 0:
            return f"a NumPy scalar ({value.dtype})"
        return f"array of shape {value.shape}, dtype {value.dtype}"
    if isinstance(value, tuple):
        return f"tuple of {len(value)}"
    if isinstance(value, list):
        return f"list of {len(value)}"
    if value is None:
        return "None"
    return type(value).__name__
