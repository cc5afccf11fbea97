# expect: followed-x-dtype
def predict(X, W, b):
    return X @ W.to(X.dtype) + b.to(X.dtype)
