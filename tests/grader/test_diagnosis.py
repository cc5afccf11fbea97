"""grader.diagnosis: a diagnosis is sound by construction, and the most specific one wins."""

import numpy as np

from grader import diagnosis as dx
from grader.cases import Case
from grader.compare import Mismatch

VALUES = Mismatch("values", "wrong values")


def case(*args, **kwargs) -> Case:
    return Case("a case", "f", args, **kwargs)


def test_an_alternative_fires_where_the_learner_matches_the_mistake_and_the_mistake_is_wrong():
    doubled = dx.alternative("doubled", "You doubled it.", lambda x: 2 * x)
    x = np.array([1.0, 2.0])

    assert doubled.applies(case(x), 2 * x, x, VALUES)


def test_an_alternative_never_fires_where_the_mistake_gives_the_right_answer():
    doubled = dx.alternative("doubled", "You doubled it.", lambda x: 2 * x)
    zeros = np.zeros(3)

    # On zeros, doubling changes nothing: whatever the learner got wrong, it is not this.
    assert not doubled.applies(case(zeros), np.ones(3), zeros, VALUES)
    assert not doubled.applies(case(zeros), zeros, zeros, VALUES)


def test_the_differs_test_uses_the_cases_own_tolerance_when_it_is_wider():
    nudged = dx.alternative("nudged", "Off by a little.", lambda x: x + 1e-3)
    x = np.array([1.0])

    assert nudged.applies(case(x), x + 1e-3, x, VALUES)
    assert not nudged.applies(case(x, atol=1e-2), x + 1e-3, x, VALUES)


def test_the_more_specific_diagnosis_wins_whatever_the_list_order():
    by_kind = dx.when("some-values-wrong", "Some values are wrong.", lambda c, g, e, m: m.kind == "values")
    by_value = dx.alternative("doubled", "You doubled it.", lambda x: 2 * x)
    x = np.array([1.0, 2.0])

    for order in ([by_kind, by_value], [by_value, by_kind]):
        assert dx.diagnose(case(x), 2 * x, x, VALUES, order).id == "doubled"


def test_between_equally_specific_diagnoses_the_closer_mistake_wins():
    rough = dx.alternative(
        "rough",
        "Roughly doubled.",
        lambda x: 2 * x + 5e-6,
    )
    exact = dx.alternative("exact", "Doubled.", lambda x: 2 * x)
    x = np.array([1.0, 2.0])

    for order in ([rough, exact], [exact, rough]):
        assert dx.diagnose(case(x), 2 * x, x, VALUES, order).id == "exact"


def test_a_cases_own_diagnosis_wins_over_an_exercise_wide_one_of_the_same_specificity():
    wide = dx.alternative("wide", "Exercise-wide.", lambda x: 2 * x)
    own = dx.alternative("own", "This case's.", lambda x: 2 * x)
    x = np.array([1.0, 2.0])

    assert dx.diagnose(Case("c", "f", (x,), diagnoses=(own,)), 2 * x, x, VALUES, [wide]).id == "own"


def test_an_exception_names_a_mistake_only_where_the_mistake_raises_too():
    transposed = dx.raised("k-dot-t", "K.T fails here.", "ValueError", mistake=lambda q, k: q @ k.T)
    raised = Mismatch("exception", "ValueError", data={"type": "ValueError", "message": "something"})
    square, wide = np.ones((2, 2)), np.ones((2, 3))

    assert transposed.applies(case(wide, wide.T), None, None, raised)  # (2,3) @ (2,3) fails
    assert not transposed.applies(case(square, square), None, None, raised)  # K.T fits: not this mistake


def test_same_message_asks_for_the_mistakes_very_error():
    untransposed = dx.raised(
        "no-transpose", "Not transposed.", "ValueError", mistake=lambda q, k: q @ k, same_message=True
    )
    q, k = np.ones((2, 3)), np.ones((2, 3))
    try:
        q @ k
    except ValueError as exc:
        real = str(exc)
    own = Mismatch("exception", "ValueError", data={"type": "ValueError", "message": real})
    other = Mismatch("exception", "ValueError", data={"type": "ValueError", "message": "axes don't match array"})

    assert untransposed.applies(case(q, k), None, None, own)
    assert not untransposed.applies(case(q, k), None, None, other)


def test_a_diagnosis_that_cannot_be_computed_does_not_apply():
    broken = dx.alternative("broken", "Never.", lambda x: 1 / 0)

    assert not broken.applies(case(np.ones(2)), np.ones(2), np.zeros(2), VALUES)
    assert dx.diagnose(case(np.ones(2)), np.ones(2), np.zeros(2), VALUES, [broken]) is None


