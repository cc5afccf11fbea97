"""`manage.py grade SLUG FILE [--json]`: grade a file now, through the real sandbox, without Celery."""

from __future__ import annotations

import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from config.grader import sandbox_backend
from grader.backends import SandboxUnavailable
from grader.exercise import ExerciseFormatError, load_exercise
from grader.grading import InternalGradingError, grade


class Command(BaseCommand):
    help = "Grade FILE against exercise SLUG in a sandbox and print the result (results.json with --json)."

    def add_arguments(self, parser):
        parser.add_argument("slug")
        parser.add_argument("file")
        parser.add_argument("--json", action="store_true", help="print results.json")
        parser.add_argument("--backend", choices=["docker", "process"], help="default: $GRADER_BACKEND")

    def handle(self, *args, **options):
        try:
            exercise = load_exercise(Path(settings.EXERCISES_DIR) / options["slug"])
        except ExerciseFormatError as exc:
            raise CommandError(str(exc)) from exc
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"{path}: no such file")
        raw = path.read_bytes()[: exercise.max_source_bytes * 4]
        source = raw.decode("utf-8", errors="replace")
        try:
            result = grade(exercise, source, backend=sandbox_backend(options["backend"]))
        except (SandboxUnavailable, InternalGradingError) as exc:
            raise CommandError(f"internal error (ours, not the submission's): {exc}") from exc
        document = result.to_results_json()
        if options["json"]:
            self.stdout.write(json.dumps(document, indent=2))
            return
        self.stdout.write(f"{exercise.slug}: {document['verdict']}  {document['score']:.2f}/{document['max_score']:g}")
        self.stdout.write(document["output"])
        for test in document["tests"]:
            mark = "PASS" if test["status"] == "passed" else "FAIL"
            hidden = " (hidden)" if test["visibility"] == "hidden" else ""
            self.stdout.write(f"  {mark} {test['name']}{hidden}")
            if test["status"] != "passed":
                for line in test["output"].splitlines():
                    self.stdout.write(f"       {line}")
        if document["stdout"]:
            self.stdout.write("printed output:\n" + document["stdout"])
        self.stdout.write(f"({document['execution_time']:.2f} s, backend {document['backend']})")
