"""Reads for the similarity report: each learner's counted accepted solution, compared pairwise.

A report is a lead for a conversation with learners, never a verdict: similar code is
common when an exercise has one natural solution.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import Count

from catalog.models import Exercise, ExerciseVersion
from cohorts.models import Cohort, CohortExercise
from cohorts.selectors import counting_submissions
from similarity import detect
from submissions.models import Submission

ACCEPTED = "accepted"
REPORT_CACHE_SECONDS = 600
LIST_LIMIT = 100  # pairs shown per exercise; the rest are counted


@dataclass(frozen=True)
class Solution:
    submission_id: str
    user_id: int
    username: str
    name: str
    source: str


@dataclass(frozen=True)
class SimilarPair:
    a: Solution
    b: Solution
    match: detect.PairMatch

    @property
    def similarity(self) -> float:
        return self.match.similarity


@dataclass(frozen=True)
class ExerciseReport:
    exercise: Exercise
    solutions: int
    pairs: list[SimilarPair]
    total_pairs: int
    threshold: float
    max_documents: int


def _counted_accepted(*, cohort: Cohort, exercise: Exercise) -> list[Submission]:
    """Each learner's last accepted submission to `exercise` among those that count for the cohort.

    Which submissions count is the cohort's counting rule (cohorts.selectors); the last
    accepted one is the learner's final version, the one to talk about."""
    accepted = (
        counting_submissions(cohort=cohort)
        .filter(exercise=exercise, status=Submission.GRADED, verdict=ACCEPTED)
        .select_related("user__profile")
        .order_by("user_id", "-created_at")
    )
    latest: dict[int, Submission] = {}
    for submission in accepted:
        latest.setdefault(submission.user_id, submission)
    return list(latest.values())


def exercises_with_counts(*, cohort: Cohort) -> list[tuple[Exercise, int]]:
    """The cohort's exercises, each with how many learners have a counted accepted solution."""
    links = CohortExercise.objects.filter(cohort=cohort).select_related("exercise")
    links = links.order_by("exercise__track__order", "exercise__order")
    accepted = counting_submissions(cohort=cohort).filter(status=Submission.GRADED, verdict=ACCEPTED)
    learners = {
        row["exercise_id"]: row["n"]
        for row in accepted.order_by().values("exercise_id").annotate(n=Count("user_id", distinct=True))
    }
    return [(link.exercise, learners.get(link.exercise_id, 0)) for link in links]


def _solution(submission: Submission) -> Solution:
    profile = getattr(submission.user, "profile", None)
    username = submission.user.username
    return Solution(
        submission_id=str(submission.id),
        user_id=submission.user_id,
        username=username,
        name=(profile.display_name if profile else "") or username,
        source=submission.source,
    )


def _starter_code(exercise: Exercise, submissions: list[Submission]) -> str:
    """Every starter the solutions were written against: none of it is the learners' own."""
    version_ids = {s.exercise_version_id for s in submissions} | {exercise.current_version_id}
    starters = ExerciseVersion.objects.filter(id__in=version_ids - {None}).values_list("starter", flat=True)
    return "\n\n".join(sorted(set(starters)))


def exercise_report(
    *,
    cohort: Cohort,
    exercise: Exercise,
    threshold: float = detect.DEFAULT_THRESHOLD,
    max_documents: int = detect.MAX_DOCUMENTS,
    limit: int | None = LIST_LIMIT,
) -> ExerciseReport:
    """Pairs of learners whose counted accepted solutions to `exercise` are alike, most alike first.

    Cached for a few minutes under a key that changes whenever a counted solution does."""
    submissions = sorted(_counted_accepted(cohort=cohort, exercise=exercise), key=lambda s: s.user.username)
    solutions = {str(s.id): _solution(s) for s in submissions}
    starter = _starter_code(exercise, submissions)
    key_material = "|".join(
        [str(cohort.id), str(exercise.id), f"{threshold:.4f}", str(max_documents), starter]
        + sorted(f"{s.id}:{s.graded_at}" for s in submissions)
    )
    key = "similarity:" + hashlib.sha256(key_material.encode()).hexdigest()
    matches = cache.get(key)
    if matches is None:
        docs = detect.fingerprint_all({k: s.source for k, s in solutions.items()}, starter, max_documents=max_documents)
        matches = detect.rank_pairs(docs, threshold=threshold)
        cache.set(key, matches, REPORT_CACHE_SECONDS)
    shown = matches if limit is None else matches[:limit]
    return ExerciseReport(
        exercise=exercise,
        solutions=len(solutions),
        pairs=[SimilarPair(solutions[m.a], solutions[m.b], m) for m in shown],
        total_pairs=len(matches),
        threshold=threshold,
        max_documents=max_documents,
    )


def pair_detail(*, cohort: Cohort, exercise: Exercise, user_a: int, user_b: int) -> SimilarPair | None:
    """One listed pair of the report, by its two learners (in either order); None if not listed."""
    report = exercise_report(cohort=cohort, exercise=exercise, limit=None)
    wanted = {user_a, user_b}
    for pair in report.pairs:
        if {pair.a.user_id, pair.b.user_id} == wanted:
            return pair
    return None


def highlighted(pair: SimilarPair) -> tuple[list[tuple[str, bool]], list[tuple[str, bool]]]:
    """Both codes as (text, shared) runs; the template escapes every run."""
    return (
        detect.segments(pair.a.source, pair.match.slices_a),
        detect.segments(pair.b.source, pair.match.slices_b),
    )
