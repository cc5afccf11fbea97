"""Courses: who may change them, pushing versions of their exercises, checking and publishing them.

A push (from the CLI, a zip upload or a git sync) unpacks the upload without trusting it,
reads each exercise folder's metadata (TOML and Markdown only: no exercise code runs in
this process), stores each folder as an immutable version by content hash and queues its
check, which runs in an exercise sandbox (grader.exercise_sandbox) on the `authoring`
queue. Only a version whose check passed can be published.
"""

from __future__ import annotations

import logging
import tempfile
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from catalog.models import CheckStatus, Exercise, ExerciseVersion, Track
from catalog.services import exercise_fields, track_titles, version_defaults
from catalog.versions import version_files, version_store
from courses import archive, dispatch
from courses.models import Course, CourseStaff, Push, PushedExercise, Role
from grader.exercise import ExerciseFormatError, exercise_folders, load_exercise

log = logging.getLogger("tensordojo.courses")


class CourseRefused(Exception):
    """The caller may not do this to the course; the message says why."""


def can_edit(*, user, course: Course) -> bool:
    return bool(user.is_authenticated and (user.is_staff or course.staff.filter(user=user).exists()))


def course_for_push(*, user, slug: str, title: str = "") -> Course:
    """The course to push to: an unknown slug makes a new course owned by the caller."""
    from accounts.services import is_instructor

    if not is_instructor(user):
        raise CourseRefused("Only instructors can push exercises.")
    with transaction.atomic():
        course, created = Course.objects.get_or_create(slug=slug, defaults={"title": title or slug})
        if created:
            CourseStaff.objects.create(course=course, user=user, role=Role.OWNER)
            return course
    if not can_edit(user=user, course=course):
        raise CourseRefused(f"You are not on the staff of the course {slug!r}.")
    return course


def push_create(*, course: Course, user, data: bytes, publish: bool) -> Push:
    """Store every exercise folder of an upload as a version and queue its check.

    ArchiveRefused (nothing stored) when the upload cannot be unpacked safely. A folder that
    is not a valid exercise, or whose slug belongs to another course, is refused on its own
    line of the push; the others go on.
    """
    work = Path(tempfile.mkdtemp(prefix="tensordojo-push-"))
    try:
        root = archive.unpack(data, work)
        folders = exercise_folders(root)
        if not folders:
            raise archive.ArchiveRefused("no exercise folders in the upload (each holds an exercise.toml)")
        tracks = track_titles(root)
        with transaction.atomic():
            push = Push.objects.create(course=course, user=user, publish=publish)
            to_check = [entry for path in folders if (entry := _push_one(push, path, tracks)).version is not None]
            transaction.on_commit(lambda: [_enqueue_check(entry) for entry in to_check])
    finally:
        archive.discard(work)
    return push


def _push_one(push: Push, path: Path, tracks: dict) -> PushedExercise:
    try:
        folder = load_exercise(path)  # TOML and Markdown: no exercise code runs here
    except ExerciseFormatError as exc:
        return PushedExercise.objects.create(push=push, slug=path.name[:80], refused=str(exc)[:2000])
    owner = Exercise.objects.filter(slug=folder.slug).exclude(course=push.course).first()
    if owner is not None:
        where = f"the course {owner.course.slug!r}" if owner.course else "another course"
        return PushedExercise.objects.create(
            push=push, slug=folder.slug, refused=f"the slug {folder.slug!r} belongs to {where}: rename the folder"
        )
    version_hash, stored = version_store(folder)
    info = tracks.get(folder.track, {})
    track, _ = Track.objects.get_or_create(
        slug=folder.track, defaults={"title": info.get("title", folder.track.replace("-", " ").title())}
    )
    exercise, _ = Exercise.objects.get_or_create(
        slug=folder.slug,
        defaults={**exercise_fields(folder), "track": track, "course": push.course, "is_active": False},
    )
    version, _ = ExerciseVersion.objects.get_or_create(
        exercise=exercise, version=version_hash, defaults={**version_defaults(folder), "archive": stored}
    )
    return PushedExercise.objects.create(push=push, slug=folder.slug, version=version)


def _enqueue_check(entry: PushedExercise) -> None:
    try:
        dispatch.send_check(entry.id)
    except Exception as exc:  # the broker is down: the entry stays pending and says so
        log.warning("could not queue a check", extra={"entry": entry.id, "error": str(exc)[:200]})


def pushed_exercise_check(*, entry_id: int, backend=None) -> PushedExercise:
    """Check the entry's version in an exercise sandbox (once per version), then publish it if asked."""
    from config.grader import exercise_check_backend
    from grader.exercise_sandbox import check_in_sandbox

    entry = PushedExercise.objects.select_related("version__exercise", "push").get(id=entry_id)
    version = entry.version
    if version.check_status != CheckStatus.PASSED:
        ExerciseVersion.objects.filter(id=version.id).update(check_status=CheckStatus.CHECKING)
        folder = version_files(slug=version.exercise.slug, version=version.version, archive=version.archive)
        outcome = check_in_sandbox(folder.path, backend=backend or exercise_check_backend(), gpu=folder.gpu)
        version.check_status = CheckStatus.PASSED if outcome.ok else CheckStatus.FAILED
        version.check_reason = outcome.reason
        version.check_report = {"steps": outcome.steps, "seconds": round(outcome.seconds, 2)}
        version.save(update_fields=["check_status", "check_reason", "check_report"])
    if entry.push.publish and version.check_status == CheckStatus.PASSED:
        version_publish(version=version)
        PushedExercise.objects.filter(id=entry.id).update(published=True)
    entry.refresh_from_db()
    return entry


