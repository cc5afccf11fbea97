# expect: softmax-overflow
# A hand-written softmax without subtracting the maximum: fine until a score passes about 88.
import math

import torch


def attention(q, k, v, causal=False):
    scores = q @ k.transpose(-2, -1) / math.sqrt(q.shape[-1])
    if causal:
        T = scores.shape[-1]
        scores = scores.masked_fill(~torch.ones(T, T, dtype=torch.bool).tril(), float("-inf"))
    weights = torch.exp(scores)
    return weights / weights.sum(dim=-1, keepdim=True) @ v
