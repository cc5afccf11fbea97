def svd_parts(A, full=False):
    """(U, s, Vt) of A: thin shapes (m, k), (k,), (k, n); full shapes (m, m), (k,), (n, n)."""
    raise NotImplementedError


def reconstruct(U, s, Vt):
    """Rebuild A (m, n) from thin or full SVD factors."""
    raise NotImplementedError
