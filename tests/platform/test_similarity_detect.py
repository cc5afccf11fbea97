"""Winnowing over token fingerprints (copydetect): what counts as alike, and what is left out."""

from similarity.detect import fingerprint_all, rank_pairs, segments

STARTER = '''import numpy as np


def softmax(x, axis=-1):
    """Probabilities along `axis`."""
    raise NotImplementedError
'''

ORIGINAL = """import numpy as np


def softmax(x, axis=-1):
    x = np.asarray(x, dtype=float)
    shifted = x - np.max(x, axis=axis, keepdims=True)
    e = np.exp(shifted)
    return e / np.sum(e, axis=axis, keepdims=True)
"""

# The same code with every name changed, comments added and the layout redone.
DISGUISED = """import numpy as np

def softmax(x, axis=-1):
    # make it stable
    values=np.asarray(x,dtype=float)
    centred = values-np.max(values,axis=axis,keepdims=True)

    exps = np.exp( centred )   # exponentiate
    return exps/np.sum(exps, axis=axis, keepdims=True)
"""

# Written independently: another way to compute the same thing.
INDEPENDENT = """import numpy as np


def softmax(x, axis=-1):
    top = x.max(axis=axis, keepdims=True)
    out = np.exp(x - top)
    out /= out.sum(axis=axis, keepdims=True)
    return out
"""


def test_renaming_and_reformatting_do_not_hide_a_copy():
    docs = fingerprint_all({"ann": ORIGINAL, "bob": DISGUISED}, STARTER)
    [pair] = rank_pairs(docs, threshold=0.5)
    assert {pair.a, pair.b} == {"ann", "bob"}
    assert pair.similarity_a > 0.9 and pair.similarity_b > 0.9


def test_an_independent_solution_is_not_listed():
    docs = fingerprint_all({"ann": ORIGINAL, "cy": INDEPENDENT}, STARTER)
    assert rank_pairs(docs, threshold=0.5) == []


def test_pairs_are_ranked_most_similar_first():
    partly = ORIGINAL.replace("    e = np.exp(shifted)\n    return e / np.sum(e, axis=axis, keepdims=True)\n", "")
    partly += "    return np.exp(shifted) / np.exp(shifted).sum(axis=axis, keepdims=True)\n"
    docs = fingerprint_all({"ann": ORIGINAL, "bob": DISGUISED, "dee": partly}, STARTER)
    pairs = rank_pairs(docs, threshold=0.1)
    assert {pairs[0].a, pairs[0].b} == {"ann", "bob"}
    assert [p.similarity for p in pairs] == sorted((p.similarity for p in pairs), reverse=True)


def test_code_from_the_starter_is_not_counted_as_shared():
    # Two learners who left the starter as it is and added different one-liners.
    a = STARTER.replace("    raise NotImplementedError\n", "    return np.exp(x) / np.exp(x).sum()\n")
    b = STARTER.replace("    raise NotImplementedError\n", "    return x / 2\n")
    assert rank_pairs(fingerprint_all({"a": a, "b": b}, ""), threshold=0.5), "alike when the starter counts"
    assert rank_pairs(fingerprint_all({"a": a, "b": b}, STARTER), threshold=0.0) == []


def test_a_passage_found_in_more_solutions_than_the_limit_is_ignored():
    sources = {f"learner{n}": ORIGINAL for n in range(4)}
    assert len(rank_pairs(fingerprint_all(sources, STARTER), threshold=0.5)) == 6
    assert rank_pairs(fingerprint_all(sources, STARTER, max_documents=3), threshold=0.5) == []


def test_segments_cover_the_source_and_mark_the_shared_parts():
    docs = fingerprint_all({"ann": ORIGINAL, "bob": DISGUISED}, STARTER)
    [pair] = rank_pairs(docs, threshold=0.5)
    source = ORIGINAL if pair.a == "ann" else DISGUISED
    runs = segments(source, pair.slices_a)
    assert "".join(text for text, _ in runs) == source
    assert any(shared and "np.max" in text for text, shared in runs)


def test_the_starters_lines_are_not_highlighted():
    docs = fingerprint_all({"ann": ORIGINAL, "bob": DISGUISED}, STARTER)
    [pair] = rank_pairs(docs, threshold=0.5)
    runs = segments(ORIGINAL if pair.a == "ann" else DISGUISED, pair.slices_a)
    assert not any(shared and "def softmax" in text for text, shared in runs)
