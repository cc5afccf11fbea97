# expect: keys-transposed-wrongly
# also: k-dot-t-on-batches
import numpy as np


def attention_scores(Q, K):
    return Q @ K.T / np.sqrt(Q.shape[-1])
