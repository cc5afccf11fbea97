"""The terminal client against a live server (the worker is not needed to submit)."""

import pytest

from tensordojo_cli.__main__ import main


@pytest.fixture
def cli_env(live_server, learner, catalogue, sent_tasks, monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    monkeypatch.setenv("TENSORDOJO_PASSWORD", "a-long-password-1")
    monkeypatch.setattr("tensordojo_cli.__main__.TOKEN_FILE", tmp_path / "tensordojo" / "token")
    return ["--url", live_server.url]


def test_login_list_starter_submit_and_status(cli_env, tmp_path, capsys):
    assert main(cli_env + ["login", "ada"]) == 0
    assert main(cli_env + ["exercises"]) == 0
    assert "sandbox-probe" in capsys.readouterr().out

    assert main(cli_env + ["starter", "sandbox-probe", "-o", str(tmp_path / "mine.py")]) == 0
    assert "NotImplementedError" in (tmp_path / "mine.py").read_text()

    (tmp_path / "mine.py").write_text("def solve(x):\n    return x * 2\n")
    assert main(cli_env + ["submit", "sandbox-probe", str(tmp_path / "mine.py"), "--no-wait"]) == 0
    submission_id = capsys.readouterr().out.split()[-1]
    assert main(cli_env + ["status", submission_id]) == 0
    assert "queued" in capsys.readouterr().out


def test_a_wrong_password_is_a_clear_error(cli_env, monkeypatch, capsys):
    monkeypatch.setenv("TENSORDOJO_PASSWORD", "nope")
    assert main(cli_env + ["login", "ada"]) == 1
    assert "HTTP 400" in capsys.readouterr().err
