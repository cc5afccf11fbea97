"""Loading exercise folders into the database (`manage.py exercises sync`), and hint unlocks."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from catalog.models import CheckStatus, Exercise, ExerciseVersion, HintUnlock, LessonSection, Track
from catalog.rendering import render_statement, shift_headings
from catalog.versions import VersionUnavailable, version_files, version_store
from grader.exercise import ExerciseFolder, ExerciseFormatError, exercise_folders, lesson_sections, load_exercise
from grader.mistake_proof import mistake_hints


@dataclass
class SyncReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)  # a new version; older submissions can be re-graded
    unchanged: list[str] = field(default_factory=list)
    deactivated: list[str] = field(default_factory=list)
    # No proof of this version: its check is queued (`authoring`); published when it passes.
    awaiting_check: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)  # "slug: reason": its check failed, it is not published
    not_queued: list[str] = field(default_factory=list)  # the broker was down: the next sync queues them


def load_folders(root: Path) -> list[ExerciseFolder]:
    """Validate every folder (and its cases) first; raise on the first bad one."""
    folders = []
    for path in exercise_folders(root):  # not exercises/lesson/, which holds the lesson's pages
        folder = load_exercise(path)
        folder.build_cases()  # cases.py must import and build valid cases
        folders.append(folder)
    return folders


def track_titles(root: Path) -> dict[str, dict]:
    path = Path(root) / "tracks.toml"
    if not path.is_file():
        return {}
    try:
        return tomllib.loads(path.read_text(encoding="utf-8")).get("tracks", {})
    except tomllib.TOMLDecodeError as exc:
        raise ExerciseFormatError(path, None, f"not valid TOML: {exc}") from exc


BUILTIN_COURSE = "tensordojo"


def builtin_course():
    """The public course that holds the exercises in this repository (exercises/)."""
    from courses.models import Course

    course, _ = Course.objects.get_or_create(
        slug=BUILTIN_COURSE, defaults={"title": "tensordojo: the first track", "is_public": True}
    )
    return course


def exercise_fields(folder: ExerciseFolder) -> dict:
    """An exercise row's fields as one version's folder states them (set again when it is published)."""
    return {
        "title": folder.title,
        "order": folder.order,
        "difficulty": folder.difficulty,
        "kind": folder.kind,
        "summary": folder.summary,
        "gpu": folder.gpu,
        "points": folder.points,
        "leaderboard_metric": folder.leaderboard_metric,
        "entry_points": list(folder.entry_points),
        "lesson": folder.lesson or "",
        "prerequisites": list(folder.prerequisites),
        "minutes": folder.minutes,
    }


def version_defaults(folder: ExerciseFolder) -> dict:
    """A new version row's content, from its folder (Markdown rendered here; no exercise code runs)."""
    return {
        "statement_md": folder.statement,
        "starter": folder.starter,
        "config": _public_config(folder),
        "solution": folder.solution,
        **_rendered(folder),
    }


def exercises_sync(*, root: Path, publish_unproven: bool = False) -> SyncReport:
    """Load every folder under root into the built-in public course. All or nothing: a bad folder loads none.

    Each folder is stored as a version by content hash (catalog.versions), as a push stores it,
    and goes the way an instructor's version goes: it is published only once it has proved
    itself. A version proves itself by a proof that `exercises check --record` wrote for that
    very content hash (exercises/.proofs/<slug>.json), or by a check it passed before; any
    other is stored as an entry of a push to the course whose check is queued on `authoring`,
    and published when it passes (courses.services.pushed_exercise_check). Until then learners
    keep the version they had, and a new exercise stays hidden.

    ``publish_unproven`` publishes every version at once, proof or not: for test fixtures,
    which are not exercises of the catalogue and are proven by the tests that use them.
    """
    with transaction.atomic():
        report, to_check = _sync_folders(root, publish_unproven=publish_unproven)
    from courses import dispatch

    for entry in to_check:  # after the commit, so that a worker finds the rows
        try:
            dispatch.send_check(entry.id)
        except Exception as exc:  # the broker is down: the next sync queues it again
            report.not_queued.append(f"{entry.slug} ({str(exc)[:120]})")
    return report


