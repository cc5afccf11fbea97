# Computes in float64 and hands back float32; the mask from torch.triu; the scale as a tensor.
import torch


def attention(q, k, v, causal=False):
    q64, k64, v64 = q.double(), k.double(), v.double()
    scores = torch.matmul(q64, k64.transpose(-1, -2)) / torch.tensor(q.shape[-1], dtype=torch.float64).sqrt()
    if causal:
        T = scores.shape[-1]
        hidden = torch.triu(torch.ones(T, T, dtype=torch.bool, device=q.device), diagonal=1)
        scores = scores.masked_fill(hidden, float("-inf"))
    scores = scores - scores.max(dim=-1, keepdim=True).values
    weights = scores.exp()
    return (weights / weights.sum(-1, keepdim=True) @ v64).to(q.dtype)
