"""Every exercise's diagnoses obey the rule: a mistake is named only when it explains the whole run.

grader.mistake_proof runs correct variants, each file in mistakes/ and blends of two of them
(case by case, and entry point by entry point) and fails on any mistake named on code that does
not make it. NumPy exercises run here; PyTorch ones in the sandbox image (test_soundness.py).
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from grader.exercise import load_exercise
from grader.mistake_proof import prove
from tests.conftest import require
from tests.exercises.test_soundness import (
    EXERCISES,
    HERE_SLUGS,
    ROOT,
    SANDBOX_IMAGE,
    SANDBOX_SLUGS,
    _sandbox_image_present,
)


@pytest.mark.parametrize("slug", HERE_SLUGS)
def test_no_mistake_is_named_on_code_that_does_not_make_it_on_the_shipped_seed(slug):
    exercise = load_exercise(EXERCISES / slug)

    assert prove(exercise, [exercise.seed]) == []


@pytest.mark.slow  # many seeds of every exercise: make check proves the shipped seed above, make test these
@pytest.mark.parametrize("slug", HERE_SLUGS)
@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(min_value=1, max_value=2**32 - 1))
def test_no_mistake_is_named_on_code_that_does_not_make_it_on_random_seeds(slug, seed):
    exercise = load_exercise(EXERCISES / slug)

    assert prove(exercise, [seed]) == []


def test_the_proof_catches_a_diagnosis_that_fires_on_a_coincidence(tmp_path):
    # A diagnosis whose model coincides with the right answer on all but one case, and with a
    # mistake it does not model there, is named on that mistake's code: the proof must say so.
    import shutil

    folder = tmp_path / "matmul-by-hand"
    shutil.copytree(EXERCISES / "matmul-by-hand", folder)
    cases = folder / "cases.py"
    cases.write_text(
        cases.read_text(encoding="utf-8")
        + "\n\nDIAGNOSES.append(dx.alternative('always-the-swap', 'Named on anything swapped.', "
        "lambda A, B: _swapped(A, B)))\n",
        encoding="utf-8",
    )
    exercise = load_exercise(Path(folder))

    problems = prove(exercise, [exercise.seed], variants=[])

    assert any("always-the-swap" in p for p in problems), problems


@pytest.mark.docker  # runs the sandbox image: `make check` leaves it to `make test`
@pytest.mark.skipif(not SANDBOX_SLUGS, reason="every exercise's modules are importable here")
def test_pytorch_exercises_name_no_mistake_their_code_does_not_make_in_the_sandbox_image():
    require(_sandbox_image_present(), f"the sandbox image {SANDBOX_IMAGE} is needed to run PyTorch here")
    folders = [f"exercises/{slug}" for slug in SANDBOX_SLUGS]
    command = ["docker", "run", "--rm", "--network", "none", "-v", f"{ROOT}:/repo:ro", "-w", "/repo"]
    command += ["-e", "PYTHONPATH=/repo", "-e", "PYTHONDONTWRITEBYTECODE=1", "--entrypoint", "python3"]
    command += [SANDBOX_IMAGE, "-W", "ignore", "-m", "grader.mistake_proof", *folders]
    command += ["--seeds", "3", "--unnamed", "tests/exercises/unnamed"]

    run = subprocess.run(command, capture_output=True, text=True, timeout=600)

    assert run.returncode == 0, run.stdout + run.stderr[-2000:]
    assert run.stdout.count(": sound") == len(SANDBOX_SLUGS), run.stdout


def test_a_mistake_file_names_the_hint_that_speaks_of_its_mistake():
    from grader.mistake_proof import mistake_hints

    hints = mistake_hints(load_exercise(EXERCISES / "matmul-by-hand"))

    assert hints == {"aliased-rows": 2}  # "# hint: 3": the third hint, "Three loops"


def test_a_hint_number_past_the_last_hint_is_a_problem(tmp_path):
    import shutil

    folder = tmp_path / "matmul-by-hand"
    shutil.copytree(EXERCISES / "matmul-by-hand", folder)
    aliased = folder / "mistakes" / "aliased_rows.py"
    aliased.write_text(aliased.read_text(encoding="utf-8").replace("# hint: 3", "# hint: 9"), encoding="utf-8")

    problems = prove(load_exercise(folder), [], variants=[])

    assert problems == ["the mistake aliased-rows names hint 9; hints.md has 3"]
