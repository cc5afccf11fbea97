"""Comparison says what was expected and what came back: shapes first, then values."""

import numpy as np

from grader.compare import Tolerance, compare
from grader.values import TensorValue

STRICT = Tolerance(rtol=1e-6, atol=1e-8)


def test_equal_arrays_match():
    assert compare(np.eye(2), np.eye(2), STRICT) is None


def test_a_shape_mismatch_names_both_shapes_and_spots_a_transpose():
    mismatch = compare(np.zeros((3, 2)), np.zeros((2, 3)), STRICT)
    assert mismatch.kind == "shape" and "(2, 3)" in mismatch.message and "transpose" in mismatch.message


def test_wrong_values_report_the_largest_error_and_where():
    got = np.array([[1.0, 2.0], [3.0, 40.0]])
    mismatch = compare(got, np.array([[1.0, 2.0], [3.0, 4.0]]), STRICT)
    assert mismatch.kind == "values" and "1 of 4 entries differ" in mismatch.detail and "(1, 1)" in mismatch.detail


def test_nan_where_a_number_was_expected_is_its_own_kind():
    assert compare(np.array([np.nan, 1.0]), np.array([0.5, 1.0]), STRICT).kind == "nonfinite"


def test_lists_count_as_arrays_only_when_allowed():
    assert compare([[1.0, 2.0]], np.array([[1.0, 2.0]]), STRICT).kind == "type"
    assert compare([[1.0, 2.0]], np.array([[1.0, 2.0]]), Tolerance(1e-6, 1e-8, allow_lists=True)) is None


def test_sign_invariant_comparison_accepts_flipped_vectors():
    expected = np.array([[0.6, 0.8], [0.8, -0.6]])
    got = expected * np.array([[-1.0], [1.0]])
    assert compare(got, expected, STRICT) is not None
    assert compare(got, expected, Tolerance(1e-6, 1e-8, sign_invariant_axis=1)) is None


def test_tensors_must_match_device_and_when_strict_dtype():
    expected = TensorValue(np.ones(2, np.float32), "float32", "cpu")
    assert (
        compare(TensorValue(np.ones(2), "float64", "cpu"), expected, Tolerance(1e-4, 1e-5, strict_dtype=True)).kind
        == "dtype"
    )
    assert compare(TensorValue(np.ones(2), "float32", "cuda:0"), expected, STRICT).kind == "device"
    assert compare(np.ones(2), expected, STRICT).kind == "type"


def test_tuples_are_compared_item_by_item_with_a_path():
    mismatch = compare((np.ones(2), np.zeros(2)), (np.ones(2), np.ones(2)), STRICT)
    assert mismatch.path == "output[1]" or "output[1]" in mismatch.message


def test_an_expected_infinity_is_matched_only_by_the_same_infinity():
    """atol + rtol * inf is inf: without care any finite number, or -inf, would pass for +inf."""
    expected = np.array([np.inf, -np.inf, 1.0])
    assert compare(np.array([np.inf, -np.inf, 1.0]), expected, Tolerance(rtol=1e-6, atol=1e-8)) is None
    for wrong in ([1e308, -np.inf, 1.0], [-np.inf, -np.inf, 1.0], [np.inf, 0.0, 1.0]):
        assert compare(np.array(wrong), expected, Tolerance(rtol=1e-6, atol=1e-8)).kind in ("values", "nonfinite")


def test_finite_values_where_nan_is_expected_are_wrong_values_not_a_crash():
    mismatch = compare(np.array([1.0, 2.0]), np.array([np.nan, np.nan]), Tolerance(rtol=1e-6, atol=1e-8))
    assert mismatch.kind == "values" and "2 of 2 entries differ" in mismatch.detail
