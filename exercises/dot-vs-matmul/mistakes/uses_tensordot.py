# expect: verdict=forbidden_call
import numpy as np


def dot_shape(a_shape, b_shape):
    return np.tensordot(np.zeros(a_shape), np.zeros(b_shape), axes=([-1], [-2])).shape


def matmul_shape(a_shape, b_shape):
    return np.matmul(np.zeros(a_shape), np.zeros(b_shape)).shape


def my_dot(a, b):
    return np.tensordot(a, b, axes=([-1], [-2]))
