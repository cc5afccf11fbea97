"""The sandbox's processes as its init sees them: which live, how to end them, what they cost.

Standard library only. PID 1 (the supervisor, uid 10000 with CAP_KILL) uses these to end
every runner and everything a runner started, to reap what dies, and to read how much CPU
a runner used (the learner's time, supervisor.Budget) and whether the kernel's OOM killer
struck.
"""

from __future__ import annotations

import os
import signal
import time

CLOCK_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def signal_name(number: int) -> str:
    """A name for any signal number, real-time ones included (signal.Signals raises for those)."""
    try:
        return signal.Signals(number).name
    except ValueError:
        if hasattr(signal, "SIGRTMIN") and signal.SIGRTMIN <= number <= signal.SIGRTMAX:
            return f"SIGRTMIN+{number - signal.SIGRTMIN}"
        return f"SIG{number}"


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