def _sync_folders(root: Path, *, publish_unproven: bool):
    folders = load_folders(root)
    tracks = track_titles(root)
    course = builtin_course()
    report = SyncReport()
    to_check = []
    push = []  # this sync's push to the course, made with its first unproven version
    seen = set()
    for folder in folders:
        seen.add(folder.slug)
        info = tracks.get(folder.track, {})
        track, _ = Track.objects.update_or_create(
            slug=folder.track,
            defaults={
                "title": info.get("title", folder.track.replace("-", " ").title()),
                "description": info.get("description", ""),
                "order": info.get("order", 1),
            },
        )
        exercise, created = Exercise.objects.get_or_create(
            slug=folder.slug,
            defaults={**exercise_fields(folder), "track": track, "course": course, "is_active": False},
        )
        version, new_version = _stored_version(exercise, folder)
        proof = _matching_proof(root, folder)
        if version.check_status != CheckStatus.PASSED and (proof or publish_unproven):
            version.check_status, version.check_reason = CheckStatus.PASSED, ""
            version.check_report = {"proof": proof} if proof else {"published_unproven": True}
            version.save(update_fields=["check_status", "check_reason", "check_report"])
        if version.check_status == CheckStatus.PASSED:
            _publish_synced(exercise, version, folder, track, course)
        elif version.check_status == CheckStatus.FAILED:
            report.failed.append(f"{folder.slug}: {version.check_reason or 'its check failed'}")
        else:
            report.awaiting_check.append(folder.slug)
            if version.check_status == CheckStatus.PENDING:  # CHECKING: a worker has it already
                to_check.append(_check_entry(course, version, folder.slug, push))
        if created:
            report.created.append(folder.slug)
        elif new_version:
            report.updated.append(folder.slug)
        else:
            report.unchanged.append(folder.slug)
    for stale in Exercise.objects.filter(is_active=True, course=course).exclude(slug__in=seen):
        stale.is_active = False
        stale.save(update_fields=["is_active"])
        report.deactivated.append(stale.slug)
    _sync_lesson(root, folders)
    return report, to_check


def _stored_version(exercise: Exercise, folder: ExerciseFolder) -> tuple[ExerciseVersion, bool]:
    """The folder's version row (made now if new), its files stored and its HTML rendered by this renderer."""
    rendered = _rendered(folder)
    _, stored = version_store(folder)
    version, new_version = ExerciseVersion.objects.get_or_create(
        exercise=exercise, version=folder.version, defaults={**version_defaults(folder), "archive": stored}
    )
    stale = {name: value for name, value in rendered.items() if getattr(version, name) != value}
    if not version.archive:  # stored before versions were data
        stale["archive"] = stored
    if stale:  # the same content rendered by a newer renderer (e.g. headerless tables)
        ExerciseVersion.objects.filter(id=version.id).update(**stale)
        for name, value in stale.items():
            setattr(version, name, value)
    return version, new_version


def _matching_proof(root: Path, folder: ExerciseFolder) -> dict | None:
    """The folder's proof if `exercises check --record` wrote it for this very content hash, else None."""
    from grader.authoring import read_proof

    proof = read_proof(root, folder.slug)
    return proof if proof and proof.get("version") == folder.version else None


def _publish_synced(exercise: Exercise, version: ExerciseVersion, folder: ExerciseFolder, track, course) -> None:
    """Make a proven version the exercise's current one, with the fields its folder states."""
    for name, value in exercise_fields(folder).items():
        setattr(exercise, name, value)
    exercise.track, exercise.course, exercise.is_active, exercise.current_version = track, course, True, version
    exercise.save()


def _check_entry(course, version: ExerciseVersion, slug: str, push: list):
    """The push entry whose check proves ``version``: the one an earlier sync made, else one of this sync's push."""
    from courses.models import Push, PushedExercise

    entry = PushedExercise.objects.filter(version=version, push__course=course, push__publish=True).first()
    if entry is None:
        if not push:
            push.append(Push.objects.create(course=course, user=None, publish=True))
        entry = PushedExercise.objects.create(push=push[0], slug=slug, version=version)
    return entry


