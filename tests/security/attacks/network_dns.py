"""expect: runtime_error
Resolve a name (DNS).
"""

import socket


def solve(x):
    socket.getaddrinfo("deb.debian.org", 80)
    return x * 2
