"""Every exercise's diagnoses are sound on many random seeds (property-based, with Hypothesis).

For each seed: no diagnosis fires on the reference's own output, and each file in mistakes/ is
named by its own diagnosis on the first case where it fails. NumPy exercises run here, in this
process (solution, cases and mistakes are trusted files); PyTorch exercises run the same prover
inside the sandbox image, where PyTorch lives (test_mistake_proof.py, under the rule that a mistake
is named only when it explains the whole run).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tomllib
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from grader.authoring import importable, soundness_problems
from grader.exercise import load_exercise

ROOT = Path(__file__).resolve().parents[2]
EXERCISES = ROOT / "exercises"
SLUGS = sorted(p.name for p in EXERCISES.iterdir() if (p / "exercise.toml").is_file())


def _toml(slug: str) -> dict:
    """Read without loading: a broken folder fails its own test, not the collection of all."""
    return tomllib.loads((EXERCISES / slug / "exercise.toml").read_text(encoding="utf-8"))


HERE_SLUGS = [s for s in SLUGS if importable(_toml(s).get("modules", []))]
# GPU exercises run in images of their own (exercises check proves them through their backend).
SANDBOX_SLUGS = [s for s in SLUGS if s not in HERE_SLUGS and not _toml(s).get("gpu", False)]
SANDBOX_IMAGE = os.environ.get("SANDBOX_IMAGE", "tensordojo/sandbox:latest")


@pytest.mark.parametrize("slug", HERE_SLUGS)
def test_diagnoses_are_sound_on_the_shipped_seed(slug):
    exercise = load_exercise(EXERCISES / slug)

    assert soundness_problems(exercise, exercise.seed) == []


@pytest.mark.slow  # 15 seeds of every exercise: make check proves the shipped seed above, make test these
@pytest.mark.parametrize("slug", HERE_SLUGS)
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(min_value=1, max_value=2**32 - 1))
def test_diagnoses_are_sound_on_random_seeds(slug, seed):
    exercise = load_exercise(EXERCISES / slug)

    assert soundness_problems(exercise, seed) == []


def _sandbox_image_present() -> bool:
    if shutil.which("docker") is None:
        return False
    return subprocess.run(["docker", "image", "inspect", SANDBOX_IMAGE], capture_output=True).returncode == 0
