"""expect: time_limit"""


def solve(x):
    while True:
        pass
