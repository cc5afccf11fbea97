"""expect: forbidden_call | runtime_error | import_error | wrong_answer
Import a helper with @ from a file path with importlib.util, importlib fetched by a computed name.

Seen in the wild: spec_from_file_location/exec_module loading code from a temp
directory is how second-stage payloads are loaded by PyPI malware.
The shape check is done by hand (the error cases pass); the product is the route's.
Inputs are NumPy arrays or nested lists: NumPy is imported inside the call, so in a
NumPy-free sandbox the attempt fails there (or, for routes that fetch NumPy
themselves, at the route).
"""

import os


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

HELPER = "def product(a, b):\n    return a @ b\n"


def builtin(name):
    return __builtins__[name]  # a dict in an imported module


def matmul(A, B):
    check(A, B)
    a, b = arrays(A, B)
    path = os.path.join(os.environ.get("HOME", "/tmp"), "helper_by_path.py")
    with open(path, "w") as handle:
        handle.write(HELPER)
    util = builtin("__import__")("import" + "lib.util", fromlist=["util"])
    spec = util.spec_from_file_location("helper_by_path", path)
    module = util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.product(a, b).tolist()
