"""expect: accepted | runtime_error | wrong_answer | output_limit | time_limit
Return a blob whose .npy header declares 2**35 float64 values (256 GiB) while carrying 8 bytes.

A reader that trusts the header allocates the declared size (np.load of a buffer does)
and dies of MemoryError in the worker. Seen in the wild: decompression-bomb style
headers (zip/PNG bombs; numpy's own max_header_size guard added in 1.24).
"""

import json
import os
import signal
import stat
import struct
import sys
import time

IN_SANDBOX = os.getuid() != 0  # never signal or write into a host's processes from the unsafe local backend


def answer(x):
    if x.ndim != 1:
        raise ValueError("not a vector")
    return x * 2


def channels():
    """Every pipe or socket this process holds besides its output: where a result channel would be."""
    found = []
    for fd in range(3, 256):
        try:
            mode = os.fstat(fd).st_mode
        except OSError:
            continue
        if stat.S_ISFIFO(mode) or stat.S_ISSOCK(mode):
            found.append(fd)
    return found


def send(header, payload=b""):
    """A frame in the harness's format (length-prefixed JSON header, raw payload) on every channel."""
    data = header if isinstance(header, bytes) else json.dumps(header).encode()
    for fd in channels():
        try:
            os.write(fd, struct.pack(">II", len(data), len(payload)) + data + payload)
        except OSError:
            pass


def current_case():
    """The id of the case being run, read off the caller's frames (as the harness names it)."""
    try:
        raise RuntimeError
    except RuntimeError as exc:
        frame = exc.__traceback__.tb_frame
    while frame is not None:
        case = frame.f_locals.get("case")
        if isinstance(case, dict) and "id" in case:
            return case["id"]
        frame = frame.f_back
    return "c0"



def npy(shape):
    header = "{'descr': '<f8', 'fortran_order': False, 'shape': %r, }" % (shape,)
    header = header.ljust(118) + "\n"
    return b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)) + header.encode() + b"\0" * 8


def solve(x):
    case = current_case()
    send({"type": "start", "case": case})
    send({"type": "blob", "name": f"{case}_0"}, npy((2**35,)))
    send({"type": "result", "case": case, "status": "returned", "value": {"$array": f"{case}_0", "class": "ndarray"}})
    return answer(x)
