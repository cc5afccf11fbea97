"""The sandbox's first process: holds the job, hands the learner one call at a time, reports.

Runs as PID 1 of the container, started as root with three capabilities; it drops
to uid 10000 keeping them (privileges.py) and starts every runner as a uid of its own (10001, 10002, ...), so
the learner's processes can neither signal, limit, trace nor read it: the kernel
refuses. It also ignores every catchable signal and is non-dumpable. The job
arrives on stdin as a tar and stays in this process's memory: nothing is written
to disk. The record of what happened leaves on stdout as a
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

One idea per module: ``privileges`` (uids, capabilities, the exec filter), ``processes``
(living, killing, reaping, CPU time), ``child`` (one runner and its channels), ``spares``
(runners started ahead), ``phases`` (the run and the learner's time), ``scratch`` (the
cleaner). This file is the entry point: it reads the job and writes the report.

Standard library only: the NumPy-free sandbox runs this same file.
"""

from __future__ import annotations

import io
import json
import os
import re
import signal
import sys
import tarfile
import time
import traceback

HERE = os.path.dirname(os.path.abspath(__file__))
if HERE not in sys.path:
    sys.path.insert(0, HERE)

import privileges  # noqa: E402
from child import Boot, Child, Output, one_way_channel  # noqa: E402, F401 - the names tests and tools use
from frames import REPORT_PREFIX  # noqa: E402
from phases import Budget, Run  # noqa: E402, F401
from processes import living_pids, reap_all, signal_name  # noqa: E402, F401
from spares import Spares, spare_settings  # noqa: E402, F401
from untrusted import Protocol, check_result  # noqa: E402, F401

MAX_JOB_BYTES = 256 << 20
JOB_MEMBER = re.compile(r"^[A-Za-z0-9_.-]{1,64}$")
PR_SET_DUMPABLE = 4


def ignore_signals() -> None:
    """SIG_IGN for every catchable signal but SIGCHLD (which must stay default for waitpid)."""
    for number in range(1, signal.NSIG):
        if number in (signal.SIGKILL, signal.SIGSTOP, signal.SIGCHLD):
            continue
        try:
            signal.signal(number, signal.SIG_IGN)
        except (OSError, ValueError):
            pass


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
