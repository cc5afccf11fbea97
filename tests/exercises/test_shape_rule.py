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
