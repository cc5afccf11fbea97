# PyTorch's fused kernel (scaled_dot_product_attention)
# The line to beat on the leaderboard (the first line above is its label there): timed like a submission by
# `manage.py exercises lines` (grader/lines.py) or by bench/gpu/device_check.sh, with the forbidden rules off;
# never a learner's submission.
import torch.nn.functional as F


def attention(q, k, v, causal=True):
    return F.scaled_dot_product_attention(q, k, v, is_causal=causal)
