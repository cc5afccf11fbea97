"""Wrong solutions that no listed mistake explains are told what differs, and no mistake is named.

Each file under unnamed/<slug>/ is a wrong solution a learner wrote, whose failures once
coincided, case by case, with a mistake it does not make (an integer answer, a single-term sum,
a shared error message). Its header says what must be named over the whole run:
``# named: nothing``, or ``# named: <id>`` for the one mistake it does make.
"""

import re
from pathlib import Path

import pytest

from grader.authoring import importable
from tests.exercises.test_variants import _id, _modules

HERE = Path(__file__).resolve().parent
UNNAMED = sorted((HERE / "unnamed").glob("*/*.py"))
NAMED = re.compile(r"^#\s*named:\s*(?P<ids>[a-z0-9, -]+?)\s*$", re.M)


def _expected(path: Path) -> set[str]:
    ids = {i.strip() for i in NAMED.search(path.read_text(encoding="utf-8")).group("ids").split(",")}
    return ids - {"nothing"}


@pytest.mark.parametrize("learner", [p for p in UNNAMED if importable(_modules(p.parent.name))], ids=_id)
@pytest.mark.parametrize("seed", [None, 101, 202])
def test_a_wrong_solution_no_mistake_explains_is_named_nothing_else(grade, learner, seed):
    graded = grade(learner.parent.name, learner, seed=seed)

    assert not graded.accepted, graded
    assert graded.diagnoses <= _expected(learner), graded
