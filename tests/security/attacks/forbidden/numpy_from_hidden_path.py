"""expect: forbidden_call | runtime_error | import_error | wrong_answer
Look for NumPy outside sys.path (Debian's dist-packages, site-packages) and import it from there.

A sandbox that "has no NumPy" only because it is off the path still has it on disk;
this adds every candidate directory to sys.path before importing.
Seen in the wild: sys.path manipulation to reach system packages from a venv or a
restricted interpreter.
The shape check is done by hand (the error cases pass); the product is the route's.
Inputs are NumPy arrays or nested lists: NumPy is imported inside the call, so in a
NumPy-free sandbox the attempt fails there (or, for routes that fetch NumPy
themselves, at the route).
"""

import glob
import sys


def shape(M):
    rows = len(M)
    return rows, (len(M[0]) if rows else 0)


def check(A, B):
    (m, n), (n_b, p) = shape(A), shape(B)
    if n != n_b:
        raise ValueError(f"cannot multiply ({m}, {n}) by ({n_b}, {p})")


def arrays(A, B):
    import numpy

    return numpy.asarray(A, dtype=float), numpy.asarray(B, dtype=float)

CANDIDATES = ("/usr/lib/python3/dist-packages", "/usr/local/lib/python3*/*-packages", "/usr/lib/python3*/*-packages",
              "/opt/*/lib/python3*/site-packages", "/root/.local/lib/python3*/site-packages")


def numpy_anywhere():
    for pattern in CANDIDATES:
        sys.path.extend(sorted(glob.glob(pattern)))
    import numpy

    return numpy


def matmul(A, B):
    check(A, B)
    lib = numpy_anywhere()
    a, b = lib.asarray(A, dtype=float), lib.asarray(B, dtype=float)
    return lib.vecdot(a[:, None, :], b.T[None, :, :]).tolist()
