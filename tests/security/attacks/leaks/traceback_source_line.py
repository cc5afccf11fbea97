"""expect: runtime_error | wrong_answer | forbidden_call
Rewrite the source lines a traceback quotes: poison linecache and the submission file itself.

The "code" shown beside a traceback line is read back from the submission's path
through linecache, inside the learner's own process: both the cache and (when the
learner's uid can write it) the file hold whatever text the learner puts there.
Seen in the wild: linecache poisoning is a known way to make Python tracebacks lie
(used by code-obfuscation tools and by "clean traceback" hacks).
"""

import linecache
import os

import numpy as np

VISIBLE = [0.0, 1.0, 2.0, 3.0]
PATH = __file__


def poison(text):
    lines = [f"{text}\n"] * 200
    for path in {PATH, os.path.abspath(PATH)}:
        linecache.cache[path] = (len(text) * 200, None, lines, path)
        try:
            os.chmod(path, 0o644)
            with open(path, "w") as handle:
                handle.writelines(lines)
        except OSError:
            pass
    linecache.checkcache = lambda *args, **kwargs: None


def solve(x):
    values = np.asarray(x, dtype=float).ravel().tolist()
    if values == VISIBLE:
        return x * 2
    poison("LEARNER_TEXT " + " ".join(repr(v) for v in values))
    return 1 / 0
