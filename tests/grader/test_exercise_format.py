"""A malformed exercise folder gets an error naming the file, the field and what is expected."""

import shutil

import pytest

from grader.exercise import ExerciseFormatError, load_exercise
from tests.conftest import FIXTURE_EXERCISES


@pytest.fixture
def folder(tmp_path):
    target = tmp_path / "sandbox-probe"
    shutil.copytree(FIXTURE_EXERCISES / "sandbox-probe", target)
    return target


def edit_toml(folder, old, new):
    path = folder / "exercise.toml"
    path.write_text(path.read_text().replace(old, new))


def error_for(folder):
    with pytest.raises(ExerciseFormatError) as caught:
        exercise = load_exercise(folder)
        exercise.build_cases()
    return caught.value


def test_a_valid_folder_loads(folder):
    exercise = load_exercise(folder)
    assert exercise.slug == "sandbox-probe" and exercise.limits.wall_s == 3
    assert len(exercise.version) == 16


def test_a_missing_file_is_named(folder):
    (folder / "solution.py").unlink()
    error = error_for(folder)
    assert error.path.endswith("solution.py") and "missing" in error.problem


def test_invalid_toml_is_reported_with_its_position(folder):
    (folder / "exercise.toml").write_text("slug = \n")
    assert "not valid TOML" in str(error_for(folder))


def test_a_missing_required_field_is_named(folder):
    edit_toml(folder, 'kind = "implement"\n', "")
    error = error_for(folder)
    assert error.field == "kind" and "required" in error.problem


def test_a_field_of_the_wrong_type_says_what_is_expected(folder):
    edit_toml(folder, "points = 10", 'points = "ten"')
    error = error_for(folder)
    assert error.field == "points" and "expected int or float, got str" in error.problem


def test_a_choice_outside_the_allowed_values_lists_them(folder):
    edit_toml(folder, 'kind = "implement"', 'kind = "quiz"')
    assert "is not one of implement, fix, performance" in str(error_for(folder))


def test_an_unknown_field_is_refused_as_a_likely_typo(folder):
    edit_toml(folder, "[limits]", "[limits]\ntime_limit = 3")
    error = error_for(folder)
    assert error.field == "limits.time_limit" and "unknown field" in error.problem


def test_the_slug_must_match_the_folder(folder):
    edit_toml(folder, 'slug = "sandbox-probe"', 'slug = "other"')
    assert error_for(folder).field == "slug"


def test_a_limit_out_of_range_is_refused(folder):
    edit_toml(folder, "memory_mb = 256", "memory_mb = 1")
    assert "at least 64" in str(error_for(folder))


def test_cases_py_that_fails_to_import_is_reported(folder):
    (folder / "cases.py").write_text("import nothing_here\n")
    assert "cases.py failed to import" in str(error_for(folder))


def test_cases_need_a_visible_and_a_hidden_case(folder):
    text = (folder / "cases.py").read_text().replace(", visible=False", "")
    (folder / "cases.py").write_text(text)
    assert "at least one visible and one hidden case" in str(error_for(folder))


def test_a_case_for_an_unknown_entry_point_is_refused(folder):
    text = (folder / "cases.py").read_text().replace('"small", "solve"', '"small", "nope"')
    (folder / "cases.py").write_text(text)
    assert "entry 'nope' is not in entry_points" in str(error_for(folder))


def test_the_version_changes_with_the_content(folder):
    before = load_exercise(folder).version
    (folder / "README.md").write_text("# changed\n")
    assert load_exercise(folder).version != before
