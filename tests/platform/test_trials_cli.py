"""`tensordojo_cli test`: the visible cases on the server (a trial) or offline in the learner's Python."""

from __future__ import annotations

import pytest

from tensordojo_cli.__main__ import main

RIGHT = "def solve(x):\n    return x * 2\n"
WRONG = "def solve(x):\n    return x + 1\n"


@pytest.fixture
def backend(tmp_path, monkeypatch):
    import grader.grading
    from grader.backends import get_backend
    from grader.reference import ExpectedStore

    monkeypatch.setattr(grader.grading, "_default_store", ExpectedStore(tmp_path / "cache"))
    return get_backend("process", allow=True)  # no Docker needed; learner code here is our own


@pytest.fixture
def cli(live_server, learner, catalogue, backend, monkeypatch, tmp_path):
    """A logged-in CLI; trial tasks run at once in-process instead of going to a broker."""
    from submissions import pipeline
    from submissions.worker import run
    from trials import dispatch, services

    def send_grading(job_id, *, queue, countdown=None, lane):
        assert lane == services.LANE.name  # this CLI test makes no submission
        run(services.LANE, job_id=job_id, worker="cli-test", backend=backend)

    monkeypatch.setattr(pipeline, "send_grading", send_grading)
    monkeypatch.setattr(
        dispatch,
        "send_visible_cases",
        lambda version_id, queue: services.visible_cases_build(version_id=version_id, backend=backend),
    )
    monkeypatch.setenv("TENSORDOJO_PASSWORD", "a-long-password-1")
    monkeypatch.setattr("tensordojo_cli.__main__.TOKEN_FILE", tmp_path / "config" / "token")
    args = ["--url", live_server.url]
    assert main(args + ["login", "ada"]) == 0
    return args


def write(tmp_path, code: str):
    path = tmp_path / "mine.py"
    path.write_text(code)
    return str(path)


def test_cli_test_runs_the_visible_cases_on_the_server_and_makes_no_submission(cli, tmp_path, capsys):
    from submissions.models import Submission

    assert main(cli + ["test", "sandbox-probe", write(tmp_path, WRONG)]) == 2
    out = capsys.readouterr().out
    assert "FAIL small" in out and "hidden" not in out
    assert not Submission.objects.exists()


def test_cli_test_local_passes_a_right_answer_offline(cli, tmp_path, capsys):
    assert main(cli + ["test", "--local", "sandbox-probe", write(tmp_path, RIGHT)]) == 0
    assert "PASS small" in capsys.readouterr().out


def test_cli_test_local_explains_a_wrong_answer(cli, tmp_path, capsys):
    assert main(cli + ["test", "--local", "sandbox-probe", write(tmp_path, WRONG)]) == 2
    out = capsys.readouterr().out
    assert "FAIL small" in out and "wrong values" in out and "0/1 visible cases pass" in out


def test_cli_test_local_works_offline_once_the_cases_are_fetched(cli, tmp_path, capsys):
    assert main(cli + ["test", "--local", "sandbox-probe", write(tmp_path, RIGHT)]) == 0
    offline = ["--url", "http://127.0.0.1:9"]  # nothing listens there
    assert main(offline + ["test", "--local", "sandbox-probe", write(tmp_path, RIGHT)]) == 0
