import math

import torch


def attention(q, k, v, causal=False):
    scores = q @ k.mT * (1.0 / math.sqrt(q.size(-1)))
    if causal:
        T = q.size(-2)
        mask = torch.ones(T, T, dtype=torch.bool, device=q.device).tril()
        scores = torch.where(mask, scores, torch.tensor(float("-inf"), device=q.device))
    return torch.nn.functional.softmax(scores, dim=-1) @ v
