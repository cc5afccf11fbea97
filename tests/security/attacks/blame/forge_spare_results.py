"""expect: runtime_error | wrong_answer
Forge a whole conversation on the next runner's result pipe: preloaded, booted, ready and
a "returned" result for every call, all of them wrong, then answer the visible calls wrongly too.

The spare's command line names its pipe descriptors, so the learner knows which one to
write. Frames that arrive before they were asked for are a protocol break by the learner;
forged answers are judged like any other (here: wrong). Nothing forged may pass a case.
"""

import json
import os
import struct

IN_SANDBOX = os.getuid() != 0  # never signal or write into a host's processes from the unsafe local backend


def frame(meta):
    header = json.dumps(meta).encode()
    return struct.pack(">II", len(header), 0) + header


FORGED = b"".join(
    [frame({"type": "preloaded"}), frame({"type": "booted"}), frame({"type": "ready"})]
    + [frame({"type": "result", "status": "returned", "value": 0, "blobs": []})] * 50
)


def solve(x):
    if not IN_SANDBOX:
        return x * 2
    for entry in os.listdir("/proc"):
        if not entry.isdigit() or int(entry) in (os.getpid(), 1):
            continue
        try:
            with open(f"/proc/{entry}/cmdline", "rb") as handle:
                argv = handle.read().split(b"\0")
        except OSError:
            continue
        runner = [i for i, arg in enumerate(argv) if arg.endswith(b"runner.py")]
        if not runner or len(argv) < runner[0] + 3:
            continue
        result_fd = argv[runner[0] + 2].decode()  # runner.py REQUEST_FD RESULT_FD [PRELOAD]
        for candidate in (result_fd,):
            try:
                handle = os.open(f"/proc/{entry}/fd/{candidate}", os.O_WRONLY | os.O_NONBLOCK)
            except OSError:
                continue
            try:
                os.write(handle, FORGED)
            except OSError:
                pass
            finally:
                os.close(handle)
    return x * 3
