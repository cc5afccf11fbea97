"""`manage.py exercises check|warm|sync|new|lines`: prove, warm the reference cache of, load, scaffold exercise
folders, and time their lines to beat."""

from __future__ import annotations

import json
import multiprocessing
import time
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor, as_completed
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from catalog.services import exercises_sync
from config.grader import sandbox_backend
from grader.authoring import check_cost, check_exercise, scaffold
from grader.backends.base import SandboxUnavailable
from grader.exercise import ExerciseFormatError, exercise_folders, load_exercise
from grader.exercise_host import ExerciseBroken
from grader.grading import expected_store
from grader.lines import NoGpu
from grader.reference import ReferenceBroken
from leaderboards.services import LinesReport, lines_import_device_check, lines_measure

NO_GPU_WORKER = (
    "no GPU on this worker: lines are timed on a GPU worker (SANDBOX_GPU=1); "
    "or publish a device check's times with `exercises lines --from-json bench/results/gpu.json`"
)


class Command(BaseCommand):
    help = (
        "Work with exercise folders: check (prove them), warm (compute every case pool's reference outputs), "
        "sync (load into the database), new (scaffold), lines (time the lines to beat shown on the boards)."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        check = sub.add_parser("check", help="prove exercises through the real sandbox")
        check.add_argument("slugs", nargs="*")
        check.add_argument("--backend", choices=["docker", "process"])
        check.add_argument("--seeds", type=int, default=None, help="random seeds the soundness proof runs on")
        check.add_argument(
            "--jobs", type=int, default=1, help="exercises proven at once (each sandbox run uses one CPU)"
        )
        check.add_argument(
            "--record",
            action="store_true",
            help="write exercises/.proofs/<slug>.json (the sandbox's NumPy/PyTorch versions) for proven exercises",
        )
        warm = sub.add_parser(
            "warm", help="compute the reference outputs of every case pool now (after a new image or exercise version)"
        )
        warm.add_argument("slugs", nargs="*")
        warm.add_argument("--jobs", type=int, default=1, help="exercises warmed at once")
        sub.add_parser("sync", help="load exercise folders into the database")
        new = sub.add_parser("new", help="scaffold a new exercise folder")
        new.add_argument("slug")
        lines = sub.add_parser(
            "lines", help="time the lines to beat (lines/*.py) on this worker's GPU and show them on the boards"
        )
        lines.add_argument("slugs", nargs="*")
        lines.add_argument(
            "--from-json",
            metavar="FILE",
            help="publish the times bench/gpu/device_check.sh wrote (bench/results/gpu.json) instead of timing here",
        )
        lines.add_argument("--device", help="the GPU's name as the board shows it (default: what nvidia-smi reports)")

    def handle(self, *args, **options):
        root = Path(settings.EXERCISES_DIR)
        getattr(self, f"_{options['action']}")(root, options)

    def _sync(self, root: Path, options) -> None:
        try:
            report = exercises_sync(root=root)
        except ExerciseFormatError as exc:
            raise CommandError(f"nothing loaded: {exc}") from exc
        for label, slugs in (
            ("new", report.created),
            ("new version", report.updated),
            ("unchanged", report.unchanged),
            ("deactivated", report.deactivated),
        ):
            if slugs:
                self.stdout.write(f"{label:12} {len(slugs):3}  {', '.join(slugs)}")
        if report.updated:
            self.stdout.write("Changed exercises can be re-graded from the cohort dashboard.")
        self._print_unproven(report)

    def _print_unproven(self, report) -> None:
        """What sync did not publish, and why: a version is published only once it has proved itself."""
        if report.awaiting_check:
            self.stdout.write(
                f"{'not published':12} {len(report.awaiting_check):3}  {', '.join(report.awaiting_check)}\n"
                "  No proof of these versions in exercises/.proofs (`manage.py exercises check --record` writes "
                "them):\n  each is checked in the sandbox by a worker (queue `authoring`) and published when it "
                "passes.\n  Until then learners keep the version they had; a new exercise stays hidden. "
                "Progress (site staff): /courses/tensordojo/."
            )
        for line in report.not_queued:
            self.stdout.write(f"NOT QUEUED   {line}: the broker is unreachable; the next `exercises sync` queues it")
        for line in report.failed:
            self.stdout.write(f"CHECK FAILED {line} (not published; fix it and sync again)")

    def _warm(self, root: Path, options) -> None:
        slugs = self._slugs(root, options)
        backend, store = sandbox_backend(), expected_store()
        try:
            exercises = [load_exercise(root / slug) for slug in slugs]
        except (ExerciseFormatError, FileNotFoundError) as exc:
            raise CommandError(str(exc)) from exc

        def warm(exercise):
            started = time.monotonic()
            return exercise.slug, store.warm(exercise, backend), time.monotonic() - started

        failed = 0
        with ThreadPoolExecutor(max_workers=max(1, options["jobs"])) as pool:
            futures = [pool.submit(warm, exercise) for exercise in exercises]
            for exercise, future in zip(exercises, futures, strict=True):
                try:
                    slug, runs, seconds = future.result()
                except (SandboxUnavailable, ReferenceBroken, ExerciseBroken) as exc:  # its cases.py, in its host
                    failed += 1
                    self.stdout.write(f"{exercise.slug:32} FAILED: {exc}")
                    continue
                done = "already cached" if not runs else f"{runs} reference run(s)"
                self.stdout.write(f"{slug:32} {store.pool_size} case pools ready: {done} ({seconds:.1f} s)")
        if failed:
            raise CommandError(f"{failed} exercise(s) could not be warmed")

    def _lines(self, root: Path, options) -> None:
        slugs = options["slugs"] or None
        try:
            if options["from_json"]:
                document = self._device_check(Path(options["from_json"]))
                report = lines_import_device_check(root=root, document=document, slugs=slugs)
            else:
                report = lines_measure(root=root, slugs=slugs, backend=sandbox_backend(), device=options["device"])
        except NoGpu as exc:
            raise CommandError(f"{NO_GPU_WORKER}\n({exc})") from exc
        except ExerciseFormatError as exc:
            raise CommandError(str(exc)) from exc
        self._print_lines(report)

    def _device_check(self, path: Path) -> object:
        try:
            return json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise CommandError(f"cannot read the device check's JSON {path}: {exc}") from exc

    def _print_lines(self, report: LinesReport) -> None:
        for line in report.recorded:
            self.stdout.write(
                f"{line.exercise.slug:24} {line.name:10} {line.seconds * 1e3:10.3f} ms on {line.device}: {line.label}"
            )
        for problem in report.failed:
            self.stdout.write(f"FAILED {problem}")
        if report.failed:
            raise CommandError(f"{len(report.failed)} line(s) or exercise(s) not recorded")
        if not report.recorded:
            self.stdout.write("No exercise has line files (lines/<name>.py): nothing to time.")

    @staticmethod
    def _slugs(root: Path, options) -> list[str]:
        """The slugs asked for (every exercise folder when none), each an existing folder."""
        slugs = options["slugs"] or [p.name for p in exercise_folders(root)]
        for slug in slugs:
            if not (root / slug).is_dir():
                raise CommandError(f"no exercise folder {root / slug}")
        return slugs

    def _new(self, root: Path, options) -> None:
        try:
            folder = scaffold(root, options["slug"])
        except (ValueError, FileExistsError) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"created {folder}\nNext: fill in the TODOs, then run "
            f"`python manage.py exercises check {options['slug']}` — it says what is left."
        )

    def _check(self, root: Path, options) -> None:
        slugs = self._slugs(root, options)
        reports = []
        header = f"{'exercise':32} {'format':7} {'reference':10} {'starter':8} {'mistakes':9} {'sound':6} {'time':>6}"
        self.stdout.write(header)
        self.stdout.write("-" * len(header))
        # One process per job, not threads: the soundness proof runs the exercise's code in this
        # interpreter for seconds to a minute, and threads would take turns on one GIL. The
        # costliest start first (a GPU exercise under Triton's interpreter takes minutes, a NumPy
        # one seconds), so no long one is left running alone at the end; a row prints as its exercise ends.
        jobs = max(1, options["jobs"])
        order = sorted(slugs, key=lambda slug: -check_cost(root / slug))
        arguments = (root, options["backend"], options["seeds"], options["record"])
        with ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context("fork")) as pool:
            futures = {pool.submit(_prove, slug, *arguments): slug for slug in order}
            for future in as_completed(futures):
                report = future.result()
                self._print_row(futures[future], report)
                reports.append(report)
        failed = sorted((r for r in reports if not r.ok), key=lambda r: r.slug)
        for report in failed:
            self.stdout.write(f"\n{report.slug}:")
            for step in report.steps:
                if not step.ok:
                    self.stdout.write(f"  - {step.what}: {step.detail}")
        self.stdout.write(f"\n{len(reports) - len(failed)} of {len(reports)} exercises proven.")
        if failed:
            raise CommandError(f"{len(failed)} exercise(s) failed the check")

    def _print_row(self, slug: str, report) -> None:
        """One row of the check's table, and the versions a proven exercise was proven on."""
        cell = {s.what: ("ok" if s.ok else "FAIL") for s in report.steps}
        good, total = report.count("mistake ")
        mistakes = f"{good}/{total}" + ("" if cell.get("mistakes", "ok") == "ok" else "!")
        self.stdout.write(
            f"{slug:32} {cell.get('format', '-'):7} {cell.get('reference', '-'):10} "
            f"{cell.get('starter', '-'):8} {mistakes:9} {cell.get('soundness', '-'):6} {report.seconds:5.1f}s"
        )
        if report.proof:
            proof = report.proof
            self.stdout.write(
                f"{'':32} proven on Python {proof['python']}"
                + (f", NumPy {proof['numpy']}" if proof.get("numpy") else "")
                + (f", PyTorch {proof['torch']}" if proof.get("torch") else "")
                + f" ({proof['backend']})"
            )


def _prove(slug: str, root: Path, backend: str | None, seeds: int | None, record: bool):
    """Prove one exercise (in a child process of `exercises check --jobs N`, which makes its own
    engine client: a connection pool is not to be shared across a fork)."""
    return check_exercise(root / slug, sandbox_backend(backend), seeds=seeds, record=record)
