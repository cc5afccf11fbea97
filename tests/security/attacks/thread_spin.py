"""expect: time_limit
CPU spin in many threads (the CPU quota caps them; the wall clock ends them).
"""

import threading


def spin():
    while True:
        pass


def solve(x):
    for _ in range(16):
        threading.Thread(target=spin, daemon=True).start()
    spin()
