"""Every command the README shows runs as typed in a fresh shell after `make up`.

As typed means by bash, from the checkout, with the PATH of a new Debian login and
nothing exported: no `python` on the PATH, no activated virtualenv, no
TENSORDOJO_ENV or DJANGO_SECRET_KEY (`make up` writes them into .env, which the
settings read). Only the README's own knobs are set: where the state goes, and the
process backend so that a grading needs no Docker here (the Docker path is the
security suite's).
"""

from __future__ import annotations

import re
import subprocess

import pytest

from tests.conftest import ROOT

README = (ROOT / "README.md").read_text()
OPERATIONS = (ROOT / "docs" / "operations.md").read_text()
FRESH_PATH = "/usr/local/bin:/usr/bin:/bin"  # what a new shell has; the test's own interpreter is not on it

# Each command starts Django afresh (one migrates a new database): seconds each, so make test runs them.
pytestmark = [pytest.mark.slow]


def shell_commands(markdown: str) -> list[str]:
    """The commands of a page's ```sh blocks, continuation lines joined, comments dropped."""
    commands = []
    for block in re.findall(r"```sh\n(.*?)```", markdown, flags=re.S):
        for command in block.replace("\\\n", " ").splitlines():
            command = command.split("  #")[0].strip()
            if command and not command.startswith("#"):
                commands.append(command)
    return commands


@pytest.fixture(scope="module")
def shell(tmp_path_factory):
    """Run a command line as typed into a fresh bash after `make up`."""
    subprocess.run([ROOT / "scripts" / "env-file.sh"], check=True, capture_output=True)
    var = tmp_path_factory.mktemp("var")
    env = {
        "PATH": FRESH_PATH,
        "HOME": str(var),
        "LANG": "C.UTF-8",
        "TENSORDOJO_VAR_DIR": str(var),
        "TENSORDOJO_CACHE_DIR": str(var / "cache"),
        "GRADER_BACKEND": "process",
    }

    def run(command: str, **extra: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            ["bash", "-c", command], cwd=ROOT, env={**env, **extra}, capture_output=True, text=True, timeout=180
        )

    return run


def test_the_readme_shows_the_two_commands_first():
    assert shell_commands(README)[:2] == ["make up", "make test"]


def test_the_readme_is_a_page_a_newcomer_reads_in_five_minutes():
    assert len(README.splitlines()) <= 150


def test_no_command_needs_a_python_on_the_path():
    """Debian has no `python`: a command that starts with it fails as typed."""
    for page in (README, *(path.read_text() for path in (ROOT / "docs").glob("*.md"))):
        assert not [c for c in shell_commands(page) if c.split()[0] in ("python", "pip")]


@pytest.mark.parametrize("command", [c for c in shell_commands(README) if not c.startswith("make ")])
def test_every_readme_command_works_as_typed(shell, command):
    done = shell(command)
    assert done.returncode == 0, done.stdout + done.stderr
    expected = {
        "./manage.py check": "no issues",
        "./manage.py grade": ": accepted",
        "./manage.py exercises check": "1 of 1 exercises proven",
        ".venv/bin/python -m tensordojo_cli --help": "submit",
    }
    for prefix, words in expected.items():
        if command.startswith(prefix):
            assert words in done.stdout, done.stdout


def test_createsuperuser_without_prompts_after_migrate(shell):
    commands = shell_commands(OPERATIONS)
    assert "./manage.py migrate" in commands
    create = next(c for c in commands if "createsuperuser --noinput" in c)
    assert shell("./manage.py migrate").returncode == 0
    done = shell(create.replace("DJANGO_SUPERUSER_PASSWORD=...", "DJANGO_SUPERUSER_PASSWORD=a-long-admin-password-1"))
    assert done.returncode == 0, done.stderr
    assert "Superuser created" in done.stdout


def test_exercises_warm_computes_every_case_pool_once(shell):
    assert "./manage.py exercises warm [SLUG]" in (ROOT / "docs" / "authoring.md").read_text()
    first = shell("./manage.py exercises warm matmul-by-hand")
    assert first.returncode == 0, first.stdout + first.stderr
    # Pools an earlier command already graded against are cached: at most 8 runs, all 8 ready.
    assert re.search(r"8 case pools ready: ([1-8] reference run\(s\)|already cached)", first.stdout), first.stdout
    again = shell("./manage.py exercises warm matmul-by-hand")
    assert "8 case pools ready: already cached" in again.stdout


def test_production_reads_no_env_file_and_stays_strict(shell):
    done = shell("./manage.py check", TENSORDOJO_ENV="production")
    assert done.returncode != 0
    assert "DJANGO_SECRET_KEY must be set outside development" in done.stderr
