"""The exercise sandbox: an exercise's own code runs here, never in a web or worker process.

`exercises check` imports ``cases.py`` and runs the reference, the starter and every
mistake: all code an instructor wrote. For a version pushed by an instructor that code
runs in a container of the sandbox image with the learner sandbox's limits machinery (no
network, read-only root, every capability dropped, uid 10001, memory, pids and time
limits), nothing mounted and no secret in its environment. It receives on stdin a tar of
the grader package and the one exercise folder, runs the very check `manage.py exercises
check` runs (grader.authoring.check_exercise; its gradings use the process backend, which
inside this container is the learner harness running the exercise's own files), and
writes one JSON report after a per-run marker. Learner code never enters it.

What it does not stop: the exercise's code runs in the same process as the check, so a
hostile exercise can forge its own check report. That can only mislead its own author
into publishing a broken exercise; it reaches no secret, no other course and no learner.
"""

from __future__ import annotations

import io
import json
import secrets
import tarfile
import time
from dataclasses import dataclass
from pathlib import Path

from grader.backends.base import SandboxUnavailable
from grader.harness.contract import SandboxKind
from grader.harness.frames import loads_strict
from grader.limits import Limits

GRADER_DIR = Path(__file__).resolve().parent
MARKER_FILE = "marker"
REPORT_PREFIX = b"tensordojo-check:"
CHECK_LIMITS = Limits(wall_s=600, memory_mb=3072, cpus=1, pids=256, tmpfs_mb=256, fsize_mb=64, result_max_bytes=4 << 20)
SANDBOX_USER = "10001:10001"

# Runs as the container's program: unpack, forget the marker's file, check, report.
BOOTSTRAP = """
import io, os, sys, tarfile
root = "/tmp/w"
with tarfile.open(fileobj=io.BytesIO(sys.stdin.buffer.read()), mode="r:") as archive:
    archive.extractall(root, filter="data")
with open(os.path.join(root, "marker")) as handle:
    marker = handle.read().strip()
os.unlink(os.path.join(root, "marker"))
sys.path.insert(0, root)
from grader.exercise_sandbox import inside
inside(os.path.join(root, "exercise"), marker)
"""


@dataclass(frozen=True)
class CheckOutcome:
    """What a check in the exercise sandbox found: each step, and whether the exercise is proven."""

    ok: bool
    steps: list[dict]
    seconds: float

    @property
    def reason(self) -> str:
        """The first failing step, in one line (empty when proven)."""
        failed = next((s for s in self.steps if not s.get("ok")), None)
        if failed is None:
            return ""
        return f"{failed.get('what', 'check')}: {failed.get('detail', '')}".strip().replace("\n", " ")[:500]


def exercise_tar(folder: Path, extra: dict[str, bytes]) -> bytes:
    """The grader package, the exercise folder (as ``exercise/<name>``) and ``extra`` files (name ->
    bytes), as a tar: what an exercise sandbox (a check, or a warm exercise host) gets on its stdin."""
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w") as archive:
        for path in sorted(GRADER_DIR.rglob("*.py")):
            archive.add(path, arcname=f"grader/{path.relative_to(GRADER_DIR).as_posix()}", recursive=False)
        for path in sorted(Path(folder).rglob("*")):
            if path.is_file() and not path.is_symlink() and "__pycache__" not in path.parts:
                name = f"exercise/{Path(folder).name}/{path.relative_to(folder).as_posix()}"
                archive.add(path, arcname=name, recursive=False)
        for name, data in extra.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return out.getvalue()


def job_tar(folder: Path, marker: str) -> bytes:
    """A check's stdin: the exercise tar with the run's report marker."""
    return exercise_tar(folder, {MARKER_FILE: marker.encode()})


