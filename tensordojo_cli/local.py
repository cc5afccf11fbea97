"""Offline runs: the visible cases, in the learner's own Python, from what the server publishes.

The server's GET /api/exercises/<slug>/visible-cases gives each visible case's
arguments and the reference's output (arrays as base64 .npy). This module
rebuilds them, calls the learner's function, records the call as the sandbox
would (grader.in_process) and hands it to the grader's own judge
(grader.judge.judge_case) with the case's published rules: the same comparison,
the same words. It is a convenience for working offline: the server's grading
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

from grader import in_process
from grader.cases import Case
from grader.judge import judge_case, tolerance
from grader.protocol import RecordStatus
from grader.reference import Expected
from grader.results import CaseStatus
from grader.values import TensorValue


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


def expected_value(node):
    """The reference's published output as the judge compares it (tensors as TensorValue, on the CPU)."""
    if isinstance(node, list):
        return [expected_value(v) for v in node]
    if isinstance(node, dict) and "$tensor" in node:
        return TensorValue(_array(node["$tensor"]), str(node.get("dtype", "float32")), "cpu")
    if isinstance(node, dict) and "$tuple" in node:
        return tuple(expected_value(v) for v in node["$tuple"])
    return decode(node)


def case_of(published: dict) -> Case:
    """The published case as the judge reads it: its entry point and its rules of comparison."""
    return Case(
        name=published["name"],
        entry=published["entry"],
        rtol=published.get("rtol"),
        atol=published.get("atol"),
        strict_dtype=bool(published.get("strict_dtype")),
        allow_lists=bool(published.get("allow_lists")),
        sign_invariant_axis=published.get("sign_invariant_axis"),
        expect_error=published.get("expect_error"),
    )


def run_case(module, published: dict) -> LocalOutcome:
    name = published["name"]
    if not published.get("local", True):
        return LocalOutcome(name, False, f"not run offline: {published.get('why_not_local', '')}")
    case = case_of(published)
    args, kwargs = decode(published["args"]), decode(published["kwargs"])
    function = getattr(module, case.entry, None)
    shown = ""
    if not callable(function):
        record = in_process.call(None, (), {})
    else:
        try:
            record = in_process.returned(function(*args, **kwargs), sys.modules.get("torch"))
        except Exception as exc:  # the learner's error: judged as the server would, shown like Python would
            record = in_process.raised(exc)
            frames = traceback.format_exception(type(exc), exc, exc.__traceback__)
            shown = "raised an error:\n" + "".join(frames[-3:]).rstrip()
    if case.expect_error:
        expected = Expected(RecordStatus.RAISED, error_type=case.expect_error)
    else:
        expected = Expected(RecordStatus.RETURNED, value=expected_value(published["expected"]))
    judged = judge_case(case, record, expected, rules=tolerance(case)).result
    message = "\n".join(p for p in (judged.message, judged.detail) if p)
    if judged.status == CaseStatus.ERROR and shown:  # offline, the learner's own traceback says more
        message = shown
    if published.get("custom_check"):
        message += " (this case has its own check on the server; offline it is compared by the default rules)"
    return LocalOutcome(name, judged.passed, message)


def run_local(cases: list[dict], path: Path) -> list[LocalOutcome]:
    """Run every published visible case against the file at ``path``."""
    sys.path.insert(0, str(path.parent))
    try:
        module = load_module(path)
    finally:
        sys.path.pop(0)
    return [run_case(module, case) for case in cases]
