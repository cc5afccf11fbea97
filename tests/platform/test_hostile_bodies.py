"""No body an anonymous caller can post makes a 500: every JSON endpoint and every LTI endpoint.

The endpoints are found by walking the URL conf, so a new one is covered without editing this
file: a JSON endpoint is any DRF view; an LTI endpoint is any view of the `lti` app.
"""

from __future__ import annotations

import base64
import json

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RegexPattern
from rest_framework.authtoken.models import Token
from rest_framework.views import APIView

from tests.platform import lti_platform

lms = lti_platform.lms  # the LTI fixtures, shared
registered = lti_platform.registered

# Fixed values: pytest-xdist workers must collect the same test ids.
SAMPLE = {"slug": "sandbox-probe", "uuid": "00000000-0000-4000-8000-000000000001", "int": "1", "str": "x", "path": "x"}


def _routes(patterns, prefix="", regex=False):
    for pattern in patterns:
        is_regex = regex or isinstance(pattern.pattern, RegexPattern)
        if isinstance(pattern, URLResolver):
            yield from _routes(pattern.url_patterns, prefix + str(pattern.pattern), is_regex)
        elif isinstance(pattern, URLPattern):
            yield ("^" if is_regex else "") + prefix + str(pattern.pattern), pattern.callback


def _concrete(route: str) -> str | None:
    """A path for a route (`<slug:slug>` filled with a sample), or None for regular-expression routes."""
    if route.startswith("^"):
        return None
    while "<" in route:
        start, end = route.index("<"), route.index(">")
        converter = route[start + 1 : end].partition(":")[0] if ":" in route[start:end] else "str"
        route = route[:start] + SAMPLE[converter] + route[end + 1 :]
    return "/" + route


def endpoints(kind: str) -> list[str]:
    found = []
    for route, callback in _routes(get_resolver().url_patterns):
        path = _concrete(route)
        if path is None:
            continue
        view_class = getattr(callback, "cls", None) or getattr(callback, "view_class", None)
        is_json = isinstance(view_class, type) and issubclass(view_class, APIView)
        is_lti = callback.__module__.startswith("lti.")
        if (kind == "json" and is_json) or (kind == "lti" and is_lti):
            found.append(path)
    return sorted(set(found))


JSON_ENDPOINTS = endpoints("json")
LTI_ENDPOINTS = endpoints("lti")


def test_the_walk_finds_the_endpoints_attacked_before():
    assert {"/api/token", "/api/submissions", "/api/trials"} <= set(JSON_ENDPOINTS)
    assert {"/lti/launch/", "/lti/login/", "/lti/deep-link/"} <= set(LTI_ENDPOINTS)


NESTED_BODIES = {
    "fifty thousand open brackets": "[" * 50_000,
    "a valid list 3,000 deep": "[" * 3000 + "]" * 3000,
    "a valid object 3,000 deep": '{"a":' * 3000 + "1" + "}" * 3000,
    "an object 3,000 deep under a field": '{"exercise": ' + "[" * 3000 + "]" * 3000 + ', "source": "x"}',
    "a list 40 deep (past the bound, short of recursion)": "[" * 40 + "]" * 40,
}


@pytest.fixture
def anonymous():
    return Client(raise_request_exception=False)


@pytest.fixture
def with_token(learner):
    key = Token.objects.get_or_create(user=learner)[0].key
    return Client(raise_request_exception=False, HTTP_AUTHORIZATION=f"Token {key}")


@pytest.mark.parametrize("body", NESTED_BODIES.values(), ids=NESTED_BODIES.keys())
@pytest.mark.parametrize("path", JSON_ENDPOINTS)
@pytest.mark.parametrize("who", ["anonymous", "with_token"])
def test_deeply_nested_json_is_a_clean_4xx_json_answer(request, catalogue, sent_tasks, who, path, body):
    caller = request.getfixturevalue(who)
    for method in (caller.post, caller.put, caller.patch):
        response = method(path, data=body, content_type="application/json", HTTP_ACCEPT="application/json")
        assert 400 <= response.status_code < 500, (method.__name__, response.status_code)
        assert "json" in response["Content-Type"]


def _b64(value) -> str:
    raw = value if isinstance(value, bytes) else json.dumps(value).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


HEADER = {"alg": "RS256", "kid": "k1", "typ": "JWT"}
CLAIMS = {"iss": "https://lms.example", "aud": "tensordojo-client", "nonce": "n-1", "sub": "x"}
FORGED_TOKENS = {
    "a body that is a list": [_b64(HEADER), _b64([1, 2, 3])],
    "a body that is a string": [_b64(HEADER), _b64("just a string")],
    "a body that is a number": [_b64(HEADER), _b64(7)],
    "a numeric nonce": [_b64(HEADER), _b64(dict(CLAIMS, nonce=12345))],
    "a nonce that is an object": [_b64(HEADER), _b64(dict(CLAIMS, nonce={"a": 1}))],
    "a nonce that is a list": [_b64(HEADER), _b64(dict(CLAIMS, nonce=["n"]))],
    "an issuer that is a list": [_b64(HEADER), _b64(dict(CLAIMS, iss=["https://lms.example"]))],
    "an audience that is an object": [_b64(HEADER), _b64(dict(CLAIMS, aud={"x": 1}))],
    "a header that is a list": [_b64([1]), _b64(CLAIMS)],
    "a key id that is a number": [_b64(dict(HEADER, kid=5)), _b64(CLAIMS)],
    "a body nested 50,000 deep": [_b64(HEADER), _b64(b"[" * 50_000)],
    "a body that is not UTF-8": [_b64(HEADER), _b64(b"\xff\xfe{")],
}


@pytest.mark.parametrize("token", FORGED_TOKENS.values(), ids=FORGED_TOKENS.keys())
@pytest.mark.parametrize("path", LTI_ENDPOINTS)
def test_a_forged_launch_gets_a_4xx_refusal_never_a_500(anonymous, registered, path, token):
    anonymous.cookies["lti1p3-state-forged"] = "state-forged"  # the attacker sets its own state cookie
    form = {"state": "state-forged", "id_token": ".".join([*token, "c2lnbmF0dXJl"])}
    response = anonymous.post(path, form)
    assert response.status_code < 500, response.status_code
    assert "_auth_user_id" not in anonymous.session


@pytest.mark.parametrize("token", FORGED_TOKENS.values(), ids=FORGED_TOKENS.keys())
def test_a_forged_launch_gets_the_lti_error_page(anonymous, registered, token):
    anonymous.cookies["lti1p3-state-forged"] = "state-forged"
    form = {"state": "state-forged", "id_token": ".".join([*token, "c2lnbmF0dXJl"])}
    response = anonymous.post("/lti/launch/", form)
    assert 400 <= response.status_code < 500
    assert "The launch was refused" in response.content.decode()
