"""The catalogue's rows 25-28: the numbers their statements give, and what their cases catch."""

import importlib.util
import math
from pathlib import Path

import numpy as np
import pytest

from grader.authoring import call_in_process, judge_in_process, load_module
from grader.exercise import load_exercise

EXERCISES = Path(__file__).resolve().parents[2] / "exercises"


def solution(slug):
    spec = importlib.util.spec_from_file_location(f"rows_{slug.replace('-', '_')}", EXERCISES / slug / "solution.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# rotary-embedding ------------------------------------------------------------------------------


def test_rope_worked_example_is_the_readmes_table():
    got = solution("rotary-embedding").rope(np.array([[1.0, 0.0, 0.0, 1.0]] * 3), np.array([0, 1, 2]))

    assert np.allclose(
        got.round(4), [[1, 0, 0, 1], [0.5403, -0.0100, 0.8415, 1.0000], [-0.4161, -0.0200, 0.9093, 0.9998]]
    )


def test_rope_keeps_lengths_and_sees_only_the_offset():
    rope = solution("rotary-embedding").rope
    rng = np.random.default_rng(5)
    q, k = rng.standard_normal((2, 16))

    assert np.allclose(np.linalg.norm(rope(q[None], np.array([1234]))), np.linalg.norm(q))
    score = [rope(q[None], np.array([m]))[0] @ rope(k[None], np.array([m - 3]))[0] for m in (3, 10, 500)]
    assert np.allclose(score, score[0])


def test_a_float32_frequency_table_is_off_by_what_the_readme_says():
    d = 16
    exact = 4095 * 10000.0 ** (-np.arange(0, d, 2) / d)
    single = 4095 * (1.0 / 10000 ** (np.arange(0, d, 2).astype(np.float32) / d)).astype(np.float64)

    assert f"{np.abs(single - exact).max():.1e}" == "8.7e-06"


def test_rope_property_cases_name_a_broken_rotation(grade):
    broken = EXERCISES / "rotary-embedding" / "mistakes" / "missing_minus.py"

    graded = grade("rotary-embedding", broken)

    assert "lengths of the vectors changed" in graded.outcome("lengths are preserved").message
    assert "depend only on m - n" in graded.outcome("scores depend only on the offset m - n").message


# activations -----------------------------------------------------------------------------------


def test_activation_numbers_in_the_statement():
    act = solution("activations")
    x = np.array([-3.0, -1.0, -0.5, 0.0, 0.5, 1.0, 3.0])
    grid = np.linspace(-10, 10, 200001)
    erf = 0.5 * grid * (1 + np.vectorize(math.erf)(grid / math.sqrt(2)))
    no_cube = 0.5 * grid * (1 + np.tanh(math.sqrt(2 / math.pi) * grid))

    assert np.allclose(act.sigmoid(x).round(4), [0.0474, 0.2689, 0.3775, 0.5, 0.6225, 0.7311, 0.9526])
    assert np.allclose(act.gelu(x).round(4), [-0.0036, -0.1588, -0.1543, 0, 0.3457, 0.8412, 2.9964])
    assert round(0.5 * (1 + math.erf(1 / math.sqrt(2))), 4) == 0.8413
    assert f"{math.log(np.finfo(float).max):.1f}" == "709.8"
    gap = np.abs(act.gelu(grid) - erf)
    assert f"{gap.max():.1e}" == "4.7e-04" and round(grid[gap.argmax()], 2) == -2.70
    gap = np.abs(act.gelu(grid) - no_cube)
    assert f"{gap.max():.3f}" == "0.034" and round(grid[gap.argmax()], 2) == -2.09
    assert np.all(np.isfinite(act.sigmoid(np.array([-1000.0, 1000.0]))))


@pytest.mark.parametrize("mistake", ["relu_python_max", "sigmoid_naive", "gelu_erf", "gelu_no_cube"])
def test_each_activation_mistake_passes_the_other_functions(grade, mistake):
    graded = grade("activations", EXERCISES / "activations" / "mistakes" / f"{mistake}.py")

    entries = {o.case.entry for o in graded.failing}
    assert len(entries) == 1  # the mistake shows in its own function only


# prediction-shape ------------------------------------------------------------------------------


def test_the_readmes_squeeze_table():
    assert np.zeros((32, 1)).squeeze().shape == (32,)
    assert np.zeros((1, 1)).squeeze().shape == ()
    assert np.zeros((1, 3)).squeeze().shape == (3,)
    assert np.zeros((5, 2)).squeeze().shape == (5, 2)


def test_the_starter_fails_and_is_named_squeeze(grade):
    graded = grade("prediction-shape", EXERCISES / "prediction-shape" / "starter.py")

    assert not graded.accepted and graded.diagnoses == {"squeeze-all-axes"}


def test_a_zero_d_prediction_for_one_sample_is_refused():
    exercise = load_exercise(EXERCISES / "prediction-shape")
    case = next(c for c in exercise.build_cases() if c.name == "one sample")
    starter = load_module(EXERCISES / "prediction-shape" / "starter.py", "prediction_shape_starter")
    reference = load_module(EXERCISES / "prediction-shape" / "solution.py", "prediction_shape_solution")

    (outcome,) = judge_in_process(
        exercise,
        [case],
        {case.name: call_in_process(reference, case)},
        {case.name: call_in_process(starter, case)},
    )

    assert not outcome.passed and outcome.diagnosis == "squeeze-all-axes"


# standardise-then-pca --------------------------------------------------------------------------


def test_standardise_worked_example():
    sol = solution("standardise-then-pca")
    X = np.array([[1.0, 200.0, 7.0], [2.0, 100.0, 7.0], [3.0, 400.0, 7.0], [4.0, 300.0, 7.0]])

    Z = sol.standardise(X)
    components, scores, ratio = sol.pca_standardised(X, 2)

    assert np.allclose(X.std(axis=0).round(4), [1.1180, 111.8034, 0])
    assert np.allclose(
        Z.round(4), [[-1.3416, -0.4472, 0], [-0.4472, -1.3416, 0], [0.4472, 1.3416, 0], [1.3416, 0.4472, 0]]
    )
    assert np.allclose(np.abs(components).round(4), [[0.7071, 0.7071, 0], [0.7071, 0.7071, 0]])
    assert np.allclose(ratio, [0.8, 0.2]) and np.isclose(np.corrcoef(X[:, :2].T)[0, 1], 0.6)
    assert np.allclose(np.abs(scores[:, 0]).round(4), 1.2649)
    assert np.allclose(Z.std(axis=0), [1, 1, 0]) and np.allclose(Z.mean(axis=0), 0)


def test_a_constant_column_stays_zero_and_ddof_one_is_named(grade):
    graded = grade("standardise-then-pca", EXERCISES / "standardise-then-pca" / "mistakes" / "ddof_one.py")

    assert graded.first_failure.diagnosis == "ddof-one"
    assert graded.outcome("pca_standardised: mixed units, k = 2").diagnosis == "ddof-one"
