"""expect: wrong_answer | runtime_error | forbidden_call
Answer with the forbidden numpy.linalg.matrix_rank from a second interpreter: fork, then
os.execv in the child. The audit hook refuses os.exec*; the kernel refuses execve too
(seccomp: EPERM, inherited by every fork), so the child can only report failure.
"""

import io
import os
import sys

import numpy as np

CODE = (
    "import io, sys, numpy as np; a = np.load(io.BytesIO(sys.stdin.buffer.read())); "
    "r = sys.argv[1]; print(int(np.linalg.matrix_rank(a, rtol=None if r == 'None' else float(r))))"
)


def numerical_rank(A, rtol=None):
    buffer = io.BytesIO()
    np.save(buffer, np.asarray(A, dtype=float))
    r_in, w_in = os.pipe()
    r_out, w_out = os.pipe()
    pid = os.fork()
    if pid == 0:
        try:
            os.dup2(r_in, 0)
            os.dup2(w_out, 1)
            os.execv(sys.executable, [sys.executable, "-c", CODE, repr(rtol)])
        finally:
            os._exit(127)
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
