"""Hostile submissions against the real Docker sandbox.

Every file in attacks/ is a submission for the sandbox-probe exercise (solve(x) = 2x)
whose docstring starts with the verdict it must get. For each one we check the
verdict, that no sandbox container is left behind, and that the host is untouched.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from grader.backends.docker_backend import HOST_ROLE, SANDBOX_LABEL
from grader.grading import grade
from tests.security.conftest import expected_verdicts

ATTACKS = sorted((Path(__file__).parent / "attacks").glob("*.py"))
HOST_MARKERS = [Path("/tensordojo-pwned"), Path("/etc/tensordojo-pwned")]

pytestmark = [pytest.mark.docker, pytest.mark.security]


def our_containers(client) -> list[str]:
    """Learner sandbox containers this test process made (others may share the engine: CI runners, colleagues).

    The exercise's own warm host (role exercise-host) stays by design until this process closes it."""
    labels = [SANDBOX_LABEL, f"tensordojo.pid={os.getpid()}"]
    found = client.containers.list(all=True, filters={"label": labels}, ignore_removed=True)
    return [c.name for c in found if c.labels.get("tensordojo.role") != HOST_ROLE]


OPEN: dict[str, str] = {}  # attacks with an unfair verdict today ("racy: ..." for load-dependent ones)


def open_marks(stem: str) -> list:
    gap = OPEN.get(stem)
    return [pytest.mark.xfail(strict=not gap.startswith("racy: "), reason=f"open: {gap}")] if gap else []


@pytest.mark.parametrize(
    "attack",
    [pytest.param(path, id=path.stem, marks=open_marks(path.stem)) for path in ATTACKS],
)
def test_attack_is_contained_with_the_right_verdict(attack, docker_backend, docker_client, probe_exercise, hostile):
    graded = hostile(probe_exercise, attack)  # graded once per session, shared with the budget test
    result = graded.result

    assert result is not None, graded.describe()
    assert result.verdict in expected_verdicts(attack), result.to_results_json()
    assert our_containers(docker_client) == [], "a sandbox container was left behind"
    assert not any(marker.exists() for marker in HOST_MARKERS), "the host file system was written"


def test_limits_are_named_in_the_verdict(docker_backend, probe_exercise, expected_store):
    sleeper = (Path(__file__).parent / "attacks" / "long_sleep.py").read_text()
    bomb = (Path(__file__).parent / "attacks" / "memory_bomb.py").read_text()

    slept = grade(probe_exercise, sleeper, backend=docker_backend, store=expected_store)
    hoarded = grade(probe_exercise, bomb, backend=docker_backend, store=expected_store)

    assert "time limit: 3 s" in slept.message
    assert "memory limit: 256 MiB" in hoarded.message


def test_the_sandbox_environment_holds_no_worker_secrets(docker_backend, probe_exercise, expected_store, monkeypatch):
    monkeypatch.setenv("DJANGO_SECRET_KEY", "worker-secret-value")
    source = (Path(__file__).parent / "attacks" / "read_environment.py").read_text()

    result = grade(probe_exercise, source, backend=docker_backend, store=expected_store)

    assert result.output.startswith("ENV")
    assert "worker-secret-value" not in result.output
    assert "REDIS" not in result.output and "DATABASE" not in result.output


def test_network_attempts_fail_inside_the_sandbox(docker_backend, probe_exercise, expected_store):
    source = (Path(__file__).parent / "attacks" / "network_socket.py").read_text()

    result = grade(probe_exercise, source, backend=docker_backend, store=expected_store)

    failing = next(case for case in result.cases if case.visible)
    message = failing.message.lower()
    assert "oserror" in message or "unreachable" in message or "no network" in message


def test_hidden_case_output_and_messages_are_not_shown(docker_backend, probe_exercise, expected_store):
    source = "def solve(x):\n    print('INPUT', x.tolist())\n    raise ValueError('LEAKED:' + repr(float(x.sum())))\n"

    result = grade(probe_exercise, source, backend=docker_backend, store=expected_store)
    hidden = [case for case in result.cases if not case.visible]

    assert hidden and not any(re.search(r"LEAKED:-?\d", case.feedback()) for case in hidden)
    assert result.output.count("INPUT") == 1  # the visible case's print only
