"""The exercise host in a container: a warm exercise sandbox per exercise version, per worker process.

A learner's grading on the docker backend reaches the exercise's own code only through
here (grader/exercise_host.py says what it asks). The container is the exercise sandbox of
grader/exercise_sandbox.py kept open: the sandbox image, the same limits machinery (no
network, read-only root, every capability dropped, uid 10001, memory, pids and CPU
limits), nothing mounted, no secret in its environment; it holds one exercise version's
files and the grader package, and never learner code.

It is started on first need and kept warm: at most ``keep`` per worker process (the least
recently used goes first), none idle longer than ``idle_s``, none older than ``max_age_s``,
all removed when the process exits. It carries the sandbox labels, so the sweep removes one
whose worker died. Requests and answers are frames on the container's attached stdin and
stdout (Docker multiplexes stdout and stderr into 8-byte-headed chunks on the way out;
stdin is raw). Every answer is untrusted: read by the total frame parser within a size
bound and a deadline, and a broken, late or absent answer is ExerciseBroken (the
exercise's failure); the container is then dropped and the next grading starts a new one.
"""

from __future__ import annotations

import atexit
import json
import logging
import os
import secrets
import struct
import threading
import time
from collections import OrderedDict
from dataclasses import asdict
from pathlib import Path

from grader.backends.base import SandboxUnavailable
from grader.backends.docker_backend import HOST_MAX_AGE_S, HOST_ROLE, docker_frames
from grader.exercise import ExerciseFolder
from grader.exercise_host import (
    Draw,
    ExerciseBroken,
    cases_from_answer,
    message,
    read_message,
    result_from_wire,
)
from grader.exercise_sandbox import exercise_tar
from grader.harness.contract import SandboxKind
from grader.harness.frames import FrameError, FrameReader
from grader.judge import RunEnd
from grader.limits import Limits
from grader.results import GradingResult
from grader.timing import Peaks

log = logging.getLogger(__name__)

GRADER_DIR = Path(__file__).resolve().parent
HOST_LIMITS = Limits(wall_s=60, memory_mb=2048, cpus=1, pids=64, tmpfs_mb=128, fsize_mb=64)
HOST_USER = "10001:10001"
START_TIMEOUT_S = 60.0  # unpack, import the grader and cases.py, build the visible cases once
REQUEST_TIMEOUT_S = 60.0
ANSWER_MAX = 512 << 20  # the packed cases of the largest exercise, with room
STDERR_KEEP = 4096
KEEP = 4
IDLE_S = 600.0

# The container's program: read the files (8-byte length, then a tar), unpack, serve.
BOOTSTRAP = """
import io, os, struct, sys, tarfile
def read(n):
    data = b""
    while len(data) < n:
        chunk = os.read(0, n - len(data))
        if not chunk:
            raise SystemExit("the worker closed the exercise host before its files arrived")
        data += chunk
    return data
root = "/tmp/w"
with tarfile.open(fileobj=io.BytesIO(read(struct.unpack(">Q", read(8))[0])), mode="r:") as archive:
    archive.extractall(root, filter="data")
sys.path.insert(0, root)
from grader.exercise_host import serve_from_stdio
serve_from_stdio(root)
"""


def judging_fields(exercise: ExerciseFolder) -> dict:
    """What a caller may have set on an exercise beyond its files (a check's seed variant): the host applies it."""
    return {
        "version": exercise.version,
        "seed": exercise.seed,
        "points": exercise.points,
        "rtol": exercise.rtol,
        "atol": exercise.atol,
        "gpu": exercise.gpu,
        "limits": asdict(exercise.limits),
    }


def host_files(folder: Path, fields: dict) -> bytes:
    """The grader package, the exercise folder (as ``exercise/<name>``) and the judging fields, as a tar."""
    return exercise_tar(folder, {"fields.json": json.dumps(fields).encode()})


