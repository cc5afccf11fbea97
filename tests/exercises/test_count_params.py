"""count-params: a right total is accepted whatever integer type carries it, and never blamed."""

SLUG = "count-params"


def test_a_numpy_integer_total_is_accepted(grade):
    source = "import numpy as np\n\ndef count_params(shapes):\n    return np.int64(sum(a * b + b for a, b in shapes))\n"

    assert grade(SLUG, source).accepted


def test_a_correct_total_on_a_case_is_never_diagnosed(grade):
    # Right on "no layers" (0) and wrong elsewhere: the empty case must not say "only the weights".
    source = "def count_params(shapes):\n    return sum(a * b for a, b in shapes)\n"

    graded = grade(SLUG, source)

    assert graded.outcome("hidden: no layers").passed
    assert graded.outcome("hidden: GPT-sized layer").diagnosis == "forgot-biases"


def test_a_float_total_is_told_to_return_an_int(grade):
    source = "def count_params(shapes):\n    return float(sum(a * b + b for a, b in shapes))\n"

    graded = grade(SLUG, source)

    assert "not a float" in graded.first_failure.message


def test_hidden_cases_do_not_show_the_expected_total(grade):
    source = "def count_params(shapes):\n    return 1 + sum(a * b + b for a, b in shapes)\n"

    graded = grade(SLUG, source)

    for outcome in graded.failing:
        if not outcome.case.visible:
            assert not any(ch.isdigit() for ch in outcome.message), outcome.message
