# expect: device-mismatch-crash
# Fixes the dtypes and forgets that W may live on another device.
def predict(X, W, b):
    return X.to(W.dtype) @ W + b.to(W.dtype)
