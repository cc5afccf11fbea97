"""expect: wrong_answer | runtime_error | forbidden_call
Answer with the forbidden numpy.linalg.matrix_rank from a second interpreter started by
os.posix_spawn. The audit hook refuses it (os.posix_spawn event); the kernel refuses it too
(seccomp: execve fails with EPERM), so the route is closed even without the hook.
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
    try:
        pid = os.posix_spawn(
            sys.executable,
            [sys.executable, "-c", CODE, repr(rtol)],
            dict(os.environ),
            file_actions=[(os.POSIX_SPAWN_DUP2, r_in, 0), (os.POSIX_SPAWN_DUP2, w_out, 1)],
        )
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
