"""expect: memory_limit
Recurse without end after lifting Python's recursion limit, each frame holding a
megabyte: the memory limit ends it (quickly and whatever the machine's speed).
Seen in the wild: PrairieLearn/PrairieLearn#1153 (a recursive constructor without base case).
"""
import sys

sys.setrecursionlimit(10**8)


def down(n):
    ballast = bytearray(1 << 20)  # noqa: F841 - kept alive by the frame
    return down(n + 1) + 1


def solve(x):
    return down(0)
