"""vectorise-pairwise: the visible case catches an unclipped expansion; big negatives are not round-off."""

from pathlib import Path

SLUG = "vectorise-pairwise"
MISTAKES = Path(__file__).resolve().parents[2] / "exercises" / SLUG / "mistakes"


def test_the_visible_self_distance_case_catches_a_missing_clip(grade):
    graded = grade(SLUG, MISTAKES / "no_clip.py")

    case = graded.outcome("points against themselves, far from the origin")
    assert case.case.visible and not case.passed and case.diagnosis == "negative-distances"


def test_norms_added_along_swapped_axes_are_not_blamed_on_round_off(grade):
    source = "def pairwise_sq_dists(X, Y):\n    return (X**2).sum(1)[None, :] + (Y**2).sum(1)[:, None] - 2 * X @ Y.T\n"

    graded = grade(SLUG, source)

    wrong_axes = graded.outcome("hidden: as many points in Y as in X")
    assert wrong_axes.diagnosis == "norms-on-wrong-axes"


def test_a_large_negative_of_unknown_cause_is_not_called_round_off(grade):
    source = "def pairwise_sq_dists(X, Y):\n    return -2 * X @ Y.T\n"

    graded = grade(SLUG, source)

    assert "negative-distances" not in graded.diagnoses
    assert graded.outcome("5 x 3 points in 4-D").diagnosis in (None, "far-below-zero")
