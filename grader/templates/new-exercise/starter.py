def solve(x):
    """TODO: describe the contract."""
    raise NotImplementedError
