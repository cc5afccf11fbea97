def predict(X, W, b):
    X = X.to(device=W.device, dtype=W.dtype)
    b = b.to(device=W.device, dtype=W.dtype)
    return X @ W + b
