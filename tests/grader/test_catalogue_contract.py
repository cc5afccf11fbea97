"""The slugs and entry-point signatures of ../shared/CATALOGUE.md are a contract."""

import importlib.util
import inspect

import numpy as np
import pytest

from grader.exercise import load_all, load_exercise
from tests.conftest import ROOT

CONTRACT = {
    "matmul-by-hand": {"matmul": ["A", "B"]},
    "shape-rule": {"matmul_shape": ["a_shape", "b_shape"]},
    "dense-layer": {"dense": ["X", "W", "b"], "relu": ["Z"], "mlp_forward": ["X", "layers"]},
    "count-params": {"count_params": ["shapes"]},
    "fix-broken-layer": {"init_params": ["n_in", "n_out", "seed"], "forward": ["X", "W", "b"]},
    "linear-or-not": {"collapse": ["weights"], "is_linear": ["f", "dim", "seed"]},
    "transform-2d": {"rotation": ["theta"], "scaling": ["sx", "sy"], "apply": ["points", "M"]},
    "stable-softmax": {"softmax": ["x", "axis"]},
    "attention-scores": {"attention_scores": ["Q", "K"]},
    "scaled-dot-product-attention": {"attention": ["Q", "K", "V", "mask"]},
    "multi-head-attention": {
        "split_heads": ["X", "num_heads"],
        "merge_heads": ["X"],
        "multi_head_attention": ["X", "Wq", "Wk", "Wv", "Wo", "num_heads", "causal"],
    },
    "attention-torch": {"attention": ["q", "k", "v", "causal"]},
    "svd-low-rank": {"low_rank": ["A", "k"], "energy_kept": ["A", "k"]},
    "pca-via-svd": {"pca": ["X", "k"]},
    "least-squares": {"fit": ["X", "y"]},
    "dtype-device": {"predict": ["X", "W", "b"]},
    "vectorise-pairwise": {"pairwise_sq_dists": ["X", "Y"]},
    "svd-shapes": {"svd_parts": ["A", "full"], "reconstruct": ["U", "s", "Vt"]},
    "rank-from-singular-values": {"numerical_rank": ["A", "rtol"]},
    "fix-the-shapes": {"forward": ["X", "params"]},
    "dot-vs-matmul": {
        "dot_shape": ["a_shape", "b_shape"],
        "matmul_shape": ["a_shape", "b_shape"],
        "my_dot": ["a", "b"],
    },
    "device-mismatch": {"predict": ["X", "model"]},
    "rotary-embedding": {"rope": ["x", "positions", "base"]},
    "activations": {"relu": ["x"], "sigmoid": ["x"], "gelu": ["x"], "breaks_linearity": ["f"]},
    "prediction-shape": {"predict": ["X", "layers"]},
    "standardise-then-pca": {"standardise": ["X"], "pca_standardised": ["X", "k"]},
}


