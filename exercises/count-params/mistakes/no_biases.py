# expect: forgot-biases
def count_params(shapes):
    return sum(n_in * n_out for n_in, n_out in shapes)
