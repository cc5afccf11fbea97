"""A learner is shown nothing of which hidden inputs a submission met: no `extra.case_pool`, no seed.

Results stored before this filter existed keep their `case_pool` in the database; the API and
every page filter it on the way out.
"""

import pytest
from django.urls import reverse
from rest_framework.authtoken.models import Token

from submissions.models import Submission
from submissions.services import submission_create, submission_finish, submission_start
from tests.platform.conftest import grading_result
from trials.models import TrialRun

STORED = {
    "verdict": "accepted",
    "score": 10.0,
    "max_score": 10.0,
    "tests": [],
    "leaderboard": [{"name": "time", "value": 0.0042, "order": "asc"}],
    "extra": {"case_pool": 5, "reference_time": 0.002, "pool_seed": 123456789},
}


@pytest.fixture
def stored(learner, catalogue, sent_tasks):
    submission = submission_create(user=learner, exercise=catalogue["timing-probe"], source="def fast(x): return x")
    claim = submission_start(submission_id=submission.id, worker="test")
    submission_finish(submission_id=submission.id, attempt=claim.attempt, result=grading_result())
    # A result stored before the grader stopped writing the pool index: it must still not be shown.
    Submission.objects.filter(id=submission.id).update(result=STORED)
    return submission


@pytest.fixture
def api(client, learner):
    client.defaults["HTTP_AUTHORIZATION"] = f"Token {Token.objects.get_or_create(user=learner)[0].key}"
    return client


def test_the_stored_result_still_has_the_pool_index(stored):
    stored.refresh_from_db()
    assert stored.result["extra"]["case_pool"] == 5  # kept for us; the filter is on the way out


def test_the_api_result_has_no_pool_index_or_seed(api, stored):
    one = api.get(f"/api/submissions/{stored.id}").json()["result"]
    listed = api.get("/api/submissions").json()[0]["result"]
    for result in (one, listed):
        assert result["extra"] == {"reference_time": 0.002}
        assert "case_pool" not in str(result) and "123456789" not in str(result)


def test_the_result_pages_get_no_pool_index(client, learner, stored):
    """The templates are handed the filtered result, so no template (now or later) can show it."""
    client.force_login(learner)
    for query in ({}, {"fragment": "1"}):
        response = client.get(reverse("submissions:detail", args=[stored.id]), query)
        assert response.context["result"]["extra"] == {"reference_time": 0.002}
        page = response.content.decode()
        assert "case_pool" not in page and "123456789" not in page
        assert "2.000 ms" in page  # the reference time is still shown


def test_a_trials_result_has_no_pool_index_either(api, learner, catalogue):
    trial = TrialRun.objects.create(user=learner, exercise=catalogue["sandbox-probe"], source="x", result=STORED)
    assert api.get(f"/api/trials/{trial.id}").json()["result"]["extra"] == {"reference_time": 0.002}
    api.force_login(learner)
    response = api.get(reverse("trials:detail", args=[trial.id]))
    assert response.context["result"]["extra"] == {"reference_time": 0.002}
