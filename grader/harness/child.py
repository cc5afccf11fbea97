"""One runner as the supervisor sees it: a process of another uid and its three channels.

Everything the runner writes after ``booted`` is untrusted: frames are read with
bounds (frames.py), every wait has a deadline, and the runner's CPU time from its
``booted`` frame is what the learner is charged. Standard library only.
"""

from __future__ import annotations

import os
import select
import signal
import socket
import subprocess
import sys
import time
from typing import TYPE_CHECKING

HERE = os.path.dirname(os.path.abspath(__file__))
if HERE not in sys.path:
    sys.path.insert(0, HERE)

import privileges  # noqa: E402
from contract import AbortCause, FrameType, crash_cause  # noqa: E402
from frames import FrameError, FrameReader, FrameTooLarge, encode_frame  # noqa: E402
from processes import CLOCK_TICKS, cpu_ticks, kill_everything, oom_kills, reap_all, signal_name, start_ticks  # noqa: E402
from untrusted import Protocol  # noqa: E402

RUNNER_UIDS = privileges.runner_uids()  # each runner its own uid: no runner can reach another


def scheduling(pid: int) -> tuple | None:
    """A process's nice value, scheduling policy and CPU affinity (None if it cannot be read).

    What another process could set on a runner: runc's kernel refuses it between uids, but gVisor lets
    any uid renice or pin any process, so a phase could mark the spare that runs the next one.
    """
    try:
        return os.getpriority(os.PRIO_PROCESS, pid), os.sched_getscheduler(pid), frozenset(os.sched_getaffinity(pid))
    except OSError:
        return None


OUR_SCHEDULING = scheduling(0)  # the supervisor's at its start, before any learner code: what every runner inherits

if TYPE_CHECKING:
    from spares import Spares

RUNNER = os.path.join(HERE, "runner.py")
EXIT_GRACE_S = 1.0
PIPE_BYTES = 1 << 20
PRELOADED_MAX = 1 << 10  # the only frames a runner sends before its job: {"type": "sealed"}, {"type": "preloaded"}


class Boot(Exception):
    """The child failed before any learner code ran: ours."""


class Output:
    """What one phase's children printed: counted always, kept only where it may be shown."""

    def __init__(self, keep: int, limit: int):
        self.keep, self.limit = keep, limit
        self.data = bytearray()
        self.total = 0

    def take(self, chunk: bytes) -> bool:
        """Keep the start of what was printed; True once over the limit."""
        self.total += len(chunk)
        room = self.keep - len(self.data)
        if room > 0:
            self.data += chunk[:room]
        return self.total > self.limit


