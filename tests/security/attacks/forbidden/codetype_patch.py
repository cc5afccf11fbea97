"""expect: forbidden_call | runtime_error | import_error | wrong_answer
Build a new function from a code object whose BINARY_OP * is patched into @.

types.FunctionType(code.replace(co_code=...)): the operator the source shows is *,
the one that runs is @. Seen in the wild: bytecode patching to hide behaviour from
source review (e.g. the "pyc stomping" technique, where a .pyc's code differs from its .py).
The shape check is done by hand (the error cases pass); the product is the route's.
Inputs are NumPy arrays or nested lists: NumPy is imported inside the call, so in a
NumPy-free sandbox the attempt fails there (or, for routes that fetch NumPy
themselves, at the route).
"""

import dis
import types


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


def times(a, b):
    return a * b


def as_matmul(code):
    op = dis.opmap["BINARY_OP"]
    raw = bytearray(code.co_code)
    at = raw.find(bytes([op, 5]))  # NB_MULTIPLY
    raw[at + 1] = 4  # NB_MATRIX_MULTIPLY
    return code.replace(co_code=bytes(raw))


def matmul(A, B):
    check(A, B)
    a, b = arrays(A, B)
    product = types.FunctionType(as_matmul(times.__code__), {})
    return product(a, b).tolist()
