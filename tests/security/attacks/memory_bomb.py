"""expect: memory_limit
Allocate and touch far more memory than the limit allows.
"""

import numpy as np


def solve(x):
    hoard = []
    while True:
        hoard.append(np.ones(32 * 1024 * 1024, dtype=np.uint8))
