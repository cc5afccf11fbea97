"""expect: forbidden_call | runtime_error | import_error | wrong_answer
Load a code object doing @ with marshal.loads, patched in its marshalled bytes.

Seen in the wild: marshal.loads(...) of embedded code objects is how many PyPI
malware droppers ship their payload (pyarmor-like and "marshal+zlib" obfuscation).
The shape check is done by hand (the error cases pass); the product is the route's.
Inputs are NumPy arrays or nested lists: NumPy is imported inside the call, so in a
NumPy-free sandbox the attempt fails there (or, for routes that fetch NumPy
themselves, at the route).
"""

import dis
import marshal
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


def product():
    op = dis.opmap["BINARY_OP"]
    data = bytearray(marshal.dumps(times.__code__))
    at = data.find(bytes([op, 5]))
    data[at + 1] = 4
    return types.FunctionType(marshal.loads(bytes(data)), {})


def matmul(A, B):
    check(A, B)
    a, b = arrays(A, B)
    return product()(a, b).tolist()
