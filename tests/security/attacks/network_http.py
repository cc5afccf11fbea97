"""expect: runtime_error
Fetch a page over HTTP.
"""

import urllib.request


def solve(x):
    urllib.request.urlopen("http://deb.debian.org/", timeout=2).read()
    return x * 2
