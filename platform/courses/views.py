"""Authoring in the browser: thin views over courses.services and courses.selectors."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from accounts.services import is_instructor
from catalog.models import ExerciseVersion
from courses import selectors, services
from courses.archive import ArchiveRefused
from courses.forms import CourseForm, NewExerciseForm, RepositoryForm, UploadForm
from courses.git_sync import SyncFailed
from courses.models import Course


def _course(request, slug: str) -> Course:
    course = get_object_or_404(Course, slug=slug)
    if not services.can_edit(user=request.user, course=course):
        raise Http404("No such course.")
    return course


@login_required
def course_list(request):
    form = CourseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            course = services.course_create(user=request.user, **form.cleaned_data)
        except services.CourseRefused as exc:
            form.add_error("slug", str(exc))
        else:
            return redirect("courses:detail", slug=course.slug)
    context = {
        "courses": selectors.courses_of(user=request.user),
        "form": form,
        "can_create": is_instructor(request.user),
    }
    return render(request, "courses/list.html", context)


@login_required
def course_detail(request, slug: str):
    course = _course(request, slug)
    context = {
        "course": course,
        "rows": selectors.course_exercises(course=course),
        "pushes": selectors.recent_pushes(course=course),
        "new_form": NewExerciseForm(),
        "upload_form": UploadForm(),
        "repository_form": RepositoryForm(
            initial={"url": course.repository_url, "branch": course.repository_branch or "main"}
        ),
    }
    return render(request, "courses/detail.html", context)


@login_required
@require_POST
def exercise_new(request, slug: str):
    course = _course(request, slug)
    form = NewExerciseForm(request.POST)
    if not form.is_valid():
        messages.error(request, "The exercise slug must be lower-case words joined by '-'.")
        return redirect("courses:detail", slug=slug)
    try:
        push = services.exercise_from_template(course=course, user=request.user, slug=form.cleaned_data["slug"])
    except (services.CourseRefused, ArchiveRefused) as exc:
        messages.error(request, str(exc))
        return redirect("courses:detail", slug=slug)
    return _after_push(request, course, push)


def _after_push(request, course: Course, push):
    entry = push.exercises.first()
    if entry is not None and entry.version is not None and push.exercises.count() == 1:
        return redirect("courses:version", slug=course.slug, version_id=entry.version.id)
    refused = [f"{e.slug}: {e.refused}" for e in push.exercises.all() if e.version is None]
    for line in refused:
        messages.error(request, line)
    return redirect("courses:detail", slug=course.slug)


@login_required
def exercise_edit(request, slug: str, exercise: str):
    course = _course(request, slug)
    latest = selectors.latest_version(course=course, slug=exercise)
    if latest is None:
        raise Http404("No such exercise in this course.")
    if request.method == "POST":
        files = {key[5:]: value for key, value in request.POST.items() if key.startswith("file:")}
        new_name, new_text = request.POST.get("new_name", "").strip(), request.POST.get("new_text", "")
        if new_name:
            files[new_name] = new_text
        try:
            push = services.exercise_save(course=course, user=request.user, slug=exercise, files=files)
        except ArchiveRefused as exc:
            messages.error(request, f"Not saved: {exc}")
        else:
            return _after_push(request, course, push)
    files = services.version_text_files(version=latest)
    return render(request, "courses/edit.html", {"course": course, "version": latest, "files": files})


@login_required
def version_detail(request, slug: str, version_id: int):
    course = _course(request, slug)
    version = get_object_or_404(
        ExerciseVersion.objects.select_related("exercise"), id=version_id, exercise__course=course
    )
    context = {"course": course, "version": version, "steps": version.check_report.get("steps", [])}
    return render(request, "courses/version.html", context)


@login_required
def version_preview(request, slug: str, version_id: int):
    course = _course(request, slug)
    version = get_object_or_404(
        ExerciseVersion.objects.select_related("exercise"), id=version_id, exercise__course=course
    )
    return render(request, "courses/preview.html", {"course": course, "version": version})


@login_required
@require_POST
def version_run(request, slug: str, version_id: int):
    """The preview's Run: the visible cases of exactly this version, through the trial lane (counts for nothing)."""
    from trials.services import TrialRejected

    course = _course(request, slug)
    version = get_object_or_404(
        ExerciseVersion.objects.select_related("exercise__course"), id=version_id, exercise__course=course
    )
    try:
        trial = services.preview_trial_create(user=request.user, version=version, source=request.POST.get("source", ""))
    except TrialRejected as exc:
        messages.error(request, str(exc))
        return redirect("courses:preview", slug=slug, version_id=version_id)
    return redirect("trials:detail", trial_id=trial.id)


@login_required
@require_POST
def version_publish(request, slug: str, version_id: int):
    course = _course(request, slug)
    version = get_object_or_404(
        ExerciseVersion.objects.select_related("exercise"), id=version_id, exercise__course=course
    )
    try:
        services.version_publish(version=version)
    except services.PublishRefused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"{version.exercise.slug} is published: learners see this version now.")
    return redirect("courses:detail", slug=slug)


@login_required
@require_POST
def course_upload(request, slug: str):
    course = _course(request, slug)
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, "Choose a zip of exercise folders to upload.")
        return redirect("courses:detail", slug=slug)
    upload = form.cleaned_data["archive"]
    if upload.size > settings.COURSE_ARCHIVE_MAX_BYTES:
        messages.error(
            request, f"The upload is over {settings.COURSE_ARCHIVE_MAX_BYTES >> 20} MiB. Nothing was stored."
        )
        return redirect("courses:detail", slug=slug)
    try:
        services.push_create(course=course, user=request.user, data=upload.read(), publish=form.cleaned_data["publish"])
    except ArchiveRefused as exc:
        messages.error(request, f"The upload was refused, nothing was stored: {exc}")
    else:
        messages.success(request, "Uploaded: each exercise is being checked in the sandbox.")
    return redirect("courses:detail", slug=slug)


@login_required
@require_POST
def course_repository(request, slug: str):
    course = _course(request, slug)
    form = RepositoryForm(request.POST)
    if form.is_valid():
        try:
            course = services.course_follow(course=course, **form.cleaned_data)
        except ValueError as exc:
            messages.error(request, f"Not followed: {exc}")
        else:
            webhook = request.build_absolute_uri(f"/api/courses/{course.slug}/webhook")
            messages.success(
                request,
                f"Following {course.repository_url} ({course.repository_branch}). Webhook: {webhook}, "
                f"secret {course.webhook_secret} (shown once).",
            )
    return redirect("courses:detail", slug=slug)


@login_required
@require_POST
def course_sync(request, slug: str):
    course = _course(request, slug)
    try:
        services.course_sync(course=course, user=request.user)
    except (SyncFailed, ArchiveRefused) as exc:
        messages.error(request, f"Nothing was stored: {exc}")
    else:
        messages.success(request, "Synced: each exercise is being checked in the sandbox.")
    return redirect("courses:detail", slug=slug)
