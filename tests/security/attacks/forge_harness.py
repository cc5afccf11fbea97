"""expect: wrong_answer | import_error
Patch the in-sandbox harness (its encoder) and numpy so that everything "passes" in here.
The verdict is decided outside from the numbers alone, so none of it helps (and where the
harness is out of the learner's reach, importing it fails).
"""

import codec  # the harness's own module, importable from inside the sandbox
import numpy as np

np.allclose = lambda *args, **kwargs: True
np.array_equal = lambda *args, **kwargs: True
np.testing.assert_allclose = lambda *args, **kwargs: None
codec.Encoder.encode = lambda self, value, depth=0: {"$array": "forged", "class": "ndarray"}


def solve(x):
    return x * 3
