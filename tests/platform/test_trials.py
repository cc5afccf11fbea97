"""The Run button: the visible cases only, through the grader, counted nowhere; and the offline cases."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse
from rest_framework.authtoken.models import Token

from leaderboards.models import BestResult
from submissions.models import Submission
from trials.models import TrialRun, TrialStatus, VisibleCaseSet
from trials.services import trial_create, visible_cases_build

RIGHT = "def solve(x):\n    return x * 2\n"
WRONG = "def solve(x):\n    return x + 1\n"


def trial_run(*, trial_id, backend) -> str:
    """What a worker does with a trial's message: the pipeline's one worker path, on the trial lane."""
    from submissions.worker import run
    from trials.services import LANE

    return run(LANE, job_id=trial_id, worker="test", backend=backend)


def test_run_queues_a_trial_on_its_own_queue_and_creates_no_submission(
    client, learner, catalogue, sent_trials, django_capture_on_commit_callbacks
):
    client.force_login(learner)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("trials:run", args=["sandbox-probe"]), {"source": RIGHT}, HTTP_ACCEPT="application/json"
        )
    assert response.status_code == 202
    trial = TrialRun.objects.get()
    assert sent_trials == [("run", str(trial.id), "trial")]
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
    assert response.status_code == 400 and response.json()["error"] == "There is no code: the editor is empty."
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
    assert trial_run(trial_id=trial.id, backend=process_backend) == "graded"
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
    assert response.status_code == 202 and sent_trials == [("cases", version.id, "trial")]


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


def test_a_learners_runs_older_than_a_day_are_dropped_at_the_next_run(
    learner, make_user, catalogue, sent_trials, settings
):
    from django.utils import timezone

    settings.TRIAL_MAX_IN_FLIGHT = 2

    old = trial_create(user=learner, exercise=catalogue["sandbox-probe"], source=RIGHT)
    someone_elses = trial_create(user=make_user("bo"), exercise=catalogue["sandbox-probe"], source=RIGHT)
    TrialRun.objects.update(created_at=timezone.now() - timezone.timedelta(days=2))
    new = trial_create(user=learner, exercise=catalogue["sandbox-probe"], source=RIGHT)
    assert set(TrialRun.objects.values_list("id", flat=True)) == {someone_elses.id, new.id} and old.id != new.id


# --- a trial is a lane of the one pipeline ------------------------------------------------


def test_a_run_and_a_submission_are_refused_by_one_check_in_the_same_words(learner, catalogue, sent_trials, settings):
    from submissions.services import SubmissionRejected, submission_create
    from trials.services import TrialRejected

    settings.SUBMISSION_MAX_BYTES = 1024
    for bad in ["  \n", "def solve(x):\x00", "#" * 2048, b"def solve(x): pass"]:
        with pytest.raises(SubmissionRejected) as submitted:
            submission_create(user=learner, exercise=catalogue["sandbox-probe"], source=bad)
        with pytest.raises(TrialRejected) as ran:
            trial_create(user=learner, exercise=catalogue["sandbox-probe"], source=bad)
        assert str(submitted.value) == str(ran.value)
    assert not TrialRun.objects.exists() and not Submission.objects.exists()


def test_a_new_run_supersedes_the_learners_run_still_waiting(learner, catalogue, sent_trials, process_backend):
    first = trial_create(user=learner, exercise=catalogue["sandbox-probe"], source=WRONG)
    second = trial_create(user=learner, exercise=catalogue["sandbox-probe"], source=RIGHT)

    first.refresh_from_db()
    assert first.status == TrialStatus.ERROR and first.error_message == "Replaced by your newer run."
    assert trial_run(trial_id=first.id, backend=process_backend) == "skipped"  # its message, when it comes
    assert trial_run(trial_id=second.id, backend=process_backend) == "graded"


def test_a_run_while_the_learners_run_is_running_is_refused_with_a_clear_message(
    client, learner, catalogue, sent_trials
):
    from submissions import pipeline
    from trials.services import LANE

    running = trial_create(user=learner, exercise=catalogue["sandbox-probe"], source=RIGHT)
    pipeline.start(LANE, job_id=running.id, worker="w1")
    client.force_login(learner)

    response = client.post(
        reverse("trials:run", args=["sandbox-probe"]), {"source": WRONG}, HTTP_ACCEPT="application/json"
    )

    assert response.status_code == 429 and int(response["Retry-After"]) > 0
    assert response.json()["error"] == "Your previous run is still running: wait for its result, then run again."
    assert TrialRun.objects.count() == 1


def test_trials_in_flight_have_a_global_budget_and_a_finished_one_frees_its_place(
    learner, make_user, catalogue, sent_trials, process_backend, settings
):
    from trials.services import TrialBusy

    settings.TRIAL_MAX_IN_FLIGHT = 1
    first = trial_create(user=learner, exercise=catalogue["sandbox-probe"], source=RIGHT)
    with pytest.raises(TrialBusy, match="submitting is not affected"):
        trial_create(user=make_user("bo"), exercise=catalogue["sandbox-probe"], source=RIGHT)

    trial_run(trial_id=first.id, backend=process_backend)
    assert trial_create(user=make_user("cy"), exercise=catalogue["sandbox-probe"], source=RIGHT).status == "queued"


def test_a_trial_redelivered_while_its_worker_lives_is_busy_and_taken_over_once_it_is_silent(
    learner, catalogue, sent_trials, process_backend
):
    """The bug of the second path: a redelivered Run was skipped, and the page waited for minutes."""
    from django.utils import timezone

    from submissions import pipeline
    from tests.platform.conftest import grading_result
    from trials.services import LANE, trial_finish

    trial = trial_create(user=learner, exercise=catalogue["sandbox-probe"], source=RIGHT)
    dead = pipeline.start(LANE, job_id=trial.id, worker="w1")
    with pytest.raises(pipeline.Busy):
        trial_run(trial_id=trial.id, backend=process_backend)

    TrialRun.objects.filter(id=trial.id).update(heartbeat_at=timezone.now() - timezone.timedelta(minutes=5))
    assert trial_run(trial_id=trial.id, backend=process_backend) == "graded"

    trial.refresh_from_db()
    assert trial.status == TrialStatus.DONE and trial.attempts == 2 and trial.result["verdict"] == "accepted"
    assert trial_finish(trial_id=trial.id, attempt=dead.attempt, result=grading_result()) is False  # late, ignored


def test_a_trial_whose_sandbox_fails_goes_back_to_the_queue_and_ends_blaming_us_when_retries_run_out(
    learner, catalogue, sent_trials, settings, monkeypatch
):
    from grader.backends import SandboxUnavailable
    from submissions import tasks
    from submissions.worker import RetryableGradingError
    from trials.services import OUR_SIDE

    class Down:
        name = "down"

        def __getattr__(self, name):
            raise SandboxUnavailable("engine down")

    trial = trial_create(user=learner, exercise=catalogue["sandbox-probe"], source=RIGHT)
    with pytest.raises(RetryableGradingError):
        trial_run(trial_id=trial.id, backend=Down())
    trial.refresh_from_db()
    assert trial.status == TrialStatus.QUEUED and trial.attempts == 1  # not skipped, not failed: retried

    settings.GRADING_MAX_RETRIES = 0  # the task (the one grading task, lane "trial") has no retry left
    monkeypatch.setattr("submissions.worker.worker_backend", Down)
    outcome = tasks.grade_submission.apply(args=[str(trial.id)], kwargs={"lane": "trial"}, throw=False).get()
    trial.refresh_from_db()
    assert outcome == "error" and trial.status == TrialStatus.ERROR and trial.error_message == OUR_SIDE


def test_lost_trials_are_resent_by_the_sweep_and_after_a_worker_start(learner, catalogue, sent_trials, settings):
    from django.utils import timezone

    from submissions import pipeline
    from submissions.lanes import resend_all, sweep_all
    from trials.services import LANE

    settings.GRADING_HEARTBEAT_STALE = 30
    waiting = trial_create(user=learner, exercise=catalogue["sandbox-probe"], source=RIGHT)
    sent_trials.clear()
    TrialRun.objects.update(sent_at=None)
    assert sweep_all(queued_after_s=60)["trial"]["resent"] == 1
    assert sent_trials == [("run", str(waiting.id), "trial")]

    pipeline.start(LANE, job_id=waiting.id, worker="w1")
    TrialRun.objects.update(heartbeat_at=timezone.now() - timezone.timedelta(minutes=5))
    sent_trials.clear()
    assert resend_all()["trial"]["requeued"] == 1
    assert sent_trials == [("run", str(waiting.id), "trial")]
    assert TrialRun.objects.get().status == TrialStatus.QUEUED


def test_the_trial_api_is_part_of_the_api_with_the_same_urls():
    from django.urls import resolve

    assert reverse("api:trials") == "/api/trials"
    for url in ["/api/trials", "/api/trials/6f1c2a4e-0000-4000-8000-000000000000", "/api/exercises/x/visible-cases"]:
        assert resolve(url).func.view_class.__module__ == "api.trials"


def test_a_trial_is_graded_through_the_workers_warm_pool_on_the_visible_cases_only(
    learner, catalogue, sent_trials, monkeypatch
):
    from submissions import worker
    from tests.platform.conftest import grading_result

    pool, seen = object(), {}

    def grade(folder, source, *, backend, visible_only):
        seen.update(backend=backend, visible_only=visible_only)
        return grading_result()

    monkeypatch.setattr(worker, "_pool", pool)
    monkeypatch.setattr(worker, "grade", grade)
    trial = trial_create(user=learner, exercise=catalogue["sandbox-probe"], source=RIGHT)

    assert trial_run(trial_id=trial.id, backend=None) == "graded"
    assert seen == {"backend": pool, "visible_only": True}


def test_every_worker_drains_live_work_then_trials_then_regrades():
    """The order of a -Q list is the order a worker serves its queues (queue_order_strategy "priority")."""
    import re

    from django.conf import settings

    from tests.conftest import ROOT

    places = ["scripts/up.sh", "docker-compose.yml", "docker/app/entrypoint.sh", "tests/support/pipeline.py"]
    lists = []
    for place in places:
        text = (ROOT / place).read_text()
        lists += [found.split(",") for found in re.findall(r"\b(?:cpu|gpu)(?:,[a-z-]+)+", text)]
    assert any("cpu" in queues for queues in lists) and any("gpu" in queues for queues in lists)
    for queues in lists:
        assert set(queues) <= set(settings.WORK_QUEUES), queues
        if "cpu" in queues:
            assert queues.index("cpu") < queues.index("trial") < queues.index("regrade"), queues
        if "gpu" in queues:
            assert queues.index("gpu") < queues.index("gpu-trial"), queues
    assert settings.CELERY_BROKER_TRANSPORT_OPTIONS["queue_order_strategy"] == "priority"
