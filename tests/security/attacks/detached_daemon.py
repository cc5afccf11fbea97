"""expect: accepted
Leave a detached process running after the answer (a backdoor that outlives the run).
Seen in the wild: DMOJ/judge-server#318 (a process kept running after judging ended).
The container and everything in it must be gone after grading.
"""

import os
import time


def solve(x):
    if os.fork() == 0:
        os.setsid()
        if os.fork() == 0:
            while True:
                time.sleep(1)
        os._exit(0)
    return x * 2
