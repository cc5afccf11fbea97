"""Forbidden rules that matter cannot be talked around (matmul-by-hand).

Each attack in attacks/forbidden/ reaches the matrix product by a route a source
check does not see: a pickle GLOBAL, methodcaller/attrgetter, an aliased getattr,
a helper module in /tmp, __builtins__["eval"], exec/compile of strings, the code
and timeit modules, a patched code object, marshal, ctypes, importlib from a
path, NumPy under a computed name or from outside sys.path. The attacks work on
NumPy arrays and on nested lists alike (the exercise moves to a NumPy-free
sandbox). A fair grader never accepts one, and never blames itself.
"""

from __future__ import annotations

import pytest

from tests.security.conftest import attack_params, expected_verdicts

pytestmark = [pytest.mark.docker, pytest.mark.security]

OPEN_ROUTES: dict[str, str] = {}  # every route was accepted at bb2a02e; none is since the NumPy-free sandbox


def test_the_honest_loop_solution_is_accepted(hostile, matmul_exercise):
    graded = hostile(matmul_exercise, matmul_exercise.solution, name="forbidden/reference-solution")

    assert graded.verdict == "accepted", graded.shown()[:2000]


@pytest.mark.parametrize("attack", attack_params("forbidden", OPEN_ROUTES))
def test_a_route_around_the_forbidden_product_is_not_accepted(attack, hostile, matmul_exercise):
    graded = hostile(matmul_exercise, attack)

    assert not graded.internal_error, graded.describe()
    assert graded.verdict in expected_verdicts(attack), f"{graded.describe()}\n{graded.shown()[:2000]}"
