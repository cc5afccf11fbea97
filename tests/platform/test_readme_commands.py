"""Every command the README shows runs as written after `make up`, with nothing exported by hand.

`make up` writes a git-ignored .env (scripts/env-file.sh); settings read it without
overriding the real environment. These tests run the commands in fresh processes
whose environment lacks TENSORDOJO_ENV and DJANGO_SECRET_KEY, as a newcomer's shell would.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest

from tests.conftest import ROOT

README = (ROOT / "README.md").read_text()
EXERCISE = "matmul-by-hand"  # standard library only: the process backend grades it anywhere

# Each command starts Django afresh (one migrates a new database): seconds each, so make test runs them.
pytestmark = [pytest.mark.slow]


@pytest.fixture(scope="module")
def newcomer_env(tmp_path_factory) -> dict[str, str]:
    """The environment of a shell after `make up`: .env written, nothing exported, a private var/."""
    subprocess.run([ROOT / "scripts" / "env-file.sh"], check=True, capture_output=True)
    var = tmp_path_factory.mktemp("var")
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"TENSORDOJO_ENV", "DJANGO_SECRET_KEY", "DJANGO_SETTINGS_MODULE", "DATABASE_URL"}
    }
    # Where the state goes and which backend grades are the README's own knobs, not the secret ones.
    env.update(TENSORDOJO_VAR_DIR=str(var), TENSORDOJO_CACHE_DIR=str(var / "cache"), GRADER_BACKEND="process")
    return env


def run(command: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    assert command in README, f"the README no longer shows `{command}`"
    argv = command.split()
    argv[0] = sys.executable  # `python` of the README is the virtualenv's
    return subprocess.run(argv, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


def test_manage_py_check_runs_without_exporting_anything(newcomer_env):
    done = run("python manage.py check", newcomer_env)
    assert done.returncode == 0, done.stderr
    assert "no issues" in done.stdout


def test_grade_prints_the_verdict_of_a_file(newcomer_env):
    command = f"python manage.py grade {EXERCISE} exercises/{EXERCISE}/solution.py"
    assert "python manage.py grade SLUG FILE" in README
    done = subprocess.run(
        [sys.executable, *command.split()[1:]], cwd=ROOT, env=newcomer_env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert f"{EXERCISE}: accepted" in done.stdout


def test_exercises_check_proves_one_exercise(newcomer_env):
    assert "python manage.py exercises check [SLUG]" in README
    done = subprocess.run(
        [sys.executable, "manage.py", "exercises", "check", EXERCISE],
        cwd=ROOT,
        env=newcomer_env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "1 of 1 exercises proven" in done.stdout


def test_exercises_warm_computes_every_case_pool_once(newcomer_env):
    assert "python manage.py exercises warm [SLUG]" in README
    argv = [sys.executable, "manage.py", "exercises", "warm", EXERCISE]
    first = subprocess.run(argv, cwd=ROOT, env=newcomer_env, capture_output=True, text=True, timeout=120)
    assert first.returncode == 0, first.stdout + first.stderr
    # Pools an earlier command already graded against are cached: at most 8 runs, all 8 ready.
    assert re.search(r"8 case pools ready: ([1-8] reference run\(s\)|already cached)", first.stdout), first.stdout
    again = subprocess.run(argv, cwd=ROOT, env=newcomer_env, capture_output=True, text=True, timeout=120)
    assert "8 case pools ready: already cached" in again.stdout


def test_createsuperuser_without_prompts_after_migrate(newcomer_env):
    assert run("python manage.py migrate", newcomer_env).returncode == 0
    env = {
        **newcomer_env,
        "DJANGO_SUPERUSER_USERNAME": "root",
        "DJANGO_SUPERUSER_EMAIL": "root@example.com",
        "DJANGO_SUPERUSER_PASSWORD": "a-long-admin-password-1",
    }
    done = run("python manage.py createsuperuser --noinput", env)
    assert done.returncode == 0, done.stderr
    assert "Superuser created" in done.stdout


def test_the_cli_explains_itself(newcomer_env):
    done = run("python -m tensordojo_cli --help", newcomer_env)
    assert done.returncode == 0, done.stderr
    assert "submit" in done.stdout


def test_production_reads_no_env_file_and_stays_strict(newcomer_env):
    env = {**newcomer_env, "TENSORDOJO_ENV": "production"}
    done = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode != 0
    assert "DJANGO_SECRET_KEY must be set outside development" in done.stderr