class Channel:
    """Frames over an attached container socket: raw bytes in, Docker's multiplexed stream out."""

    def __init__(self, raw):
        self.raw = raw
        self.mux = bytearray()
        self.stderr = bytearray()

    def send(self, data: bytes, deadline: float) -> None:
        self.raw.settimeout(max(0.1, deadline - time.monotonic()))
        try:
            self.raw.sendall(data)
        except OSError as exc:
            raise ExerciseBroken(f"the exercise host stopped reading: {exc}{self.tail()}") from None

    def receive(self, deadline: float, limit: int = ANSWER_MAX) -> tuple[dict, dict[str, bytes]]:
        """One answer frame's body and blobs, or ExerciseBroken (late, too large, malformed, or the host gone)."""
        frames = FrameReader(limit)
        while True:
            try:
                frame = frames.next_frame()
            except FrameError as exc:
                raise ExerciseBroken(f"the exercise host's answer is unreadable: {exc}{self.tail()}") from None
            if frame is not None:
                if frames.buffer:
                    raise ExerciseBroken("the exercise host wrote more than its answer")
                return read_message(*frame)
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise ExerciseBroken(f"the exercise host did not answer in time{self.tail()}")
            self.raw.settimeout(remaining)
            try:
                chunk = self.raw.recv(1 << 16)
            except TimeoutError:
                continue
            except OSError as exc:
                raise ExerciseBroken(f"the exercise host's stream failed: {exc}{self.tail()}") from None
            if not chunk:
                raise ExerciseBroken(f"the exercise host stopped{self.tail()}")
            self.mux += chunk
            self._split(frames)

    def _split(self, frames: FrameReader) -> None:
        try:
            split = list(docker_frames(self.mux, known=(1, 2)))
        except ValueError:
            raise ExerciseBroken("the exercise host's stream is not Docker's") from None
        for stream, payload in split:
            if stream == 1:
                frames.feed(payload)  # bounded: its header's sizes are checked on the next next_frame()
            else:
                self.stderr = (self.stderr + payload)[-STDERR_KEEP:]

    def tail(self) -> str:
        text = bytes(self.stderr[-400:]).decode(errors="replace").strip()
        return f" ({text})" if text else ""


class DockerExerciseHost:
    """One exercise version's warm container; requests are serialised (one pipe)."""

    def __init__(self, exercise: ExerciseFolder, backend):
        self.exercise = exercise
        self.backend = backend
        self.fields = judging_fields(exercise)
        self.lock = threading.Lock()
        self.container = None
        self.sock = None
        self.channel: Channel | None = None
        self.started_at = 0.0
        self.used_at = time.monotonic()
        self.pid = os.getpid()

    # -- the two calls of grader.exercise_host.ExerciseHost --

    def cases(self, draw: Draw):
        body, blobs = self._ask({"op": "cases", "draw": draw.as_dict()})
        return cases_from_answer(body, blobs, draw)

    def judge(
        self, expected, report, stream: bytes | None, *, end: RunEnd, peaks: Peaks, visible_only: bool
    ) -> GradingResult | None:
        draw = expected.packed.origin
        if not isinstance(draw, Draw) or not expected.reports:
            raise ValueError("an exercise host judges an expected set built by the store (its draw and reports)")
        blobs = {f"ref{i}": ref for i, (ref, _) in enumerate(expected.reports)}
        if stream is not None:
            blobs["report"] = stream
        request = {
            "op": "judge",
            "draw": draw.as_dict(),
            "refs": [only for _, only in expected.reports],
            "end": asdict(end),
            "peaks": [peaks.flops_per_s, peaks.bytes_per_s],
            "visible_only": visible_only,
        }
        body, _ = self._ask(request, blobs)
        return result_from_wire(body.get("result"))

    # -- the container --

    def _ask(self, body: dict, blobs: dict[str, bytes] | None = None) -> tuple[dict, dict[str, bytes]]:
        with self.lock:
            if os.getpid() != self.pid:
                raise SandboxUnavailable("an exercise host is not shared with a forked process")
            self.used_at = time.monotonic()
            if self.channel is None:
                self._start()
            deadline = time.monotonic() + REQUEST_TIMEOUT_S
            try:
                self.channel.send(message(body, blobs), deadline)
                answer, answer_blobs = self.channel.receive(deadline)
            except ExerciseBroken:
                self._remove()
                raise
            self.used_at = time.monotonic()
        if answer.get("ok") is not True:
            raise ExerciseBroken(f"the exercise's code failed: {str(answer.get('error', 'no reason given'))[:1000]}")
        return answer, answer_blobs

    def _start(self) -> None:
        from grader.backends.docker_backend import container_options, sandbox_labels

        client = self.backend.client
        image = self.backend.images[SandboxKind.TRITON if self.exercise.gpu else SandboxKind.NUMPY]
        create, host_config = container_options(HOST_LIMITS, image, gpu=False, runtime=self.backend.runtime)
        # The learner sandbox's supervisor needs three capabilities to start its runners; this one needs none.
        host_config["cap_drop"] = ["ALL"]
        host_config.pop("cap_add", None)
        # Its process gone (even killed), its stdin ends, the host's loop returns and the engine removes it.
        host_config["auto_remove"] = True
        create.update(user=HOST_USER, entrypoint=["python3", "-I", "-c", BOOTSTRAP], environment={"HOME": "/tmp"})
        run_id = secrets.token_hex(16)
        try:
            created = client.api.create_container(
                name=f"tensordojo-host-{self.exercise.slug[:40]}-{run_id[:8]}",
                labels={**sandbox_labels(run_id), "tensordojo.role": HOST_ROLE},
                host_config=client.api.create_host_config(**host_config),
                **create,
            )
            self.container = client.containers.prepare_model({"Id": created["Id"]})
            self.sock = client.api.attach_socket(
                self.container.id, params={"stdin": 1, "stdout": 1, "stderr": 1, "stream": 1}
            )
            self.container.start()
        except Exception as exc:  # noqa: BLE001 - the engine's many error types: ours, retried
            self._remove()
            raise SandboxUnavailable(f"could not start an exercise host: {exc}") from exc
        self.started_at = time.monotonic()
        self.channel = Channel(getattr(self.sock, "_sock", self.sock))
        files = host_files(self.exercise.path, self.fields)
        deadline = time.monotonic() + START_TIMEOUT_S
        try:
            self.channel.send(struct.pack(">Q", len(files)) + files, deadline)
            hello, _ = self.channel.receive(deadline, limit=1 << 20)
        except ExerciseBroken:
            self._remove()
            raise
        if hello.get("ok") is not True or hello.get("version") != self.exercise.version:
            self._remove()
            raise ExerciseBroken(f"the exercise's code failed to load: {str(hello.get('error', hello))[:1000]}")
        log.info("exercise host for %s %s started", self.exercise.slug, self.exercise.version)

    def _remove(self) -> None:
        for closer in (getattr(self.sock, "_sock", None), self.sock):
            try:
                if closer is not None:
                    closer.close()
            except OSError:
                pass
        self.sock = self.channel = None
        container, self.container = self.container, None
        if container is not None:
            try:
                container.remove(force=True, v=True)
            except Exception:  # noqa: BLE001 - gone already, or the engine is: the sweep removes it
                log.warning("could not remove exercise host %s", container.id[:12], exc_info=True)

    def alive(self) -> bool:
        return self.channel is not None

    def close(self) -> None:
        with self.lock:
            self._remove()


