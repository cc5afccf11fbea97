# expect: row-vector-convention
import numpy as np


def rotation(theta):
    return np.array([[np.cos(theta), -np.sin(theta)], [np.sin(theta), np.cos(theta)]])


def scaling(sx, sy):
    return np.array([[sx, 0.0], [0.0, sy]])


def apply(points, M):
    return points @ M
