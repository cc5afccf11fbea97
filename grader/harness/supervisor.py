"""The sandbox's first process: holds the job, hands the learner one call at a time, reports.

Runs as PID 1 of the container. It ignores every catchable signal (the kernel
already drops SIGKILL/SIGSTOP sent to a namespace's init from inside) and marks
itself non-dumpable, so the same-uid learner can neither kill it nor read its
memory. The job arrives on stdin as a tar and stays in this process's memory:
nothing is written to disk. The record of what happened leaves on stdout as a
tar of ``results.json`` plus the ``.npy`` blobs the learner returned.

Who decides what:

- The learner's code runs in a child started by fork + exec of a fresh
  interpreter (runner.py), one child per phase (visible, hidden, timed) and a
  fresh one after a crash. The child gets the source and the non-secret
  configuration, then one ``call`` frame at a time with only that call's
  arguments; it answers with one ``result`` frame (see runner.py).
- Printed output is kept from the visible phase only; that child is gone
  before any hidden input is sent.
- Timed repetitions are timed here: the clock starts when the first byte of
  the request is written and stops when the whole result frame has been read.
  Warm-up calls get their own inputs. Every repetition's value is reported
  and checked outside.
- Everything the child writes is untrusted: a frame that is malformed, too
  large, not strict JSON, has unexpected keys or types, or whose ``.npy``
  header does not match its bytes, ends that child ("protocol", the learner's
  fault). Nothing here decides correctness.
- Every wait has a deadline; children are polled, never waited on blindly.

Standard library only: the NumPy-free sandbox runs this same file.
"""

from __future__ import annotations

import io
import json
import os
import re
import select
import signal
import socket
import subprocess
import sys
import tarfile
import time
import traceback

HERE = os.path.dirname(os.path.abspath(__file__))
RUNNER = os.path.join(HERE, "runner.py")
sys.path.insert(0, HERE)

import privileges  # noqa: E402
import scratch  # noqa: E402
from contract import REPORT_FORMAT, AbortCause, CallStatus, FrameType, RecordStatus, crash_cause  # noqa: E402
from frames import REPORT_PREFIX, FrameError, FrameReader, FrameTooLarge, encode_frame  # noqa: E402
from untrusted import Protocol, check_result  # noqa: E402

MAX_JOB_BYTES = 256 << 20
MAX_RESTARTS = 4  # a fresh interpreter per restart costs a start-up: crash loops end early
BOOT_S = 60.0  # starting an interpreter and importing NumPy/PyTorch: ours, not the learner's time
EXIT_GRACE_S = 1.0
HARD_STOP_S = 8.0
PIPE_BYTES = 1 << 20
JSON_BUDGET = 4 << 20  # the learner's JSON values, all calls together (arrays count against the result limit)
JOB_MEMBER = re.compile(r"^[A-Za-z0-9_.-]{1,64}$")
PR_SET_DUMPABLE = 4
BACKSTOP_FACTOR = 3.0  # the wall-clock backstop of a CPU-time limit: 3x the limit...
BACKSTOP_EXTRA_S = 4.0  # ...but at most this much past it (and never past the hard stop)
CLEAN_S = 3.0  # what the cleaner may take between two runners (inside the hard stop)
CLOCK_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
PRELOAD_ENV = "TENSORDOJO_PRELOAD"  # the modules spare runners import before the job arrives
SPARES_ENV = "TENSORDOJO_SPARES"  # how many runners to keep started ahead (default 2, at most 3)
PRELOADED_MAX = 1 << 10  # the only frames a runner sends before its job: {"type": "sealed"}, {"type": "preloaded"}


class Boot(Exception):
    """The child failed before any learner code ran: ours."""


def ignore_signals() -> None:
    """SIG_IGN for every catchable signal but SIGCHLD (which must stay default for waitpid)."""
    for number in range(1, signal.NSIG):
        if number in (signal.SIGKILL, signal.SIGSTOP, signal.SIGCHLD):
            continue
        try:
            signal.signal(number, signal.SIG_IGN)
        except (OSError, ValueError):
            pass


def signal_name(number: int) -> str:
    """A name for any signal number, real-time ones included (signal.Signals raises for those)."""
    try:
        return signal.Signals(number).name
    except ValueError:
        if hasattr(signal, "SIGRTMIN") and signal.SIGRTMIN <= number <= signal.SIGRTMAX:
            return f"SIGRTMIN+{number - signal.SIGRTMIN}"
        return f"SIG{number}"


