"""Pushed exercises are checked in an exercise sandbox, never in a web or worker process.

Against the real Docker sandbox (the runtime make test chose): the CLI's `course push`
contract end to end against a live server, publishing, and an exercise whose own code
tries to leave a trace on the host and read our secret key.
"""

from __future__ import annotations

import shutil
import uuid
from pathlib import Path

import pytest

from tensordojo_cli.__main__ import main
from tests.conftest import ROOT

pytestmark = [pytest.mark.docker]


@pytest.fixture(autouse=True)
def private_storage(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.GRADER_CACHE_DIR = tmp_path / "cache"


def copy_of_matmul(root: Path, slug: str) -> Path:
    """exercises/matmul-by-hand under another slug, on its own (no lesson beside it)."""
    target = root / slug
    shutil.copytree(ROOT / "exercises" / "matmul-by-hand", target)
    toml = (target / "exercise.toml").read_text()
    toml = toml.replace('slug = "matmul-by-hand"', f'slug = "{slug}"').replace('lesson = "mechanics"\n', "")
    (target / "exercise.toml").write_text(toml)
    return target


@pytest.fixture
def checks_in_the_sandbox(monkeypatch, docker_backend):
    """Checks run as the queued task would, right after the push commits (no broker in this test)."""
    from courses import services

    def check_now(entry):
        services.pushed_exercise_check(entry_id=entry.id, backend=docker_backend)

    monkeypatch.setattr(services, "_enqueue_check", check_now)


@pytest.fixture
def cli(live_server, make_user, monkeypatch, tmp_path):
    make_user("teacher", instructor=True)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    monkeypatch.setenv("TENSORDOJO_PASSWORD", "a-long-password-1")
    monkeypatch.setattr("tensordojo_cli.__main__.TOKEN_FILE", tmp_path / "tensordojo" / "token")
    args = ["--url", live_server.url]
    assert main(args + ["login", "teacher"]) == 0
    return args


def test_course_push_prints_one_line_per_exercise_and_publishes_what_passed(
    cli, checks_in_the_sandbox, tmp_path, capsys
):
    from catalog.models import Exercise

    course = tmp_path / "course"
    copy_of_matmul(course, "loops-first")
    lazy = copy_of_matmul(course, "lazy-starter")
    shutil.copy(lazy / "solution.py", lazy / "starter.py")  # a starter that already passes: nothing to do
    capsys.readouterr()

    assert main(cli + ["course", "push", str(course), "--course", "my-course", "--publish"]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "lazy-starter failed starter: the starter passes every case: it must leave work to do"
    assert lines[1] == "loops-first ok"
    published = Exercise.objects.get(slug="loops-first")
    assert published.is_active, published.versions.get().check_report
    assert published.current_version.check_status == "passed"
    assert published.course.slug == "my-course"
    assert not Exercise.objects.get(slug="lazy-starter").is_active


HOSTILE_CASES = """
import os, pathlib
TRACE = pathlib.Path("{trace}")
try:
    TRACE.write_text("pwned " + os.environ.get("DJANGO_SECRET_KEY", "no key"))
except OSError:
    pass
print("SECRET=" + os.environ.get("DJANGO_SECRET_KEY", "none"))
"""


def test_an_exercise_whose_code_writes_on_the_host_and_reads_our_secret_leaves_no_trace(
    make_user, checks_in_the_sandbox, tmp_path, monkeypatch, django_capture_on_commit_callbacks
):
    from courses.services import course_for_push, push_create
    from tests.platform.test_courses import tar_gz

    secret = f"secret-{uuid.uuid4().hex}"
    monkeypatch.setenv("DJANGO_SECRET_KEY", secret)  # what a worker's environment holds
    trace = tmp_path / f"trace-{uuid.uuid4().hex}"  # a path on the host, writable by this process
    course = tmp_path / "course"
    target = copy_of_matmul(course, "innocent-looking")
    cases = target / "cases.py"
    cases.write_text(HOSTILE_CASES.format(trace=trace) + cases.read_text())

    teacher = make_user("teacher", instructor=True)
    with django_capture_on_commit_callbacks(execute=True):
        push = push_create(
            course=course_for_push(user=teacher, slug="hostile"), user=teacher, data=tar_gz(course), publish=False
        )
    entry = push.exercises.get()
    assert entry.finished  # its code ran: in the exercise sandbox
    assert not trace.exists()
    assert secret not in str(entry.version.check_report)


@pytest.fixture
def git_server(tmp_path):
    """A real git server on loopback (`git daemon`), serving one repository; stops at the end."""
    import socket
    import subprocess
    import time

    base = tmp_path / "served"
    work = tmp_path / "work"
    copy_of_matmul(work, "synced-loops")
    git = ["git", "-c", "user.name=T", "-c", "user.email=t@example.com"]
    subprocess.run(["git", "init", "-q", "-b", "main", str(work)], check=True)
    subprocess.run([*git, "-C", str(work), "add", "."], check=True)
    subprocess.run([*git, "-C", str(work), "commit", "-q", "-m", "first"], check=True)
    base.mkdir()
    subprocess.run(["git", "clone", "-q", "--bare", str(work), str(base / "course.git")], check=True)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    daemon = subprocess.Popen(
        ["git", "daemon", "--reuseaddr", "--export-all", "--listen=127.0.0.1", f"--port={port}", f"--base-path={base}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(100):
        with socket.socket() as client:
            if client.connect_ex(("127.0.0.1", port)) == 0:
                break
        time.sleep(0.05)
    yield f"git://127.0.0.1:{port}/course.git"
    daemon.terminate()
    daemon.wait(timeout=10)


def test_a_course_follows_a_repository_and_the_sync_checks_and_publishes_it(
    client, make_user, git_server, checks_in_the_sandbox, settings, django_capture_on_commit_callbacks
):
    from catalog.models import Exercise

    settings.COURSE_REPOSITORY_SCHEMES = "git"  # the loopback server speaks git://; production follows https
    teacher = make_user("teacher", instructor=True)
    client.force_login(teacher)
    from courses.services import course_for_push

    course_for_push(user=teacher, slug="from-git")
    answer = client.put(
        "/api/courses/from-git/repository", {"url": git_server, "branch": "main"}, content_type="application/json"
    )
    assert answer.status_code == 200, answer.content
    assert len(answer.json()["secret"]) == 64 and answer.json()["webhook"].endswith("/api/courses/from-git/webhook")
    with django_capture_on_commit_callbacks(execute=True):
        synced = client.post("/api/courses/from-git/sync")
    assert synced.status_code == 201, synced.content
    assert [(e["slug"], e["status"]) for e in synced.json()["exercises"]] == [("synced-loops", "pending")]
    published = Exercise.objects.get(slug="synced-loops")  # the check ran on commit, then publish_on_sync
    assert published.is_active, published.versions.get().check_report
    assert published.course.slug == "from-git"
