"""Leaderboard and dashboard queries with 10,000 learners and 500,000 submissions.

    .venv/bin/python bench/leaderboards.py [--learners 10000] [--submissions 500000]
    DATABASE_URL=postgres://... .venv/bin/python bench/leaderboards.py   # on PostgreSQL

Builds a throw-away database (var/bench.sqlite3 by default), fills it with bulk inserts,
then times the queries the pages make: a board's top 100, one learner's rank, a
cohort's progress grid (200 learners), and the catalogue's progress lookup.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "platform"), str(ROOT)]
os.environ.setdefault("TENSORDOJO_ENV", "development")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{ROOT / 'var' / 'bench.sqlite3'}")


def timed(label: str, fn, repeat: int = 20) -> None:
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    print(f"{label:44} median {statistics.median(samples):8.2f} ms   p90 {samples[int(0.9 * (repeat - 1))]:8.2f} ms")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--learners", type=int, default=10_000)
    parser.add_argument("--submissions", type=int, default=500_000)
    args = parser.parse_args()
    if os.environ["DATABASE_URL"].startswith("sqlite"):
        Path(os.environ["DATABASE_URL"][len("sqlite:///") :]).unlink(missing_ok=True)

    import django

    django.setup()
    from django.contrib.auth import get_user_model

    from cohorts.selectors import cohort_grid
    from leaderboards.selectors import leaderboard, rank_of
    from submissions.models import Submission

    ctx = populate(args.learners, args.submissions)
    exercises, users, cohort, rng = ctx["exercises"], ctx["users"], ctx["cohort"], ctx["rng"]
    User = get_user_model()
    performance = next(e for e in exercises if e.is_performance)
    plain = exercises[0]
    someone = User.objects.get(id=rng.choice(users))
    timed("leaderboard top 100 (score exercise)", lambda: leaderboard(exercise=plain, limit=100))
    timed("leaderboard top 100 (performance exercise)", lambda: leaderboard(exercise=performance, limit=100))
    timed("leaderboard page 50 (offset 5000)", lambda: leaderboard(exercise=plain, limit=100, offset=5000))
    timed("one learner's rank", lambda: rank_of(exercise=plain, user=someone))
    timed("cohort grid, 200 learners x 17 exercises", lambda: cohort_grid(cohort=cohort), repeat=5)
    timed(
        "a learner's submissions for one exercise",
        lambda: list(Submission.objects.filter(user=someone, exercise=plain).order_by("-created_at")[:20]),
    )


def populate(learners: int, submissions: int, exercise_count: int | None = None, root: Path | None = None) -> dict:
    """Fill the (empty) database: learners, one cohort of 200 with an instructor, bulk submissions and best results.

    Used by this benchmark and by bench/web.py. Returns the exercises, learner ids, cohort and instructor.
    """
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from accounts.models import Profile
    from catalog.models import Exercise
    from catalog.services import exercises_sync
    from cohorts.models import Cohort, CohortExercise, Membership
    from leaderboards.models import BestResult
    from submissions.models import Submission

    args = argparse.Namespace(learners=learners, submissions=submissions)
    call_command("migrate", verbosity=0)
    exercises_sync(root=root or ROOT / "exercises")
    exercises = list(Exercise.objects.order_by("slug"))[:exercise_count]
    User = get_user_model()
    rng = random.Random(7)
    started = time.perf_counter()
    User.objects.bulk_create([User(username=f"b{i}", password="!") for i in range(args.learners)], batch_size=2000)
    users = list(User.objects.filter(username__startswith="b").values_list("id", flat=True))
    Profile.objects.bulk_create([Profile(user_id=u, display_name=f"learner {u}") for u in users], batch_size=2000)
    instructor = User.objects.create(username="bench-instructor")
    cohort = Cohort.objects.create(name="bench", created_by=instructor, starts_at=timezone.now())
    CohortExercise.objects.bulk_create([CohortExercise(cohort=cohort, exercise=e) for e in exercises])
    Membership.objects.bulk_create([Membership(cohort=cohort, user_id=u) for u in users[:200]])
    Membership.objects.create(cohort=cohort, user=instructor, role=Membership.INSTRUCTOR)
    now = timezone.now()
    best: dict[tuple, tuple] = {}
    batch = []
    for _ in range(args.submissions):
        user = rng.choice(users)
        exercise = rng.choice(exercises)
        score = rng.choice([0.0, 2.5, 5.0, 7.5, 10.0])
        time_value = rng.uniform(0.001, 0.05) if exercise.is_performance and score == 10 else None
        when = now - timezone.timedelta(seconds=rng.randint(0, 10**7))
        submission = Submission(
            id=uuid.uuid4(),
            user_id=user,
            exercise=exercise,
            exercise_version_id=exercise.current_version_id,
            source="def f(): pass",
            status="graded",
            verdict="accepted" if score == 10 else "wrong_answer",
            score=score,
            max_score=10,
            time_value=time_value,
            created_at=when,
            queued_at=when,
            graded_at=when,
        )
        batch.append(submission)
        key = (user, exercise.id)
        if key not in best or (score, -(time_value or 1e9)) > (best[key][0], -(best[key][1] or 1e9)):
            best[key] = (score, time_value, when, submission.id)
        if len(batch) == 5000:
            Submission.objects.bulk_create(batch)
            batch.clear()
    Submission.objects.bulk_create(batch)
    BestResult.objects.bulk_create(
        [
            BestResult(
                user_id=u,
                exercise_id=e,
                score=s,
                time_value=t,
                reached_at=w,
                submission_id=sid,
                attempts=1,
                last_activity=w,
            )
            for (u, e), (s, t, w, sid) in best.items()
        ],
        batch_size=5000,
    )
    print(
        f"{connection.vendor}: {args.learners} learners, {Submission.objects.count()} submissions, "
        f"{BestResult.objects.count()} best results; built in {time.perf_counter() - started:.0f} s"
    )

    return {"exercises": exercises, "users": users, "cohort": cohort, "instructor": instructor, "rng": rng}


if __name__ == "__main__":
    main()
