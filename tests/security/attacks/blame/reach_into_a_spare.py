"""expect: accepted
Reach into a spare runner from the visible phase: open its memory (/proc/PID/mem, to
rewrite the hidden or timed phase's runner before it gets its job: its rules, its clock)
or reopen its protocol channels (/proc/PID/fd/N for the request and result descriptors
named on its command line: to hand it an init of our own, or to forge its answers). The
probe answers wrongly if any door opens, so only closed doors are accepted.

Every runner makes itself undumpable before anything else, so the kernel refuses another
process its memory; the channels are socket pairs, which /proc cannot reopen (ENXIO),
under runc and gVisor alike. (gVisor still lists an undumpable process's fd/ and shows its
maps and environ: a spare holds nothing of the job, and without its memory that is harmless.)
"""

import os

IN_SANDBOX = os.getuid() != 0  # never open a host's processes from the unsafe local backend


def a_door_opens() -> bool:
    for entry in os.listdir("/proc"):
        if not entry.isdigit() or int(entry) in (os.getpid(), 1):
            continue
        try:
            with open(f"/proc/{entry}/cmdline", "rb") as handle:
                argv = handle.read().split(b"\0")
        except OSError:
            continue
        runner = [i for i, part in enumerate(argv) if part.endswith(b"runner.py")]
        if not runner:
            continue
        channels = argv[runner[0] + 1 : runner[0] + 3]
        attempts = [(f"/proc/{entry}/mem", os.O_RDWR), (f"/proc/{entry}/mem", os.O_RDONLY)]
        for fd in channels:
            for flags in (os.O_WRONLY, os.O_RDONLY):
                attempts.append((f"/proc/{entry}/fd/{fd.decode()}", flags | os.O_NONBLOCK))
        for path, flags in attempts:
            try:
                os.close(os.open(path, flags))
                return True
            except OSError:
                pass
    return False


def solve(x):
    if x.ndim != 1:
        raise ValueError("expected a vector")
    if IN_SANDBOX and a_door_opens():
        return x * 3
    return x * 2
