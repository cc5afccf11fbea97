"""A learner's natural variants are accepted wherever the statement allows them.

Each file under variants/<slug>/ is a correct solution written the way a learner might
(NumPy scalar types, lists where the contract allows them, float32 inputs, flipped
singular vectors, lstsq without rcond, ...). Every one must pass every case, on the
shipped cases and on cases built from other seeds.
"""

import tomllib
from pathlib import Path

import pytest

from grader.authoring import importable
from grader.exercise import load_exercise
from grader.source_checks import find_forbidden

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
VARIANTS = sorted((HERE / "variants").glob("*/*.py"))


def _modules(slug: str) -> list[str]:
    return tomllib.loads((ROOT / "exercises" / slug / "exercise.toml").read_text(encoding="utf-8")).get("modules", [])


def _id(path: Path) -> str:
    return f"{path.parent.name}/{path.stem}"


IN_PROCESS = [p for p in VARIANTS if importable(_modules(p.parent.name))]


@pytest.mark.parametrize("variant", IN_PROCESS, ids=_id)
@pytest.mark.parametrize("seed", [None, 101, 202])
def test_variant_is_accepted(grade, variant, seed):
    graded = grade(variant.parent.name, variant, seed=seed)

    assert graded.accepted, graded


@pytest.mark.parametrize("variant", VARIANTS, ids=_id)
def test_variant_uses_nothing_the_statement_forbids(variant):
    exercise = load_exercise(ROOT / "exercises" / variant.parent.name)

    assert find_forbidden(variant.read_text(encoding="utf-8"), exercise.forbidden) == []


def test_every_exercise_with_variants_is_covered():
    # PyTorch exercises' variants are graded inside the sandbox image (test_soundness.py).
    assert {p.parent.name for p in VARIANTS} - {p.parent.name for p in IN_PROCESS} <= {
        slug
        for slug in (p.parent.name for p in VARIANTS)
        if "torch" in load_exercise(ROOT / "exercises" / slug).modules
    }
