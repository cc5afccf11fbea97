"""The CLI's offline test judges a published case with the grader's own judge, by the case's rules."""

from __future__ import annotations

import base64
import io
from types import SimpleNamespace

import numpy as np

from tensordojo_cli.local import run_case


def npy(array) -> dict:
    buffer = io.BytesIO()
    np.save(buffer, np.asarray(array), allow_pickle=False)
    return {"$ndarray": base64.b64encode(buffer.getvalue()).decode()}


IDENTITY = np.array([[1.0, 0.0], [0.0, 1.0]])


def published(expected=IDENTITY, **rules) -> dict:
    return {
        "name": "small",
        "entry": "solve",
        "args": {"$tuple": []},
        "kwargs": {"$dict": {}},
        "expected": npy(expected),
        "rtol": 1e-6,
        "atol": 1e-8,
        "local": True,
        **rules,
    }


def learner(function) -> SimpleNamespace:
    return SimpleNamespace(solve=function)


def test_a_value_within_the_case_tolerance_passes():
    assert run_case(learner(lambda: IDENTITY + 1e-9), published()).passed


def test_a_wrong_shape_is_told_in_the_judges_words():
    outcome = run_case(learner(lambda: np.zeros(2)), published())

    assert not outcome.passed and "expected shape (2, 2), got (2,)" in outcome.message


def test_vectors_may_flip_sign_where_the_case_says_so():
    assert run_case(learner(lambda: -IDENTITY), published(sign_invariant_axis=0)).passed
    assert not run_case(learner(lambda: -IDENTITY), published()).passed


def test_a_strict_dtype_is_held_as_on_the_server():
    outcome = run_case(learner(lambda: IDENTITY.astype(np.float32)), published(strict_dtype=True))

    assert not outcome.passed and "expected dtype float64, got float32" in outcome.message


def test_a_tuple_is_compared_part_by_part():
    case = published()
    case["expected"] = {"$tuple": [1.0, 2.0]}

    outcome = run_case(learner(lambda: (1.0, 3.0)), case)

    assert not outcome.passed and "[1]" in outcome.message


def test_a_subclass_of_the_expected_exception_passes_offline_as_on_the_server():
    class ShapeError(ValueError):
        pass

    def solve():
        raise ShapeError("shapes (2, 3) and (2, 3) do not chain")

    case = published(expect_error="ValueError")
    del case["expected"]

    assert run_case(learner(solve), case).passed


def test_an_unexpected_exception_shows_the_learners_own_traceback():
    def solve():
        raise KeyError("oops")

    outcome = run_case(learner(solve), published())

    assert not outcome.passed and "raised an error" in outcome.message and "KeyError" in outcome.message


def test_a_missing_function_is_named():
    outcome = run_case(SimpleNamespace(), published())

    assert not outcome.passed and "solve()" in outcome.message
