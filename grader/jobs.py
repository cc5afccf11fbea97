"""From an exercise's cases to the job a sandbox runs."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from grader.cases import Case
from grader.exercise import Exercise
from grader.limits import Limits
from grader.protocol import ArgumentPacker, build_job

VISIBLE, HIDDEN, TIMED, REFERENCE = "visible", "hidden", "timed", "reference"


@dataclass
class PackedCases:
    """The cases of one exercise version, packed once and reused for every run."""

    cases: list[Case]
    ids: dict[str, str]  # case name -> id in the job
    job_cases: list[dict]
    arrays: dict[str, np.ndarray]

    def by_id(self) -> dict[str, Case]:
        return {self.ids[c.name]: c for c in self.cases}

    def phases(self) -> list[dict]:
        groups = {VISIBLE: [], HIDDEN: [], TIMED: []}
        for case in self.cases:
            group = TIMED if case.is_timed else (VISIBLE if case.visible else HIDDEN)
            groups[group].append(self.ids[case.name])
        return [{"name": name, "cases": ids} for name, ids in groups.items() if ids]

    def reference_phases(self) -> list[dict]:
        return [{"name": REFERENCE, "cases": [self.ids[c.name] for c in self.cases]}]


def pack_cases(cases: list[Case]) -> PackedCases:
    packer = ArgumentPacker()
    ids, job_cases = {}, []
    for index, case in enumerate(cases):
        case_id = f"c{index}"
        ids[case.name] = case_id
        entry = {
            "id": case_id,
            "entry": case.entry,
            "args": packer.pack(tuple(case.args)),
            "kwargs": packer.pack(dict(case.kwargs)),
        }
        if case.timing:
            entry["timing"] = {
                "arg_sets": [packer.pack(tuple(a)) for a in case.timing.arg_sets],
                "warmup": case.timing.warmup,
            }
        job_cases.append(entry)
    return PackedCases(cases=cases, ids=ids, job_cases=job_cases, arrays=packer.arrays)


def runtime_forbidden(exercise: Exercise) -> list[str]:
    """Names to booby-trap inside the sandbox (a second line behind the source check)."""
    names = list(exercise.forbidden.calls)
    for method in exercise.forbidden.methods:
        if "torch" in exercise.modules:
            names.append(f"torch.Tensor.{method}")
    return names


def learner_job(exercise: Exercise, packed: PackedCases, source: str) -> bytes:
    return build_job(
        source=source,
        cases=packed.job_cases,
        phases=packed.phases(),
        arrays=packed.arrays,
        limits=exercise.limits,
        modules=list(exercise.modules),
        forbidden_runtime=runtime_forbidden(exercise),
    )


def reference_limits(exercise: Exercise) -> Limits:
    return exercise.limits.with_overrides(wall_s=exercise.limits.wall_s * 6)


def reference_job(exercise: Exercise, packed: PackedCases) -> bytes:
    return build_job(
        source=exercise.solution,
        cases=packed.job_cases,
        phases=packed.reference_phases(),
        arrays=packed.arrays,
        limits=reference_limits(exercise),
        modules=list(exercise.modules),
        forbidden_runtime=[],
    )
