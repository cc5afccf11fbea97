"""The OpenAPI schema as a contract: every status an operation can answer is documented.

Views declare their successes (and any special status) with extend_schema; this AutoSchema
(settings: REST_FRAMEWORK["DEFAULT_SCHEMA_CLASS"]) adds the errors every operation of a
kind can answer, with the bodies DRF gives them:

* 400 when the operation takes query parameters or a body (malformed input is a 400,
  never a 500: parameters are validated by serializers or api.pagination);
* 401 when it needs authentication (the Token scheme asks for credentials);
* 404 when its path has parameters (an unknown slug or id, or one the caller may not see);
* 429 for every POST (log-in failures, submissions and trials are rate-limited);
* 413 for every POST: a body over DATA_UPLOAD_MAX_MEMORY_SIZE (ops.body_limit);
* 415 when it takes a body: one of a media type no parser reads;
* 406 for every operation: an Accept header that JSON does not satisfy.

Every answer is JSON, errors included: a path under /api/ that no route matches (a path
parameter that does not fit its pattern) is a JSON 404 (api.views.not_found), not Django's page.
"""

from __future__ import annotations

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiResponse
from rest_framework.permissions import AllowAny

ERROR = {
    "type": "object",
    "properties": {"detail": {"type": "string", "description": "What was wrong, for a person to read"}},
    "required": ["detail"],
}
INVALID = {
    "type": "object",
    "description": "Messages per field name (or non_field_errors), or a `detail` for a body that could not be read",
    "additionalProperties": True,
}
GENERIC_ERRORS = {
    "400": OpenApiResponse(INVALID, description="A malformed parameter or body"),
    "401": OpenApiResponse(ERROR, description="No valid credentials (send `Authorization: Token <key>`)"),
    "404": OpenApiResponse(ERROR, description="No such object, or not one you may see"),
    "429": OpenApiResponse(ERROR, description="Too many requests: wait for Retry-After seconds"),
    "413": OpenApiResponse(ERROR, description="A body too large to read (the code limit is far smaller)"),
    "415": OpenApiResponse(ERROR, description="A body of a media type the API does not read (send application/json)"),
    "406": OpenApiResponse(ERROR, description="The Accept header allows nothing the API sends (it sends JSON)"),
}


class ContractAutoSchema(AutoSchema):
    """drf-spectacular's AutoSchema plus the error statuses an operation of each kind can answer."""

    def _error_codes(self) -> list[str]:
        codes = []
        takes_query = any(p.get("in") == "query" for p in self._get_parameters())
        if takes_query or self.method in ("POST", "PUT", "PATCH"):
            codes.append("400")
        if not all(isinstance(p, AllowAny) for p in self.view.get_permissions()):
            codes.append("401")
        if "{" in self.path:
            codes.append("404")
        if self.method == "POST":
            codes += ["413", "429"]
        if self.method in ("POST", "PUT", "PATCH"):
            codes.append("415")
        codes.append("406")
        return codes

    def _get_response_bodies(self, direction: str = "response") -> dict:
        responses = super()._get_response_bodies(direction)
        for code in self._error_codes():
            if code not in responses:
                responses[code] = self._get_response_for_code(GENERIC_ERRORS[code], code, direction=direction)
        return responses