def make_undumpable() -> None:
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_DUMPABLE, 0, 0, 0, 0)
    except (ImportError, OSError, AttributeError):
        pass


def read_job(stream) -> tuple[dict, bytes, dict[str, bytes]]:
    """job.json, the submission and the argument arrays, all kept in memory."""
    data = stream.read(MAX_JOB_BYTES + 1)
    if len(data) > MAX_JOB_BYTES:
        raise SystemExit("job too large")
    files: dict[str, bytes] = {}
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:") as archive:
        for member in archive:
            if member.isfile() and JOB_MEMBER.match(member.name):
                files[member.name] = archive.extractfile(member).read()
    job = json.loads(files.pop("job.json"))
    source = files.pop("submission.py")
    arrays = {name[:-4]: blob for name, blob in files.items() if name.endswith(".npy")}
    return job, source, arrays


def oom_kills() -> int:
    """OOM kills so far in this container's memory cgroup (v2 or v1)."""
    for path in ("/sys/fs/cgroup/memory.events", "/sys/fs/cgroup/memory/memory.oom_control"):
        try:
            with open(path) as handle:
                for line in handle:
                    key, _, value = line.partition(" ")
                    if key == "oom_kill":
                        return int(value)
        except (OSError, ValueError):
            continue
    return 0


def array_names(tree, found: list) -> list:
    """The arrays an argument tree (ours) refers to."""
    if isinstance(tree, list):
        for item in tree:
            array_names(item, found)
    elif isinstance(tree, dict):
        for key in ("$array", "$tensor"):
            if key in tree and tree[key] not in found:
                found.append(tree[key])
        for value in tree.values():
            if isinstance(value, (list, dict)):
                array_names(value, found)
    return found


class Budget:
    """The learner's time: the CPU seconds its runners use, with a wall-clock backstop and a hard stop.

    What is charged is each runner's own CPU time (and its reaped children's) from the moment
    it says ``booted``: our start-up, and other processes on a busy machine, never count. The
    wall clock still ends a run that waits instead of computing (a sleep, a stalled pipe): at
    ``deadline``, BACKSTOP_FACTOR times the limit (at most BACKSTOP_EXTRA_S past it), with our
    start-up time given back, never past ``hard``.
    """

    def __init__(self, wall_s: float, hard_s: float):
        now = time.monotonic()
        self.limit = wall_s
        self.spent = 0.0  # CPU seconds of the runners that have ended
        self.hard = now + hard_s
        self.deadline = min(now + min(wall_s * BACKSTOP_FACTOR, wall_s + BACKSTOP_EXTRA_S), self.hard)

    def give_back(self, seconds: float) -> None:
        self.deadline = min(self.deadline + seconds, self.hard)

    def left(self) -> float:
        """Wall-clock seconds before the backstop."""
        return self.deadline - time.monotonic()

    def cpu_left(self, running: float = 0.0) -> float:
        """CPU seconds the learner has left, ``running`` being what the live runner used so far."""
        return self.limit - self.spent - running


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
                **privileges.runner_credentials(),  # another uid than ours: PID 1 is out of its reach
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


