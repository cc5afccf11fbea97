"""A hidden case reads back the same words whatever its hidden input: no bit of it can be encoded.

The attack: a submission that passes the visible case and, on the hidden one, turns bits of
the hidden input into *where* it raises (a table of one-line raisers, some after thousands of
blank lines) and *which* class it raises (its own ValueError subclasses, built-in ones of the
same family). Graded on several pool entries (several
hidden inputs), every hidden result, and the run's headline, must be the same.
"""

from __future__ import annotations

import json

import numpy as np
import pytest

from grader.backends.process_backend import ProcessBackend
from grader.grading import grade
from grader.jobs import case_seed, pool_cases_from_seed

pytestmark = [pytest.mark.slow]  # fresh interpreters through the process backend: seconds

ATTACK = """
import numpy as np


class Bit0(ValueError):
    pass


class Bit1(ValueError):
    pass


def r0(): raise Bit0("0")
def r1(): raise Bit1("1")
def r2(): raise ValueError("2")
def r3(): raise UnicodeError("3")
def r4(): raise Bit0("4")
def r5(): raise Bit1("5")
PADDING
def r6(): raise Bit0("6")
PADDING
def r7(): raise Bit1("7")


def bits(x):
    return int(abs(float(np.asarray(x).ravel()[0])) * 1e6) % 8


def solve(x):
    x = np.asarray(x)
    if x.shape == (4,):
        return x * 2
    [r0, r1, r2, r3, r4, r5, r6, r7][bits(x)]()
""".replace("PADDING", "\n" * 4000)  # raisers far down the file: line numbers up to 8000 to choose from
POOLS = range(4)


def hidden_bits(exercise, pool: int) -> int:
    hidden = next(c for c in pool_cases_from_seed(exercise, case_seed(exercise, pool)) if not c.visible)
    return int(abs(float(np.asarray(hidden.args[0]).ravel()[0])) * 1e6) % 8


def test_a_hidden_case_reads_back_the_same_whatever_bits_its_input_has(probe_exercise, expected_store):
    assert len({hidden_bits(probe_exercise, pool) for pool in POOLS}) > 1  # the attack would choose differently
    backend = ProcessBackend(allow=True)
    seen = set()
    for pool in POOLS:
        result = grade(probe_exercise, ATTACK, backend=backend, store=expected_store, pool_index=pool)
        document = result.to_results_json()
        hidden = [test for test in document["tests"] if test["visibility"] == "hidden"]
        assert hidden and all(test["status"] == "failed" for test in hidden)
        seen.add(json.dumps([hidden, document["output"], document["extra"]], sort_keys=True))

    assert len(seen) == 1, seen
    shown = json.loads(seen.pop())
    assert shown[0][0]["output"] == "Your code raised a ValueError."
    assert "line" not in json.dumps(shown) and "Bit" not in json.dumps(shown)
