"""The Run button: start a trial (JSON for the page's script, a redirect without script) and show it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from catalog.visibility import exercises_visible_to
from submissions.shown import result_shown
from trials.selectors import trial_get
from trials.services import TrialRateLimited, TrialRejected, trial_create, trial_give_up_if_stale


def _wants_json(request) -> bool:
    return "application/json" in request.headers.get("Accept", "")


@login_required
@require_POST
def run(request, slug: str):
    exercise = get_object_or_404(exercises_visible_to(user=request.user), slug=slug)
    try:
        trial = trial_create(user=request.user, exercise=exercise, source=request.POST.get("source", ""))
    except TrialRejected as exc:
        if _wants_json(request):
            if isinstance(exc, TrialRateLimited):  # too many, or one already in flight: say when to come back
                return JsonResponse({"error": str(exc)}, status=429, headers={"Retry-After": str(exc.retry_after)})
            return JsonResponse({"error": str(exc)}, status=400)
        messages.error(request, str(exc))
        return redirect("catalog:exercise_detail", slug=slug)
    if _wants_json(request):
        return JsonResponse(
            {
                "id": str(trial.id),
                "status_url": reverse("trials:status", args=[trial.id]),
                "fragment_url": reverse("trials:detail", args=[trial.id]) + "?fragment=1",
            },
            status=202,
        )
    return redirect("trials:detail", trial_id=trial.id)


def _get_own(request, trial_id):
    trial = trial_get(user=request.user, trial_id=trial_id)
    if trial is None:
        raise Http404("No such run.")
    return trial_give_up_if_stale(trial)


@login_required
def detail(request, trial_id):
    trial = _get_own(request, trial_id)
    template = "trials/_result.html" if request.GET.get("fragment") else "trials/detail.html"
    context = {"trial": trial, "result": result_shown(trial.result), "preview_url": _preview_url(request, trial)}
    return render(request, template, context)


def _preview_url(request, trial) -> str:
    """Where a run of an unpublished version (a course's preview) leads back to; "" for a learner's run."""
    from courses.services import can_edit

    exercise = trial.exercise
    if trial.exercise_version_id in (None, exercise.current_version_id) or exercise.course_id is None:
        return ""
    if not can_edit(user=request.user, course=exercise.course):
        return ""
    return reverse("courses:preview", args=[exercise.course.slug, trial.exercise_version_id])


@login_required
def status(request, trial_id):
    trial = _get_own(request, trial_id)
    return JsonResponse({"id": str(trial.id), "status": trial.status, "finished": trial.is_finished})
