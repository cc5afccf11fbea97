# expect: followed-x-dtype
# also: device-mismatch-crash
def predict(X, W, b):
    return X @ W.to(X.dtype) + b.to(X.dtype)
