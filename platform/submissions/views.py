from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from accounts.services import is_instructor
from catalog.visibility import exercises_visible_to
from leaderboards.selectors import rank_of
from submissions import notify
from submissions.models import FINISHED, Submission
from submissions.selectors import (
    can_view_submission,
    source_diff,
    submission_previous,
    submission_timeline,
    submissions_for_exercise,
)
from submissions.services import RateLimited, SubmissionRejected, submission_create
from submissions.shown import result_shown


@login_required
@require_POST
def submit(request, slug: str):
    exercise = get_object_or_404(exercises_visible_to(user=request.user), slug=slug)
    try:
        submission = submission_create(user=request.user, exercise=exercise, source=request.POST.get("source", ""))
    except RateLimited as exc:
        messages.error(request, str(exc))
        return redirect("catalog:exercise_detail", slug=slug)
    except SubmissionRejected as exc:
        messages.error(request, str(exc))
        return redirect("catalog:exercise_detail", slug=slug)
    return redirect("submissions:detail", submission_id=submission.id)


def _get_visible(request, submission_id) -> Submission:
    submission = get_object_or_404(Submission.objects.select_related("exercise", "user"), id=submission_id)
    if not can_view_submission(user=request.user, submission=submission):
        raise PermissionDenied("You cannot see this submission.")
    return submission


@login_required
def detail(request, submission_id):
    submission = _get_visible(request, submission_id)
    previous = submission_previous(submission=submission)
    context = {
        "submission": submission,
        "result": result_shown(submission.result),
        "diff": source_diff(older=previous, newer=submission) if previous else [],
        "previous": previous,
        "is_owner": submission.user_id == request.user.id,
        "timeline": submission_timeline(submission) if is_instructor(request.user) else [],
        "rank": rank_of(exercise=submission.exercise, user=submission.user)
        if submission.exercise.is_performance and submission.status == Submission.GRADED
        else None,
    }
    template = "submissions/_result.html" if request.GET.get("fragment") else "submissions/detail.html"
    return render(request, template, context)


@login_required
def status(request, submission_id):
    """The submission's state; ``?wait=SECONDS`` (up to 25) answers when it finishes, or at the timeout."""
    submission = _get_visible(request, submission_id)
    wait = _seconds(request.GET.get("wait"))
    if wait and not submission.is_finished:
        notify.wait_finished(
            submission.id,
            lambda: Submission.objects.filter(id=submission.id, status__in=FINISHED).exists(),
            wait,
        )
        submission.refresh_from_db()
    return JsonResponse(
        {
            "id": str(submission.id),
            "status": submission.status,
            "verdict": submission.verdict,
            "score": submission.score,
            "max_score": submission.max_score,
            "finished": submission.is_finished,
        }
    )


@login_required
def history(request, slug: str):
    exercise = get_object_or_404(exercises_visible_to(user=request.user), slug=slug)
    return render(
        request,
        "submissions/history.html",
        {"exercise": exercise, "submissions": submissions_for_exercise(user=request.user, exercise=exercise)},
    )


def _seconds(text: str | None) -> float:
    """A wait in seconds from the query string; anything that is not a finite number is no wait."""
    try:
        value = float(text or 0)
    except ValueError:
        return 0.0
    return value if 0 < value < float("inf") else 0.0
