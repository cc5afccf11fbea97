# expect: keys-not-transposed
import numpy as np


def attention_scores(Q, K):
    return Q @ K / np.sqrt(Q.shape[-1])
