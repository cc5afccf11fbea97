# expect: verdict=forbidden_call
import torch


def matmul(A, B):
    return torch.matmul(A, B)
