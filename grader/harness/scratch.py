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
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
if HERE not in sys.path:
    sys.path.insert(0, HERE)

import privileges  # noqa: E402

SCRATCH_DIRS = ("/tmp", "/dev/shm")
DIRECTORY_FLAGS = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0)


def empty(root: str) -> bool:
    """Remove everything under ``root`` (not ``root`` itself). True once it is empty; False at the first refusal.

    Each directory is listed once: its files are unlinked and its subdirectories kept as a list
    of names, entered one by one (one descriptor open at a time, ``..`` to come back), so a
    flood of entries costs linear time and a deep tree neither PATH_MAX nor our descriptor
    limit. Nothing else runs while it does (every learner process is dead): no race to guard.
    """
    try:
        fd = os.open(root, DIRECTORY_FLAGS)
    except FileNotFoundError:
        return True
    except OSError:
        return False
    try:
        levels = [(None, _sweep(fd))]  # (this directory's name in its parent, its subdirectories left)
        while levels:
            name, subdirectories = levels[-1]
            inner = next(subdirectories, None)
            if inner is not None:
                os.chmod(inner, stat.S_IRWXU, dir_fd=fd)  # the learner's uid owns it: readable, writable
                entered = os.open(inner, DIRECTORY_FLAGS, dir_fd=fd)
                os.close(fd)
                fd = entered
                levels.append((inner, _sweep(fd)))
                continue
            levels.pop()
            if name is None:
                return True
            outer = os.open("..", DIRECTORY_FLAGS, dir_fd=fd)
            os.close(fd)
            fd = outer
            os.rmdir(name, dir_fd=fd)
        return True
    except (OSError, NotImplementedError):
        return False
    finally:
        os.close(fd)


def _sweep(fd: int):
    """Unlink every non-directory in the directory open on ``fd``; an iterator over its subdirectories."""
    subdirectories = []
    with os.scandir(fd) as entries:
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                subdirectories.append(entry.name)
            else:
                os.unlink(entry.name, dir_fd=fd)
    return iter(subdirectories)


def _cleaner(uid: int) -> int:
    """The forked cleaner's whole life: the uid of the runner that wrote there, then empty every scratch directory."""
    try:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        privileges.become_runner_user(uid)
        return 0 if all([empty(path) for path in SCRATCH_DIRS]) else 1
    except BaseException:  # noqa: BLE001 - a cleaner that cannot do its job says so by its status
        return 2


def clean(deadline: float, uid: int = privileges.RUNNER_UID) -> bool:
    """Fork the cleaner as ``uid`` (the runner that just ended: /tmp is sticky, only it may delete
    its files) and wait for it until ``deadline``. True when both directories are empty."""
    try:
        pid = os.fork()
    except OSError:
        return False
    if pid == 0:  # pragma: no cover - the child
        os._exit(_cleaner(uid))
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
