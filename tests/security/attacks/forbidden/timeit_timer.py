"""expect: forbidden_call | runtime_error | import_error | wrong_answer
Let timeit.Timer compile and run the statement "a @ b" from a string.

Seen in the wild: timeit.Timer(stmt) is a documented exec of its string argument,
listed among the "hidden eval" sinks by Python security linters (bandit's B102 family).
The shape check is done by hand (the error cases pass); the product is the route's.
Inputs are NumPy arrays or nested lists: NumPy is imported inside the call, so in a
NumPy-free sandbox the attempt fails there (or, for routes that fetch NumPy
themselves, at the route).
"""

import timeit


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


def matmul(A, B):
    check(A, B)
    a, b = arrays(A, B)
    scope = {"a": a, "b": b, "out": []}
    timeit.Timer("out.append(a @ b)", globals=scope).timeit(number=1)
    return scope["out"][0].tolist()
