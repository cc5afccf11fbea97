"""expect: forbidden_call | runtime_error | import_error | wrong_answer
Call ndarray.dot through operator.methodcaller("dot", B): the method name is only a string.

Seen in the wild: string-named method calls (methodcaller/attrgetter) are the usual way
around AST "banned attribute" linters in programming-course autograders.
The shape check is done by hand (the error cases pass); the product is the route's.
Inputs are NumPy arrays or nested lists: NumPy is imported inside the call, so in a
NumPy-free sandbox the attempt fails there (or, for routes that fetch NumPy
themselves, at the route).
"""

import operator


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
    return operator.methodcaller("dot", b)(a).tolist()
