# expect: forgot-double
def solve(x):
    return x
