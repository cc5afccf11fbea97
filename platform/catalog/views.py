from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.views.decorators.http import require_POST
from django.views.generic import RedirectView

from catalog.models import Exercise
from catalog.selectors import (
    deadlines_for,
    exercise_get,
    exercise_titles,
    explanation_state,
    hint_state,
    lesson_section_for,
    lesson_sections,
    progress_for,
    proof_for,
    track_list,
)
from catalog.services import HintRefused, hint_unlock
from submissions.selectors import submission_latest, submissions_for_exercise

favicon = RedirectView.as_view(url=static("tensordojo/favicon.svg"), permanent=True)


def track_list_view(request):
    tracks = track_list(user=request.user)
    slugs = [slug for track in tracks for e in track.exercises.all() for slug in e.prerequisites]
    return render(
        request,
        "catalog/track_list.html",
        {
            "tracks": tracks,
            "progress": progress_for(user=request.user),
            "titles": exercise_titles(user=request.user, slugs=slugs),
            "sections": {section.anchor: section.title for section in lesson_sections()},
        },
    )


def _exercise_or_404(request, slug: str) -> Exercise:
    try:
        return exercise_get(user=request.user, slug=slug)
    except Exercise.DoesNotExist:
        raise Http404("No such exercise.") from None


def exercise_detail(request, slug: str):
    exercise = _exercise_or_404(request, slug)
    version = exercise.current_version
    code = version.starter if version else ""
    history = []
    if request.user.is_authenticated:
        latest = submission_latest(user=request.user, exercise=exercise)
        if latest is not None:
            code = latest.source
        history = submissions_for_exercise(user=request.user, exercise=exercise)[:20]
    deadlines = deadlines_for(user=request.user, exercise=exercise)
    return render(
        request,
        "catalog/exercise_detail.html",
        {
            "exercise": exercise,
            "version": version,
            "code": code,
            "history": history,
            "config": version.config if version else {},
            "hints": hint_state(user=request.user, exercise=exercise),
            "explanation": explanation_state(user=request.user, exercise=exercise, deadlines=deadlines),
            "deadlines": deadlines,
            "section": lesson_section_for(exercise=exercise),
            "prerequisites": exercise_titles(user=request.user, slugs=exercise.prerequisites),
            "proof": proof_for(exercise=exercise),
        },
    )


@login_required
@require_POST
def hint_next(request, slug: str):
    exercise = _exercise_or_404(request, slug)
    try:
        unlock = hint_unlock(user=request.user, exercise=exercise)
    except HintRefused as exc:
        messages.error(request, str(exc))
        return redirect("catalog:exercise_detail", slug=slug)
    return redirect(reverse("catalog:exercise_detail", args=[slug]) + f"#hint-{unlock.index + 1}")


@login_required
def explanation(request, slug: str):
    exercise = _exercise_or_404(request, slug)
    state = explanation_state(user=request.user, exercise=exercise)
    if not state.open:
        messages.info(request, state.reason)
        return redirect("catalog:exercise_detail", slug=slug)
    return render(
        request, "catalog/explanation.html", {"exercise": exercise, "version": exercise.current_version, "state": state}
    )


def lesson_section(request, anchor: str):
    sections = list(lesson_sections())
    index = next((i for i, s in enumerate(sections) if s.anchor == anchor), None)
    if index is None:
        raise Http404("No such lesson section.")
    section = sections[index]
    return render(
        request,
        "catalog/lesson_section.html",
        {
            "section": section,
            "previous": sections[index - 1] if index > 0 else None,
            "next": sections[index + 1] if index + 1 < len(sections) else None,
            "titles": exercise_titles(user=request.user, slugs=section.exercises),
        },
    )


def lesson(request):
    sections = list(lesson_sections())
    slugs = [slug for section in sections for slug in section.exercises]
    return render(
        request,
        "catalog/lesson.html",
        {"sections": sections, "titles": exercise_titles(user=request.user, slugs=slugs)},
    )
