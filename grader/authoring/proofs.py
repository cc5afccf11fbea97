"""Which sandbox an exercise was proven on: exercises/.proofs/<slug>.json.

After a check passes with ``record``, the Python, NumPy (and PyTorch) versions inside the
sandbox that grades the exercise are read by grading a probe there, and written down with
the exercise's version and the backend.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

from grader.authoring.expectations import check_grade
from grader.backends import Backend
from grader.exercise import ExerciseFolder
from grader.reference import ExpectedStore

PROOFS_DIR = ".proofs"  # exercises/.proofs/<slug>.json: where and on which versions it was proven
VERSIONS_PROBE = """import sys
print("tensordojo-versions", "python", sys.version.split()[0], flush=True)
{torch}
{numpy}
"""
MODULE_PROBE = 'import {name}\nprint("tensordojo-versions", "{name}", {name}.__version__.split("+")[0], flush=True)'


def probed_modules(exercise: ExerciseFolder) -> list[str]:
    """The modules whose versions the probe reads: it is graded as a learner's code, so not a forbidden one.

    (matmul-by-hand and the GPU exercises forbid importing NumPy: their proofs name Python and PyTorch only.)
    """
    wanted = ["numpy"] + (["torch"] if "torch" in exercise.modules else [])
    return [name for name in wanted if name not in exercise.forbidden.modules]


def sandbox_versions(exercise: ExerciseFolder, backend: Backend, store: ExpectedStore) -> dict[str, str]:
    """The Python, NumPy (and PyTorch) versions inside the sandbox that grades this exercise."""
    probed = probed_modules(exercise)
    lines = {name: MODULE_PROBE.format(name=name) if name in probed else "" for name in ("torch", "numpy")}
    result = check_grade(exercise, VERSIONS_PROBE.format(**lines), backend, store)
    versions = {}
    for line in (result.output or "").splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[0] == "tensordojo-versions":
            versions[parts[1]] = parts[2]
    if not all(versions.get(name) for name in ["python", *probed]):  # say why, e.g. the exercise's rules refused it
        versions["error"] = f"{result.verdict}: {result.message}"[:300]
    return versions


def proof_path(exercises_root: Path, slug: str) -> Path:
    return Path(exercises_root) / PROOFS_DIR / f"{slug}.json"


def read_proof(exercises_root: Path, slug: str) -> dict | None:
    """What `exercises check` recorded for an exercise: {version, python, numpy, torch, backend, checked_at}."""
    try:
        return json.loads(proof_path(exercises_root, slug).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def record_proof(report, exercise: ExerciseFolder, backend: Backend, store: ExpectedStore) -> None:
    """Write the proof of a check that passed (``report``: its CheckReport)."""
    versions: dict[str, str] = {}
    for _ in range(2):  # the probe imports PyTorch: a loaded machine can run out of time once
        try:
            versions = sandbox_versions(exercise, backend, store)
        except Exception as exc:  # nothing is recorded rather than a guess
            versions = {"error": f"{type(exc).__name__}: {exc}"[:300]}
        if versions.get("python") and all(versions.get(name) for name in probed_modules(exercise)):
            break
    else:
        report.add("versions", False, f"could not read the sandbox's versions {versions or ''}".strip())
        return
    proof = {
        "slug": exercise.slug,
        "version": exercise.version,
        "backend": backend.name,
        "python": versions.get("python"),
        "numpy": versions.get("numpy"),
        "torch": versions.get("torch"),
        "checked_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }
    target = proof_path(exercise.path.parent, exercise.slug)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(proof, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    report.proof = proof
    report.add("versions", True, ", ".join(f"{k} {v}" for k, v in versions.items()))
