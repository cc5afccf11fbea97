"""The version graded is the version the submission names, and a grading is recorded in one write.

A worker grades exactly submission.exercise_version (catalog.services.version_folder: the
stored version fetched by its hash, or for a version stored before versions were data, this
worker's folder when its hash matches) and never rewrites it; a version it cannot have is
refused, retryably, on our side: never a learner's verdict, never a grade on another version.
"""

from __future__ import annotations

import pytest

from catalog.models import ExerciseVersion
from catalog.services import VersionUnavailable, version_folder
from submissions.models import Submission
from submissions.services import submission_create
from submissions.worker import RetryableGradingError, run

CODE = "def solve(x):\n    return x * 2\n"


def grading_run(*, submission_id, worker: str, backend) -> str:
    """What a worker does with a submission's message: the pipeline's one worker path, on the submission lane."""
    from submissions.services import LANE

    return run(LANE, job_id=submission_id, worker=worker, backend=backend)


@pytest.fixture
def process_backend(tmp_path, monkeypatch):
    """The unsafe local backend, so these tests need no Docker; a private reference cache."""
    import grader.grading
    from grader.backends import get_backend
    from grader.reference import ExpectedStore

    monkeypatch.setattr(grader.grading, "_default_store", ExpectedStore(tmp_path / "cache"))
    return get_backend("process", allow=True)


def another_version(exercise) -> ExerciseVersion:
    return ExerciseVersion.objects.create(
        exercise=exercise, version="0123456789abcdef", statement_md="", statement_html="", starter=""
    )


def test_version_folder_gives_the_folder_of_exactly_the_version_named(catalogue):
    version = catalogue["sandbox-probe"].current_version
    assert version_folder(version).version == version.version


def test_version_folder_refuses_a_version_this_worker_does_not_hold(catalogue):
    with pytest.raises(VersionUnavailable, match="this worker has version"):
        version_folder(another_version(catalogue["sandbox-probe"]))


def test_a_stored_version_is_fetched_by_its_hash_whatever_this_workers_disk_holds(catalogue, settings, tmp_path):
    version = catalogue["sandbox-probe"].current_version
    assert version.archive  # synced versions are stored data (catalog.versions)
    settings.EXERCISES_DIR = tmp_path / "an-empty-disk"
    settings.GRADER_CACHE_DIR = tmp_path / "cache"

    assert version_folder(version).version == version.version


def test_a_version_neither_in_reach_in_storage_nor_on_disk_is_refused_on_our_side(catalogue):
    gone = another_version(catalogue["sandbox-probe"])
    gone.archive = "exercise-versions/sandbox-probe-0123456789abcdef.tar"

    with pytest.raises(VersionUnavailable, match="this worker has version .* not in storage"):
        version_folder(gone)


def test_a_worker_without_the_storage_grades_its_own_folder_only_when_its_hash_is_the_version(
    catalogue, settings, tmp_path
):
    version = catalogue["sandbox-probe"].current_version
    settings.MEDIA_ROOT = tmp_path / "storage-out-of-reach"
    settings.GRADER_CACHE_DIR = tmp_path / "cache"

    assert version_folder(version).version == version.version


def test_a_submission_made_against_another_version_goes_back_to_the_queue_ungraded(
    learner, catalogue, sent_tasks, process_backend
):
    older = another_version(catalogue["sandbox-probe"])
    submission = submission_create(user=learner, exercise=catalogue["sandbox-probe"], source=CODE)
    Submission.objects.filter(id=submission.id).update(exercise_version=older)

    with pytest.raises(RetryableGradingError, match="this worker has version"):
        grading_run(submission_id=submission.id, worker="w", backend=process_backend)

    submission.refresh_from_db()
    assert submission.status == Submission.QUEUED and submission.verdict == "" and submission.result is None
    assert submission.exercise_version_id == older.id and not submission.gradings.exists()


def test_the_version_graded_is_kept_as_named(learner, catalogue, sent_tasks, process_backend):
    submission = submission_create(user=learner, exercise=catalogue["sandbox-probe"], source=CODE)
    named = submission.exercise_version_id

    assert grading_run(submission_id=submission.id, worker="w", backend=process_backend) == "graded"

    submission.refresh_from_db()
    assert submission.exercise_version_id == named
    assert submission.result["exercise_version"] == submission.exercise_version.version


def test_a_grading_is_recorded_in_one_write_of_the_row_after_its_claim(learner, catalogue, sent_tasks, process_backend):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    submission = submission_create(user=learner, exercise=catalogue["sandbox-probe"], source=CODE)
    with CaptureQueriesContext(connection) as queries:
        grading_run(submission_id=submission.id, worker="w", backend=process_backend)

    updates = [q["sql"] for q in queries.captured_queries if q["sql"].startswith('UPDATE "submissions_submission"')]
    assert len(updates) == 2, updates  # the claim; then verdict, result and sandbox times together
    row = Submission.objects.get(id=submission.id)
    assert row.verdict == "accepted"
    assert row.started_at <= row.sandbox_started_at <= row.sandbox_finished_at <= row.graded_at


def test_a_submission_is_graded_from_its_stored_version_when_this_workers_disk_has_no_folder(
    learner, catalogue, sent_tasks, process_backend, settings, tmp_path
):
    """A pushed course's exercise is on no worker's disk: the stored version is what gets graded."""
    submission = submission_create(user=learner, exercise=catalogue["sandbox-probe"], source=CODE)
    settings.EXERCISES_DIR = tmp_path / "an-empty-disk"
    settings.GRADER_CACHE_DIR = tmp_path / "cache"

    assert grading_run(submission_id=submission.id, worker="w", backend=process_backend) == "graded"
    assert Submission.objects.get(id=submission.id).verdict == "accepted"
