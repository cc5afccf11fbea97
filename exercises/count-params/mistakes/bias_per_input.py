# expect: bias-per-input
def count_params(shapes):
    return sum(n_in * n_out + n_in for n_in, n_out in shapes)