class Spares:
    """Runners started before they are needed, so a phase need not wait for an interpreter.

    In a pooled container the first ones start before the job exists and import the
    job's modules (PRELOAD_ENV) while the container waits; later ones start while an
    earlier phase runs, never during a timed phase, and are settled (their imports
    done) before a timed phase starts, so no start-up competes with a timed call.
    No learner code runs in a spare until it is taken; each is taken at most once.
    """

    def __init__(self, preload: list[str], count: int):
        self.preload, self.count = preload, count
        self.ready: list[Child] = []
        self.fill(count)

    def fill(self, want: int, sealed_by: float | None = None) -> None:
        """Start spares up to ``want``. With ``sealed_by``, wait until each new one is sealed.

        A phase's learner code must not start while a runner it could reach is still unsealed
        (a fresh interpreter is dumpable until its first lines run), so a fill during a job
        waits for the ``sealed`` frame, a few milliseconds, before the phase's code begins.
        """
        if sealed_by is not None:  # those started with the container too: learner code is about to run
            self._keep_those_that(Child.wait_sealed, sealed_by)
        while len(self.ready) < min(want, self.count):
            try:
                child = Child(self.preload)
            except OSError:  # out of processes or memory: phases start their own runner
                return
            if sealed_by is not None:
                try:
                    child.wait_sealed(sealed_by)
                except Boot:
                    self._end(child)
                    return
            self.ready.append(child)

    def take(self) -> Child | None:
        while self.ready:
            child = self.ready.pop(0)
            if child.alive():
                return child
            child.discard()  # killed from outside (a learner's process may do that): start a fresh one
        return None

    def pids(self) -> frozenset[int]:
        """The spares' PIDs, each checked to still be that process (a reused PID is not spared)."""
        return frozenset(
            child.pid for child in self.ready if child.status is None and start_ticks(child.pid) == child.started
        )

    def reaped(self, pid: int, status: int) -> None:
        for child in self.ready:
            if child.pid == pid:
                child.status = status
                child.process.returncode = -1

    def settle(self, deadline: float) -> None:
        """Wait until every spare has imported its modules (before a timed phase)."""
        self._keep_those_that(Child.wait_preloaded, deadline)

    def _keep_those_that(self, wait, deadline: float) -> None:
        """Wait for each spare to reach a step (``Child.wait_sealed``, ``wait_preloaded``); end those that fail."""
        for child in list(self.ready):
            try:
                wait(child, deadline)
            except Boot:
                self.ready.remove(child)
                self._end(child)

    def stop(self) -> None:
        for child in self.ready:
            self._end(child)
        self.ready = []

    @staticmethod
    def _end(child: Child) -> None:
        kill_group(child.pid)
        child.poll(time.monotonic() + 1.0)
        child.discard()


def spare_settings(environ) -> tuple[list[str], int]:
    """What spares import and how many to keep: the backend says which modules (PRELOAD_ENV)."""
    preload = [name for name in environ.get(PRELOAD_ENV, "").split(",") if name in ("numpy", "torch")]
    try:
        count = int(environ.get(SPARES_ENV, ""))
    except ValueError:
        count = 2  # the visible phase's runner and the hidden phase's (a timed phase's starts during the hidden one)
    return preload, max(0, min(count, 3))


def kill_everything(pid: int, keep: frozenset[int] = frozenset()) -> None:
    """The child's process group, and as the namespace's init every other process but ``keep``.

    ``keep`` are the spares: runners started before the job, which no learner code has run in.
    To spare them, every process is first stopped (SIGSTOP to -1 reaches forks in flight too),
    so the sweep that follows sees a process table nobody can add to; then the spares go on.
    """
    kill_group(pid)
    if os.getpid() != 1:
        return
    if not keep:
        try:
            os.kill(-1, signal.SIGKILL)  # every process but us: forks that left the group
        except OSError:
            pass
        return
    try:
        os.kill(-1, signal.SIGSTOP)
    except OSError:
        pass
    for _ in range(5):  # one sweep is enough once everything is stopped; the rest is belt and braces
        try:
            victims = [other for other in living_pids() if other not in keep]
        except OSError:  # /proc unreadable (our descriptor limit lowered from outside): nobody is spared
            try:
                os.kill(-1, signal.SIGKILL)
            except OSError:
                pass
            return
        if not victims:
            break
        for victim in victims:
            try:
                os.kill(victim, signal.SIGKILL)
            except OSError:
                pass
    for spare in keep:
        try:
            os.kill(spare, signal.SIGCONT)
        except OSError:
            pass


def kill_group(pid: int) -> None:
    """SIGKILL a runner and its process group (each runner leads its own session)."""
    for target in (lambda: os.killpg(pid, signal.SIGKILL), lambda: os.kill(pid, signal.SIGKILL)):
        try:
            target()
        except OSError:
            pass


def living_pids() -> list[int]:
    """Every process of the namespace but PID 1 that is not yet reaped (from /proc).

    Zombies count: a process whose main thread has exited reads ``Z`` while its other
    threads still run, and SIGKILL is what ends those (a true zombie ignores it, and is
    reaped next).
    """
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit() and entry != "1":
            fields = _stat_fields(entry)
            if fields and fields[0] != b"X":
                found.append(int(entry))
    return found


def start_ticks(pid: int) -> int | None:
    """When the process started (clock ticks after boot, /proc/PID/stat field 22): a PID's identity."""
    fields = _stat_fields(pid)
    try:
        return int(fields[19]) if fields else None
    except (IndexError, ValueError):
        return None


