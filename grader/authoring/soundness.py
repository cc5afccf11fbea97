"""Soundness on other seeds: the diagnoses never fire on the reference, and name each mistake.

For each seed beyond the exercise's own, on cases built from it: no diagnosis fires on the
reference's own output, and each mistake file is named by its own diagnosis on the first
case where it fails — judged by the one judge (``trusted.judge_in_process``). That runs in
this process when the exercise's modules are importable here, in the sandbox image (where
they live) otherwise, and through the sandbox on a few seeds where there is no image to use.

The diagnosis rule of "Feedback that never misleads" adds its own proof, over many seeds
(``grader.mistake_proof.prove(exercise, seeds)``); ``mistake_proof_problems`` is the hook
that calls it when that module is there.
"""

from __future__ import annotations

import dataclasses
import importlib
import importlib.util
import shutil
import subprocess
import warnings
from pathlib import Path

import numpy as np

from grader import in_process
from grader.authoring.expectations import check_grade, parse_expectation
from grader.authoring.trusted import (
    call_in_process,
    cases_for_seed,
    importable,
    judge_in_process,
    load_module,
    returned,
)
from grader.compare import Mismatch
from grader.exercise import ExerciseFolder
from grader.harness.contract import MismatchKind
from grader.protocol import RecordStatus

SEEDS_IN_PROCESS = 25  # random seeds proven per exercise when its modules are importable here
SEEDS_IN_SANDBOX = 2  # otherwise, through the sandbox (each seed is two sandbox runs per file)
MISTAKE_PROOF = "grader.mistake_proof"  # the diagnosis rule's own proof, where it exists
REPO_ROOT = Path(__file__).resolve().parents[2]


def soundness_problems(exercise: ExerciseFolder, seed: int) -> list[str]:
    """What is unsound on the cases of one seed, in this process: [] when sound."""
    with warnings.catch_warnings(), np.errstate(all="ignore"):  # mistakes overflow on purpose
        warnings.simplefilter("ignore")
        return _soundness_problems(exercise, seed)


def _soundness_problems(exercise: ExerciseFolder, seed: int) -> list[str]:
    problems = []
    cases = cases_for_seed(exercise, seed)
    solution = load_module(exercise.path / "solution.py")
    reference = {case.name: call_in_process(solution, case) for case in cases}
    broken = False
    for case in cases:
        record = reference[case.name]
        first = record.first
        if in_process.expected_from(record) is None or (first.status == RecordStatus.RAISED and not case.expect_error):
            what = first.error.type if first is not None and first.error else (first.status if first else "nothing")
            problems.append(f"seed {seed}: the reference fails {case.name!r}: {what}")
            broken = True
            continue
        if not returned(record):
            continue
        for probe in (None, Mismatch(MismatchKind.VALUES, "")):
            for diagnosis in list(case.diagnoses) + list(exercise.diagnoses()):
                if diagnosis.applies(case, first.value, first.value, probe):
                    problems.append(f"seed {seed}: {diagnosis.id} fires on the reference's output for {case.name!r}")
    if broken:
        return problems  # nothing to judge the mistakes against
    for path, wanted in _named_mistakes(exercise).items():
        module = load_module(path, f"tensordojo_mistake_{path.stem}")
        outcomes = judge_in_process(exercise, cases, reference, {c.name: call_in_process(module, c) for c in cases})
        failing = [o for o in outcomes if not o.passed]
        if not failing:
            continue  # these cases happen not to catch it; the shipped cases must (checked through the sandbox)
        if failing[0].diagnosis != wanted:
            problems.append(
                f"seed {seed}: {path.name} is named {failing[0].diagnosis or 'nothing'} on its first failing case "
                f"{failing[0].case.name!r}, not {wanted}"
            )
    return problems


def refused_variants(exercise: ExerciseFolder, paths: list[Path], seed: int) -> list[str]:
    """Right solutions that must pass every case: what refuses them, [] when all pass."""
    cases = cases_for_seed(exercise, seed)
    solution = load_module(exercise.path / "solution.py")
    reference = {case.name: call_in_process(solution, case) for case in cases}
    problems = []
    for path in paths:
        module = load_module(path, f"tensordojo_variant_{path.stem}")
        outcomes = judge_in_process(exercise, cases, reference, {c.name: call_in_process(module, c) for c in cases})
        refused = next((o for o in outcomes if not o.passed), None)
        if refused is not None:
            problems.append(f"{path.name} refused on {refused.case.name!r}: {refused.message} ({refused.diagnosis})")
    return problems


