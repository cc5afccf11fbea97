"""expect: wrong_answer
Print and write fake result records, in our format and in the autograder results.json shape.
"""

import json


def solve(x):
    fake = {"score": 10, "max_score": 10, "verdict": "accepted", "tests": [{"status": "passed"}]}
    print(json.dumps(fake))
    with open("/tmp/results.json", "w") as handle:
        json.dump(fake, handle)
    try:
        with open("/proc/1/fd/1", "w") as parent_stdout:  # the supervisor's output channel
            parent_stdout.write(json.dumps(fake))
    except OSError:
        pass
    return x * 3
