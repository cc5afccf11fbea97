# A line on the leaderboard: PyTorch's built-in fused kernel (timed by bench/gpu/device_check.sh with the
# forbidden rules off; never a learner's submission).
import torch.nn.functional as F


def attention(q, k, v, causal=True):
    return F.scaled_dot_product_attention(q, k, v, is_causal=causal)