def cpu_ticks(pid: int) -> int | None:
    """utime + stime + cutime + cstime of a process (/proc/PID/stat fields 14-17), in clock ticks."""
    fields = _stat_fields(pid)
    try:
        return sum(int(value) for value in fields[11:15]) if len(fields) > 14 else None
    except ValueError:
        return None


def _stat_fields(pid: int | str) -> list[bytes]:
    """/proc/PID/stat after the process's name (field 3, the state, first); empty if it is gone."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as handle:
            return handle.read().rpartition(b")")[2].split()
    except OSError:
        return []


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


def reap_all(until: float, keep: frozenset[int] = frozenset(), on_reaped=None) -> None:
    """As init: reap every dead process until only us and ``keep`` are left (or ``until``)."""
    if os.getpid() != 1:
        return
    while True:
        try:
            reaped, status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if reaped:
            if on_reaped is not None:
                on_reaped(reaped, status)  # a spare that died: no longer ours to hand out
            continue
        if time.monotonic() >= until:
            return
        try:
            if keep and not set(living_pids()) - keep:
                return
        except OSError:  # /proc unreadable: wait out the time instead
            pass
        time.sleep(0.005)


class Run:
    """The whole job: phases in order, the report, the blobs."""

    def __init__(self, job: dict, source: bytes, arrays: dict[str, bytes], spares: Spares | None = None):
        self.job, self.source, self.arrays = job, source, arrays
        self.spares = spares or Spares([], 0)
        self.timed_phase = False
        self.phases_after = 0
        limits = job["limits"]
        self.limits = limits
        wall = float(limits["wall_s"])
        # Our start-up time is given back to the learner, but the run stops at most HARD_STOP_S past
        # the time limit whatever happens (the engine kills the container a little later still).
        self.budget = Budget(wall, wall + min(float(limits.get("startup_grace_s", 20.0)) * 0.75, HARD_STOP_S))
        self.cases = {case["id"]: case for case in job["cases"]}
        self.config = {
            "type": FrameType.INIT,
            "modules": list(job.get("modules", [])),
            "rules": job.get("rules", {}),
            "cpus": limits.get("cpus", 1),
        }
        self.report = {
            "format": REPORT_FORMAT,
            "import_error": None,
            "cases": {},
            "phases": {},
            "limits_hit": [],
            "harness_errors": [],
        }
        self.blobs: dict[str, bytes] = {}
        self.result_room = int(limits["result_max_bytes"])
        self.json_room = JSON_BUDGET
        self.interfered = False  # the learner's process broke the protocol: nothing more is run
        self.learner_ran = False  # learner code has run in this container (it may have left traces)
        self.dirty = False  # the cleaner could not empty the scratch space in time: the run ends (the learner's)

    def run(self) -> None:
        started = time.monotonic()
        phases = self.job["phases"]
        for number, phase in enumerate(phases):
            pending = list(phase["cases"])
            self.timed_phase = any(self.cases[case_id].get("timing") for case_id in pending)
            self.phases_after = len(phases) - number - 1
            if self.timed_phase:  # nothing may be starting beside a timed call
                self.spares.settle(min(time.monotonic() + BOOT_S, self.budget.hard))
            output = Output(
                int(self.limits["output_keep_bytes"]) if phase.get("keep_output") else 0,
                int(self.limits["output_max_bytes"]),
            )
            children = 0
            while pending and not self.stopped():
                if self.budget.left() <= 0 or self.budget.cpu_left() <= 0:
                    self._give_up(pending, AbortCause.TIME_LIMIT)
                    break
                if children > MAX_RESTARTS:
                    self._give_up(pending, AbortCause.TOO_MANY_CRASHES)
                    break
                children += 1
                self._run_child(pending, output, first=children == 1)
            if self.stopped():
                self._give_up(pending, self._stop_cause())
            self.report["phases"][phase["name"]] = {
                "output": output.data.decode("utf-8", errors="replace"),
                "output_bytes": output.total,
                "output_truncated": output.total > len(output.data),
                "restarts": max(0, children - 1),
            }
        self.report["elapsed_s"] = time.monotonic() - started

    def stopped(self) -> bool:
        return bool(self.report["import_error"] or self.report["harness_errors"] or self.interfered or self.dirty)

    def _stop_cause(self) -> str:
        if self.report["import_error"]:
            return AbortCause.IMPORT_ERROR
        if self.dirty:  # what it left could not be cleared inside the hard stop: its time, spent
            return AbortCause.TIME_LIMIT
        return AbortCause.PROTOCOL if self.interfered else AbortCause.HARNESS

    def _give_up(self, pending: list, cause: str) -> None:
        for case_id in pending:
            self.report["cases"][case_id] = {"status": RecordStatus.NOT_RUN, "cause": cause}
        pending.clear()

    def _run_child(self, pending: list, output: Output, first: bool) -> None:
        """One child for the pending cases of a phase, until they are done or it fails.

        The first child's start-up time is given back to the learner; a restart after a
        crash is paid from the learner's time, and a start cut short by the hard stop is
        the learner's time limit, not our failure.
        """
        booting = time.monotonic()
        try:
            child = self.spares.take() or Child(self.spares.preload)
        except OSError:  # no process or descriptor to be had
            if not self.learner_ran:
                raise  # nothing of the learner's has run: ours
            # Its earlier code may have caused it (processes left, our limits lowered): the learner's.
            self._abort_next(pending, AbortCause.CRASHED_AT_START)
            return
        if not self.timed_phase:  # the next phase's runner starts while this one runs, sealed before it does
            self.spares.fill(self.phases_after, sealed_by=min(booting + BOOT_S, self.budget.hard))
        child.begin(self.config, self.source, output, self.result_room)
        cause = None
        try:
            boot_deadline = booting + BOOT_S if first else min(booting + BOOT_S, self.budget.deadline)
            try:
                child.wait_preloaded(min(boot_deadline, self.budget.hard))
                meta, _, _ = child.exchange(min(boot_deadline, self.budget.hard))
            except TimeoutError as exc:
                if min(boot_deadline, self.budget.hard) < booting + BOOT_S:
                    raise TimeoutError from exc  # the learner's time ran out while we restarted
                raise Boot("the runner did not start in time") from exc
            except (Protocol, OverflowError) as exc:
                raise Boot(f"the runner did not start: {type(exc).__name__} {exc}") from exc
            if meta.get("type") != FrameType.BOOTED:
                raise Boot(f"the runner did not start: {str(meta)[:300]}")
            self.learner_ran = True
            child.start_charging()
            if first:
                self.budget.give_back(time.monotonic() - booting)
            meta, _, _ = child.exchange(self.budget.deadline, cpu_left=self.budget.cpu_left)
            if meta.get("type") == FrameType.IMPORT_ERROR and isinstance(meta.get("error"), dict):
                self.report["import_error"] = meta["error"]
                return
            if meta != {"type": FrameType.READY}:
                raise Protocol("expected the ready frame")
            while pending:
                case_id = pending[0]
                self.report["cases"][case_id] = self._run_case(child, self.cases[case_id])
                pending.pop(0)
        except Boot as exc:
            if not self.learner_ran:
                self.report["harness_errors"].append(str(exc)[:2000])  # nothing of the learner's had run: ours
            else:  # the learner's earlier code may have caused it (a full /tmp, leftovers): theirs
                child.poll(time.monotonic() + 0.2)
                cause = child.death_cause() if child.status is not None else AbortCause.CRASHED_AT_START
        except TimeoutError:
            cause = AbortCause.TIME_LIMIT
        except OverflowError as exc:
            cause = str(exc)
        except Protocol:
            child.poll(time.monotonic() + 0.2)  # a child that died reads as a closed pipe
            cause = child.death_cause() if child.status is not None else AbortCause.PROTOCOL
            self.interfered = cause == AbortCause.PROTOCOL
        finally:
            self.budget.spent += child.cpu_used()
            child.close(gently=cause is None, spares=self.spares)
            self._clean(more=bool(pending) or self.phases_after > 0)
        if cause is not None:
            self._abort_next(pending, cause)

    def _clean(self, more: bool) -> None:
        """Empty /tmp and /dev/shm (scratch.py) before another runner starts, inside the hard stop."""
        if not more or not self.learner_ran or os.getpid() != 1 or os.getcwd() != "/tmp":
            return
        if not scratch.clean(min(time.monotonic() + CLEAN_S, self.budget.hard)):
            self.dirty = True
            self.report["limits_hit"].append(AbortCause.TIME_LIMIT)

    def _abort_next(self, pending: list, cause: str) -> None:
        """The limit or failure that ended a child, and the case it was running, aborted by it."""
        self.report["limits_hit"].append(cause)
        if pending:
            self.report["cases"][pending.pop(0)] = {"status": RecordStatus.ABORTED, "cause": cause}

    def _run_case(self, child: Child, case: dict) -> dict:
        timing = case.get("timing")
        if not timing:
            record, _ = self._call(child, case, case["args"], 0)
            return {"status": record["status"], "calls": [record]}
        for tree in timing.get("warmup", []):
            record, _ = self._call(child, case, tree, None)
            if record["status"] != CallStatus.RETURNED:
                return {"status": record["status"], "calls": [record]}
        calls, times, device, tampered = [], [], [], False
        for index, tree in enumerate(timing["reps"]):
            record, seconds = self._call(child, case, tree, index)
            calls.append(record)
            times.append(seconds)
            if record["status"] != CallStatus.RETURNED:
                return {"status": record["status"], "calls": calls}
            # The learner's process wrote these: kept only as a finite number and a bool (gpu_timing.py).
            figure = record.pop("device_s", None)
            device.append(float(figure) if type(figure) in (int, float) and 0 <= figure < 1e6 else None)
            tampered = tampered or record.pop("tampered", False) is not False
        report = {"status": RecordStatus.RETURNED, "calls": calls, "times": times}
        if any(d is not None for d in device):
            report.update(device_times=device, tampered=tampered)
        return report

    def _call(self, child: Child, case: dict, args, index: int | None) -> tuple[dict, float]:
        kwargs = case.get("kwargs") or {"$dict": {}}
        names = array_names(kwargs, array_names(args, []))
        meta = {
            "type": FrameType.CALL,
            "clock": bool(case.get("timing")),  # warm-ups and repetitions alike: CUDA events too, where there is a GPU
            "entry": case["entry"],
            "args": args,
            "kwargs": kwargs,
            "blobs": [[name, len(self.arrays[name])] for name in names],
        }
        payload = [self.arrays[name] for name in names]
        request = [encode_frame(meta, sum(map(len, payload))), *payload]
        answer, body, seconds = child.exchange(self.budget.deadline, request, cpu_left=self.budget.cpu_left)
        record, blobs = check_result(answer, body)
        if index is not None:  # a warm-up's value is not kept
            self.json_room -= len(json.dumps(record))
            if self.json_room < 0:
                raise OverflowError(AbortCause.RESULT_LIMIT)
            for name, blob in blobs.items():
                self.blobs[f"{case['id']}.{index}.{name}"] = blob
                self.result_room -= len(blob)
        return record, seconds


def write_report(report: dict, blobs: dict[str, bytes], out, marker: str = "") -> None:
    """The report: the run's marker line, then a tar of results.json and the blobs.

    Everything the learner's processes may have written on our stdout comes before the
    marker (they are all dead by now), so the grader reads only what follows it.
    """
    if marker:
        out.write(REPORT_PREFIX + marker.encode() + b"\n")
    with tarfile.open(fileobj=out, mode="w|") as archive:
        payload = json.dumps(report, allow_nan=False).encode()
        for name, data in [("results.json", payload)] + [(f"{k}.npy", v) for k, v in blobs.items()]:
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    out.flush()


def main() -> None:
    ignore_signals()
    # As the container's init, started as root with three capabilities: become SUPERVISOR_UID keeping
    # them. Anywhere else as init (an image started without the backend's options) we refuse to run.
    # (The unsafe local backend runs us as an ordinary process: no uid of ours to change there.)
    if os.getpid() == 1 and not privileges.drop_to_supervisor():
        raise SystemExit("the sandbox must start as root with CAP_SETUID, CAP_SETGID and CAP_KILL only")
    make_undumpable()
    # Before the job exists (a pooled container waits here): start the runners it will need.
    spares = Spares(*spare_settings(os.environ))
    try:
        job, source, arrays = read_job(sys.stdin.buffer)
    except BaseException:
        spares.stop()
        raise
    run = Run(job, source, arrays, spares)
    try:
        run.run()
    except Exception:  # noqa: BLE001 - our bug: report it as ours, with what we have
        run.report["harness_errors"].append(traceback.format_exc()[-4000:])
    spares.stop()
    if os.getpid() == 1:  # no learner process may be alive to write after the marker
        try:
            os.kill(-1, signal.SIGKILL)
        except OSError:
            pass
        reap_all(time.monotonic() + 1.0)
    write_report(run.report, run.blobs, sys.stdout.buffer, str(job.get("report_marker", "")))


if __name__ == "__main__":
    main()
