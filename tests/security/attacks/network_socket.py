"""expect: runtime_error
Open a TCP connection out of the sandbox (there is no network at all).
"""

import socket


def solve(x):
    s = socket.create_connection(("1.1.1.1", 80), timeout=2)
    s.close()
    return x * 2
