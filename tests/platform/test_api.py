"""The REST API and its OpenAPI description: the terminal path."""

import pytest
from rest_framework.test import APIClient

from submissions.models import Submission

CODE = "def solve(x):\n    return x * 2\n"


@pytest.fixture
def api(learner):
    client = APIClient()
    token = client.post("/api/token", {"username": "ada", "password": "a-long-password-1"}).json()["token"]
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


def test_a_token_needs_the_right_password(learner):
    assert APIClient().post("/api/token", {"username": "ada", "password": "wrong"}).status_code == 400


def test_everything_requires_authentication(catalogue):
    assert APIClient().get("/api/exercises").status_code == 401


def test_listing_exercises_and_fetching_the_starter(api, catalogue):
    slugs = [e["slug"] for e in api.get("/api/exercises").json()["results"]]
    detail = api.get("/api/exercises/sandbox-probe").json()
    assert "sandbox-probe" in slugs
    assert "raise NotImplementedError" in detail["starter"] and detail["entry_points"] == ["solve"]


def test_submitting_and_polling(api, catalogue, sent_tasks):
    created = api.post("/api/submissions", {"exercise": "sandbox-probe", "source": CODE}, format="json")
    assert created.status_code == 201 and created.json()["status"] == "queued"

    polled = api.get(f"/api/submissions/{created.json()['id']}").json()
    assert polled["status"] == "queued" and polled["exercise"] == "sandbox-probe"


def test_rejections_are_explained(api, catalogue, settings, sent_tasks):
    settings.SUBMISSION_MAX_BYTES = 16
    response = api.post("/api/submissions", {"exercise": "sandbox-probe", "source": CODE}, format="json")
    assert response.status_code == 400 and "limit" in response.json()["source"][0]
    assert api.post("/api/submissions", {"exercise": "nope", "source": CODE}, format="json").status_code == 404


def test_the_rate_limit_answers_429_with_retry_after(api, catalogue, settings, sent_tasks):
    settings.SUBMISSION_RATE_LIMIT = "1/60"
    api.post("/api/submissions", {"exercise": "sandbox-probe", "source": CODE}, format="json")
    response = api.post("/api/submissions", {"exercise": "sandbox-probe", "source": CODE}, format="json")
    assert response.status_code == 429 and "Retry-After" in response


def test_other_learners_submissions_are_invisible(api, make_user, catalogue, sent_tasks):
    from submissions.services import submission_create

    other = submission_create(user=make_user("bob"), exercise=catalogue["sandbox-probe"], source=CODE)
    assert api.get(f"/api/submissions/{other.id}").status_code == 404
    assert api.get("/api/submissions").json() == []
    assert Submission.objects.count() == 1


def test_leaderboards_over_the_api(api, catalogue):
    assert api.get("/api/leaderboards/sandbox-probe").json() == []


def test_the_openapi_schema_describes_the_api(api):
    schema = api.get("/api/schema", HTTP_ACCEPT="application/json").json()
    assert {"/api/token", "/api/submissions", "/api/exercises/{slug}"} <= set(schema["paths"])


def test_malformed_query_parameters_are_400s_that_name_them(api, catalogue):
    assert "cohort" in api.get("/api/leaderboards/sandbox-probe?cohort=abc").json()
    assert api.get("/api/leaderboards/sandbox-probe?cohort=99999999999999999999999").status_code == 400
    assert "exercise" in api.get("/api/submissions?exercise=not%20a%20slug").json()
    assert api.get("/api/exercises?offset=-1").status_code == 400


def test_an_unknown_cohort_is_a_404_and_a_foreign_one_a_403(api, catalogue, cohort):
    assert api.get("/api/leaderboards/sandbox-probe?cohort=424242").status_code == 404
    assert api.get(f"/api/leaderboards/sandbox-probe?cohort={cohort.id}").status_code == 403


def test_the_schema_documents_the_error_statuses_of_each_operation(api):
    paths = api.get("/api/schema", HTTP_ACCEPT="application/json").json()["paths"]
    assert set(paths["/api/submissions"]["post"]["responses"]) == {
        "201",
        "400",
        "401",
        "404",
        "406",
        "413",
        "415",
        "429",
    }
    assert set(paths["/api/leaderboards/{slug}"]["get"]["responses"]) == {"200", "400", "401", "403", "404", "406"}
    assert set(paths["/api/token"]["post"]["responses"]) == {"200", "400", "406", "413", "415", "429"}
