def relu(x):
    """max(0, x), element by element; float in, float out."""
    raise NotImplementedError


def sigmoid(x):
    """1 / (1 + exp(-x)), finite for every finite x (even +-1000)."""
    raise NotImplementedError


def gelu(x):
    """The tanh approximation: 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x**3)))."""
    raise NotImplementedError


def breaks_linearity(f):
    """True when f(x + y) differs from f(x) + f(y) on random inputs x, y of shape (n, 4)."""
    raise NotImplementedError
