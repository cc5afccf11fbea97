"""Pagination whose parameters are validated: a malformed or out-of-range one is a 400, never a 500."""

from __future__ import annotations

import re

from rest_framework.exceptions import ValidationError
from rest_framework.pagination import LimitOffsetPagination

_DIGITS = re.compile(r"[0-9]{1,12}")


class BoundedLimitOffsetPagination(LimitOffsetPagination):
    """`?limit=` from 1 to 200 and `?offset=` from 0 to 10^9; DRF's own silently ignores bad values
    and passes huge ones to the database (`?limit=93215067052677238628399626321920` was a 500)."""

    default_limit = 50
    max_limit = 200
    max_offset = 10**9

    def get_limit(self, request) -> int:
        return self._bounded(request, self.limit_query_param, 1, self.max_limit, self.default_limit)

    def get_offset(self, request) -> int:
        return self._bounded(request, self.offset_query_param, 0, self.max_offset, 0)

    @staticmethod
    def _bounded(request, name: str, low: int, high: int, default: int) -> int:
        raw = request.query_params.get(name)
        if raw is None:
            return default
        if not _DIGITS.fullmatch(raw) or not low <= int(raw) <= high:
            raise ValidationError({name: [f"Expected an integer from {low} to {high}."]})
        return int(raw)

    def get_schema_operation_parameters(self, view) -> list[dict]:
        parameters = super().get_schema_operation_parameters(view)
        bounds = {self.limit_query_param: (1, self.max_limit), self.offset_query_param: (0, self.max_offset)}
        for parameter in parameters:
            low, high = bounds[parameter["name"]]
            parameter["schema"].update(minimum=low, maximum=high)
        return parameters