def check_in_sandbox(folder: Path, *, backend, gpu: bool = False) -> CheckOutcome:
    """Prove one exercise folder in a fresh exercise sandbox (a DockerBackend gives the engine and images).

    Raises SandboxUnavailable when the engine or the image fails (ours: retry later).
    """
    from grader.backends.docker_backend import DockerSandbox, container_options, sandbox_labels

    started = time.monotonic()
    marker = secrets.token_hex(16)
    image = backend.images[SandboxKind.TRITON if gpu else SandboxKind.NUMPY]
    create, host_config = container_options(CHECK_LIMITS, image, gpu=False, runtime=backend.runtime)
    # Whatever the learner sandbox needs to start its runners, this one runs as the learner's uid with nothing.
    host_config["cap_drop"] = ["ALL"]
    host_config.pop("cap_add", None)
    create.update(user=SANDBOX_USER, entrypoint=["python3", "-I", "-c", BOOTSTRAP], environment={"HOME": "/tmp"})
    client = backend.client
    try:
        created = client.api.create_container(
            name=f"tensordojo-check-{marker[:12]}",
            # The sandbox labels (creator, time): the sweep removes only containers whose creator is gone.
            labels={**sandbox_labels(secrets.token_hex(16)), "tensordojo.role": "exercise-check"},
            host_config=client.api.create_host_config(**host_config),
            **create,
        )
        container = client.containers.prepare_model({"Id": created["Id"]})
    except Exception as exc:  # noqa: BLE001 - the engine's many error types: ours, retried
        raise SandboxUnavailable(f"could not create an exercise sandbox: {exc}") from exc
    sandbox = DockerSandbox(client, container, CHECK_LIMITS)
    try:
        sandbox.start()
        sandbox.feed(job_tar(Path(folder), marker))
        outcome = sandbox.collect()
    finally:
        sandbox.destroy()
    seconds = time.monotonic() - started
    found = read_report(outcome.stdout + outcome.stderr[-2000:], marker, seconds=seconds, timed_out=outcome.timed_out)
    if not found.ok and found.steps[0]["what"] == "check" and outcome.exit_code not in (0, None):
        memory = ", out of memory" if outcome.oom_killed else ""
        found.steps[0]["detail"] += f" (exit status {outcome.exit_code}{memory})"
    return found


def read_report(stdout: bytes, marker: str, *, seconds: float, timed_out: bool = False) -> CheckOutcome:
    """The check's report after its marker; a check that wrote none failed (the exercise's fault)."""
    needle = REPORT_PREFIX + marker.encode() + b"\n"
    at = stdout.rfind(needle)
    if at < 0:
        why = "the check did not finish in time" if timed_out else "the check stopped without a report"
        tail = stdout[-300:].decode(errors="replace")
        return CheckOutcome(False, [{"what": "check", "ok": False, "detail": f"{why}. {tail}".strip()}], seconds)
    try:
        steps = loads_strict(stdout[at + len(needle) :].split(b"\n", 1)[0])  # untrusted: the exercise's code ran
        steps = [
            {"what": str(s["what"])[:200], "ok": s["ok"] is True, "detail": str(s.get("detail", ""))[:2000]}
            for s in steps
        ]
    except (ValueError, TypeError, KeyError, RecursionError):
        unreadable = [{"what": "check", "ok": False, "detail": "the check's report is unreadable"}]
        return CheckOutcome(False, unreadable, seconds)
    return CheckOutcome(bool(steps) and all(s["ok"] for s in steps), steps, seconds)


def inside(parent: str, marker: str) -> None:
    """In the container: run `exercises check` on the one folder under ``parent``; print the report after the marker."""
    import sys

    folder = next(p for p in Path(parent).iterdir() if p.is_dir())
    from grader.authoring import check_exercise
    from grader.backends import get_backend
    from grader.reference import ExpectedStore

    store = ExpectedStore(Path("/tmp/cache"), pool_size=1)
    try:
        report = check_exercise(Path(folder), get_backend("process"), store, siblings=False)
        steps = [{"what": s.what, "ok": s.ok, "detail": s.detail} for s in report.steps]
    except Exception as exc:  # noqa: BLE001 - whatever the exercise's code did, the author reads it
        steps = [{"what": "check", "ok": False, "detail": f"{type(exc).__name__}: {exc}"[:2000]}]
    sys.stdout.flush()
    sys.stdout.buffer.write(b"\n" + REPORT_PREFIX + marker.encode() + b"\n" + json.dumps(steps).encode() + b"\n")
    sys.stdout.flush()