def test_a_result_dtype_diagnosis_fires_only_where_the_promotion_changes_the_dtype():
    from grader.values import TensorValue

    follows_x = dx.result_dtype("follows-x", "Followed X.", lambda X, W: X)
    numbers = np.ones((2, 2), np.float32)
    wrong = Mismatch("dtype", "dtype", data={"got_dtype": "float64", "expected_dtype": "float32"})

    assert follows_x.applies(
        case("float64", "float32"),
        TensorValue(numbers, "float64", "cpu"),
        TensorValue(numbers, "float32", "cpu"),
        wrong,
    )
    assert not follows_x.applies(
        case("float32", "float32"),
        TensorValue(numbers, "float64", "cpu"),
        TensorValue(numbers, "float32", "cpu"),
        wrong,
    )


def test_returning_none_from_a_tensor_exercise_is_not_called_a_numpy_result():
    from pathlib import Path

    from grader.exercise import load_exercise
    from grader.values import TensorValue

    exercises = Path(__file__).resolve().parents[2] / "exercises"
    expected = TensorValue(np.zeros(2, np.float32), "float32", "cpu")
    for slug in ("attention-torch", "dtype-device"):
        diagnoses = {d.id: d for d in load_exercise(exercises / slug).diagnoses()}
        not_a_tensor = Mismatch("type", "output: expected a torch.Tensor, got None")

        assert not diagnoses["returned-numpy"].applies(case(), None, expected, not_a_tensor)
        assert diagnoses["returned-numpy"].applies(case(), np.zeros(2), expected, not_a_tensor)


# the rule: a mistake is named only when it explains the whole run --------------------------------


def _run(*rows):
    """Observations from (x, got, expected, mismatch) rows, one case each."""
    return [
        dx.Observation(Case(f"case {i}", "f", (x,)), got, expected, m) for i, (x, got, expected, m) in enumerate(rows)
    ]


def test_a_mistake_that_would_have_failed_a_case_the_learner_passed_is_not_named():
    doubled = dx.alternative("doubled", "You doubled it.", lambda x: 2 * x)
    one, two = np.array([1.0]), np.array([2.0])
    # Case 0: the learner's value coincides with doubling; case 1: it passed, where doubling fails.
    run = _run((one, 2 * one, one, VALUES), (two, two, two, None))

    assert dx.name_mistakes(run, [doubled]) == {}


def test_a_mistake_that_explains_every_case_is_named_on_each_case_it_reveals():
    doubled = dx.alternative("doubled", "You doubled it.", lambda x: 2 * x)
    one, zero = np.array([1.0]), np.array([0.0])
    run = _run((one, 2 * one, one, VALUES), (zero, zero, zero, None), (3 * one, 6 * one, 3 * one, VALUES))

    named = dx.name_mistakes(run, [doubled])

    assert {name: d.id for name, d in named.items()} == {"case 0": "doubled", "case 2": "doubled"}


def test_an_exception_names_a_mistake_only_where_the_mistake_raises_on_exactly_those_cases():
    untransposed = dx.raised("no-transpose", "Not transposed.", "ValueError", mistake=lambda q, k: q @ k)
    raised = Mismatch("exception", "ValueError", data={"type": "ValueError", "message": "mismatch"})
    wide, square = np.ones((2, 3)), np.ones((2, 2))
    both = [dx.Observation(Case("wide", "f", (wide, wide)), None, None, raised)]
    # The learner also raised on a square case, where q @ k works: another trigger, another mistake.
    other_trigger = both + [dx.Observation(Case("square", "f", (square, square)), None, np.eye(2), raised)]

    assert "wide" in dx.name_mistakes(both, [untransposed])
    assert dx.name_mistakes(other_trigger, [untransposed]) == {}


def test_an_exception_of_a_subclass_counts_as_its_builtin_family():
    fails = dx.raised("fails", "It fails.", "ValueError", mistake=lambda x: x @ np.ones((5, 5)))
    own_class = Mismatch(
        "exception",
        "ShapeError",
        data={"type": "ShapeError", "family": ["ValueError", "Exception", "BaseException"], "message": "no"},
    )
    run = [dx.Observation(Case("c", "f", (np.ones((2, 3)),)), None, None, own_class)]

    assert dx.name_mistakes(run, [fails])["c"].id == "fails"


def test_a_diagnosis_without_a_model_is_not_named_beside_a_failure_nothing_accounts_for():
    nan_kind = dx.nonfinite("overflow", "It overflowed.")
    nonfinite = Mismatch("nonfinite", "nan")
    x = np.array([1.0])
    alone = _run((x, x * np.nan, x, nonfinite))
    with_unexplained = _run((x, x * np.nan, x, nonfinite), (x, 5 * x, x, VALUES))

    assert dx.name_mistakes(alone, [nan_kind])["case 0"].id == "overflow"
    assert dx.name_mistakes(with_unexplained, [nan_kind]) == {}
