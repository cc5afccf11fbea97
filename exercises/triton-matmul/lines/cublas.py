# The line to beat on the leaderboard: cuBLAS through torch.matmul (timed by bench/gpu/device_check.sh
# and grader.gpu_lines with the forbidden rules off; never a learner's submission).
import torch


def matmul(A, B):
    return torch.matmul(A, B)
