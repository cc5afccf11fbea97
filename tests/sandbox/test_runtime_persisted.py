"""Every entry point uses the runtime `make up` chose: it is written into .env, which settings read.

`make up` asks scripts/gvisor.sh for the runtime (runsc where the engine accepts gVisor) and
exports it to the processes it starts; a `./manage.py grade` typed later in another shell
did not see it and ran runc. scripts/env-file.sh now records the choice in the checkout's
.env (each run of make up updates it), and settings read that file, so manage.py, Celery and
gunicorn all build the same backend.
"""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
from pathlib import Path

import pytest

pytestmark = [pytest.mark.slow]  # a bash process per test

ROOT = Path(__file__).resolve().parents[2]


def _env_file(tmp_path: Path, runtime: str | None) -> dict[str, str]:
    """Run a copy of scripts/env-file.sh whose checkout is tmp_path; return the .env it leaves."""
    scripts = tmp_path / "scripts"
    scripts.mkdir(exist_ok=True)
    for name in ("env-file.sh", "lib.sh"):
        shutil.copy2(ROOT / "scripts" / name, scripts / name)
    env = {k: v for k, v in os.environ.items() if k != "SANDBOX_RUNTIME"}
    if runtime is not None:
        env["SANDBOX_RUNTIME"] = runtime
    subprocess.run(["bash", str(scripts / "env-file.sh")], env=env, check=True, capture_output=True, timeout=60)
    lines = (tmp_path / ".env").read_text().splitlines()
    return dict(line.split("=", 1) for line in lines if "=" in line and not line.startswith("#"))


def test_make_ups_runtime_is_written_into_the_new_env_file(tmp_path):
    values = _env_file(tmp_path, "runsc")

    assert values["SANDBOX_RUNTIME"] == "runsc"
    assert values["DJANGO_SECRET_KEY"]


def test_a_later_make_up_updates_the_runtime_and_keeps_the_secret_key(tmp_path):
    first = _env_file(tmp_path, "runsc")
    second = _env_file(tmp_path, "runc")

    assert second["SANDBOX_RUNTIME"] == "runc"
    assert second["DJANGO_SECRET_KEY"] == first["DJANGO_SECRET_KEY"]
    assert (tmp_path / ".env").read_text().count("SANDBOX_RUNTIME=") == 1
    assert stat.S_IMODE((tmp_path / ".env").stat().st_mode) == 0o600  # it holds the secret key


def test_without_a_chosen_runtime_the_env_file_names_none(tmp_path):
    assert "SANDBOX_RUNTIME" not in _env_file(tmp_path, None)


def test_settings_read_the_recorded_runtime_so_manage_py_grade_uses_it(tmp_path, monkeypatch):
    from config.settings import read_env_file

    _env_file(tmp_path, "runsc")
    monkeypatch.delenv("SANDBOX_RUNTIME", raising=False)
    read_env_file(tmp_path / ".env")

    assert os.environ["SANDBOX_RUNTIME"] == "runsc"


def test_the_grade_command_builds_its_backend_from_the_settings_runtime(settings):
    from config.grader import sandbox_backend

    settings.SANDBOX_RUNTIME = "runsc"
    assert sandbox_backend("docker").runtime == "runsc"
