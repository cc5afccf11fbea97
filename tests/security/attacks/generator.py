"""expect: wrong_answer
A generator instead of a value.
"""


def solve(x):
    return (2 * v for v in x)
