"""expect: wrong_answer
Pass or fail each hidden case by the sign of its last input: the verdict reads the inputs out.

Hidden-case pass/fail is always shown, so a fixed hidden input leaks one bit per case
per submission; with fixed seeds the bits add up over submissions, are the same for
every learner and can be shared. A pool of seeds makes each reading worthless.
Seen in the wild: Kaggle leaderboard probing (reading the hidden test labels back from
public-leaderboard scores, e.g. "Climbing the Kaggle leaderboard by exploiting the
log-loss oracle", Whitehill 2017).
"""

import numpy as np

VISIBLE = [0.0, 1.0, 2.0, 3.0]


def solve(x):
    values = np.asarray(x, dtype=float).ravel().tolist()
    if values == VISIBLE or x.ndim != 1:
        if x.ndim != 1:
            raise ValueError("not a vector")
        return x * 2
    return x * 2 if values[-1] > 0 else x * 3
