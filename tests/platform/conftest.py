"""Factories and fixtures for the Django platform tests."""

from __future__ import annotations

import pytest
from django.utils import timezone

from tests.conftest import FIXTURE_EXERCISES


@pytest.fixture(autouse=True)
def fixture_exercises(settings, tmp_path):
    """The platform tests use the tiny fixture exercises, and a private cache and rate limit."""
    settings.EXERCISES_DIR = FIXTURE_EXERCISES
    settings.SUBMISSION_RATE_LIMIT = "1000/60"
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def sent_tasks(monkeypatch):
    """Grading tasks that were sent to the broker, as (submission id, queue): recorded, not sent."""
    from config.celery import app
    from submissions.dispatch import GRADE_TASK

    sent = []

    def record(name, args=None, kwargs=None, **options):
        if name == GRADE_TASK:
            sent.append((args[0], options.get("queue")))

    monkeypatch.setattr(app, "send_task", record)
    return sent


@pytest.fixture
def catalogue(db):
    from catalog.services import exercises_sync

    exercises_sync(root=FIXTURE_EXERCISES, publish_unproven=True)
    from catalog.models import Exercise

    return {e.slug: e for e in Exercise.objects.all()}


@pytest.fixture
def make_user(db):
    from accounts.services import user_create

    counter = {"n": 0}

    def make(username=None, instructor=False, display_name=""):
        counter["n"] += 1
        name = username or f"user{counter['n']}"
        return user_create(
            username=name,
            email=f"{name}@example.com",
            password="a-long-password-1",
            is_instructor=instructor,
            display_name=display_name,
        )

    return make


@pytest.fixture
def learner(make_user):
    return make_user("ada")


@pytest.fixture
def instructor(make_user):
    return make_user("teacher", instructor=True)


@pytest.fixture
def cohort(instructor, catalogue):
    from cohorts.services import cohort_create

    return cohort_create(user=instructor, name="Spring", starts_at=timezone.now() - timezone.timedelta(days=1))


def graded(submission, *, score, time_value=None, verdict="accepted"):
    """Drive a submission through the state machine as a worker would."""
    from submissions.services import submission_finish, submission_start

    claim = submission_start(submission_id=submission.id, worker="test")
    result = grading_result(
        verdict=verdict,
        score=score,
        leaderboard=[{"name": "score", "value": score, "order": "desc"}]
        + ([{"name": "time", "value": time_value, "order": "asc"}] if time_value else []),
    )
    submission_finish(submission_id=submission.id, attempt=claim.attempt, result=result)
    submission.refresh_from_db()
    return submission


def grading_result(
    *, verdict="accepted", score=10.0, max_score=10.0, cases=(), leaderboard=None, message="", output=""
):
    """A grader's typed result (grader.results.GradingResult), as a worker hands it to submission_finish."""
    from grader.results import GradingResult, Verdict

    return GradingResult(
        exercise="sandbox-probe",
        exercise_version="",
        verdict=Verdict(verdict),
        message=message,
        score=score,
        max_score=max_score,
        cases=list(cases),
        output=output,
        leaderboard=[{"name": "score", "value": score, "order": "desc"}] if leaderboard is None else leaderboard,
    )


@pytest.fixture
def sent_trials(monkeypatch):
    """Trial work sent to the broker, as (kind, id, queue): recorded, not sent (submissions go on as usual)."""
    from submissions import pipeline
    from trials import dispatch

    sent = []
    send_grading = pipeline.send_grading

    def send(job_id, *, queue, countdown=None, lane):
        if lane == "trial":
            sent.append(("run", job_id, queue))
        else:
            send_grading(job_id, queue=queue, countdown=countdown, lane=lane)

    monkeypatch.setattr(pipeline, "send_grading", send)
    monkeypatch.setattr(
        dispatch, "send_visible_cases", lambda version_id, queue: sent.append(("cases", version_id, queue))
    )
    return sent


@pytest.fixture
def process_backend(settings, tmp_path, monkeypatch):
    """The unsafe local backend, so these tests need no Docker; a private reference cache."""
    import grader.grading
    from grader.backends import get_backend
    from grader.reference import ExpectedStore

    monkeypatch.setattr(grader.grading, "_default_store", ExpectedStore(tmp_path / "cache"))
    return get_backend("process", allow=True)
