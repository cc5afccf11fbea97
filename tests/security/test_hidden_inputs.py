"""Hidden inputs stay hidden: no file, frame, fd, memory or feedback text carries them to the learner.

Each attack in attacks/leaks/ grades the hostile-probe exercise, whose hidden cases
carry canaries (numbers found nowhere else) besides their random values. The
hidden inputs are computed here, on the trusted side, from the exercise's cases,
and searched for in everything the learner is shown: the printed output, the
messages, the tests' feedback and tracebacks, and every case's detail. Learner
text planted in class names, function names and source lines ("LEARNER_TEXT")
must not reach hidden-case feedback either.
"""

from __future__ import annotations

import builtins
import json
import re
from dataclasses import asdict

import numpy as np
import pytest

from tests.security.conftest import ATTACKS, FIXED_POOL, attack_params, expected_verdicts

pytestmark = [pytest.mark.docker, pytest.mark.security]

MARKER = "LEARNER_TEXT"
LEAKED_TODAY: dict[str, str] = {}  # eight attacks leaked at bb2a02e (see the commit that added them); none since


def _numbers(value) -> list[float]:
    if isinstance(value, (tuple, list)):
        return [n for item in value for n in _numbers(item)]
    try:
        return [float(v) for v in np.asarray(value, dtype=float).ravel()]
    except (TypeError, ValueError):
        return []


@pytest.fixture(scope="module")
def hidden_inputs(hostile_probe, sandbox_backend, expected_store) -> set[str]:
    """Every hidden input as Python prints it (for the seed the batch is graded with), less the visible ones."""
    cases = expected_store.get(hostile_probe, sandbox_backend, *FIXED_POOL.values()).packed.cases
    visible = {repr(v) for case in cases if case.visible for v in _numbers(case.args)}
    hidden = {repr(v) for case in cases if not case.visible for v in _numbers(case.args)}
    canaries = {repr(float(v)) for canary in hostile_probe.cases_module().CANARIES for v in canary}
    assert canaries <= hidden, "the canaries must be hidden inputs"
    return hidden - visible


def everything_shown(graded) -> str:
    """The result as the learner sees it, plus every field of every case (hidden details included)."""
    extra = [] if graded.result is None else [json.dumps(asdict(c), default=str) for c in graded.result.cases]
    return "\n".join([graded.shown(), *extra])


@pytest.mark.parametrize("attack", attack_params("leaks", LEAKED_TODAY))
def test_no_hidden_input_reaches_the_learner(attack, hostile, hostile_probe, hidden_inputs):
    graded = hostile(hostile_probe, attack)
    shown = everything_shown(graded)

    leaked = sorted(value for value in hidden_inputs if value in shown)
    assert not leaked, f"{graded.describe()}: hidden inputs shown to the learner: {leaked[:6]}\n{shown[:3000]}"
    assert MARKER not in shown, f"{graded.describe()}: learner text quoted in feedback\n{shown[:3000]}"


@pytest.mark.parametrize("attack", attack_params("leaks", {}))
def test_a_leak_attempt_gets_a_learner_verdict(attack, hostile, hostile_probe):
    graded = hostile(hostile_probe, attack)

    assert not graded.internal_error, graded.describe()
    assert graded.verdict in expected_verdicts(attack), f"{graded.describe()}\n{graded.shown()[:3000]}"


def test_hidden_case_feedback_names_only_built_in_exceptions(hostile, hostile_probe):
    graded = hostile(hostile_probe, ATTACKS / "leaks" / "exception_class_name.py")
    hidden = [case for case in graded.result.cases if not case.visible and case.status != "passed"]

    assert hidden, graded.describe()
    for case in hidden:
        named = re.findall(r"raised ([A-Z_][A-Za-z0-9_.]*)", case.feedback())  # a class name, not "raised an"
        assert MARKER not in json.dumps(asdict(case), default=str), case.feedback()
        assert all(name in vars(builtins) for name in named), case.feedback()


def test_the_same_submission_graded_again_meets_other_hidden_inputs(sandbox_backend, expected_store, hostile_probe):
    """A reading of the hidden inputs (here: pass/fail by an input's sign) is worthless next time."""
    from grader.grading import grade

    source = (ATTACKS / "leaks" / "oracle_bits.py").read_text()
    readings = set()
    for _ in range(6):  # a pool of k seeds repeats itself six times running with chance 1/k^5
        result = grade(hostile_probe, source, backend=sandbox_backend, store=expected_store)
        readings.add(tuple(case.passed for case in result.cases if case.name.startswith("hidden: bit")))
        if len(readings) > 1:
            break

    assert len(readings) > 1, f"six gradings read the same hidden bits: {readings}"
