"""The OpenAPI schema is a contract the live API keeps (schemathesis against the live test server).

For every operation in /api/schema, schemathesis generates requests that fit the schema
and requests that do not (bounded: a few examples of each per operation, no deadline),
sends them to the live server and checks three things of every answer: it is not a server
error, its status is one the schema documents, and its content type is the one documented
(JSON, errors included: an HTML 404 for a path the URL conf does not match is a failure).
(Schemathesis' pytest plugin does not run under pytest 9 yet, so the test drives its
strategies with Hypothesis directly.)
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient
from schemathesis.checks import not_a_server_error
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import content_type_conformance, status_code_conformance

EXAMPLES = 8  # per operation and per mode (fitting, not fitting): about 160 requests in all


@pytest.fixture
def api_token(learner) -> str:
    return Token.objects.get_or_create(user=learner)[0].key


@pytest.fixture
def live_api(live_server, catalogue, sent_tasks, settings):
    settings.TRIAL_RATE_LIMIT = "100000/60"
    return schemathesis.openapi.from_url(f"{live_server.url}/api/schema")


def broken_promises(schema, token: str, mode: GenerationMode) -> list[str]:
    """The operations whose generated requests got a server error, an undocumented status or content type."""
    broken = []
    for result in schema.get_all_operations():
        operation = result.ok()
        if mode == GenerationMode.NEGATIVE and not (operation.query or operation.body):
            continue  # only a path to break, and the fitting mode already sends odd path values

        @given(case=operation.as_strategy(generation_mode=mode))
        @settings(max_examples=EXAMPLES, deadline=None, database=None, suppress_health_check=list(HealthCheck))
        def keeps_the_contract(case):
            case.call_and_validate(
                headers={"Authorization": f"Token {token}"},
                checks=[not_a_server_error, status_code_conformance, content_type_conformance],
            )

        try:
            keeps_the_contract()
        except Unsatisfiable:  # nothing malformed left to send once the schema's own rules are applied
            continue
        except Exception as exc:  # a failed check, with the request that reproduces it
            broken.append(f"{operation.label}: {exc}")
    return broken


@pytest.mark.timeout(180)
def test_requests_that_fit_the_schema_get_documented_answers_and_no_server_error(live_api, api_token):
    assert broken_promises(live_api, api_token, GenerationMode.POSITIVE) == []


@pytest.mark.timeout(180)
def test_malformed_requests_get_documented_answers_and_no_server_error(live_api, api_token):
    assert broken_promises(live_api, api_token, GenerationMode.NEGATIVE) == []


def test_a_huge_limit_is_a_400_that_names_the_parameter(api_token, catalogue):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {api_token}")
    response = client.get("/api/exercises?limit=93215067052677238628399626321920")
    assert response.status_code == 400 and "limit" in response.json()


@pytest.mark.parametrize(
    "path",
    [
        "/api/exercises/not%20a%20slug",
        "/api/leaderboards/a%0Ab",  # a newline in the path
        "/api/trials/not-a-uuid",
        "/api/submissions/42",
        "/api/nothing/here",
    ],
)
def test_a_path_no_route_matches_is_a_json_404(api_token, path):
    client = APIClient(enforce_csrf_checks=True)  # as a real client: no CSRF cookie
    client.credentials(HTTP_AUTHORIZATION=f"Token {api_token}")
    for method in (client.get, client.post):
        response = method(path)
        assert response.status_code == 404
        assert response["Content-Type"] == "application/json" and response.json()["detail"]


def test_the_schema_documents_406_everywhere_and_415_where_a_body_is_read(api_token):
    client = APIClient()
    schema = client.get("/api/schema", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            assert "406" in operation["responses"], (method, path)
            assert ("415" in operation["responses"]) == (method in ("post", "put", "patch")), (method, path)


def test_an_unreadable_media_type_and_an_unmet_accept_get_their_documented_json_answers(api_token, catalogue):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {api_token}")
    unsupported = client.post("/api/submissions", data="x", content_type="text/csv")
    unacceptable = client.get("/api/exercises", HTTP_ACCEPT="text/csv")
    assert unsupported.status_code == 415 and unsupported.json()["detail"]
    assert unacceptable.status_code == 406 and unacceptable["Content-Type"].startswith("application/json")
