"""Trusted files (solution.py, mistakes/, variants) run in this process and judged by the one judge.

Only trusted code runs here. Each call makes the same round trip as in the sandbox (arguments
packed and decoded by the harness's codec, the value encoded and rebuilt), becomes the same
typed record a sandbox report gives (grader.in_process), and the whole run is judged by
``grader.judge.judge``, diagnoses included: what the proof checks is what learners meet.
"""

from __future__ import annotations

import importlib.util
import io
import json
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType, ModuleType

import numpy as np

from grader import in_process
from grader.cases import Case
from grader.exercise import ExerciseFolder
from grader.harness import codec, fixtures
from grader.jobs import pack_cases
from grader.judge import judge
from grader.protocol import ArgumentPacker, CaseRecord, RecordStatus, Report
from grader.reference import ExpectedSet


@dataclass
class Outcome:
    """One case of one file, judged in this process as the grader judges it."""

    case: Case
    passed: bool
    diagnosis: str | None = None
    message: str = ""


def importable(modules) -> bool:
    """Whether every module an exercise's code needs can be imported in this process."""
    return all(importlib.util.find_spec(name) is not None for name in modules)


def load_module(path: Path, name: str = "tensordojo_trusted") -> ModuleType:
    """Import a trusted file (solution.py, a mistake) as a fresh module."""
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def cases_for_seed(exercise: ExerciseFolder, seed: int) -> list[Case]:
    """The exercise's cases built from another seed (timed cases left out: they prove speed)."""
    cases = exercise.cases_module().build_cases(np.random.default_rng(seed))
    return [c for c in cases if not c.is_timed]


def call_in_process(module: ModuleType, case: Case) -> CaseRecord:
    """Run one case as the sandbox would: arguments and the value make the same round trip."""
    torch = _torch_if_needed(case)
    packer = ArgumentPacker()
    args_tree, kwargs_tree = packer.pack(tuple(case.args)), packer.pack(dict(case.kwargs))
    arrays = _as_sent(packer.arrays)
    args = codec.decode(args_tree, arrays, fixtures, torch)
    kwargs = codec.decode(kwargs_tree, arrays, fixtures, torch)
    return in_process.call(getattr(module, case.entry, None), args, kwargs, torch)


def judge_in_process(
    exercise: ExerciseFolder, cases: list[Case], reference: dict[str, CaseRecord], learner: dict[str, CaseRecord]
) -> list[Outcome]:
    """One run of a file on ``cases`` (records by case name), judged as a submission's run is.

    Every reference record must have returned or raised (``soundness_problems`` says so first)."""
    packed = pack_cases(cases)
    expected = {}
    for case in cases:
        found = in_process.expected_from(reference[case.name])
        if found is None:
            raise ValueError(f"the reference neither returned nor raised on {case.name!r}")
        expected[packed.ids[case.name]] = found
    report = Report(
        cases=MappingProxyType({packed.ids[c.name]: learner[c.name] for c in cases}), phases=MappingProxyType({})
    )
    result = judge(exercise, ExpectedSet(packed=packed, by_id=expected, version=exercise.version), report)
    if result is None:  # only a harness error does this, and an in-process run has none
        raise RuntimeError("the judge found no verdict for an in-process run")
    by_name = {c.name: c for c in cases}
    return [Outcome(by_name[r.name], r.passed, r.diagnosis, r.message) for r in result.cases]


def returned(record: CaseRecord) -> bool:
    return record.first is not None and record.first.status == RecordStatus.RETURNED


def _as_sent(arrays: dict[str, np.ndarray]) -> dict:
    """The arrays as the harness receives them: .npy blobs where it loads NumPy on demand."""
    if not hasattr(codec, "load_numpy"):
        return arrays
    codec.load_numpy()
    blobs = {}
    for name, array in arrays.items():
        buffer = io.BytesIO()
        np.save(buffer, array, allow_pickle=False)
        blobs[name] = buffer.getvalue()
    return blobs


def _torch_if_needed(case: Case):
    packer = ArgumentPacker()
    text = json.dumps(packer.pack((tuple(case.args), dict(case.kwargs))))
    if '"$tensor"' not in text:
        return None
    import torch

    return torch
