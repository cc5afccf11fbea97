def count_params(shapes):
    return sum(int(n_in) * int(n_out) + int(n_out) for n_in, n_out in shapes)
