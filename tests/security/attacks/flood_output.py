"""expect: output_limit
Print 100 MB. Seen in the wild: PrairieLearn/PrairieLearn#1153 (runaway output made the
results too large to store); cs50/check50#213 (20+ MB of output crashed remote checks).
"""

import sys


def solve(x):
    chunk = "x" * (1 << 20)
    for _ in range(100):
        sys.stdout.write(chunk)
    return x * 2
