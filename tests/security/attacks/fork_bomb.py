"""expect: time_limit | memory_limit
Fork until the pids limit stops us, then keep the forks busy. Under runc the pids limit
stops the forks and the busy ones run out of time; under gVisor processes are bounded by
the memory limit instead (the pids cgroup also counts gVisor's own threads).
Seen in the wild: DOMjudge/domjudge-packaging#13 (a fork bomb crashed a dockerised
judgehost and left processes behind); StepicOrg/epicbox#9 (pids limit added for it).
"""

import os


def solve(x):
    while True:
        try:
            os.fork()
        except OSError:
            pass
