# expect: relu-in-place
# Clips the caller's array in place (and returns it).


def dense(X, W, b):
    return X @ W + b


def relu(Z):
    Z[Z < 0] = 0
    return Z


def mlp_forward(X, layers):
    out = X
    for i, (W, b) in enumerate(layers):
        out = dense(out, W, b)
        if i < len(layers) - 1:
            out = relu(out)
    return out
