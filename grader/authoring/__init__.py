"""Authoring exercises: proving one (`manage.py exercises check`) and scaffolding a new one.

One idea per module:

- ``check``: the steps of `exercises check` through the real sandbox (format, reference,
  starter, mistakes), then soundness and the record of the proof;
- ``expectations``: what a mistake file's header expects, and the fixed seeds every check grades on;
- ``trusted``: trusted files (solution.py, mistakes/) run in this process and judged by the one
  judge (grader/judge.py) that learners meet;
- ``soundness``: the diagnoses proven sound on other seeds (in process, in the sandbox image, or
  through the sandbox);
- ``proofs``: which sandbox versions an exercise was proven on (exercises/.proofs/<slug>.json);
- ``scaffold``: `exercises new`, copying grader/templates/new-exercise/;
- ``__main__``: ``python -m grader.authoring FOLDER...``, the in-process proof.
"""

from grader.authoring.check import CheckReport, Step, check_cost, check_exercise
from grader.authoring.expectations import parse_expectation
from grader.authoring.proofs import proof_path, read_proof
from grader.authoring.scaffold import scaffold
from grader.authoring.soundness import refused_variants, soundness_problems
from grader.authoring.trusted import (
    Outcome,
    call_in_process,
    cases_for_seed,
    importable,
    judge_in_process,
    load_module,
)

__all__ = [
    "CheckReport",
    "Outcome",
    "Step",
    "call_in_process",
    "cases_for_seed",
    "check_cost",
    "check_exercise",
    "importable",
    "judge_in_process",
    "load_module",
    "parse_expectation",
    "proof_path",
    "read_proof",
    "refused_variants",
    "scaffold",
    "soundness_problems",
]
