def solve(x):
    if x.ndim != 1:
        raise ValueError(f"expected a vector, got shape {x.shape}")
    return x * 2
