"""A learner's natural variants are accepted wherever the statement allows them.

Each file under variants/<slug>/ is a correct solution written the way a learner might
(NumPy scalar types, lists where the contract allows them, float32 inputs, flipped
singular vectors, lstsq without rcond, ...). Every one must pass every case, on the
shipped cases and on cases built from other seeds.
"""

from pathlib import Path

import pytest

from grader.authoring import importable
from grader.exercise import load_exercise

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
VARIANTS = sorted((HERE / "variants").glob("*/*.py"))


def _id(path: Path) -> str:
    return f"{path.parent.name}/{path.stem}"


IN_PROCESS = [p for p in VARIANTS if importable(load_exercise(ROOT / "exercises" / p.parent.name).modules)]
IN_SANDBOX = [p for p in VARIANTS if p not in IN_PROCESS]


@pytest.mark.parametrize("variant", IN_PROCESS, ids=_id)
@pytest.mark.parametrize("seed", [None, 101, 202])
def test_variant_is_accepted(grade, variant, seed):
    graded = grade(variant.parent.name, variant, seed=seed)

    assert graded.accepted, graded


@pytest.mark.parametrize("variant", IN_SANDBOX, ids=_id)
def test_variant_is_accepted_in_the_sandbox(docker_backend, expected_store, variant):
    from grader.grading import grade as grade_submission

    exercise = load_exercise(ROOT / "exercises" / variant.parent.name)
    result = grade_submission(
        exercise, variant.read_text(encoding="utf-8"), backend=docker_backend, store=expected_store
    )

    assert result.verdict == "accepted", [(c.name, c.message) for c in result.cases if not c.passed]
