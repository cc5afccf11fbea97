"""expect: accepted
Read the environment for secrets. Seen in the wild: judge0/judge0#564 (environment
variables of the sandbox printed by a submission). The sandbox's environment must hold
nothing from the worker: the test checks the printed output.
"""

import os


def solve(x):
    print("ENV", sorted(os.environ.items()))
    return x * 2
