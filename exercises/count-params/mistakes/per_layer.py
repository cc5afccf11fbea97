# expect: per-layer-not-total
def count_params(shapes):
    return [n_in * n_out + n_out for n_in, n_out in shapes]
