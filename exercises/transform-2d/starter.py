def rotation(theta):
    """2x2 matrix rotating column vectors counter-clockwise by theta radians."""
    raise NotImplementedError


def scaling(sx, sy):
    """2x2 matrix scaling x by sx and y by sy."""
    raise NotImplementedError


def apply(points, M):
    """Apply M to each point; points has one (x, y) per row."""
    raise NotImplementedError
