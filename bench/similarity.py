"""Speed of the similarity report: one exercise, a cohort of N learners (default 200).

    .venv/bin/python bench/similarity.py [--learners 200] [--seed 1]

Each learner's accepted solution is a plausible variant of one of six ways to write a
stable softmax: names renamed, spacing and blank lines changed, comments and docstrings
added. A few learners copy a classmate and disguise it the same way. Prints the time to
fingerprint every solution, to compare every pair, and how many pairs were reported.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# sys.path[0] is bench/, where this very file would shadow the `similarity` app.
sys.path[0] = str(ROOT / "platform")

from similarity.detect import DEFAULT_THRESHOLD, MAX_DOCUMENTS, fingerprint_all, rank_pairs  # noqa: E402

STARTER = '''import numpy as np


def softmax(x, axis=-1):
    """Probabilities along `axis`, finite even for huge or tiny scores."""
    e = np.exp(x)
    return e / e.sum()
'''

# Six independent ways of writing it. NAME1..NAME3 are local names a learner picks, and
# {a|b} is a choice between equivalent spellings, so same-style solutions still differ.
STYLES = [
    """import numpy as np


def softmax(x, axis=-1):
    x = {np.asarray(x, dtype=float)|np.array(x, dtype=float)|np.asarray(x, float)}
    NAME1 = x - {np.max(x, axis=axis, keepdims=True)|x.max(axis=axis, keepdims=True)|np.amax(x, axis, keepdims=True)}
    NAME2 = np.exp(NAME1)
    return NAME2 / {np.sum(NAME2, axis=axis, keepdims=True)|NAME2.sum(axis=axis, keepdims=True)}
""",
    """import numpy as np


def softmax(x, axis=-1):
    NAME1 = {x.max(axis=axis, keepdims=True)|np.max(x, axis=axis, keepdims=True)}
    NAME2 = np.exp(x - NAME1)
    {NAME2 /= NAME2.sum(axis=axis, keepdims=True)|NAME2 = NAME2 / np.sum(NAME2, axis=axis, keepdims=True)}
    return NAME2
""",
    """import numpy as np


def softmax(x, axis=-1):
    NAME3 = np.array(x, dtype={np.float64|float|"float64"})
    NAME3 -= NAME3.max(axis, keepdims=True)
    {np.exp(NAME3, out=NAME3)|NAME3 = np.exp(NAME3)}
    NAME1 = NAME3.sum(axis, keepdims=True)
    return NAME3 / NAME1
""",
    """import numpy as np


def softmax(x, axis=-1):
    NAME1 = np.moveaxis(np.asarray(x, float), axis, -1)
    NAME2 = np.exp(NAME1 - NAME1.max(-1){[..., None]|[..., np.newaxis]})
    NAME3 = NAME2 / NAME2.sum(-1){[..., None]|[..., np.newaxis]}
    return np.moveaxis(NAME3, -1, axis)
""",
    """import numpy as np


def softmax(x, axis=-1):
    x = np.asarray(x, dtype=float)
    NAME2 = {x.max(axis=axis, keepdims=True)|np.max(x, axis=axis, keepdims=True)}
    NAME1 = np.log({np.sum(np.exp(x - NAME2), axis=axis, keepdims=True)|np.exp(x - NAME2).sum(axis, keepdims=True)})
    return np.exp(x - NAME2 - NAME1)
""",
    """import numpy as np


def _shift(NAME1, axis):
    return NAME1 - {np.amax(NAME1, axis=axis, keepdims=True)|NAME1.max(axis=axis, keepdims=True)}


def softmax(x, axis=-1):
    NAME2 = np.exp(_shift({np.asarray(x, dtype=float)|np.array(x, dtype=np.float64)}, axis))
    NAME3 = {np.sum(NAME2, axis=axis, keepdims=True)|NAME2.sum(axis=axis, keepdims=True)}
    return NAME2 / NAME3
""",
]
NAMES = ["z", "shifted", "s", "e", "ex", "exps", "m", "mx", "top", "total", "denom", "out", "probs", "p", "y", "tmp"]
COMMENTS = ["# subtract the max for stability", "# normalise", "# exp can overflow", "# TODO tidy", "# works now"]


def disguise(source: str, rng: random.Random) -> str:
    """What a learner does to code, their own or a copied one: rename, respace, comment."""
    source = re.sub(r"\{([^{}]*)\}", lambda m: rng.choice(m.group(1).split("|")), source)
    picked = rng.sample(NAMES, 3)
    for i, name in enumerate(picked, start=1):
        source = source.replace(f"NAME{i}", name)
    if rng.random() < 0.5:
        source = re.sub(r" ([-+/*]) ", r"\1", source)
    lines = []
    for line in source.splitlines():
        if line.startswith("    ") and rng.random() < 0.2:
            lines.append("    " + rng.choice(COMMENTS))
        lines.append(line)
        if line.startswith("    ") and rng.random() < 0.1:
            lines.append("")
    if rng.random() < 0.3:
        lines.insert(lines.index(next(x for x in lines if x.startswith("def softmax"))) + 1, '    """My softmax."""')
    return "\n".join(lines) + "\n"


def cohort(learners: int, seed: int) -> dict[str, str]:
    """`learners` accepted solutions; about one in twenty is a disguised copy of an earlier one."""
    rng = random.Random(seed)
    sources: dict[str, str] = {}
    for n in range(learners):
        if sources and rng.random() < 0.05:  # a copy of a classmate's code, disguised again
            original = rng.choice(list(sources.values()))
            sources[f"learner{n:03d}"] = re.sub(r"#.*\n", "\n", original).replace("    ", "  ")
        else:
            sources[f"learner{n:03d}"] = disguise(rng.choice(STYLES), rng)
    return sources


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--learners", type=int, default=200)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--threshold", type=float, default=DEFAULT_THRESHOLD)
    parser.add_argument("--max-documents", type=int, default=MAX_DOCUMENTS)
    args = parser.parse_args()
    sources = cohort(args.learners, args.seed)

    started = time.perf_counter()
    import copydetect  # noqa: F401  (its import pulls in matplotlib: counted apart)

    imported = time.perf_counter()
    docs = fingerprint_all(sources, STARTER, max_documents=args.max_documents)
    fingerprinted = time.perf_counter()
    pairs = rank_pairs(docs, threshold=args.threshold)
    ranked = time.perf_counter()
    n_pairs = len(docs) * (len(docs) - 1) // 2
    print(
        f"{len(docs)} learners, {n_pairs} pairs compared, threshold {args.threshold:.2f}, "
        f"passages in more than {args.max_documents} solutions ignored"
    )
    print(f"import copydetect: {imported - started:.2f} s (once per process)")
    print(f"fingerprint: {fingerprinted - imported:.2f} s")
    print(f"compare and rank: {ranked - fingerprinted:.2f} s")
    print(f"total (without import): {ranked - imported:.2f} s")
    print(
        f"pairs reported: {len(pairs)}; top: {pairs[0].a}-{pairs[0].b} {pairs[0].similarity:.2f}" if pairs else "none"
    )


if __name__ == "__main__":
    main()
