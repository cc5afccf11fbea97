"""The grader is a package others can install: the built wheel grades a submission in a clean venv."""

from __future__ import annotations

import shutil
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import numpy
import pytest

ROOT = Path(__file__).resolve().parents[2]

# pip builds a wheel and installs it into a new venv: seconds, so make test runs these.
pytestmark = [pytest.mark.slow]

GRADE = """
import sys
from pathlib import Path
import grader
from grader.backends import get_backend
from grader.exercise import load_exercise
from grader.grading import grade
from grader.reference import ExpectedStore
assert "site-packages" in grader.__file__, grader.__file__
exercise = load_exercise(Path(sys.argv[1]))
result = grade(exercise, exercise.solution, backend=get_backend("process"), store=ExpectedStore(Path(sys.argv[2])))
print(result.verdict)
"""


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    source = tmp_path_factory.mktemp("source")  # a copy: building leaves build/ behind
    shutil.copy(ROOT / "pyproject.toml", source)
    for package in ("grader", "tensordojo_cli"):
        shutil.copytree(ROOT / package, source / package, ignore=shutil.ignore_patterns("__pycache__"))
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(source)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    return next(out.glob("tensordojo-*.whl"))


def test_the_wheel_holds_the_backends_and_the_harness(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())

    assert {"grader/backends/docker_backend.py", "grader/harness/supervisor.py", "grader/harness/runner.py"} <= names
    assert {
        "grader/templates/new-exercise/cases.py",
        "grader/templates/new-exercise/mistakes/forgot_double.py",
    } <= names


def test_the_installed_wheel_grades_a_submission_in_a_clean_venv(wheel, tmp_path):
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=False)
    python = env_dir / "bin" / "python"
    site = next((env_dir / "lib").glob("python*/site-packages"))
    # Offline: the grader's one run-time import outside the standard library is copied in, nothing else.
    shutil.copytree(Path(numpy.__file__).parent, site / "numpy")
    libs = Path(numpy.__file__).parent.parent / "numpy.libs"
    if libs.is_dir():
        shutil.copytree(libs, site / "numpy.libs")
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(site)

    out = subprocess.run(
        [str(python), "-I", "-c", GRADE, str(ROOT / "tests/fixtures/exercises/sandbox-probe"), str(tmp_path / "cache")],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
    )

    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.strip() == "accepted"
