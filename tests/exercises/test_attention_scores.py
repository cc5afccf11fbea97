"""attention-scores: a ValueError is blamed on K.T only where K.T is what fails."""

SLUG = "attention-scores"


def scores(expression: str) -> str:
    return f"import numpy as np\n\n\ndef attention_scores(Q, K):\n    return {expression} / np.sqrt(Q.shape[-1])\n"


def test_the_lessons_three_axis_transpose_passes_3d_and_is_named_on_4d(grade):
    graded = grade(SLUG, scores("Q @ K.transpose(0, 2, 1)"))

    assert graded.outcome("batch of 3, Tq = Tk = 4, d = 8").passed
    assert graded.outcome("batch x heads (2, 4, 5, 16)").diagnosis == "fixed-axes-transpose"
    assert "k-dot-t-on-batches" not in graded.diagnoses


def test_untransposed_keys_are_named_as_such(grade):
    graded = grade(SLUG, scores("Q @ K"))

    assert graded.outcome("worked example (2-D)").diagnosis == "keys-not-transposed"
    assert graded.outcome("square everything (4, 4, 4)").diagnosis == "keys-not-transposed"
    assert "k-dot-t-on-batches" not in graded.diagnoses


def test_k_dot_t_is_named_where_it_gives_numbers(grade):
    graded = grade(SLUG, scores("Q @ K.T"))

    assert graded.outcome("worked example (2-D)").passed
    assert graded.outcome("square everything (4, 4, 4)").diagnosis == "k-dot-t-on-batches"


def test_an_unrelated_value_error_names_no_transpose_mistake(grade):
    source = """
import numpy as np


def attention_scores(Q, K):
    if Q.ndim > 2:
        raise ValueError("only matrices, please")
    return Q @ K.T / np.sqrt(Q.shape[-1])
"""
    graded = grade(SLUG, source)

    assert not graded.accepted
    assert not graded.diagnoses & {"k-dot-t-on-batches", "keys-transposed-wrongly", "keys-not-transposed"}
