"""expect: output_limit
Return a single value of 70 MB (above the 64 MiB result limit). Seen in the wild:
cs50/check50#213 (results of 20+ MB crashed remote checking).
"""

import numpy as np


def solve(x):
    return np.ones(70 * 1024 * 1024, dtype=np.uint8)
