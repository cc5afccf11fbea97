import numpy as np


def attention_scores(Q, K):
    Q = np.asarray(Q, dtype=float)
    K = np.asarray(K, dtype=float)
    return Q @ np.swapaxes(K, -1, -2) / np.sqrt(Q.shape[-1])
