# expect: degrees-not-radians
import numpy as np


def rotation(theta):
    r = np.radians(theta)
    return np.array([[np.cos(r), -np.sin(r)], [np.sin(r), np.cos(r)]])


def scaling(sx, sy):
    return np.array([[sx, 0.0], [0.0, sy]])


def apply(points, M):
    return points @ M.T
