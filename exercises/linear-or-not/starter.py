def collapse(weights):
    """One matrix M with x @ M == x @ W1 @ W2 @ ... for every row vector x."""
    raise NotImplementedError


def is_linear(f, dim, seed):
    """True if f: R^dim -> R^k is linear, judged from random probes."""
    raise NotImplementedError
