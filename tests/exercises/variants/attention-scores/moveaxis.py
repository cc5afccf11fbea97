import math

import numpy as np


def attention_scores(Q, K):
    return np.matmul(Q, np.moveaxis(K, -1, -2)) / math.sqrt(Q.shape[-1])