def _sync_lesson(root: Path, folders: list[ExerciseFolder]) -> None:
    """The lesson's sections as site pages; a section whose file is gone is removed."""
    sections = lesson_sections(root, folders)
    for section in sections:
        LessonSection.objects.update_or_create(
            anchor=section.anchor,
            defaults={
                "title": section.title,
                "order": section.order,
                "html": shift_headings(render_statement(_without_title(section.text))),  # under the section's h2
                "exercises": list(section.exercises),
            },
        )
    LessonSection.objects.exclude(anchor__in=[s.anchor for s in sections]).delete()


def _without_title(text: str) -> str:
    """The page shows the title itself (as the anchored heading), so the file's '# ' line is dropped."""
    lines = text.lstrip().splitlines()
    return "\n".join(lines[1:]) if lines and lines[0].startswith("# ") else text


def _rendered(folder: ExerciseFolder) -> dict:
    """The HTML derived from a folder's Markdown (derived data: re-rendered on every sync)."""
    return {
        "statement_html": render_statement(folder.statement),
        "hints_html": [render_statement(hint) for hint in folder.hints],
        "explanation_html": render_statement(folder.explanation) if folder.explanation else "",
    }


def _public_config(folder: ExerciseFolder) -> dict:
    """What the statement page may show about the exercise's rules."""
    return {
        "entry_points": list(folder.entry_points),
        "limits": {"time_s": folder.limits.wall_s, "memory_mb": folder.limits.memory_mb},
        "tolerance": {"rtol": folder.rtol, "atol": folder.atol},
        "forbidden": {
            "calls": list(folder.forbidden.calls),
            "operators": list(folder.forbidden.operators),
            "methods": list(folder.forbidden.methods),
            "modules": list(folder.forbidden.modules),
            "loops": folder.forbidden.loops,
        },
        "modules": list(folder.modules),
        # {diagnosis id: 0-based hint index}: the hint that speaks to a diagnosed mistake (catalog.selectors),
        # from the '# hint: N' headers of mistakes/ (grader.mistake_proof.mistake_hints).
        "mistake_hints": {**dict(getattr(folder, "mistake_hints", None) or {}), **mistake_hints(folder)},
    }


def exercise_folder(slug: str) -> ExerciseFolder:
    """The exercise's folder as it is on disk now (what workers grade against)."""
    from django.conf import settings

    return load_exercise(Path(settings.EXERCISES_DIR) / slug)


def version_folder(version: ExerciseVersion) -> ExerciseFolder:
    """The folder of exactly ``version``, or VersionUnavailable: what a worker grades (the one seam).

    A stored version is fetched by its hash (catalog.versions), whatever this worker's disk holds.
    Where this worker cannot reach the storage (or the version was stored before versions were
    data), its own folder serves, only when its content hash is the version named. Either way
    the files are exactly the version's. VersionUnavailable is our side and retryable: never a
    learner's verdict, never a reason to grade another version instead.
    """
    stored = None
    if version.archive:
        try:
            return version_files(slug=version.exercise.slug, version=version.version, archive=version.archive)
        except VersionUnavailable as exc:
            stored = exc
    slug = version.exercise.slug
    try:
        folder = exercise_folder(slug)
    except (OSError, ExerciseFormatError) as exc:
        raise VersionUnavailable(f"{slug}@{version.version}: {stored or 'not stored'}; no folder here ({exc})") from exc
    if folder.version != version.version:
        raise VersionUnavailable(
            f"{slug}: this worker has version {folder.version}, not {version.version} ({stored or 'not stored'})"
        )
    return folder


class HintRefused(Exception):
    """A hint cannot be unlocked now; the message says why."""


def hint_unlock(*, user, exercise: Exercise) -> HintUnlock:
    """Unlock the learner's next hint. Only after a failed attempt, one at a time; scores are untouched."""
    from catalog.selectors import hint_state

    state = hint_state(user=user, exercise=exercise)
    if not state.total:
        raise HintRefused("This exercise has no hints.")
    if not state.has_failed_attempt:
        raise HintRefused("Hints open after your first graded attempt that does not pass. Submit once first.")
    if state.next_index is None:
        raise HintRefused("You have seen every hint of this exercise.")
    unlock, _ = HintUnlock.objects.get_or_create(user=user, exercise=exercise, index=state.next_index)
    return unlock
