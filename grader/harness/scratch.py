"""The sandbox's scratch space, emptied between runners by a process with the learner's rights.

``/tmp`` and ``/dev/shm`` are tmpfs mounts with a size and (under runc) an inode cap
(docker_backend.container_options). Between two runners, once every learner process is
dead, the supervisor forks a cleaner that becomes the runner's uid (RUNNER_UID, no
capabilities: whatever the learner left, the cleaner can do no more than the learner
could) and empties both. It walks with descriptors, never paths, one directory open at a
time, so neither a tree deeper than PATH_MAX nor one deeper than our descriptor limit can
stop it; a directory the learner made unreadable or unwritable is made 0700 first (the
learner's uid owns it). The supervisor waits for it until a deadline inside the hard stop:
a cleanup that cannot finish (a flood of entries where no inode cap holds, gVisor) ends the
run as the learner's, never ours, and never late.

Standard library only.
"""

from __future__ import annotations

import os
import signal
import stat
import time

import privileges

SCRATCH_DIRS = ("/tmp", "/dev/shm")
DIRECTORY_FLAGS = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0)


def empty(root: str) -> bool:
    """Remove everything under ``root`` (not ``root`` itself). True once it is empty; False at the first refusal.

    Nothing else runs while it does (every learner process is dead), so there is no race to guard.
    """
    try:
        fd = os.open(root, DIRECTORY_FLAGS)
    except FileNotFoundError:
        return True
    except OSError:
        return False
    below: list[str] = []  # the names from root down to the directory fd is open on
    try:
        while True:
            entered = None
            with os.scandir(fd) as entries:
                for entry in entries:
                    if entry.is_dir(follow_symlinks=False):
                        entered = entry.name
                        break
                    os.unlink(entry.name, dir_fd=fd)
            if entered is not None:
                os.chmod(entered, stat.S_IRWXU, dir_fd=fd, follow_symlinks=False)
                inner = os.open(entered, DIRECTORY_FLAGS, dir_fd=fd)
                os.close(fd)
                fd = inner
                below.append(entered)
                continue
            if not below:
                return True
            outer = os.open("..", DIRECTORY_FLAGS, dir_fd=fd)
            os.close(fd)
            fd = outer
            os.rmdir(below.pop(), dir_fd=fd)
    except (OSError, NotImplementedError):
        return False
    finally:
        os.close(fd)


def _cleaner() -> int:
    """The forked cleaner's whole life: the learner's uid, then empty every scratch directory."""
    try:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        privileges.become_runner_user()
        return 0 if all([empty(path) for path in SCRATCH_DIRS]) else 1
    except BaseException:  # noqa: BLE001 - a cleaner that cannot do its job says so by its status
        return 2


def clean(deadline: float) -> bool:
    """Fork the cleaner and wait for it until ``deadline``. True when both directories are empty."""
    try:
        pid = os.fork()
    except OSError:
        return False
    if pid == 0:  # pragma: no cover - the child
        os._exit(_cleaner())
    while True:
        try:
            reaped, status = os.waitpid(pid, os.WNOHANG)
        except ChildProcessError:
            return False
        if reaped:
            return os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0
        if time.monotonic() >= deadline:
            try:
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
            except OSError:
                pass
            return False
        time.sleep(0.002)
