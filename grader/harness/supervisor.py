"""The sandbox's first process: reads the job, runs cases in child processes, reports.

Runs as PID 1 of the container (so a learner's code cannot kill it: the kernel
ignores signals to a namespace's init that it does not handle) and marks itself
non-dumpable (so the same-uid child cannot ptrace it or open its /proc files
and write into its output). The job arrives on stdin as a tar; the record of
what happened leaves on stdout as a tar of ``results.json`` plus ``.npy`` blobs.

It decides nothing about correctness: it only enforces the in-sandbox limits
(time, printed output, result size) and records what each case did.
"""

from __future__ import annotations

import ctypes
import io
import json
import os
import re
import select
import signal
import sys
import tarfile
import time
import traceback

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import numpy as np  # noqa: E402
import runner  # noqa: E402
from frames import FrameError, FrameReader  # noqa: E402
from version import HARNESS_VERSION  # noqa: E402

MAX_JOB_BYTES = 256 << 20
MAX_RESTARTS = 16
BLOB_NAME = re.compile(r"^[A-Za-z0-9_]{1,64}$")
PR_SET_DUMPABLE = 4


def make_undumpable() -> None:
    try:
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_DUMPABLE, 0, 0, 0, 0)
    except (OSError, AttributeError):
        pass


def read_job(job_dir: str) -> dict:
    data = sys.stdin.buffer.read(MAX_JOB_BYTES + 1)
    if len(data) > MAX_JOB_BYTES:
        raise SystemExit("job too large")
    os.makedirs(job_dir, exist_ok=True)
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:") as archive:
        for member in archive:  # only plain files with plain names: no links, no paths
            if member.isfile() and re.fullmatch(r"[A-Za-z0-9_.-]+", member.name):
                with open(os.path.join(job_dir, member.name), "wb") as handle:
                    handle.write(archive.extractfile(member).read())
    with open(os.path.join(job_dir, "job.json")) as handle:
        job = json.load(handle)
    job["dir"] = job_dir
    return job


def oom_kills() -> int:
    """OOM kills so far in this container's memory cgroup (v2 or v1)."""
    for path in ("/sys/fs/cgroup/memory.events", "/sys/fs/cgroup/memory/memory.oom_control"):
        try:
            with open(path) as handle:
                for line in handle:
                    key, _, value = line.partition(" ")
                    if key == "oom_kill":
                        return int(value)
        except OSError:
            continue
    return 0


class Phase:
    """One group of cases run by one child at a time, restarted after a crash."""

    def __init__(self, spec: dict, job: dict, arrays: dict, torch, deadline: float):
        self.name = spec["name"]
        self.pending = list(spec["cases"])
        self.job, self.arrays, self.torch = job, arrays, torch
        self.deadline = deadline
        limits = job["limits"]
        self.keep_bytes = limits["output_keep_bytes"]
        self.max_output = limits["output_max_bytes"]
        self.output = bytearray()
        self.output_bytes = 0
        self.children = 0

    def run(self, report: dict, blobs: dict) -> None:
        while self.pending:
            if time.monotonic() >= self.deadline:
                for case_id in self.pending:
                    report["cases"][case_id] = {"status": "not_run", "cause": "time_limit"}
                return
            if self.children > MAX_RESTARTS:
                for case_id in self.pending:
                    report["cases"][case_id] = {"status": "not_run", "cause": "too_many_crashes"}
                return
            self.children += 1
            self._run_child(report, blobs)
            if report.get("import_error"):
                return

    def _spawn(self):
        result_r, result_w = os.pipe()
        output_r, output_w = os.pipe()
        pid = os.fork()
        if pid == 0:  # child
            code = 0
            try:
                os.setsid()
                os.close(result_r)
                os.close(output_r)
                null = os.open(os.devnull, os.O_RDONLY)
                os.dup2(null, 0)
                os.dup2(output_w, 1)
                os.dup2(output_w, 2)
                os.closerange(3, result_w)
                os.closerange(result_w + 1, 1 << 16)
                sys.stdout.reconfigure(line_buffering=True)
                sys.stderr.reconfigure(line_buffering=True)
                ctypes.CDLL(None).prctl(PR_SET_DUMPABLE, 1, 0, 0, 0)
                try:
                    with open("/proc/self/oom_score_adj", "w") as handle:
                        handle.write("1000")  # the kernel should kill the learner, not us
                except OSError:
                    pass
                runner.run_cases(self.job, self.arrays, list(self.pending), result_w, self.torch)
            except BaseException:  # noqa: BLE001 - a harness bug: report it as ours
                code = 70
                try:
                    from frames import write_frame

                    write_frame(result_w, {"type": "harness_error", "message": traceback.format_exc()[-4000:]})
                except BaseException:  # noqa: BLE001
                    pass
            finally:
                os._exit(code)
        os.close(result_w)
        os.close(output_w)
        return pid, result_r, output_r

    def _run_child(self, report: dict, blobs: dict) -> None:
        oom_before = oom_kills()
        pid, result_r, output_r = self._spawn()
        reader = FrameReader(self.job["limits"]["result_max_bytes"] - sum(map(len, blobs.values())))
        open_fds = {result_r, output_r}
        current, cause, done = None, None, False
        while open_fds and cause is None and not done:
            remaining = self.deadline - time.monotonic()
            if remaining <= 0:
                cause = "time_limit"
                break
            ready, _, _ = select.select(list(open_fds), [], [], min(remaining, 1.0))
            for fd in ready:
                chunk = os.read(fd, 1 << 16)
                if not chunk:
                    open_fds.discard(fd)
                    continue
                if fd == output_r:
                    if self._take_output(chunk):
                        cause = "output_limit"
                        break
                    continue
                reader.feed(chunk)
                try:
                    for meta, payload in reader.frames():
                        kind = meta.get("type")
                        if kind == "start":
                            current = meta.get("case")
                        elif kind == "blob":
                            name = str(meta.get("name", ""))
                            if BLOB_NAME.match(name) and current and name.startswith(f"{current}_"):
                                blobs[name] = payload
                        elif kind == "result" and meta.get("case") == current and current in self.pending:
                            meta.pop("type", None)
                            report["cases"][meta.pop("case")] = meta
                            self.pending.remove(current)
                            current = None
                        elif kind == "import_error":
                            report["import_error"] = meta.get("error")
                            self.pending.clear()
                        elif kind == "harness_error":
                            report.setdefault("harness_errors", []).append(str(meta.get("message"))[:4000])
                        elif kind == "done":
                            done = True
                except OverflowError:
                    cause = "result_limit"
                except FrameError:
                    cause = "protocol"
                if cause:
                    break
        if done and output_r in open_fds:
            self._drain(output_r, time.monotonic() + 0.5)
        if cause:
            _kill_group(pid)
        _, status = os.waitpid(pid, 0)
        _kill_leftovers(pid)
        for fd in open_fds:
            os.close(fd)
        if cause is None and not done and not report.get("import_error"):
            cause = _death_cause(status, oom_kills() > oom_before)
        if cause is None:
            return
        report["limits_hit"].append(cause)
        victim = current or (self.pending[0] if self.pending else None)
        if victim is not None:
            report["cases"][victim] = {"status": "aborted", "cause": cause}
            self.pending.remove(victim)

    def _drain(self, fd: int, stop: float) -> None:
        """Read what the child printed just before it finished."""
        while time.monotonic() < stop:
            ready, _, _ = select.select([fd], [], [], max(0.0, stop - time.monotonic()))
            if not ready:
                return
            chunk = os.read(fd, 1 << 16)
            if not chunk or self._take_output(chunk):
                return

    def _take_output(self, chunk: bytes) -> bool:
        """Keep the start of what the learner printed; True once over the limit."""
        self.output_bytes += len(chunk)
        room = self.keep_bytes - len(self.output)
        if room > 0:
            self.output += chunk[:room]
        return self.output_bytes > self.max_output

    def summary(self) -> dict:
        return {
            "output": self.output.decode("utf-8", errors="replace"),
            "output_bytes": self.output_bytes,
            "output_truncated": self.output_bytes > len(self.output),
            "restarts": max(0, self.children - 1),
        }