class HostPool:
    """The warm hosts of one worker process: bounded, least recently used first out, idle ones removed."""

    def __init__(self, keep: int = KEEP, idle_s: float = IDLE_S, max_age_s: float = HOST_MAX_AGE_S):
        self.keep, self.idle_s, self.max_age_s = keep, idle_s, max_age_s
        self.hosts: OrderedDict[tuple, DockerExerciseHost] = OrderedDict()
        self.lock = threading.Lock()
        self.pid = os.getpid()
        self._reaper: threading.Thread | None = None
        self._stop = threading.Event()

    def get(self, exercise: ExerciseFolder, backend) -> DockerExerciseHost:
        fields = judging_fields(exercise)
        image = backend.images[SandboxKind.TRITON if exercise.gpu else SandboxKind.NUMPY]
        key = (str(exercise.path), json.dumps(fields, sort_keys=True), image, backend.runtime, id(backend.client))
        gone = []
        with self.lock:
            host = self.hosts.get(key)
            if host is not None and time.monotonic() - host.started_at > self.max_age_s and host.alive():
                gone.append(self.hosts.pop(key))
                host = None
            if host is None:
                host = self.hosts[key] = DockerExerciseHost(exercise, backend)
            self.hosts.move_to_end(key)
            while len(self.hosts) > self.keep:
                gone.append(self.hosts.popitem(last=False)[1])
            self._start_reaper()
        for old in gone:
            old.close()
        return host

    def reap(self) -> int:
        """Remove the hosts idle longer than ``idle_s``; how many."""
        now = time.monotonic()
        with self.lock:
            idle = [k for k, h in self.hosts.items() if now - h.used_at > self.idle_s and not h.lock.locked()]
            gone = [self.hosts.pop(k) for k in idle]
        for host in gone:
            host.close()
        return len(gone)

    def close(self) -> None:
        """Remove every host (the worker process is ending)."""
        self._stop.set()
        with self.lock:
            gone = list(self.hosts.values())
            self.hosts.clear()
        for host in gone:
            host.close()

    def _start_reaper(self) -> None:
        if self._reaper is None:
            self._reaper = threading.Thread(target=self._reap_loop, name="exercise-hosts", daemon=True)
            self._reaper.start()

    def _reap_loop(self) -> None:
        while not self._stop.wait(min(30.0, self.idle_s / 4)):
            try:
                self.reap()
            except Exception:  # noqa: BLE001 - the next round tries again; the sweep is the backstop
                log.warning("reaping exercise hosts failed", exc_info=True)


_pool: HostPool | None = None
_pool_lock = threading.Lock()


def host_pool() -> HostPool:
    """This process's pool (a forked child builds its own: its parent's containers are not its to use)."""
    global _pool
    with _pool_lock:
        if _pool is None or _pool.pid != os.getpid():
            _pool = HostPool()
            atexit.register(_pool.close)
        return _pool


def docker_host(exercise: ExerciseFolder, backend) -> DockerExerciseHost:
    return host_pool().get(exercise, backend)


def close_hosts() -> None:
    """Remove this process's exercise hosts now (a worker process's shutdown hook)."""
    with _pool_lock:
        pool = _pool
    if pool is not None and pool.pid == os.getpid():
        pool.close()
