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
    assert sorted(exercises_sync(root=root, publish_unproven=True).created) == folders
    again = exercises_sync(root=root, publish_unproven=True)
    assert sorted(again.unchanged) == folders and again.created == again.updated == []
    assert ExerciseVersion.objects.count() == len(folders)


def test_a_changed_folder_gets_a_new_version_and_keeps_the_old(db, root):
    exercises_sync(root=root, publish_unproven=True)
    (root / "sandbox-probe" / "README.md").write_text("# Sandbox probe\n\nNow with $x^2$.\n")
    report = exercises_sync(root=root, publish_unproven=True)
    exercise = Exercise.objects.get(slug="sandbox-probe")
    assert report.updated == ["sandbox-probe"]
    assert exercise.versions.count() == 2 and "arithmatex" in exercise.current_version.statement_html


def test_a_malformed_folder_loads_nothing(db, root):
    (root / "timing-probe" / "exercise.toml").write_text('slug = "timing-probe"\n')
    with pytest.raises(ExerciseFormatError):
        exercises_sync(root=root, publish_unproven=True)
    assert Exercise.objects.count() == 0


def test_a_removed_folder_is_deactivated_not_deleted(db, root):
    exercises_sync(root=root, publish_unproven=True)
    shutil.rmtree(root / "timing-probe")
    assert exercises_sync(root=root, publish_unproven=True).deactivated == ["timing-probe"]
    assert Exercise.objects.get(slug="timing-probe").is_active is False


def test_statements_are_sanitised(db, root):
    (root / "sandbox-probe" / "README.md").write_text("# Hi\n\n<script>alert(1)</script>\n")
    exercises_sync(root=root, publish_unproven=True)
    assert "<script>" not in Exercise.objects.get(slug="sandbox-probe").current_version.statement_html


def test_the_public_config_maps_each_mistake_to_the_hint_that_names_it(db, tmp_path):
    from tests.conftest import ROOT

    root = tmp_path / "exercises"
    root.mkdir()
    shutil.copytree(ROOT / "exercises" / "matmul-by-hand", root / "matmul-by-hand")
    exercises_sync(root=root, publish_unproven=True)

    config = Exercise.objects.get(slug="matmul-by-hand").current_version.config
    assert config["mistake_hints"] == {"aliased-rows": 2}


# --- a built-in version is published only once it has proved itself (issue 21) -------------------


@pytest.fixture
def queued(monkeypatch):
    """Checks sync sent to the `authoring` queue, as push entry ids: recorded, not sent."""
    from courses import dispatch

    sent = []
    monkeypatch.setattr(dispatch, "send_check", sent.append)
    return sent