def load_module(path):
    spec = importlib.util.spec_from_file_location(f"contract_{path.parent.name}_{path.stem}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# The track follows the lesson (issue 12): positions of the catalogue's exercises.
LESSON_ORDER = {
    "matmul-by-hand": 1,
    "shape-rule": 2,
    "transform-2d": 3,
    "linear-or-not": 4,
    "dense-layer": 5,
    "fix-broken-layer": 6,
    "count-params": 7,
    "fix-the-shapes": 8,
    "dtype-device": 9,
    "device-mismatch": 10,
    "dot-vs-matmul": 11,
    "stable-softmax": 12,
    "attention-scores": 13,
    "scaled-dot-product-attention": 14,
    "multi-head-attention": 15,
    "attention-torch": 16,
    "svd-shapes": 17,
    "rank-from-singular-values": 18,
    "svd-low-rank": 19,
    "pca-via-svd": 20,
    "least-squares": 21,
    "vectorise-pairwise": 22,
    "rotary-embedding": 25,
    "activations": 26,
    "prediction-shape": 27,
    "standardise-then-pca": 28,
}


def test_every_catalogue_exercise_exists_in_order():
    exercises = {e.slug: e for e in load_all(ROOT / "exercises")}
    assert set(CONTRACT) <= set(exercises)
    assert {s: exercises[s].order for s in CONTRACT} == LESSON_ORDER
    orders = [e.order for e in exercises.values() if e.track == "matmul-and-linear-maps"]
    assert len(orders) == len(set(orders)), "two exercises share a position in the track"


@pytest.mark.parametrize("slug", sorted(CONTRACT))
def test_entry_points_have_the_contracted_signatures(slug):
    exercise = load_exercise(ROOT / "exercises" / slug)
    assert set(exercise.entry_points) == set(CONTRACT[slug])
    for file in ("solution.py", "starter.py"):
        if "torch" in exercise.modules and importlib.util.find_spec("torch") is None:
            source = (exercise.path / file).read_text()
            for name in CONTRACT[slug]:
                assert f"def {name}(" in source
            continue
        module = load_module(exercise.path / file)
        for name, params in CONTRACT[slug].items():
            assert list(inspect.signature(getattr(module, name)).parameters) == params, f"{file}:{name}"


@pytest.mark.parametrize("slug", sorted(CONTRACT))
def test_every_exercise_has_at_least_three_mistakes_with_an_expectation(slug):
    from grader.authoring import parse_expectation

    mistakes = load_exercise(ROOT / "exercises" / slug).mistakes()
    assert len(mistakes) >= 3
    assert all(parse_expectation(m.read_text()) for m in mistakes)


def test_shape_rule_cases_agree_with_numpy_itself():
    exercise = load_exercise(ROOT / "exercises" / "shape-rule")
    solution = load_module(exercise.path / "solution.py")
    for case in exercise.build_cases():
        a, b = case.args
        try:
            truth = np.matmul(np.zeros(a), np.zeros(b)).shape
        except ValueError:
            truth = None
        if case.expect_error:
            assert truth is None, case.name
            with pytest.raises(ValueError):
                solution.matmul_shape(a, b)
        else:
            assert solution.matmul_shape(a, b) == truth, case.name


def test_the_lesson_numbers_we_state_are_right():
    count = load_module(ROOT / "exercises" / "count-params" / "solution.py").count_params
    assert count([(4, 64), (64, 32), (32, 1)]) == 2433
    assert count([(4, 16), (16, 8), (8, 1)]) == 225
    assert count([(4, 512), (512, 256), (256, 1)]) == 134_145
    assert count([(4, 32), (32, 32), (32, 32), (32, 32), (32, 1)]) == 3361
    A = np.arange(1.0, 13.0).reshape(4, 3)
    s = np.linalg.svd(A, compute_uv=False)
    assert np.allclose(s[:2], [25.46, 1.29], atol=0.01) and s[2] < 1e-12
    rank1 = load_module(ROOT / "exercises" / "svd-low-rank" / "solution.py").low_rank(A, 1)
    assert abs(np.abs(A - rank1).max() - 0.81) < 0.01


def test_dot_vs_matmul_cases_agree_with_numpy_itself():
    exercise = load_exercise(ROOT / "exercises" / "dot-vs-matmul")
    solution = load_module(exercise.path / "solution.py")
    for case in exercise.build_cases():
        a, b = case.args
        if case.entry == "my_dot":
            try:
                truth = np.dot(a, b)
            except ValueError:
                assert case.expect_error, case.name
                continue
            assert np.allclose(solution.my_dot(a, b), truth) and np.shape(solution.my_dot(a, b)) == np.shape(truth)
            continue
        numpy_op = np.dot if case.entry == "dot_shape" else np.matmul
        try:
            truth = numpy_op(np.zeros(a), np.zeros(b)).shape
        except ValueError:
            truth = None
        if case.expect_error:
            assert truth is None, case.name
            with pytest.raises(ValueError):
                getattr(solution, case.entry)(a, b)
        else:
            assert getattr(solution, case.entry)(a, b) == truth, case.name


def test_the_default_rank_tolerance_is_numpys():
    exercise = load_exercise(ROOT / "exercises" / "rank-from-singular-values")
    solution = load_module(exercise.path / "solution.py")
    for case in exercise.build_cases():
        assert solution.numerical_rank(*case.args, **case.kwargs) == np.linalg.matrix_rank(*case.args, **case.kwargs)
    assert solution.numerical_rank(np.arange(1.0, 13.0).reshape(4, 3)) == 2


def test_every_exercise_practises_a_lesson_section_and_every_section_has_exercises():
    from grader.exercise import lesson_sections

    exercises = load_all(ROOT / "exercises")
    sections = lesson_sections(ROOT / "exercises", exercises)
    assert [s.order for s in sections] == list(range(1, len(sections) + 1))
    assert all(e.lesson in {s.anchor for s in sections} for e in exercises)
    assert all(s.exercises for s in sections)
    assert all(e.minutes and set(e.prerequisites) <= {x.slug for x in exercises} for e in exercises)


def test_the_lesson_pages_state_the_computed_numbers_not_the_curriculums_slips():
    text = "\n".join(p.read_text() for p in sorted((ROOT / "exercises" / "lesson").glob("*.md")))
    for right in ("2,433", "225", "134,145", "3,361", "25.46", "1.29", "0.81", "99.74", "33{,}554{,}432"):
        assert right in text, right
    for slip in ("2,369", "133,889", "4,257", "1.72"):
        assert slip not in text, slip
