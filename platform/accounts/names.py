"""Telling display names apart as people see them: the Unicode confusables skeleton and scripts.

`skeleton` is UTS #39's: two strings look alike when their skeletons are equal ("lеarner" with a
Cyrillic е, "rn" and "m"). The mapping is Unicode's confusables.txt as the confusable-homoglyphs
library ships it (pinned in pyproject.toml), not a table of ours. That library offers no skeleton
function and keeps each pair of confusables.txt in both directions; since every prototype there
is a fixed point that all its confusables map to, each class is a star and its centre is the
prototype (of a class of two, the multi-character side, else either: equality is what matters).

`scripts` names the scripts a string uses (COMMON and INHERITED aside), from the same library's
copy of Unicode's Scripts.txt; `mixes_scripts` is UTS #39's "highly restrictive" rule: one
script, or Latin with the combinations Chinese, Japanese and Korean writing use.
"""

from __future__ import annotations

import functools
import unicodedata

from confusable_homoglyphs import categories
from confusable_homoglyphs import utils as confusables_data

_MARKS = str.maketrans("", "", "\u200e\u200f")  # direction marks the library kept around right-to-left samples
_NEUTRAL = {"COMMON", "INHERITED"}
_ALLOWED_MIXES = (
    {"LATIN", "HAN", "HIRAGANA", "KATAKANA"},
    {"LATIN", "HAN", "BOPOMOFO"},
    {"LATIN", "HAN", "HANGUL"},
)


@functools.cache
def _prototypes() -> dict[str, str]:
    pairs: dict[str, set[str]] = {}
    for source, entries in confusables_data.load("confusables.json").items():
        source = source.translate(_MARKS)
        for entry in entries:
            pairs.setdefault(source, set()).add(entry["c"].translate(_MARKS))
    prototype = {}
    for char, others in pairs.items():
        if len(char) != 1 or len(others) != 1:
            continue  # a centre (several confusables map to it) or a multi-character prototype: itself
        (other,) = others
        if len(pairs.get(other, ())) > 1 or len(other) > 1:
            prototype[char] = other
        else:
            prototype[char] = min(char, other)  # a class of two single characters
    return prototype


def skeleton(text: str) -> str:
    """UTS #39 skeleton: NFD, each character replaced by its prototype, NFD again."""
    table = _prototypes()
    return unicodedata.normalize("NFD", "".join(table.get(ch, ch) for ch in unicodedata.normalize("NFD", text)))


def scripts(text: str) -> set[str]:
    return set(categories.unique_aliases(text)) - _NEUTRAL


def mixes_scripts(text: str) -> bool:
    used = scripts(text)
    return len(used) > 1 and not any(used <= allowed for allowed in _ALLOWED_MIXES)
