from django.shortcuts import get_object_or_404, render

from catalog.models import Exercise
from catalog.selectors import exercise_get, progress_for, track_list
from submissions.selectors import submission_latest, submissions_for_exercise


def track_list_view(request):
    return render(
        request, "catalog/track_list.html", {"tracks": track_list(), "progress": progress_for(user=request.user)}
    )


def exercise_detail(request, slug: str):
    try:
        exercise = exercise_get(slug=slug)
    except Exercise.DoesNotExist:
        exercise = get_object_or_404(Exercise, slug=slug, is_active=True)
    code = exercise.current_version.starter if exercise.current_version else ""
    history = []
    if request.user.is_authenticated:
        latest = submission_latest(user=request.user, exercise=exercise)
        if latest is not None:
            code = latest.source
        history = submissions_for_exercise(user=request.user, exercise=exercise)[:20]
    return render(
        request,
        "catalog/exercise_detail.html",
        {
            "exercise": exercise,
            "version": exercise.current_version,
            "code": code,
            "history": history,
            "config": exercise.current_version.config if exercise.current_version else {},
        },
    )
