"""expect: time_limit
Sleeping uses no CPU: only a wall-clock limit enforced from outside catches it.
"""

import time


def solve(x):
    time.sleep(3600)
    return x * 2
