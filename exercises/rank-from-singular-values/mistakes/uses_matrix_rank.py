# expect: verdict=forbidden_call
import numpy as np


def numerical_rank(A, rtol=None):
    return int(np.linalg.matrix_rank(A, rtol=rtol))
