"""expect: forbidden_call | runtime_error | import_error | wrong_answer
Import NumPy by a computed name and use a product the rules do not list (vecdot).

numpy.matmul and friends are booby-trapped and named in the source check; a module
fetched as __import__("nu" + "mpy") has no name the check can follow.
Seen in the wild: __import__ with string concatenation, the standard bypass of import
allow-lists in online Python sandboxes.
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
    lib = builtin("__import__")("nu" + "mpy")
    a, b = lib.asarray(A, dtype=float), lib.asarray(B, dtype=float)
    return lib.vecdot(a[:, None, :], b.T[None, :, :]).tolist()
