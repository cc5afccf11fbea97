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


# the learning loop: hints, explanation, lesson, prerequisites, minutes ------------------------


def test_hints_are_the_level_two_sections_in_order(folder):
    (folder / "hints.md").write_text("# Hints\n\n## Shapes\nPrint the shapes.\n\n## Axis\nWhich `axis`?\n")
    assert load_exercise(folder).hints == ["Print the shapes.", "Which `axis`?"]


def test_a_heading_inside_a_code_block_does_not_start_a_hint(folder):
    (folder / "hints.md").write_text("## One\n```text\n## not a hint\n```\n")
    assert load_exercise(folder).hints == ["```text\n## not a hint\n```"]


def test_hints_md_without_a_section_is_refused(folder):
    (folder / "hints.md").write_text("Just some text.\n")
    error = error_for(folder)
    assert error.path.endswith("hints.md") and "text before the first '## ' hint" in error.problem


def test_an_empty_hint_is_named_by_its_number(folder):
    (folder / "hints.md").write_text("## One\nfine\n## Two\n\n")
    error = error_for(folder)
    assert error.field == "hint 2" and "empty" in error.problem


def test_an_empty_explanation_is_refused(folder):
    (folder / "explanation.md").write_text("\n\n")
    assert "explanation.md: is empty" in str(error_for(folder))


def test_without_hints_or_explanation_a_fixture_folder_has_none(folder):
    exercise = load_exercise(folder)
    assert exercise.hints == [] and exercise.explanation == ""


def test_the_explanation_is_read_from_its_file(folder):
    (folder / "explanation.md").write_text("# Why\nDouble it.\n")
    assert load_exercise(folder).explanation == "# Why\nDouble it."


def test_exercises_of_a_declared_track_need_hints_and_explanation(folder):
    (folder.parent / "tracks.toml").write_text('[tracks.test-fixtures]\ntitle = "Fixtures"\n')
    error = error_for(folder)
    assert error.path.endswith("hints.md") and "needs it" in error.problem
    (folder / "hints.md").write_text("## One\nnudge\n")
    assert error_for(folder).path.endswith("explanation.md")
    (folder / "explanation.md").write_text("The idea.\n")
    assert load_exercise(folder).hints == ["nudge"]


def test_lesson_prerequisites_and_minutes_are_read(folder):
    shutil.copytree(folder, folder.parent / "first-one")
    edit_toml(folder.parent / "first-one", 'slug = "sandbox-probe"', 'slug = "first-one"')
    edit_toml(folder, "points = 10", 'points = 10\nlesson = "shapes"\nprerequisites = ["first-one"]\nminutes = 15')
    exercise = load_exercise(folder)
    assert (exercise.lesson, exercise.prerequisites, exercise.minutes) == ("shapes", ("first-one",), 15)


def test_minutes_must_be_a_positive_integer(folder):
    edit_toml(folder, "points = 10", "points = 10\nminutes = 0")
    error = error_for(folder)
    assert error.field == "minutes" and "at least 1" in error.problem


def test_a_prerequisite_that_is_not_an_exercise_is_named(folder):
    edit_toml(folder, "points = 10", 'points = 10\nprerequisites = ["no-such-thing"]')
    error = error_for(folder)
    assert error.field == "prerequisites" and "'no-such-thing' is not an exercise folder" in error.problem


def test_an_exercise_cannot_require_itself(folder):
    edit_toml(folder, "points = 10", 'points = 10\nprerequisites = ["sandbox-probe"]')
    assert "its own prerequisite" in str(error_for(folder))


def test_a_lesson_anchor_must_name_an_existing_section(folder):
    lesson = folder.parent / "lesson"
    lesson.mkdir()
    (lesson / "01-shapes.md").write_text("# Shapes\n")
    edit_toml(folder, "points = 10", 'points = 10\nlesson = "shpaes"')
    error = error_for(folder)
    assert error.field == "lesson" and "no section 'shpaes'" in error.problem and "shapes" in error.problem


def test_lesson_sections_list_the_exercises_that_practise_them(folder):
    from grader.exercise import lesson_sections, load_all

    lesson = folder.parent / "lesson"
    lesson.mkdir()
    (lesson / "02-shapes.md").write_text("# The shape rule\nText.\n")
    (lesson / "01-mechanics.md").write_text("# Mechanics\n")
    edit_toml(folder, "points = 10", 'points = 10\nlesson = "shapes"')
    assert [e.slug for e in load_all(folder.parent)] == ["sandbox-probe"]  # the lesson folder is no exercise
    sections = lesson_sections(folder.parent)
    assert [(s.anchor, s.title, s.order, s.exercises) for s in sections] == [
        ("mechanics", "Mechanics", 1, ()),
        ("shapes", "The shape rule", 2, ("sandbox-probe",)),
    ]


def test_a_badly_named_lesson_file_is_refused(folder):
    from grader.exercise import lesson_sections

    lesson = folder.parent / "lesson"
    lesson.mkdir()
    (lesson / "Shapes.md").write_text("# Shapes\n")
    assert "NN-<anchor>.md" in str(pytest.raises(ExerciseFormatError, lesson_sections, folder.parent).value)
