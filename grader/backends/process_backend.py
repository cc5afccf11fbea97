"""A local process backend for authoring exercises on a machine without Docker.

It runs the same harness as the sandbox, as a plain child process of the
worker. It is NOT a security boundary: the learner's code runs with the
worker's privileges, network and file system. It refuses to run unless it
was asked for by name (``get_backend("process")`` or ``allow=True``), and
every result it produces is labelled unsafe. It has one interpreter for both
kinds of sandbox: NumPy can be imported here even where the stdlib image has none.
"""

from __future__ import annotations

import hashlib
import os
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from grader.backends.base import RunOutcome
from grader.harness.contract import SandboxKind
from grader.limits import Limits

HARNESS = Path(__file__).resolve().parent.parent / "harness" / "supervisor.py"
GPU_ENV = ("CUDA_VISIBLE_DEVICES", "LD_LIBRARY_PATH", "CUDA_HOME", "TRITON_PTXAS_PATH", "CC")
UNSAFE_NOTE = "graded by the local process backend: NOT sandboxed, for authoring only"


class ProcessBackendRefused(RuntimeError):
    pass


class ProcessBackend:
    name = "process"
    unsafe = True

    def __init__(self, allow: bool = False, python: str | None = None, gpu: bool = False):
        if not allow:
            raise ProcessBackendRefused(
                "the process backend runs learner code without a sandbox; "
                "choose it by name (GRADER_BACKEND=process) to use it for authoring"
            )
        self._image_id = ""
        self.has_gpu = gpu  # this machine's GPU runs GPU exercises as built (bench/gpu/device_check.sh)
        self.python = python or sys.executable  # e.g. a NumPy-free interpreter, as in the stdlib image

    def check(self) -> dict:
        return {"ok": True, "engine": False, "image": False, "unsafe": True, "note": UNSAFE_NOTE}

    def image_id(self, kind: SandboxKind = SandboxKind.NUMPY) -> str:
        """A hash of the harness files and the interpreter: what an image id is for Docker."""
        if not self._image_id:
            digest = hashlib.sha256(f"{sys.version}\0{self.python}".encode())
            for path in sorted(HARNESS.parent.glob("*.py")):
                digest.update(path.name.encode() + b"\0" + path.read_bytes())
            self._image_id = "process-" + digest.hexdigest()[:12]
        return self._image_id

    def create(
        self, limits: Limits, *, gpu: bool = False, kind: SandboxKind = SandboxKind.NUMPY, preload: tuple[str, ...] = ()
    ) -> ProcessSandbox:
        # preload is ignored: this sandbox starts when it is fed, so nothing could be started ahead.
        return ProcessSandbox(limits, self.python, gpu=gpu and self.has_gpu)


class ProcessSandbox:
    def __init__(self, limits: Limits, python: str, gpu: bool = False):
        self.gpu = gpu
        self.limits = limits
        self.python = python
        self.workdir = tempfile.mkdtemp(prefix="tensordojo-job-")
        self.job = b""

    def feed(self, job: bytes) -> None:
        self.job = job

    def collect(self) -> RunOutcome:
        limits = self.limits
        memory = limits.memory_mb << 20

        def restrict() -> None:  # soft guard rails only; this is not isolation
            os.setsid()
            resource.setrlimit(resource.RLIMIT_FSIZE, (limits.fsize_mb << 20,) * 2)
            resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
            if gpu:
                return  # CUDA reserves far more address space than it uses: no RLIMIT_AS
            try:
                resource.setrlimit(resource.RLIMIT_AS, (memory * 4, memory * 4))
            except ValueError:
                pass

        env = {
            "PATH": "/usr/bin:/bin",
            "HOME": self.workdir,
            "OMP_NUM_THREADS": "1",
            "TENSORDOJO_SPARES": "0",  # no runner may outlive a killed run here: each starts when needed
        }
        gpu = self.gpu
        if gpu:  # what CUDA and Triton need to find the driver and a compiler
            env.update({k: v for k, v in os.environ.items() if k in GPU_ENV})
        started = time.monotonic()
        proc = subprocess.Popen(
            [self.python, "-I", str(HARNESS)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            cwd=self.workdir,
            env=env,
            preexec_fn=restrict,
        )
        timed_out = False
        try:
            stdout, stderr = proc.communicate(self.job, timeout=limits.wall_s + limits.startup_grace_s)
        except subprocess.TimeoutExpired:
            timed_out = True
            os.killpg(proc.pid, signal.SIGKILL)
            stdout, stderr = proc.communicate()
        return RunOutcome(
            stdout=stdout,
            stderr=stderr[-65536:],
            exit_code=proc.returncode,
            wall_s=time.monotonic() - started,
            timed_out=timed_out,
            backend="process",
            unsafe=True,
        )

    def destroy(self) -> None:
        shutil.rmtree(self.workdir, ignore_errors=True)