def _death_cause(status: int, oom: bool) -> str:
    if oom:
        return "memory_limit"
    if os.WIFSIGNALED(status):
        sig = os.WTERMSIG(status)
        if sig == signal.SIGXFSZ:
            return "file_size_limit"
        if sig == signal.SIGKILL:
            return "killed"
        return f"signal_{signal.Signals(sig).name}"
    return f"exited_{os.WEXITSTATUS(status)}"


def _kill_group(pid: int) -> None:
    try:
        os.killpg(pid, signal.SIGKILL)
    except OSError:
        pass
    try:
        os.kill(pid, signal.SIGKILL)
    except OSError:
        pass


def _kill_leftovers(pid: int) -> None:
    """Stop everything the child left behind (forks, threads in detached processes)."""
    _kill_group(pid)
    if os.getpid() != 1:
        return
    try:
        os.kill(-1, signal.SIGKILL)  # as the namespace's init: every process but us
    except OSError:
        pass
    stop = time.monotonic() + 2.0
    while time.monotonic() < stop:
        try:
            reaped, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if reaped == 0:
            time.sleep(0.01)


def write_report(report: dict, blobs: dict) -> None:
    out = sys.stdout.buffer
    with tarfile.open(fileobj=out, mode="w|") as archive:
        payload = json.dumps(report, allow_nan=False).encode()
        for name, data in [("results.json", payload)] + [(f"{k}.npy", v) for k, v in blobs.items()]:
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    out.flush()


def main() -> None:
    make_undumpable()
    job = read_job(os.environ.get("TENSORDOJO_JOB_DIR", "/tmp/job"))
    torch = None
    if "torch" in job.get("modules", []):
        import torch

        torch.set_num_threads(max(1, int(job["limits"].get("cpus", 1))))
    with np.load(os.path.join(job["dir"], "arrays.npz"), allow_pickle=False) as npz:
        arrays = {name: npz[name] for name in npz.files}
    report = {"harness": HARNESS_VERSION, "import_error": None, "cases": {}, "phases": {}, "limits_hit": []}
    blobs: dict[str, bytes] = {}
    started = time.monotonic()
    deadline = started + float(job["limits"]["wall_s"])
    for spec in job["phases"]:
        phase = Phase(spec, job, arrays, torch, deadline)
        if report["import_error"]:
            for case_id in phase.pending:
                report["cases"][case_id] = {"status": "not_run", "cause": "import_error"}
        else:
            phase.run(report, blobs)
        report["phases"][phase.name] = phase.summary()
    report["elapsed_s"] = time.monotonic() - started
    write_report(report, blobs)


if __name__ == "__main__":
    main()
