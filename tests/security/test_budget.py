"""The whole batch of hostile files, graded through the real sandbox: zero internal errors, no overrun.

Every hostile file of the suite (attacks/*.py on sandbox-probe, leaks and blame on
hostile-probe, timing on vectorise-pairwise, forbidden on matmul-by-hand) is graded
once per session; each grading's wall time is measured around grade() with the
exercise's reference outputs already cached. The class tests say what each attack
deserves; this test says the batch as a whole cost nothing on our side.
"""

from __future__ import annotations

import pytest

from tests.security.conftest import ATTACKS, GRACE_S, attack_files

pytestmark = [pytest.mark.docker, pytest.mark.security]


def test_the_hostile_batch_has_no_internal_error_and_no_run_past_its_limit(
    docker_backend, sandbox_backend, hostile, probe_exercise, hostile_probe, pairwise_exercise, matmul_exercise
):
    if sandbox_backend is not docker_backend:
        pytest.skip("the budget counts only through the Docker sandbox")
    batch = [(probe_exercise, path) for path in sorted(ATTACKS.glob("*.py"))]
    batch += [(hostile_probe, path) for path in attack_files("leaks") + attack_files("blame") + attack_files("carry")]
    batch += [(pairwise_exercise, path) for path in attack_files("timing")]
    batch += [(matmul_exercise, path) for path in attack_files("forbidden")]

    graded = [hostile(exercise, path) for exercise, path in batch]

    internal = [g.describe() for g in graded if g.internal_error]
    overrun = [g.describe() for g in graded if g.over_budget]
    slowest = max(graded, key=lambda g: g.wall_s - g.exercise.limits.wall_s)
    assert not internal, f"{len(internal)} of {len(graded)} gradings were internal errors: {internal}"
    assert not overrun, f"{len(overrun)} of {len(graded)} gradings ran past limit + {GRACE_S:g} s: {overrun}"
    assert slowest.wall_s <= slowest.exercise.limits.wall_s + GRACE_S
