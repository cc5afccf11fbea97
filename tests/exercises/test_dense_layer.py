"""dense-layer: W @ X is named whatever the shapes, and a relu that changes its input is caught."""

from pathlib import Path

SLUG = "dense-layer"
MISTAKES = Path(__file__).resolve().parents[2] / "exercises" / SLUG / "mistakes"


def test_the_literal_w_at_x_is_named_on_square_and_rectangular_cases(grade):
    graded = grade(SLUG, MISTAKES / "w_at_x.py")

    assert graded.outcome("dense: batch 5, 4 -> 3").diagnosis == "weights-on-the-left"  # raises
    assert graded.outcome("dense: batch equals n_out (3x3)").diagnosis == "weights-on-the-left"  # numbers


def test_a_relu_that_clips_its_input_in_place_is_refused_and_named(grade):
    graded = grade(SLUG, MISTAKES / "relu_in_place.py")

    assert graded.outcome("relu: leaves its input unchanged").diagnosis == "relu-in-place"
    assert graded.first_failure.diagnosis == "relu-in-place"


def test_relu_with_out_argument_into_its_input_is_refused(grade):
    source = (
        "import numpy as np\n\n\ndef dense(X, W, b):\n    return X @ W + b\n\n\n"
        "def relu(Z):\n    return np.maximum(Z, 0, out=Z)\n\n\n"
        "def mlp_forward(X, layers):\n    return X\n"
    )

    graded = grade(SLUG, source)

    assert graded.outcome("relu: leaves its input unchanged").diagnosis == "relu-in-place"