@pytest.fixture(autouse=True)
def private_storage(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.GRADER_CACHE_DIR = tmp_path / "cache"


def record_proof(root, slug: str, version: str | None = None) -> None:
    """A proof as `exercises check --record` writes it (grader.authoring.proofs), for this content or another."""
    import json

    from grader.authoring import proof_path
    from grader.exercise import load_exercise

    path = proof_path(root, slug)
    path.parent.mkdir(parents=True, exist_ok=True)
    proof = {"slug": slug, "version": version or load_exercise(root / slug).version, "backend": "docker"}
    path.write_text(json.dumps({**proof, "python": "3.13.5", "numpy": "2.2.4", "torch": None, "checked_at": "now"}))


def passing_check(monkeypatch, ok: bool = True):
    """The exercise sandbox's verdict on any folder (the real one runs in test_course_checks.py, with Docker)."""
    import grader.exercise_sandbox
    from grader.exercise_sandbox import CheckOutcome

    steps = [{"what": "reference", "ok": ok, "detail": "" if ok else "the reference fails case small"}]
    monkeypatch.setattr(grader.exercise_sandbox, "check_in_sandbox", lambda *a, **k: CheckOutcome(ok, steps, 0.1))


def test_a_version_whose_proof_matches_is_published_at_once(db, root, queued):
    from catalog.models import CheckStatus

    record_proof(root, "sandbox-probe")
    report = exercises_sync(root=root)
    probe = Exercise.objects.get(slug="sandbox-probe")
    assert probe.is_active and probe.current_version.check_status == CheckStatus.PASSED
    assert probe.current_version.check_report["proof"]["backend"] == "docker"
    assert "sandbox-probe" not in report.awaiting_check
    assert sorted(report.awaiting_check) == ["golden-probe", "timing-probe"] and len(queued) == 2


def test_a_version_without_a_matching_proof_is_checked_like_an_instructors_and_published_when_it_passes(
    db, root, queued, monkeypatch
):
    from catalog.models import CheckStatus
    from courses.models import PushedExercise
    from courses.services import pushed_exercise_check

    record_proof(root, "sandbox-probe", version="0123456789abcdef")  # a stale proof: of another content
    report = exercises_sync(root=root)
    probe = Exercise.objects.get(slug="sandbox-probe")
    assert "sandbox-probe" in report.awaiting_check
    assert not probe.is_active and probe.current_version is None  # hidden: nothing proven yet
    entry = PushedExercise.objects.get(slug="sandbox-probe")
    assert entry.push.course.slug == "tensordojo" and entry.push.publish and entry.id in queued
    assert entry.version.check_status == CheckStatus.PENDING

    passing_check(monkeypatch)
    pushed_exercise_check(entry_id=entry.id)
    probe.refresh_from_db()
    assert probe.is_active and probe.current_version_id == entry.version_id


def test_learners_keep_the_proven_version_while_a_change_is_checked(db, root, queued, monkeypatch):
    from courses.models import PushedExercise
    from courses.services import pushed_exercise_check

    record_proof(root, "sandbox-probe")
    exercises_sync(root=root)
    proven = Exercise.objects.get(slug="sandbox-probe").current_version
    (root / "sandbox-probe" / "README.md").write_text("# Sandbox probe\n\nClearer words.\n")
    report = exercises_sync(root=root)  # the old proof no longer matches
    assert report.updated == ["sandbox-probe"] and "sandbox-probe" in report.awaiting_check
    assert Exercise.objects.get(slug="sandbox-probe").current_version_id == proven.id

    passing_check(monkeypatch, ok=False)
    entry = PushedExercise.objects.get(slug="sandbox-probe")
    pushed_exercise_check(entry_id=entry.id)
    assert (
        Exercise.objects.get(slug="sandbox-probe").current_version_id == proven.id
    )  # a failed check publishes nothing
    assert any(line.startswith("sandbox-probe: reference") for line in exercises_sync(root=root).failed)


def test_a_check_the_broker_never_got_is_queued_again_by_the_next_sync_not_twice(db, root, monkeypatch):
    from catalog.models import CheckStatus, ExerciseVersion
    from courses import dispatch
    from courses.models import PushedExercise

    def down(entry_id):
        raise ConnectionError("broker unreachable")

    monkeypatch.setattr(dispatch, "send_check", down)
    report = exercises_sync(root=root)
    assert sorted(line.split()[0] for line in report.not_queued) == ["golden-probe", "sandbox-probe", "timing-probe"]

    sent = []
    monkeypatch.setattr(dispatch, "send_check", sent.append)
    exercises_sync(root=root)
    assert sorted(sent) == sorted(PushedExercise.objects.values_list("id", flat=True)) and len(sent) == 3
    ExerciseVersion.objects.update(check_status=CheckStatus.CHECKING)  # a worker has them now
    sent.clear()
    assert exercises_sync(root=root).awaiting_check and sent == []


def test_sync_says_what_it_did_not_publish_and_why(db, root, queued, settings):
    import io

    from django.core.management import call_command

    settings.EXERCISES_DIR = root
    record_proof(root, "sandbox-probe")
    out = io.StringIO()
    call_command("exercises", "sync", stdout=out)
    text = out.getvalue()
    assert "not published   2  golden-probe, timing-probe" in text
    assert "exercises check --record" in text and "queue `authoring`" in text and "published when it" in text
