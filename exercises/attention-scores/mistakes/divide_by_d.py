# expect: scaled-by-d
import numpy as np


def attention_scores(Q, K):
    return Q @ np.swapaxes(K, -1, -2) / Q.shape[-1]
