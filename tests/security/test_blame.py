"""The learner's failure stays the learner's: never an internal error, never a run past its limit.

Each attack in attacks/blame/ turns on the harness itself: signals to PID 1 and the
parent, a death by a real-time signal, forged or malformed frames (NaN, a forged
harness error, unknown case ids, an .npy header declaring 256 GiB, a forged "done"
followed by a long sleep, a 4 GiB frame header), closed or swapped channels,
garbage on every descriptor, a full /tmp, a report bloated past what the grader
reads, text no database stores (lone surrogates, NUL). A fair grader gives the learner's verdict
(runtime_error, time_limit, wrong_answer...), never internal_error, and the grading
ends within the exercise's time limit plus a small grace, with a result that can be
stored and shown.
"""

from __future__ import annotations

import json

import pytest

from tests.security.conftest import GRACE_S, attack_params, expected_verdicts

pytestmark = [pytest.mark.docker, pytest.mark.security]

# At bb2a02e seven of these were internal errors and one ran 25.7 s against 5 s (see the commit that added
# them); at cb0430d a runner dying on every call was still restarted into a boot timeout counted as ours, and a
# full /tmp broke every later boot. None is open now.
OURS_TODAY: dict[str, str] = {}  # blob_table_lies was an internal error at b393821, fixed in 71dafe5
UNSTORABLE_TODAY: dict[str, str] = {}
OVERRUN_TODAY: dict[str, str] = {}


@pytest.mark.parametrize("attack", attack_params("blame", OURS_TODAY))
def test_an_attack_on_the_harness_is_never_an_internal_error(attack, hostile, hostile_probe):
    graded = hostile(hostile_probe, attack)

    assert not graded.internal_error, f"{graded.describe()}\n{graded.shown()[:2000]}"


@pytest.mark.parametrize("attack", attack_params("blame", OURS_TODAY))
def test_an_attack_on_the_harness_gets_the_learners_verdict(attack, hostile, hostile_probe):
    graded = hostile(hostile_probe, attack)

    assert graded.verdict in expected_verdicts(attack), f"{graded.describe()}\n{graded.shown()[:2000]}"


@pytest.mark.parametrize("attack", attack_params("blame", OVERRUN_TODAY))
def test_an_attack_on_the_harness_ends_within_limit_and_grace(attack, hostile, hostile_probe):
    graded = hostile(hostile_probe, attack)

    assert not graded.over_budget, f"{graded.describe()}: more than the limit + {GRACE_S:g} s"


def storage_problems(result) -> list[str]:
    """What would stop the result from being stored (PostgreSQL text/jsonb) or shown (UTF-8)."""
    text = json.dumps(result.to_results_json(), ensure_ascii=False, default=str)
    problems = []
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        problems.append(f"not UTF-8: {exc}")
    if "\x00" in text or "\\u0000" in text:
        problems.append("holds a NUL character")
    return problems


@pytest.mark.parametrize("attack", attack_params("blame", UNSTORABLE_TODAY))
def test_an_attack_on_the_harness_leaves_a_result_we_can_store(attack, hostile, hostile_probe):
    graded = hostile(hostile_probe, attack)

    assert graded.result is not None, graded.describe()
    assert not storage_problems(graded.result), f"{graded.describe()}: {storage_problems(graded.result)}"
