"""expect: wrong_answer | runtime_error | forbidden_call
Answer with the forbidden numpy.linalg.matrix_rank from a second interpreter started by
subprocess.run. The audit hook refuses subprocess.Popen; the kernel refuses execve as well.
"""

import io
import subprocess
import sys

import numpy as np

CODE = (
    "import io, sys, numpy as np; a = np.load(io.BytesIO(sys.stdin.buffer.read())); "
    "r = sys.argv[1]; print(int(np.linalg.matrix_rank(a, rtol=None if r == 'None' else float(r))))"
)


def numerical_rank(A, rtol=None):
    buffer = io.BytesIO()
    np.save(buffer, np.asarray(A, dtype=float))
    try:
        done = subprocess.run([sys.executable, "-c", CODE, repr(rtol)], input=buffer.getvalue(), capture_output=True)
        return int(done.stdout)
    except Exception:
        return -1
