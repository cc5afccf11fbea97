# expect: verdict=wrong_answer
# Flips the first component but not its scores: the two no longer describe the same axis.
import numpy as np


def pca(X, k):
    Xc = X - X.mean(axis=0)
    U, s, Vt = np.linalg.svd(Xc, full_matrices=False)
    components = Vt[:k].copy()
    scores = Xc @ components.T
    components[0] *= -1
    return components, scores, s[:k] ** 2 / (s**2).sum()