def mistake_proof_problems(exercise: ExerciseFolder, seeds: int) -> list[str]:
    """The hook for the diagnosis rule's proof: ``grader.mistake_proof.prove(exercise, seeds)``'s problems.

    [] where that module does not exist (yet): the per-seed proof above still runs."""
    if importlib.util.find_spec(MISTAKE_PROOF) is None:
        return []
    found = importlib.import_module(MISTAKE_PROOF).prove(exercise, seeds)
    return [str(problem) for problem in (found or [])]


def prove(report, exercise: ExerciseFolder, backend, store, seeds: int | None) -> None:
    """The soundness step of `exercises check` (``report``: its CheckReport)."""
    if importable(exercise.modules):
        count = seeds or SEEDS_IN_PROCESS
        problems = []
        for seed in range(exercise.seed + 1, exercise.seed + 1 + count):
            problems += soundness_problems(exercise, seed)
        problems += mistake_proof_problems(exercise, count)
        report.add(
            "soundness",
            not problems,
            f"sound on {count} more seeds (in process)" if not problems else "; ".join(problems[:4]),
        )
        return
    image = getattr(backend, "image", None)
    if image and not exercise.gpu and shutil.which("docker"):  # GPU exercises have images of their own
        count = seeds or SEEDS_IN_PROCESS
        ok, output = prove_in_image(exercise, image, count)
        report.add("soundness", ok, f"sound on {count} more seeds (in {image})" if ok else output[-600:])
        return
    count = seeds or SEEDS_IN_SANDBOX
    problems = []
    for seed in range(exercise.seed + 1, exercise.seed + 1 + count):
        variant = dataclasses.replace(exercise, seed=seed, version=f"{exercise.version}-seed{seed}")
        if check_grade(variant, variant.solution, backend, store).verdict != "accepted":
            problems.append(f"seed {seed}: the reference is not accepted")
            continue
        for path, wanted in _named_mistakes(variant).items():
            result = check_grade(variant, path.read_text(encoding="utf-8"), backend, store)
            first = next((c for c in result.cases if not c.passed), None)
            if first is not None and first.diagnosis != wanted:
                problems.append(f"seed {seed}: {path.name} is named {first.diagnosis or 'nothing'} on {first.name!r}")
    report.add(
        "soundness",
        not problems,
        f"sound on {count} more seeds (through the sandbox)" if not problems else "; ".join(problems[:4]),
    )


def prove_in_image(exercise: ExerciseFolder, image: str, seeds: int) -> tuple[bool, str]:
    """Run the in-process proof inside the sandbox image, where the exercise's modules live.

    Only trusted code runs there (grader/, the exercise folder); no network, read-only mounts."""
    command = ["docker", "run", "--rm", "--network", "none", "--entrypoint", "python3"]
    command += [
        "-v",
        f"{REPO_ROOT / 'grader'}:/proof/grader:ro",
        "-v",
        f"{Path(exercise.path).resolve().parent}:/proof/exercises:ro",
    ]
    command += ["-w", "/proof", "-e", "PYTHONPATH=/proof", "-e", "PYTHONDONTWRITEBYTECODE=1", image]
    command += ["-W", "ignore", "-m", "grader.authoring", f"/proof/exercises/{exercise.slug}", "--seeds", str(seeds)]
    try:
        run = subprocess.run(command, capture_output=True, text=True, timeout=900)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return False, f"could not run the proof in {image}: {exc}"
    return run.returncode == 0, (run.stdout + run.stderr).strip()


def _named_mistakes(exercise: ExerciseFolder) -> dict[Path, str]:
    """Each mistake file whose header names a diagnosis, with that diagnosis."""
    named = {}
    for path in exercise.mistakes():
        expectation = parse_expectation(path.read_text(encoding="utf-8"))
        if expectation and expectation[0] == "diagnosis":
            named[path] = expectation[1]
    return named
