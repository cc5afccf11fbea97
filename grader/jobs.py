"""From an exercise's cases to the job a sandbox runs.

Visible cases come from the exercise's own seed, so every learner sees the same
examples. Hidden cases come from a seed drawn per submission from a pool of
``pool_size`` seeds per exercise version (``case_seed``, mixed with the pool
secret): a hidden input leaked once is worth nothing to the next learner, and each
pool seed's reference outputs are computed once and cached (grader/reference.py).
Timed cases come from fresh randomness per submission (``timed_cases``): a table
of answers built offline or in an earlier run answers nothing.

A learner's job has three phases, each run by a fresh process: visible (its
printed output is shown), hidden, timed. The reference runs every case in one.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

import numpy as np

from grader.cases import Case
from grader.exercise import ExerciseFolder, ExerciseFormatError
from grader.gpu import cpu_correctness
from grader.harness.contract import Phase, SandboxKind
from grader.limits import Limits
from grader.protocol import ArgumentPacker, build_job
from grader.source_checks import rules_of

DEFAULT_POOL_SIZE = 8


def sandbox_kind(exercise: ExerciseFolder) -> SandboxKind:
    """Which sandbox image an exercise runs in: one without NumPy unless its ``modules`` name it."""
    if exercise.gpu:
        return SandboxKind.TRITON
    return SandboxKind.NUMPY if {"numpy", "torch"} & set(exercise.modules) else SandboxKind.STDLIB


def case_seed(exercise: ExerciseFolder, pool_index: int, secret: str = "") -> int:
    """The seed of one pool entry (``secret`` keeps the pool unguessable from a public cases.py)."""
    digest = hashlib.sha256(f"{secret}\0{exercise.slug}\0{exercise.seed}\0{pool_index}".encode()).digest()
    return int.from_bytes(digest[:8], "big")


def pool_cases_from_seed(exercise: ExerciseFolder, seed: int, *, on_gpu: bool = True) -> list[Case]:
    """A pool entry's cases: visible ones from the exercise's seed, hidden and timed ones from ``seed``
    (``case_seed``: the worker derives it; an exercise host is handed the seed, never the pool secret).

    ``on_gpu=False``: a GPU exercise graded without a GPU (grader.gpu.cpu_correctness).
    """
    base = exercise.build_cases()
    builder = exercise.cases_module().build_cases
    drawn = list(builder(np.random.default_rng(seed)))
    if [getattr(c, "name", None) for c in drawn] != [c.name for c in base]:
        raise ExerciseFormatError(
            exercise.path / "cases.py", "build_cases", "must return the same case names for every seed"
        )
    cases = [b if b.visible and not b.is_timed else d for b, d in zip(base, drawn, strict=True)]
    return cases if on_gpu else cpu_correctness(cases)


def timed_cases(exercise: ExerciseFolder, seed: int) -> dict[str, Case]:
    """The exercise's timed cases built from ``seed`` (per submission: fresh randomness), by name."""
    base = exercise.build_cases()
    drawn = list(exercise.cases_module().build_cases(np.random.default_rng(seed)))
    if [getattr(c, "name", None) for c in drawn] != [c.name for c in base]:
        raise ExerciseFormatError(
            exercise.path / "cases.py", "build_cases", "must return the same case names for every seed"
        )
    return {d.name: d for b, d in zip(base, drawn, strict=True) if b.is_timed}


@dataclass
class PackedCases:
    """The cases of one exercise version and pool seed, packed once and reused for every run."""

    cases: list[Case]
    ids: dict[str, str]  # case name -> id in the job
    job_cases: list[dict]
    arrays: dict[str, np.ndarray]
    pool_index: int = 0
    origin: Any = None  # the grader.exercise_host.Draw they were built from (the host judges by it)

    def by_id(self) -> dict[str, Case]:
        return {self.ids[c.name]: c for c in self.cases}

    def visible_ids(self) -> set[str]:
        return {self.ids[c.name] for c in self.cases if c.visible and not c.is_timed}

    def phases(self, visible_only: bool = False) -> list[dict]:
        groups = {Phase.VISIBLE: [], Phase.HIDDEN: [], Phase.TIMED: []}
        for case in self.cases:
            group = Phase.TIMED if case.is_timed else (Phase.VISIBLE if case.visible else Phase.HIDDEN)
            groups[group].append(self.ids[case.name])
        if visible_only:
            groups = {Phase.VISIBLE: groups[Phase.VISIBLE]}
        return [
            {"name": name, "cases": ids, "keep_output": name == Phase.VISIBLE} for name, ids in groups.items() if ids
        ]

    def reference_phases(self) -> list[dict]:
        return [{"name": Phase.REFERENCE, "cases": [self.ids[c.name] for c in self.cases], "keep_output": False}]


def pack_cases(cases: list[Case], pool_index: int = 0, origin: Any = None) -> PackedCases:
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
                "warmup": [packer.pack(tuple(a)) for a in case.timing.warmup_sets],
                "reps": [packer.pack(tuple(a)) for a in case.timing.arg_sets],
            }
        job_cases.append(entry)
    return PackedCases(
        cases=cases, ids=ids, job_cases=job_cases, arrays=packer.arrays, pool_index=pool_index, origin=origin
    )


def _only(packed: PackedCases, phases: list[dict]) -> tuple[list[dict], dict[str, np.ndarray]]:
    """The cases and arrays the phases use (a visible-only run carries no hidden input)."""
    wanted = {case_id for phase in phases for case_id in phase["cases"]}
    cases = [c for c in packed.job_cases if c["id"] in wanted]
    names: set[str] = set()
    _collect(cases, names)
    return cases, {name: array for name, array in packed.arrays.items() if name in names}


def _collect(tree, names: set[str]) -> None:
    if isinstance(tree, list):
        for item in tree:
            _collect(item, names)
    elif isinstance(tree, dict):
        for key in ("$array", "$tensor"):
            if key in tree:
                names.add(tree[key])
        for value in tree.values():
            _collect(value, names)


def learner_job(exercise: ExerciseFolder, packed: PackedCases, source: str, *, visible_only: bool = False) -> bytes:
    phases = packed.phases(visible_only)
    cases, arrays = _only(packed, phases)
    return build_job(
        source=source,
        cases=cases,
        phases=phases,
        arrays=arrays,
        limits=exercise.limits,
        modules=list(exercise.modules),
        rules=rules_of(exercise.forbidden),
    )


def reference_limits(exercise: ExerciseFolder) -> Limits:
    return exercise.limits.with_overrides(wall_s=exercise.limits.wall_s * 6)


def reference_job(exercise: ExerciseFolder, packed: PackedCases, only: list[str] | None = None) -> bytes:
    """The reference's job: every case, or the cases ``only`` names (a submission's fresh timed ones)."""
    phases = packed.reference_phases()
    if only is not None:
        phases = [{**phases[0], "cases": [i for i in phases[0]["cases"] if i in set(only)]}]
    cases, arrays = _only(packed, phases)
    return build_job(
        source=exercise.solution,
        cases=cases,
        phases=phases,
        arrays=arrays,
        limits=reference_limits(exercise),
        modules=list(exercise.modules),
        rules=rules_of(exercise.forbidden.__class__()),
    )
