"""exercises sync: versioned by content hash; unchanged folders are not rewritten; bad folders load nothing."""

import shutil

import pytest

from catalog.models import Exercise, ExerciseVersion
from catalog.services import exercises_sync
from grader.exercise import ExerciseFormatError
from tests.conftest import FIXTURE_EXERCISES


@pytest.fixture
def root(tmp_path):
    target = tmp_path / "exercises"
    shutil.copytree(FIXTURE_EXERCISES, target)
    return target


def test_first_sync_creates_then_nothing_changes(db, root):
    folders = sorted(p.name for p in root.iterdir() if p.is_dir())
    assert sorted(exercises_sync(root=root).created) == folders
    again = exercises_sync(root=root)
    assert sorted(again.unchanged) == folders and again.created == again.updated == []
    assert ExerciseVersion.objects.count() == len(folders)


def test_a_changed_folder_gets_a_new_version_and_keeps_the_old(db, root):
    exercises_sync(root=root)
    (root / "sandbox-probe" / "README.md").write_text("# Sandbox probe\n\nNow with $x^2$.\n")
    report = exercises_sync(root=root)
    exercise = Exercise.objects.get(slug="sandbox-probe")
    assert report.updated == ["sandbox-probe"]
    assert exercise.versions.count() == 2 and "arithmatex" in exercise.current_version.statement_html


def test_a_malformed_folder_loads_nothing(db, root):
    (root / "timing-probe" / "exercise.toml").write_text('slug = "timing-probe"\n')
    with pytest.raises(ExerciseFormatError):
        exercises_sync(root=root)
    assert Exercise.objects.count() == 0


def test_a_removed_folder_is_deactivated_not_deleted(db, root):
    exercises_sync(root=root)
    shutil.rmtree(root / "timing-probe")
    assert exercises_sync(root=root).deactivated == ["timing-probe"]
    assert Exercise.objects.get(slug="timing-probe").is_active is False


def test_statements_are_sanitised(db, root):
    (root / "sandbox-probe" / "README.md").write_text("# Hi\n\n<script>alert(1)</script>\n")
    exercises_sync(root=root)
    assert "<script>" not in Exercise.objects.get(slug="sandbox-probe").current_version.statement_html


def test_the_public_config_maps_each_mistake_to_the_hint_that_names_it(db, tmp_path):
    from tests.conftest import ROOT

    root = tmp_path / "exercises"
    root.mkdir()
    shutil.copytree(ROOT / "exercises" / "matmul-by-hand", root / "matmul-by-hand")
    exercises_sync(root=root)

    config = Exercise.objects.get(slug="matmul-by-hand").current_version.config
    assert config["mistake_hints"] == {"aliased-rows": 2}
