"""Winnowing over token fingerprints (MOSS's method), done by the `copydetect` library.

Pure functions, no Django: source texts in, ranked pairs and highlighted segments out.
copydetect's tokenizer replaces every name with one letter and drops comments and
whitespace, so renaming variables or reformatting does not hide a shared solution.
"""

from __future__ import annotations

import io
import itertools
from collections import Counter
from dataclasses import dataclass, field

# k-grams of the *filtered* code (names already folded to V/F/O): 25 characters is
# copydetect's default noise threshold; a window of 1 keeps every k-gram, which short
# exercise solutions can afford and which gives the most exact highlighting.
NOISE_THRESHOLD = 25
WINDOW = 1
# A pair is listed when one side shares at least this much of its own code with the other.
DEFAULT_THRESHOLD = 0.5
# MOSS's `-m` default: a passage found in more than 10 solutions is how everyone writes it.
MAX_DOCUMENTS = 10


@dataclass
class Fingerprinted:
    key: str
    source: str
    fingerprint: object  # copydetect.CodeFingerprint
    starter_mask: object  # numpy bool array over the filtered code: tokens that come from the starter

    @property
    def own_tokens(self) -> int:
        """Tokens of the filtered code the learner wrote (not from the starter)."""
        return int((~self.starter_mask).sum())


@dataclass
class PairMatch:
    """Two documents that share code: each side's share of its own (non-starter) tokens."""

    a: str
    b: str
    similarity_a: float
    similarity_b: float
    shared_tokens: int
    slices_a: list[tuple[int, int]] = field(default_factory=list)
    slices_b: list[tuple[int, int]] = field(default_factory=list)

    @property
    def similarity(self) -> float:
        """The larger share: a short copy inside a longer file still ranks high."""
        return max(self.similarity_a, self.similarity_b)


def _covered(indexes, k: int, length: int):
    """Boolean mask of the filtered-code positions that k-grams starting at `indexes` cover."""
    import numpy as np

    mask = np.zeros(length, dtype=bool)
    starts = np.asarray(list(indexes), dtype=int)
    for offset in range(k):
        mask[starts[starts + offset < length] + offset] = True
    return mask


def _fingerprint(source: str, boilerplate: set[int]) -> Fingerprinted:
    from copydetect import CodeFingerprint

    fp = CodeFingerprint("submission.py", NOISE_THRESHOLD, WINDOW, fp=io.StringIO(source), language="python")
    starter_hashes = fp.hashes & boilerplate
    starts = [i for value in starter_hashes for i in fp.hash_idx[value]]
    starter_mask = _covered(starts, fp.k, len(fp.filtered_code))
    _drop(fp, starter_hashes)
    return Fingerprinted("", source, fp, starter_mask)


def _drop(fp, hashes: set[int]) -> None:
    """Forget some fingerprints of a document and recount the tokens they covered.

    Done here rather than through copydetect's `boilerplate` argument, which miscounts
    k-grams that repeat inside one file."""
    from copydetect.utils import get_token_coverage

    gone = fp.hashes & hashes
    if not gone:
        return
    fp.hashes -= gone
    for value in gone:
        fp.hash_idx.pop(value, None)
    fp.token_coverage = get_token_coverage(fp.hash_idx, fp.k, len(fp.filtered_code))


def fingerprint_all(
    sources: dict[str, str], starter: str = "", max_documents: int | None = None
) -> list[Fingerprinted]:
    """Fingerprint each source, minus the starter code's fingerprints and, like MOSS's `-m`,
    minus any fingerprint found in more than `max_documents` sources: a passage most of the
    cohort wrote the same way is the natural way to write it, not a sign of copying."""
    boilerplate = set(_fingerprint(starter, set()).fingerprint.hashes) if starter.strip() else set()
    docs = []
    for key, source in sources.items():
        doc = _fingerprint(source, boilerplate)
        doc.key = key
        docs.append(doc)
    if max_documents is not None:
        frequency = Counter(value for doc in docs for value in doc.fingerprint.hashes)
        common = {value for value, n in frequency.items() if n > max_documents}
        for doc in docs:
            _drop(doc.fingerprint, common)
    return docs


def _raw_slices(fp, mask) -> list[tuple[int, int]]:
    """Runs of True in a filtered-code mask, as (start, end) positions in the original source.

    The filtered-to-original mapping is copydetect's own (as in its compare_files)."""
    import numpy as np

    edges = np.diff(np.concatenate([[0], mask.astype(np.int8), [0]]))
    slices = np.array([np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)])
    if slices.shape[1] and len(fp.offsets) > 0:
        slices = slices + fp.offsets[:, 1][np.clip(np.searchsorted(fp.offsets[:, 0], slices), 0, len(fp.offsets) - 1)]
    return [(int(s), int(e)) for s, e in zip(slices[0], slices[1], strict=True)]


def compare(a: Fingerprinted, b: Fingerprinted) -> PairMatch | None:
    """The overlap of two fingerprinted documents, or None when they share less of their own
    code (starter excluded) than the noise threshold."""
    from copydetect.utils import find_fingerprint_overlap

    if not (a.fingerprint.hashes & b.fingerprint.hashes):
        return None
    idx_a, idx_b = find_fingerprint_overlap(
        a.fingerprint.hashes, b.fingerprint.hashes, a.fingerprint.hash_idx, b.fingerprint.hash_idx
    )
    # A k-gram that starts in the starter and ends in the learner's code is not the starter's,
    # so shared tokens are counted (and highlighted) outside the starter's positions only.
    own_a = _covered(idx_a, a.fingerprint.k, len(a.starter_mask)) & ~a.starter_mask
    own_b = _covered(idx_b, b.fingerprint.k, len(b.starter_mask)) & ~b.starter_mask
    shared_a, shared_b = int(own_a.sum()), int(own_b.sum())
    if min(shared_a, shared_b) < NOISE_THRESHOLD:
        return None
    return PairMatch(
        a=a.key,
        b=b.key,
        similarity_a=shared_a / a.own_tokens,
        similarity_b=shared_b / b.own_tokens,
        shared_tokens=min(shared_a, shared_b),
        slices_a=_raw_slices(a.fingerprint, own_a),
        slices_b=_raw_slices(b.fingerprint, own_b),
    )


def rank_pairs(docs: list[Fingerprinted], *, threshold: float, limit: int | None = None) -> list[PairMatch]:
    """Every pair whose larger share reaches `threshold`, most similar first."""
    matches = []
    for a, b in itertools.combinations(docs, 2):
        match = compare(a, b)
        if match is not None and match.similarity >= threshold:
            matches.append(match)
    matches.sort(key=lambda m: (-m.similarity, -m.shared_tokens, m.a, m.b))
    return matches[:limit] if limit is not None else matches


def segments(source: str, slices: list[tuple[int, int]]) -> list[tuple[str, bool]]:
    """Split `source` into (text, shared) runs for highlighting; the template escapes the text."""
    out: list[tuple[str, bool]] = []
    position = 0
    for start, end in sorted(slices):
        start, end = max(start, position), min(end, len(source))
        if start > position:
            out.append((source[position:start], False))
        if end > start:
            out.append((source[start:end], True))
            position = end
    if position < len(source):
        out.append((source[position:], False))
    return out
