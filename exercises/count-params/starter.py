def count_params(shapes):
    """Total weights and biases of dense layers given as (n_in, n_out) pairs."""
    raise NotImplementedError
