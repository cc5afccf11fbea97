"""expect: time_limit
Fork until the pids limit stops us, then keep the forks busy.
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
