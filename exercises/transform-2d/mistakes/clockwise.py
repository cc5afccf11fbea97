# expect: clockwise-rotation
import numpy as np


def rotation(theta):
    return np.array([[np.cos(theta), np.sin(theta)], [-np.sin(theta), np.cos(theta)]])


def scaling(sx, sy):
    return np.diag([sx, sy]).astype(float)


def apply(points, M):
    return (M @ points.T).T
