"""The Run button: the visible cases only, through the grader, counted nowhere; and the offline cases."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse
from rest_framework.authtoken.models import Token

from leaderboards.models import BestResult
from submissions.models import Submission
from trials.models import TrialRun, TrialStatus, VisibleCaseSet
from trials.services import trial_create, trial_run, visible_cases_build

RIGHT = "def solve(x):\n    return x * 2\n"
WRONG = "def solve(x):\n    return x + 1\n"


@pytest.fixture
def sent_trials(monkeypatch):
    """Trial work sent to the broker, as (kind, id, queue): recorded, not sent."""
    from trials import dispatch

    sent = []
    monkeypatch.setattr(dispatch, "send_trial", lambda trial_id, queue: sent.append(("run", trial_id, queue)))
    monkeypatch.setattr(
        dispatch, "send_visible_cases", lambda version_id, queue: sent.append(("cases", version_id, queue))
    )
    return sent


@pytest.fixture
def process_backend(settings, tmp_path, monkeypatch):
    """The unsafe local backend, so these tests need no Docker; a private reference cache."""
    import grader.grading
    from grader.backends import get_backend
    from grader.reference import ExpectedStore

    monkeypatch.setattr(grader.grading, "_default_store", ExpectedStore(tmp_path / "cache"))
    return get_backend("process", allow=True)


def test_run_queues_a_trial_on_the_cpu_queue_and_creates_no_submission(
    client, learner, catalogue, sent_trials, django_capture_on_commit_callbacks
):
    client.force_login(learner)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("trials:run", args=["sandbox-probe"]), {"source": RIGHT}, HTTP_ACCEPT="application/json"
        )
    assert response.status_code == 202
    trial = TrialRun.objects.get()
    assert sent_trials == [("run", str(trial.id), "cpu")]
    assert response.json()["status_url"] == reverse("trials:status", args=[trial.id])
    assert Submission.objects.count() == 0


def test_run_without_script_redirects_to_a_page_that_refreshes_itself(client, learner, catalogue, sent_trials):
    client.force_login(learner)
    response = client.post(reverse("trials:run", args=["sandbox-probe"]), {"source": RIGHT})
    page = client.get(response["Location"]).content.decode()
    assert response.status_code == 302 and 'http-equiv="refresh"' in page and "counts for nothing" in page


def test_an_empty_run_is_refused_with_a_reason(client, learner, catalogue, sent_trials):
    client.force_login(learner)
    response = client.post(
        reverse("trials:run", args=["sandbox-probe"]), {"source": "  \n"}, HTTP_ACCEPT="application/json"
    )
    assert response.status_code == 400 and response.json()["error"] == "There is no code to run."
    assert not TrialRun.objects.exists() and sent_trials == []


def test_trials_have_their_own_lighter_rate_limit(client, learner, catalogue, sent_trials, sent_tasks, settings):
    settings.TRIAL_RATE_LIMIT = "2/60"
    settings.SUBMISSION_RATE_LIMIT = "1/60"
    client.force_login(learner)
    url = reverse("trials:run", args=["sandbox-probe"])
    codes = [client.post(url, {"source": RIGHT}, HTTP_ACCEPT="application/json").status_code for _ in range(3)]
    assert codes == [202, 202, 429]
    # Runs do not use up the submission allowance.
    response = client.post(reverse("submissions:submit", args=["sandbox-probe"]), {"source": RIGHT})
    assert response.status_code == 302 and Submission.objects.count() == 1


def test_a_trial_runs_the_visible_cases_only(learner, catalogue, sent_trials, process_backend):
    trial = trial_create(user=learner, exercise=catalogue["sandbox-probe"], source=WRONG)
    assert trial_run(trial_id=trial.id, backend=process_backend) == "done"
    trial.refresh_from_db()
    assert trial.status == TrialStatus.DONE
    assert [t["name"] for t in trial.result["tests"]] == ["small"]
    assert trial.result["tests"][0]["status"] == "failed" and trial.result["verdict"] == "wrong_answer"


def test_a_trial_counts_for_nothing(learner, catalogue, sent_trials, process_backend):
    trial = trial_create(user=learner, exercise=catalogue["sandbox-probe"], source=RIGHT)
    trial_run(trial_id=trial.id, backend=process_backend)
    trial.refresh_from_db()
    assert trial.result["verdict"] == "accepted" and trial.result["leaderboard"] == []
    assert not Submission.objects.exists() and not BestResult.objects.exists()


def test_a_trial_page_shows_the_per_case_feedback(client, learner, catalogue, sent_trials, process_backend):
    trial = trial_create(user=learner, exercise=catalogue["sandbox-probe"], source=WRONG)
    trial_run(trial_id=trial.id, backend=process_backend)
    client.force_login(learner)
    page = client.get(reverse("trials:detail", args=[trial.id]) + "?fragment=1").content.decode()
    assert "Wrong answer" in page and "small" in page and "hidden: matrix" not in page


def test_a_syntax_error_in_a_run_shows_the_message_and_no_empty_table(
    client, learner, catalogue, sent_trials, process_backend
):
    trial = trial_create(user=learner, exercise=catalogue["sandbox-probe"], source="def solve(x)\n    return x\n")
    trial_run(trial_id=trial.id, backend=process_backend)
    client.force_login(learner)
    page = client.get(reverse("trials:detail", args=[trial.id]) + "?fragment=1").content.decode()
    assert "Syntax error" in page and "<table" not in page


def test_a_learner_cannot_see_another_learners_run(client, learner, make_user, catalogue, sent_trials):
    trial = trial_create(user=learner, exercise=catalogue["sandbox-probe"], source=RIGHT)
    client.force_login(make_user("eve"))
    assert client.get(reverse("trials:detail", args=[trial.id])).status_code == 404
    assert client.get(reverse("trials:status", args=[trial.id])).status_code == 404


def test_the_api_runs_a_trial_for_the_cli(client, learner, catalogue, sent_trials):
    token = Token.objects.create(user=learner)
    response = client.post(
        "/api/trials",
        data=json.dumps({"exercise": "sandbox-probe", "source": RIGHT}),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Token {token.key}",
    )
    assert response.status_code == 201 and response.json()["counts"] is False
    detail = client.get(f"/api/trials/{response.json()['id']}", HTTP_AUTHORIZATION=f"Token {token.key}")
    assert detail.json()["status"] == "queued"


def test_visible_cases_are_prepared_by_a_worker_on_first_request(client, learner, catalogue, sent_trials):
    client.force_login(learner)
    response = client.get("/api/exercises/sandbox-probe/visible-cases")
    version = catalogue["sandbox-probe"].current_version
    assert response.status_code == 202 and sent_trials == [("cases", version.id, "cpu")]


def test_the_visible_cases_never_contain_a_hidden_case(client, learner, catalogue, process_backend):
    version = catalogue["sandbox-probe"].current_version
    visible_cases_build(version_id=version.id, backend=process_backend)
    client.force_login(learner)
    response = client.get("/api/exercises/sandbox-probe/visible-cases")
    body = response.content.decode()
    assert response.status_code == 200
    assert [case["name"] for case in response.json()["cases"]] == ["small"]
    assert "hidden" not in body  # neither the hidden case's name nor any of its data
    assert VisibleCaseSet.objects.get().cases == response.json()["cases"]


def test_the_visible_cases_carry_inputs_and_the_reference_output(client, learner, catalogue, process_backend):
    import base64
    import io

    import numpy as np

    visible_cases_build(version_id=catalogue["sandbox-probe"].current_version.id, backend=process_backend)
    client.force_login(learner)
    case = client.get("/api/exercises/sandbox-probe/visible-cases").json()["cases"][0]

    def array(node):
        return np.load(io.BytesIO(base64.b64decode(node["$ndarray"])), allow_pickle=False)

    assert np.array_equal(array(case["args"]["$tuple"][0]), np.arange(4.0))
    assert np.array_equal(array(case["expected"]), np.arange(4.0) * 2)


def test_a_trial_no_worker_finished_ends_as_our_error_instead_of_waiting_forever(client, learner, catalogue, settings):
    from django.utils import timezone

    trial = trial_create(user=learner, exercise=catalogue["sandbox-probe"], source=RIGHT)
    TrialRun.objects.filter(id=trial.id).update(created_at=timezone.now() - timezone.timedelta(hours=1))
    client.force_login(learner)
    status = client.get(reverse("trials:status", args=[trial.id])).json()
    assert status["finished"] and status["status"] == "error"


def test_the_openapi_schema_describes_the_trial_endpoints(client, learner):
    client.force_login(learner)
    paths = client.get("/api/schema", HTTP_ACCEPT="application/json").json()["paths"]
    assert set(paths["/api/trials"]["post"]["responses"]) >= {"201", "400", "429"}
    assert set(paths["/api/exercises/{slug}/visible-cases"]["get"]["responses"]) >= {"200", "202", "404"}


def test_a_learners_runs_older_than_a_day_are_dropped_at_the_next_run(learner, make_user, catalogue, sent_trials):
    from django.utils import timezone

    old = trial_create(user=learner, exercise=catalogue["sandbox-probe"], source=RIGHT)
    someone_elses = trial_create(user=make_user("bo"), exercise=catalogue["sandbox-probe"], source=RIGHT)
    TrialRun.objects.update(created_at=timezone.now() - timezone.timedelta(days=2))
    new = trial_create(user=learner, exercise=catalogue["sandbox-probe"], source=RIGHT)
    assert set(TrialRun.objects.values_list("id", flat=True)) == {someone_elses.id, new.id} and old.id != new.id
