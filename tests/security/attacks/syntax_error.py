"""expect: syntax_error
"""


def solve(x)
    return x * 2
