"""A JSON parser that is total over hostile bodies: nesting deeper than JSON_MAX_DEPTH is a 400.

DRF's JSONParser hands the body to `json.load`, whose scanner recurses once per level: a body of
50,000 `[` (or a valid document 3,000 deep) raises RecursionError, which is no ParseError and
became a 500. This parser is the default (settings: REST_FRAMEWORK["DEFAULT_PARSER_CLASSES"]);
a body nested deeper than any request of ours needs is refused before and after decoding.
"""

from __future__ import annotations

from django.conf import settings
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser


def nesting_depth(value: object) -> int:
    """How deeply lists and objects nest in a decoded JSON value (a scalar: 0), without recursion."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        node, depth = stack.pop()
        children = node.values() if isinstance(node, dict) else node if isinstance(node, list) else None
        if children is None:
            continue
        deepest = max(deepest, depth)
        stack.extend((child, depth + 1) for child in children)
    return deepest


class BoundedJSONParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError as exc:
            raise ParseError(self._too_deep()) from exc
        if nesting_depth(data) > settings.JSON_MAX_DEPTH:
            raise ParseError(self._too_deep())
        return data

    @staticmethod
    def _too_deep() -> str:
        return f"JSON parse error - the body nests deeper than {settings.JSON_MAX_DEPTH} levels."
