"""The shape an LTI id_token must have before the library reads it: a total check over hostile bytes.

pylti1p3 decodes the token's header and body and reads claims from them before it checks the
signature, assuming JSON objects and string claims: a body that is a list or a string, or a
nonce that is a number or an object, raised AttributeError or TypeError (a 500 for anyone who
posts to the launch URL). This says what is wrong with such a token, in words, or None.
"""

from __future__ import annotations

import base64
import binascii
import json

# Claims the library reads before the signature check: each must be a string when present.
_STRING_CLAIMS = ("iss", "nonce", "azp", "https://purl.imsglobal.org/spec/lti/claim/deployment_id")
_STRING_HEADERS = ("alg", "kid", "typ")
MAX_TOKEN_CHARS = 64 * 1024


def _json_object(part: str) -> dict | None:
    try:
        raw = base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))
        value = json.loads(raw)
    except (binascii.Error, ValueError, RecursionError):  # UnicodeDecodeError and JSONDecodeError are ValueErrors
        return None
    return value if isinstance(value, dict) else None


def id_token_problem(token: object) -> str | None:
    """What makes ``token`` no id_token the library may read, or None when its shape is sound."""
    if not isinstance(token, str) or len(token) > MAX_TOKEN_CHARS:
        return "the id_token is not a token"
    parts = token.split(".")
    if len(parts) != 3:
        return "the id_token is not a JWT (three parts)"
    header, body = _json_object(parts[0]), _json_object(parts[1])
    if header is None or body is None:
        return "the id_token's header and body must be JSON objects"
    for name in _STRING_HEADERS:
        if name in header and not isinstance(header[name], str):
            return f"the id_token's header field {name!r} must be a string"
    for name in _STRING_CLAIMS:
        if name in body and not isinstance(body[name], str):
            return f"the id_token's claim {name!r} must be a string"
    audience = body.get("aud")
    if audience is not None and not (
        isinstance(audience, str) or (isinstance(audience, list) and all(isinstance(a, str) for a in audience))
    ):
        return "the id_token's claim 'aud' must be a string or a list of strings"
    return None
