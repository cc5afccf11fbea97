"""Hostile bytes on the result channel are the learner's protocol error, whatever their shape: the parsers are total.

Each attack writes, from the learner's code, a result frame that one of our parsers did not read
totally (a status that is a list, an .npy header holding an unhashable literal, a value 1,200 levels
deep that the sandbox's Python 3.13 stored and the worker's 3.11 could not read back, an integer of
4,000 digits), or an older cousin (300,000 levels, a 256 GiB .npy header, NaN). The grader must give
the learner's verdict, never internal_error, within the limit and its grace. Run it under runc and
under gVisor (SANDBOX_RUNTIME=runsc): the parsers are the same code, the kernels are not.
The fuzzer behind these (tests/fuzz/, bench/fuzz.py) throws millions more.
"""

from __future__ import annotations

import pytest

from tests.security.conftest import ATTACKS, GRACE_S, expected_verdicts

pytestmark = [pytest.mark.docker, pytest.mark.security]

PARSER_ATTACKS = [
    "status_is_a_list",
    "npy_header_unhashable",
    "value_nested_1200_deep",
    "integer_past_64_bits",
    "json_depth_bomb",
    "huge_npy_header",
    "nan_frame",
]


@pytest.fixture(params=PARSER_ATTACKS)
def attack(request):
    return ATTACKS / "blame" / f"{request.param}.py"


def test_a_frame_no_parser_should_accept_is_the_learners_error_never_ours(attack, hostile, hostile_probe):
    graded = hostile(hostile_probe, attack)

    assert not graded.internal_error, f"{graded.describe()}\n{graded.shown()[:2000]}"
    assert graded.verdict in expected_verdicts(attack), f"{graded.describe()}\n{graded.shown()[:2000]}"
    assert not graded.over_budget, f"{graded.describe()}: more than the limit + {GRACE_S:g} s"
