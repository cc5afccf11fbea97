"""pca-via-svd: a diagnosis names what differs on the case, and standardising is told apart."""

from pathlib import Path

SLUG = "pca-via-svd"
MISTAKES = Path(__file__).resolve().parents[2] / "exercises" / SLUG / "mistakes"


def test_the_centred_worked_example_never_blames_centring(grade):
    graded = grade(SLUG, MISTAKES / "sigma_ratio.py")

    worked = graded.outcome("worked example, k = 2")
    assert not worked.passed and worked.diagnosis == "ratio-from-sigma"


def test_an_uncentred_solution_is_named_where_the_mean_is_far_from_zero(grade):
    graded = grade(SLUG, MISTAKES / "uncentred.py")

    assert graded.outcome("worked example, k = 2").passed  # centred data: the mistake changes nothing
    assert graded.first_failure.diagnosis == "uncentred-data"


def test_standardising_first_is_named(grade):
    graded = grade(SLUG, MISTAKES / "standardised.py")

    assert graded.first_failure.diagnosis == "standardised-data"


def test_hidden_cases_show_no_expected_numbers(grade):
    source = """
import numpy as np


def pca(X, k):
    X = X - X.mean(0)
    U, s, Vt = np.linalg.svd(X, full_matrices=False)
    return Vt[:k], X @ Vt[:k].T + 1.0, s[:k] ** 2 / (s**2).sum()
"""

    graded = grade(SLUG, source)

    hidden = [o for o in graded.failing if not o.case.visible]
    assert hidden and all("expected" not in o.message for o in hidden)
