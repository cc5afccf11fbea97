"""expect: forbidden_call | runtime_error | import_error | wrong_answer
Reach ndarray.dot through operator.attrgetter("dot"): a getattr the source check does not see.

Seen in the wild: the same string-named access as methodcaller, via attrgetter, in
pyjail escapes that avoid the getattr name.
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
    return operator.attrgetter("dot")(a)(b).tolist()