class PublishRefused(CourseRefused):
    pass


def version_publish(*, version: ExerciseVersion) -> None:
    """Make a checked version the exercise's current one (what learners see and are graded on)."""
    if version.check_status != CheckStatus.PASSED:
        raise PublishRefused("Only a version whose check passed can be published.")
    folder = version_files(slug=version.exercise.slug, version=version.version, archive=version.archive)
    with transaction.atomic():
        exercise = Exercise.objects.select_for_update().get(id=version.exercise_id)
        for name, value in exercise_fields(folder).items():
            setattr(exercise, name, value)
        exercise.current_version, exercise.is_active = version, True
        exercise.save()
    log.info("published", extra={"exercise": exercise.slug, "version": version.version, "at": str(timezone.now())})


def preview_trial_create(*, user, version: ExerciseVersion, source: str):
    """Run ``source`` on the visible cases of exactly ``version``, published or not: the preview's Run.

    Only the course's staff may (CourseRefused otherwise). It goes through the trial lane like
    any Run, so it counts for nothing and ranks nowhere; TrialRejected says why it was refused.
    """
    from trials.services import trial_create

    course = version.exercise.course
    if course is None or not can_edit(user=user, course=course):
        raise CourseRefused("Only the course's staff can run an unpublished version.")
    return trial_create(user=user, exercise=version.exercise, source=source, version=version)


def course_follow(*, course: Course, url: str, branch: str, publish: bool = True) -> Course:
    """Make the course follow a repository's branch; a new webhook secret comes with it (ValueError if refused)."""
    import secrets

    from courses.git_sync import check_repository

    check_repository(url, branch)
    course.repository_url, course.repository_branch, course.publish_on_sync = url, branch, publish
    course.webhook_secret = secrets.token_hex(32)
    course.save(update_fields=["repository_url", "repository_branch", "publish_on_sync", "webhook_secret"])
    return course


def course_sync(*, course: Course, user) -> Push:
    """Fetch the followed branch and push its tree. SyncFailed / ArchiveRefused say why nothing was stored."""
    from courses.git_sync import SyncFailed, fetch_tree

    if not course.repository_url:
        raise SyncFailed("This course follows no repository: set one first.")
    data = fetch_tree(course.repository_url, course.repository_branch)
    return push_create(course=course, user=user, data=data, publish=course.publish_on_sync)


def course_sync_by_id(*, course_id: int) -> str:
    """The webhook's sync, as the course's owner; what happened, for the task's result."""
    from courses.git_sync import SyncFailed

    course = Course.objects.get(id=course_id)
    owner = course.staff.filter(role=Role.OWNER).select_related("user").first()
    try:
        push = course_sync(course=course, user=owner.user if owner else None)
    except (SyncFailed, archive.ArchiveRefused) as exc:
        log.warning("sync failed", extra={"course": course.slug, "error": str(exc)[:300]})
        return f"failed: {exc}"
    return f"pushed {push.id}"


def course_create(*, user, slug: str, title: str) -> Course:
    """A new course owned by ``user`` (CourseRefused if the slug is taken or the user is no instructor)."""
    from accounts.services import is_instructor

    if not is_instructor(user):
        raise CourseRefused("Only instructors can create courses.")
    with transaction.atomic():
        if Course.objects.filter(slug=slug).exists():
            raise CourseRefused(f"The course {slug!r} exists already: choose another name.")
        course = Course.objects.create(slug=slug, title=title or slug)
        CourseStaff.objects.create(course=course, user=user, role=Role.OWNER)
    return course


def _push_files(*, course: Course, user, slug: str, files: dict[str, str]) -> Push:
    """Push one exercise folder made of ``files`` (relative path -> text) as a new version."""
    import io
    import tarfile

    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w") as tar:
        for name, text in sorted(files.items()):
            data = text.replace("\r\n", "\n").encode("utf-8")
            info = tarfile.TarInfo(f"{slug}/{name}")
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return push_create(course=course, user=user, data=out.getvalue(), publish=False)


def exercise_from_template(*, course: Course, user, slug: str) -> Push:
    """A new exercise made from the template (grader.authoring.scaffold), pushed as its first version."""
    from grader.authoring import scaffold

    work = Path(tempfile.mkdtemp(prefix="tensordojo-new-"))
    try:
        try:
            folder = scaffold(work, slug)
        except ValueError as exc:
            raise CourseRefused(str(exc)) from exc
        files = {p.relative_to(folder).as_posix(): p.read_text() for p in folder.rglob("*") if p.is_file()}
    finally:
        archive.discard(work)
    return _push_files(course=course, user=user, slug=slug, files=files)


def exercise_save(*, course: Course, user, slug: str, files: dict[str, str]) -> Push:
    """Edited files of an exercise (from the browser's editor) pushed as a new version, checked like any."""
    clean = {}
    for name, text in files.items():
        path = archive._safe_name(name)  # the same rule as an upload: no way out of the folder
        if text.strip():
            clean[path.as_posix()] = text
    return _push_files(course=course, user=user, slug=slug, files=clean)


def version_text_files(*, version: ExerciseVersion) -> dict[str, str]:
    """The version's text files (relative path -> text), for the editor."""
    folder = version_files(slug=version.exercise.slug, version=version.version, archive=version.archive)
    found = {}
    for path in sorted(folder.path.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            try:
                found[path.relative_to(folder.path).as_posix()] = path.read_text(encoding="utf-8")
            except UnicodeDecodeError:
                continue
    return found
