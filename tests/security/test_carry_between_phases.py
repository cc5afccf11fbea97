"""A phase's runner finds nothing an earlier phase's runner left in the container.

Phases run in order (visible, hidden, timed), each in a fresh runner, so that what the
learner reads of a later phase (a timed case's measured times, above all) cannot carry a
hidden input forward. That holds only if no state outlives a runner: /tmp and /dev/shm are
emptied between phases (scratch.py); every attack in attacks/carry/ stores a mark
elsewhere, and answers wrongly when a later runner finds an earlier one's mark. Graded on
hostile-probe (a visible phase, then a hidden one). The System V and mq_open routes need
system calls the audit hook refuses to a plain submission; tests/sandbox/test_kernel_boundary.py
shows the kernel refusing them with no hook in the way.
"""

from __future__ import annotations

import pytest

from tests.security.conftest import attack_params, expected_verdicts

pytestmark = [pytest.mark.docker, pytest.mark.security]


@pytest.mark.parametrize("attack", attack_params("carry", {}))
def test_a_later_phase_finds_nothing_an_earlier_phase_left(attack, hostile, hostile_probe):
    graded = hostile(hostile_probe, attack)

    assert not graded.internal_error, graded.describe()
    assert graded.verdict in expected_verdicts(attack), f"{graded.describe()}\n{graded.shown()[:3000]}"
