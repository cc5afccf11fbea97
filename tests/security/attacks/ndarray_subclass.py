"""expect: wrong_answer
An ndarray subclass whose comparisons always say "equal".
"""

import numpy as np


class Liar(np.ndarray):
    def __eq__(self, other):
        return np.ones(self.shape, dtype=bool)

    def __array_finalize__(self, obj):
        pass

    def tolist(self):
        return "trust me"


def solve(x):
    return (x * 3).view(Liar)
