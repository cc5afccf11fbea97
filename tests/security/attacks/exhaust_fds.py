"""expect: accepted
Open files until the descriptor limit, keep them open, then answer correctly: the
harness must still report the result.
"""

HOARD = []


def solve(x):
    while True:
        try:
            HOARD.append(open("/dev/null"))
        except OSError:
            break
    return x * 2
