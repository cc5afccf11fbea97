"""With the docker backend a learner's grading never runs the exercise's own code in this process.

The exercise below is matmul-by-hand with a hostile cases.py: at import, in build_cases, in its
custom check and in a diagnosis it writes a marker file at an absolute path of this machine and
reads DJANGO_SECRET_KEY (set here). Graded through grade(), the verdict is the one the real
exercise gives, no marker exists, the module is nowhere in sys.modules, and the secret it read
(in its own sandbox) was nothing.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

from grader.exercise import load_exercise
from grader.exercise_host_docker import close_hosts, host_pool
from grader.grading import InternalGradingError, grade
from grader.reference import ExpectedStore
from tests.conftest import ROOT

SECRET = "s3cret-of-the-worker"

SPY = '''

import os as _os

_MARKER = {marker!r}


def _spy(where):
    """Leave a trace on the worker's file system, and say what secret this process holds."""
    try:
        with open(_MARKER + "-" + where, "w") as handle:
            handle.write(where)
    except OSError:
        pass
    return _os.environ.get("DJANGO_SECRET_KEY", "")


_spy("import")
_real_build, _real_check = build_cases, nested_list


def build_cases(rng):
    _spy("build_cases")
    return _real_build(rng)


def nested_list(got, expected, case):
    if _spy("check"):
        return "the exercise's check held the worker's secret"
    return _real_check(got, expected, case)


def _diagnosis_spy(case, got, expected, mismatch):
    _spy("diagnosis")
    return False


DIAGNOSES = [*DIAGNOSES, dx.when("spy", "never named", _diagnosis_spy)]
'''

HOSTILE_WRITE = """

import os as _os

_real_build = build_cases


def build_cases(rng):
    for fd in range(3, 32):  # one of them is the host's answer pipe
        try:
            _os.write(fd, {payload!r})
        except OSError:
            pass
    return _real_build(rng)
"""


def _exercise(tmp_path: Path, tail: str):
    folder = tmp_path / "matmul-by-hand"
    shutil.copytree(ROOT / "exercises" / "matmul-by-hand", folder)
    cases = folder / "cases.py"
    cases.write_text(cases.read_text(encoding="utf-8") + tail, encoding="utf-8")
    return load_exercise(folder, siblings=False)


def _loaded_from(folder: Path) -> list[str]:
    return [name for name, module in list(sys.modules.items()) if str(folder) in str(getattr(module, "__file__", ""))]


@pytest.fixture
def fresh_hosts():
    yield host_pool()
    close_hosts()


def test_a_learner_grading_runs_no_exercise_code_in_the_worker(docker_backend, tmp_path, monkeypatch, fresh_hosts):
    monkeypatch.setenv("DJANGO_SECRET_KEY", SECRET)
    marker = tmp_path / "marker"
    exercise = _exercise(tmp_path, SPY.format(marker=str(marker)))
    store = ExpectedStore(tmp_path / "cache")

    right = grade(exercise, exercise.solution, backend=docker_backend, store=store)
    wrong = grade(
        exercise, (exercise.path / "mistakes" / "elementwise.py").read_text(), backend=docker_backend, store=store
    )

    assert right.verdict == "accepted", right.message  # the check ran: and held no secret
    assert right.score == right.max_score
    assert wrong.verdict == "wrong_answer"
    named = {c.diagnosis for c in wrong.cases if c.diagnosis}
    assert named == {"elementwise-product"}  # the diagnoses ran where the cases were built
    assert list(tmp_path.glob("marker*")) == []
    assert _loaded_from(exercise.path) == []
    assert not [key for key in _cases_modules() if key[0] == str(exercise.path)]


def _cases_modules():
    from grader import exercise as module

    return module._CASES_MODULES


@pytest.mark.parametrize(
    "payload",
    [b"\xff" * 256, b"\x00\x00\x01\x00\x7f\xff\xff\xff{}", b'\x00\x00\x00\x0c\x00\x00\x00\x00{"ok": 1}  '],
    ids=["garbage", "a huge frame", "the wrong types"],
)
def test_a_hostile_host_answer_is_the_exercise_broken_not_a_crash(docker_backend, tmp_path, payload, fresh_hosts):
    exercise = _exercise(tmp_path, HOSTILE_WRITE.format(payload=payload))
    with pytest.raises(InternalGradingError, match="exercise is broken"):
        grade(exercise, exercise.solution, backend=docker_backend, store=ExpectedStore(tmp_path / "cache"))


HOLDER = """
import sys, time
sys.path.insert(0, {root!r})
from grader.backends.docker_backend import DockerBackend
from grader.exercise import load_exercise
from grader.exercise_host import Draw
from grader.exercise_host_docker import docker_host

exercise = load_exercise({folder!r})
docker_host(exercise, DockerBackend(runtime={runtime!r})).cases(Draw(0, 1))
print("ready", flush=True)
time.sleep(600)
"""


def test_a_host_whose_worker_is_killed_leaves_with_it(docker_backend, tmp_path):
    import os
    import signal
    import subprocess
    import time

    from grader.backends.docker_backend import SANDBOX_LABEL

    script = HOLDER.format(
        root=str(ROOT), folder=str(ROOT / "exercises" / "matmul-by-hand"), runtime=docker_backend.runtime
    )
    holder = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "ready"
        filters = {"label": [SANDBOX_LABEL, f"tensordojo.pid={holder.pid}"]}
        assert len(docker_backend.client.containers.list(all=True, filters=filters)) == 1
    finally:
        os.kill(holder.pid, signal.SIGKILL)  # no atexit, no shutdown hook: only the closed stream is left
        holder.wait()
    deadline = time.monotonic() + 10  # the engine removes it in about a second (others' sweeps take longer)
    while docker_backend.client.containers.list(all=True, filters=filters) and time.monotonic() < deadline:
        time.sleep(0.5)
    assert docker_backend.client.containers.list(all=True, filters=filters) == []
