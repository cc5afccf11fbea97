"""expect: forbidden_call | runtime_error | import_error | wrong_answer
Compile and run a string holding @ with the builtins compile and exec, reached by subscript.

Seen in the wild: code hidden in strings and run with exec(compile(...)) is how
obfuscated malware on PyPI hides its payload from static scanners.
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
    scope = {"a": a, "b": b}
    builtin("exec")(builtin("compile")("result = a @ b", "<string>", "exec"), scope)
    return scope["result"].tolist()
