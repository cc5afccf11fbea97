"""expect: wrong_answer
Answer the first call honestly and every later call of the same shape from memory.

Every timed repetition gets fresh inputs and each output is checked, so a result
reused across repetitions is a wrong answer and is never ranked.
Seen in the wild: gpu-mode/pygpubench#49 (state persisting between timed runs
rewarded a submission that did not recompute).
"""

import numpy as np

MEMORY = {}


def pairwise_sq_dists(X, Y):
    X = np.asarray(X, dtype=float)
    Y = np.asarray(Y, dtype=float)
    key = (X.shape, Y.shape)
    if key not in MEMORY:
        D = (X * X).sum(1)[:, None] + (Y * Y).sum(1)[None, :] - 2.0 * (X @ Y.T)
        MEMORY[key] = np.maximum(D, 0.0, out=D)
    return MEMORY[key]
