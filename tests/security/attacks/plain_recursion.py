"""expect: runtime_error
Recurse without end within Python's default limit: RecursionError, with the learner's line.
"""


def solve(x):
    return solve(x) + 1