class Child:
    """One runner process and its three channels (request, result, printed output).

    Started ahead of the job (a spare, see Spares) or on demand; ``begin`` hands it the
    source and the configuration. Until then it holds nothing of the job.
    """

    def __init__(self, preload: list[str]):
        # Socket pairs, not pipes, for the protocol: another process of the sandbox cannot reopen
        # a socket through /proc/PID/fd (it could a pipe), so nobody but us can hand a spare its init.
        request_r, self.request_w = one_way_channel()
        self.result_r, result_w = one_way_channel()
        self.output_r, output_w = os.pipe()
        self.output: Output | None = None  # what it prints before ``begin`` is not the learner's
        self.reader = FrameReader(PRELOADED_MAX)
        self.status: int | None = None
        self.sealed = False
        self.preloaded = False
        self.oom_before = oom_kills()
        self.last_cpu = 0.0
        self.uid = next(RUNNER_UIDS)
        try:
            self.process = subprocess.Popen(
                [sys.executable, "-I", RUNNER, str(request_r), str(result_w), ",".join(preload)],
                stdin=subprocess.DEVNULL,
                stdout=output_w,
                stderr=output_w,
                pass_fds=(request_r, result_w),
                start_new_session=True,
                close_fds=True,
                cwd=os.getcwd(),
                # Another uid than ours (PID 1 is out of its reach) and than every other runner's.
                **privileges.runner_credentials(self.uid),
            )
        finally:
            for fd in (request_r, result_w, output_w):
                os.close(fd)
        self.pid = self.process.pid
        self.started = start_ticks(self.pid)
        for fd in (self.request_w, self.result_r, self.output_r):
            os.set_blocking(fd, False)
        self.pending_write: list = []
        self.cpu_base: int | None = None  # its CPU ticks when it said ``booted``: the learner's time starts there

    def start_charging(self) -> None:
        """From now on its CPU time is the learner's (called on its ``booted`` frame)."""
        self.cpu_base = cpu_ticks(self.pid)

    def cpu_used(self) -> float:
        """CPU seconds it (and the children it reaped) used since ``start_charging``."""
        if self.cpu_base is None:
            return 0.0
        now = cpu_ticks(self.pid)
        return max(0, now - self.cpu_base) / CLOCK_TICKS if now is not None else self.last_cpu

    def begin(self, config: dict, source: bytes, output: Output, max_result: int) -> None:
        """The job's part: from here on what it prints and returns counts."""
        while self.output_r is not None and self._read(self.output_r):  # printed while preloading: not shown
            pass
        self.output = output
        self.reader.max_payload = max_result
        self.oom_before = oom_kills()  # an earlier phase's OOM kill is not this child's
        self.pending_write = [encode_frame(config, len(source)), source]

    def wait_sealed(self, deadline: float) -> None:
        """Read the ``sealed`` frame: from here on no other process can reach its memory or descriptors."""
        if not self.sealed:
            self._expect_boot_frame(FrameType.SEALED, deadline)
            self.sealed = True

    def wait_preloaded(self, deadline: float) -> None:
        """Read the ``preloaded`` frame (its imports are done); Boot if it does not come."""
        self.wait_sealed(deadline)
        if not self.preloaded:
            self._expect_boot_frame(FrameType.PRELOADED, deadline)
            self.preloaded = True

    def _expect_boot_frame(self, kind: str, deadline: float) -> None:
        try:
            meta, _, _ = self.exchange(deadline)
        except (TimeoutError, Protocol, OverflowError) as exc:
            raise Boot(f"the runner did not start: {type(exc).__name__} {exc}") from exc
        if meta != {"type": kind}:
            raise Boot(f"the runner did not start: {str(meta)[:300]}")

    def alive(self) -> bool:
        return self.poll(0.0) is None

    def untouched(self) -> bool:
        """Whether its scheduling is still what it inherited from us (nothing of an earlier phase changed it)."""
        return scheduling(self.pid) == OUR_SCHEDULING

    # -- moving bytes -------------------------------------------------------
    def exchange(self, deadline: float, request: list | None = None, cpu_left=None) -> tuple[dict, bytes, float]:
        """Send ``request`` (if any), then read one whole frame. Returns (meta, payload, seconds).

        Raises TimeoutError at the deadline or once ``cpu_left(used)`` (the learner's CPU seconds
        left, given what this runner used) is spent, Protocol for a broken or closed stream,
        OverflowError for output or results over their limits.
        """
        if request is not None:
            if self._readable_now():
                raise Protocol("the child wrote before it was asked")
            self.pending_write = request
        started = time.perf_counter()
        frame = self._buffered_frame()
        while frame is None:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError
            if cpu_left is not None:
                self.last_cpu = self.cpu_used()
                cpu = cpu_left(self.last_cpu)
                if cpu <= 0:
                    raise TimeoutError
                remaining = min(remaining, max(cpu / 2, 0.005))  # threads may spend it faster than the clock
            writers = [self.request_w] if self.pending_write else []
            readers = [fd for fd in (self.result_r, self.output_r) if fd is not None]
            if not readers and not writers:
                raise Protocol("the child closed its channels")
            ready_r, ready_w, _ = select.select(readers, writers, [], min(remaining, 1.0))
            if ready_w:
                self._write_some()
            for fd in ready_r:
                if fd == self.output_r:
                    self._read_output()
                    continue
                chunk = self._read(self.result_r)
                if chunk is None:
                    continue
                if not chunk:
                    os.close(self.result_r)
                    self.result_r = None
                    raise Protocol("the child closed its result channel")
                self.reader.feed(chunk)
                try:
                    frame = self.reader.next_frame()
                except FrameTooLarge as exc:
                    raise OverflowError(AbortCause.RESULT_LIMIT) from exc
                except FrameError as exc:
                    raise Protocol(str(exc)) from exc
        elapsed = time.perf_counter() - started
        if request is not None and (self.reader.buffer or self.pending_write):
            raise Protocol("the child wrote more than one frame")
        return frame[0], frame[1], elapsed

    def _buffered_frame(self):
        """A frame already read with the one before (booted and ready arrive together)."""
        try:
            return self.reader.next_frame()
        except FrameTooLarge as exc:
            raise OverflowError(AbortCause.RESULT_LIMIT) from exc
        except FrameError as exc:
            raise Protocol(str(exc)) from exc

    def _readable_now(self) -> bool:
        if self.result_r is None:
            return True
        ready, _, _ = select.select([self.result_r], [], [], 0)
        return bool(ready) or bool(self.reader.buffer)

    def _write_some(self) -> None:
        while self.pending_write:
            head = self.pending_write[0]
            try:
                written = os.write(self.request_w, head)
            except BlockingIOError:
                return
            except (BrokenPipeError, ConnectionResetError) as exc:
                raise Protocol("the child closed its request channel") from exc
            if written < len(head):
                self.pending_write[0] = memoryview(head)[written:]
                return
            self.pending_write.pop(0)

    @staticmethod
    def _read(fd: int) -> bytes | None:
        try:
            return os.read(fd, 1 << 20)
        except BlockingIOError:
            return None
        except ConnectionResetError:  # a socket whose other end went away with our data unread: closed
            return b""

    def _read_output(self) -> None:
        chunk = self._read(self.output_r)
        if chunk is None:
            return
        if not chunk:
            os.close(self.output_r)
            self.output_r = None
            return
        if self.output is not None and self.output.take(chunk):
            raise OverflowError(AbortCause.OUTPUT_LIMIT)

    def drain_output(self, until: float) -> None:
        """Read what the child printed last (its pipe ends when every holder is gone)."""
        try:
            while self.output_r is not None and time.monotonic() < until:
                ready, _, _ = select.select([self.output_r], [], [], max(0.0, until - time.monotonic()))
                if not ready:
                    return
                self._read_output()
        except OverflowError:
            return

    # -- ending -------------------------------------------------------------
    def poll(self, until: float) -> int | None:
        """The child's wait status once it has exited, polling (never blocking) until ``until``."""
        while self.status is None:
            try:
                pid, status = os.waitpid(self.pid, os.WNOHANG)
            except ChildProcessError:
                self.status = 0
                break
            if pid:
                self.status = status
                self.process.returncode = -1  # reaped here; Popen must not wait for it again
                break
            if time.monotonic() >= until:
                return None
            time.sleep(0.005)
        return self.status

    def death_cause(self) -> str:
        """Why the child stopped, once it has (poll first)."""
        if oom_kills() > self.oom_before:
            return AbortCause.MEMORY_LIMIT
        status = self.status or 0
        if os.WIFSIGNALED(status):
            number = os.WTERMSIG(status)
            if number == signal.SIGXFSZ:
                return AbortCause.FILE_SIZE_LIMIT
            if number == signal.SIGKILL:
                return AbortCause.KILLED
            return crash_cause(AbortCause.SIGNALLED, signal_name(number))
        return crash_cause(AbortCause.EXITED, os.WEXITSTATUS(status))

    def close(self, gently: bool, spares: Spares | None = None) -> None:
        """End the child and everything it started (but the spares); close our ends of its channels."""
        if self.request_w is not None:
            os.close(self.request_w)
            self.request_w = None
        if gently:
            stop = time.monotonic() + EXIT_GRACE_S
            self.poll(stop)
            self.drain_output(stop)
        keep = spares.pids() if spares is not None else frozenset()
        kill_everything(self.pid, keep)
        self.poll(time.monotonic() + 2.0)
        reap_all(time.monotonic() + 1.0, keep, spares.reaped if spares is not None else None)
        self.discard()

    def discard(self) -> None:
        """Close our ends of its channels (the process is gone or about to be)."""
        if self.request_w is not None:
            os.close(self.request_w)
            self.request_w = None
        for name in ("result_r", "output_r"):
            fd = getattr(self, name)
            if fd is not None:
                os.close(fd)
                setattr(self, name, None)


def one_way_channel() -> tuple[int, int]:
    """(read end, write end) of a connected socket pair that carries bytes one way only."""
    reader, writer = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
    reader.shutdown(socket.SHUT_WR)
    writer.shutdown(socket.SHUT_RD)
    for sock in (reader, writer):
        try:  # larger buffers: fewer switches between the two processes while arrays cross
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF if sock is writer else socket.SO_RCVBUF, PIPE_BYTES)
        except OSError:
            pass
    return reader.detach(), writer.detach()
