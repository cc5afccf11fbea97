"""expect: wrong_answer | runtime_error | forbidden_call
Answer with the forbidden numpy.linalg.matrix_rank from a second interpreter started through
_posixsubprocess.fork_exec: the C function behind subprocess raises no audit event on the
sandbox's Python, and a fresh python3 has none of the runner's guards. Accepted 10/10 before
the runner refused new programs (seccomp: execve and execveat fail with EPERM).
"""

import _posixsubprocess
import io
import os
import sys

import numpy as np

CODE = (
    "import io, sys, numpy as np; a = np.load(io.BytesIO(sys.stdin.buffer.read())); "
    "r = sys.argv[1]; print(int(np.linalg.matrix_rank(a, rtol=None if r == 'None' else float(r))))"
)


def _start(argv, stdin_fd, stdout_fd):
    error_r, error_w = os.pipe()
    common = [argv, [os.fsencode(argv[0])], True, (), None, None, stdin_fd, -1, -1, stdout_fd, -1, -1, error_r, error_w]
    common += [True, False, -1, None, None, -1, -1, None]
    try:
        for extra in ([True], []):  # Python 3.13's signature ends with allow_vfork; 3.14's does not
            try:
                pid = _posixsubprocess.fork_exec(*common, *extra)
            except TypeError:
                continue
            os.close(error_w)
            error_w = -1
            if os.read(error_r, 4096):  # the exec failed: the child says why
                os.waitpid(pid, 0)
                raise OSError("the second interpreter did not start")
            return pid
        raise RuntimeError("no fork_exec signature fits")
    finally:
        for fd in (error_r, error_w):
            if fd >= 0:
                os.close(fd)


def numerical_rank(A, rtol=None):
    buffer = io.BytesIO()
    np.save(buffer, np.asarray(A, dtype=float))
    r_in, w_in = os.pipe()
    r_out, w_out = os.pipe()
    try:
        pid = _start([sys.executable, "-c", CODE, repr(rtol)], r_in, w_out)
    except Exception:
        return -1
    finally:
        os.close(r_in)
        os.close(w_out)
    os.write(w_in, buffer.getvalue())
    os.close(w_in)
    answer = b""
    while chunk := os.read(r_out, 4096):
        answer += chunk
    os.close(r_out)
    os.waitpid(pid, 0)
    try:
        return int(answer)
    except ValueError:
        return -1
