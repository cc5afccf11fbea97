# expect: verdict=forbidden_call
# Hands the work to NumPy, which this exercise forbids.
import numpy as np


def matmul(A, B):
    return np.asarray(A) @ np.asarray(B)
