# expect: dtype-mismatch-crash
def predict(X, W, b):
    return X @ W + b
