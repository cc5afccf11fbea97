"""expect: memory_limit
Recurse without end after lifting Python's recursion limit. Python 3.11 keeps frames on
the heap, so this exhausts the memory limit (not the C stack): a memory-limit verdict.
Seen in the wild: PrairieLearn/PrairieLearn#1153 (a recursive constructor without base case).
"""

import sys

sys.setrecursionlimit(10**8)


def down(n):
    return down(n + 1) + 1


def solve(x):
    return down(0)
