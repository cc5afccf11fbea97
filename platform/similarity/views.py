"""The similarity report: instructors of a cohort only."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, render

from cohorts.models import Cohort, CohortExercise
from cohorts.selectors import is_cohort_instructor
from similarity.selectors import exercise_report, exercises_with_counts, highlighted, pair_detail


def _cohort_for_instructor(request, cohort_id: int) -> Cohort:
    cohort = get_object_or_404(Cohort, id=cohort_id)
    if not is_cohort_instructor(user=request.user, cohort=cohort):
        raise PermissionDenied("Only the cohort's instructors can see its similarity report.")
    return cohort


def _cohort_exercise(cohort: Cohort, slug: str):
    link = CohortExercise.objects.filter(cohort=cohort, exercise__slug=slug).select_related("exercise").first()
    if link is None:
        raise Http404("This exercise is not part of the cohort.")
    return link.exercise


@login_required
def cohort_report(request, cohort_id: int):
    cohort = _cohort_for_instructor(request, cohort_id)
    return render(
        request, "similarity/cohort.html", {"cohort": cohort, "exercises": exercises_with_counts(cohort=cohort)}
    )


@login_required
def exercise_report_view(request, cohort_id: int, slug: str):
    cohort = _cohort_for_instructor(request, cohort_id)
    exercise = _cohort_exercise(cohort, slug)
    return render(
        request,
        "similarity/exercise.html",
        {"cohort": cohort, "report": exercise_report(cohort=cohort, exercise=exercise)},
    )


@login_required
def pair_view(request, cohort_id: int, slug: str, user_a: int, user_b: int):
    cohort = _cohort_for_instructor(request, cohort_id)
    exercise = _cohort_exercise(cohort, slug)
    pair = pair_detail(cohort=cohort, exercise=exercise, user_a=user_a, user_b=user_b)
    if pair is None:
        raise Http404("These two solutions are not in the report.")
    left, right = highlighted(pair)
    return render(
        request,
        "similarity/pair.html",
        {"cohort": cohort, "exercise": exercise, "pair": pair, "left": left, "right": right},
    )
