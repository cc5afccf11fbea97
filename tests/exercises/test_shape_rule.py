"""shape-rule: each refusal np.matmul makes is named for its own reason, and a right list is not blamed."""

SLUG = "shape-rule"
RIGHT = """
def matmul_shape(a_shape, b_shape):
    a, b = tuple(a_shape), tuple(b_shape)
    if not a or not b:
        raise ValueError("scalars")
    va, vb = len(a) == 1, len(b) == 1
    a = (1,) + a if va else a
    b = b + (1,) if vb else b
    if a[-1] != b[-2]:
        raise ValueError("inner")
    out = []
    for i in range(1, max(len(a), len(b)) - 1):
        x = a[-2 - i] if i + 2 <= len(a) else 1
        y = b[-2 - i] if i + 2 <= len(b) else 1
        if x != y and 1 not in (x, y):
            raise ValueError("batch")
        out.insert(0, y if x == 1 else x)
    out += [a[-2], b[-1]]
    if va:
        out.pop(-2)
    if vb:
        out.pop()
    return {result}
"""


def test_a_right_answer_as_a_list_is_told_to_return_a_tuple(grade):
    graded = grade(SLUG, RIGHT.format(result="out"))

    assert {o.diagnosis for o in graded.failing if not o.case.expect_error} == {"shape-as-list"}


def test_a_missing_inner_size_check_is_named(grade):
    graded = grade(SLUG, RIGHT.format(result="tuple(out)").replace('raise ValueError("inner")', "pass"))

    assert graded.outcome("inner mismatch").diagnosis == "missed-inner-mismatch"
    assert graded.outcome("hidden: vector length mismatch").diagnosis == "missed-inner-mismatch"


def test_a_missing_batch_check_is_named(grade):
    graded = grade(SLUG, RIGHT.format(result="tuple(out)").replace('raise ValueError("batch")', "pass"))

    assert graded.outcome("batch mismatch").diagnosis == "missed-batch-mismatch"
    assert graded.outcome("inner mismatch").passed


def test_hidden_cases_show_no_expected_shape(grade):
    graded = grade(SLUG, RIGHT.format(result="tuple(out) + (1,)"))

    hidden = [o for o in graded.failing if not o.case.visible]
    assert hidden and all("Expected" not in o.message for o in hidden)


def test_the_kept_axes_mistake_is_np_matmuls_own_shape_rule_without_multiplying():
    """``vector-axis-kept`` predicts by shapes alone (it multiplied empty arrays, 14 ms a call, most of
    the check's time): the same shape as np.matmul on the promoted shapes, and the same refusals."""
    import itertools

    import numpy as np

    from grader.exercise import load_exercise
    from tests.conftest import ROOT

    predict = load_exercise(ROOT / "exercises" / SLUG).cases_module()._axes_kept
    shapes = [
        (2, 3),
        (3, 4),
        (5, 1, 2, 3),
        (4, 3, 7),
        (1, 3),
        (3, 1),
        (0, 4, 3),
        (3, 2),
        (2, 1, 4, 1, 3, 6),
        (5, 1, 1, 6, 2),
    ]
    for a, b in itertools.product(shapes, shapes):
        try:
            want = np.matmul(np.empty(a), np.empty(b)).shape
        except ValueError:
            want = "refused"
        try:
            got = predict(a, b)
        except ValueError:
            got = "refused"
        assert got == want, (a, b)
