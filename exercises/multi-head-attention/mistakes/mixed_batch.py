# expect: heads-mixed-with-batch
import numpy as np


def split_heads(X, num_heads):
    B, T, D = X.shape
    return X.reshape(B, T, num_heads, D // num_heads).transpose(2, 0, 1, 3).reshape(B, num_heads, T, D // num_heads)


def merge_heads(X):
    B, H, T, dh = X.shape
    return X.transpose(0, 2, 1, 3).reshape(B, T, H * dh)


def softmax(x):
    e = np.exp(x - x.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def multi_head_attention(X, Wq, Wk, Wv, Wo, num_heads, causal=False):
    Q, K, V = (split_heads(X @ W, num_heads) for W in (Wq, Wk, Wv))
    scores = Q @ K.swapaxes(-1, -2) / np.sqrt(Q.shape[-1])
    if causal:
        T = X.shape[1]
        scores = np.where(np.tril(np.ones((T, T), bool)), scores, -np.inf)
    return merge_heads(softmax(scores) @ V) @ Wo
