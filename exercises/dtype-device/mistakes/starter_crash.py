# expect: dtype-mismatch-crash
# also: bias-not-converted
# also: device-mismatch-crash
def predict(X, W, b):
    return X @ W + b
