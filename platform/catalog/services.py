"""Loading exercise folders into the database (`manage.py exercises sync`)."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from catalog.models import Exercise, ExerciseVersion, Track
from catalog.rendering import render_statement
from grader.exercise import Exercise as ExerciseFolder
from grader.exercise import ExerciseFormatError, load_exercise


@dataclass
class SyncReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)  # a new version; older submissions can be re-graded
    unchanged: list[str] = field(default_factory=list)
    deactivated: list[str] = field(default_factory=list)


def load_folders(root: Path) -> list[ExerciseFolder]:
    """Validate every folder (and its cases) first; raise on the first bad one."""
    folders = []
    for path in sorted(p for p in Path(root).iterdir() if p.is_dir() and not p.name.startswith((".", "_"))):
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


@transaction.atomic
def exercises_sync(*, root: Path) -> SyncReport:
    """Load every folder under root. All or nothing: a bad folder loads none."""
    folders = load_folders(root)
    tracks = track_titles(root)
    report = SyncReport()
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
        exercise, created = Exercise.objects.update_or_create(
            slug=folder.slug,
            defaults={
                "track": track,
                "title": folder.title,
                "order": folder.order,
                "difficulty": folder.difficulty,
                "kind": folder.kind,
                "summary": folder.summary,
                "gpu": folder.gpu,
                "points": folder.points,
                "leaderboard_metric": folder.leaderboard_metric,
                "entry_points": list(folder.entry_points),
                "is_active": True,
            },
        )
        version, new_version = ExerciseVersion.objects.get_or_create(
            exercise=exercise,
            version=folder.version,
            defaults={
                "statement_md": folder.statement,
                "statement_html": render_statement(folder.statement),
                "starter": folder.starter,
                "config": _public_config(folder),
            },
        )
        if exercise.current_version_id != version.id:
            exercise.current_version = version
            exercise.save(update_fields=["current_version"])
        if created:
            report.created.append(folder.slug)
        elif new_version:
            report.updated.append(folder.slug)
        else:
            report.unchanged.append(folder.slug)
    for stale in Exercise.objects.filter(is_active=True).exclude(slug__in=seen):
        stale.is_active = False
        stale.save(update_fields=["is_active"])
        report.deactivated.append(stale.slug)
    return report


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
    }


def exercise_folder(slug: str) -> ExerciseFolder:
    """The exercise's folder as it is on disk now (what workers grade against)."""
    from django.conf import settings

    return load_exercise(Path(settings.EXERCISES_DIR) / slug)
