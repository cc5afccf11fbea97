# expect: returned-numpy
def predict(X, W, b):
    X = X.to(device=W.device, dtype=W.dtype)
    return (X @ W + b.to(W.dtype)).detach().numpy()
