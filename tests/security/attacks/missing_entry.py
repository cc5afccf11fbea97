"""expect: missing_entry_point"""


def solv(x):
    return x * 2
