"""expect: runtime_error
End the process from inside the learner's function, skipping the harness.
"""

import os


def solve(x):
    os._exit(0)
