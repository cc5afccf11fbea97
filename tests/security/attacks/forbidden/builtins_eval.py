"""expect: forbidden_call | runtime_error | import_error | wrong_answer
Call eval through __builtins__["eval"]: the name eval never appears as a call.

Seen in the wild: __builtins__ subscripting is the standard bypass of "no eval" filters
(e.g. in Python sandbox CTFs and in flake8-style banned-call checks).
The shape check is done by hand (the error cases pass); the product is the route's.
Inputs are NumPy arrays or nested lists: NumPy is imported inside the call, so in a
NumPy-free sandbox the attempt fails there (or, for routes that fetch NumPy
themselves, at the route).
"""


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


def builtin(name):
    return __builtins__[name]  # a dict in an imported module


def matmul(A, B):
    check(A, B)
    a, b = arrays(A, B)
    return builtin("eval")("a @ b", {"a": a, "b": b}).tolist()
