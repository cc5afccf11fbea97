import numpy as np


def rotation(theta):
    c, s = np.cos(theta), np.sin(theta)
    return np.array([[c, -s], [s, c]])


def scaling(sx, sy):
    return np.array([[sx, 0.0], [0.0, sy]])


def apply(points, M):
    return np.asarray(points, dtype=float) @ np.asarray(M, dtype=float).T
