"""expect: import_error"""

import definitely_not_a_module  # noqa: F401


def solve(x):
    return x * 2
