def attention_scores(Q, K):
    """Q (..., Tq, d), K (..., Tk, d) -> Q K^T / sqrt(d), shape (..., Tq, Tk)."""
    raise NotImplementedError
