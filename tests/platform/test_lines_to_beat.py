"""Lines to beat on the boards: recorded by a worker with a GPU or imported from the device check's JSON.

No GPU here: the command's refusal is what a CPU worker sees; the timing path runs on a CPU
performance exercise through the process backend (its line is our own code).
"""

from __future__ import annotations

import json
import shutil

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from catalog.models import Exercise, ExerciseVersion, Track
from grader.exercise import load_exercise
from leaderboards.models import LineTime
from leaderboards.selectors import board_lines
from leaderboards.services import line_time_record
from tests.conftest import FIXTURE_EXERCISES, ROOT

EXERCISES = ROOT / "exercises"
DEVICE_CHECK = ROOT / "tests" / "fixtures" / "device_check" / "gpu.json"


@pytest.fixture
def real_exercises(settings):
    settings.EXERCISES_DIR = EXERCISES
    return EXERCISES


@pytest.fixture
def make_exercise(db, real_exercises):
    """A catalogue row for a folder of exercises/ at its current version (no full sync: seconds saved)."""
    track, _ = Track.objects.get_or_create(slug="gpu", defaults={"title": "GPU"})

    def make(slug: str) -> Exercise:
        folder = load_exercise(EXERCISES / slug)
        exercise = Exercise.objects.create(
            slug=slug,
            track=track,
            title=folder.title,
            order=folder.order,
            difficulty=folder.difficulty,
            kind=folder.kind,
            gpu=folder.gpu,
            leaderboard_metric=folder.leaderboard_metric,
        )
        exercise.current_version = ExerciseVersion.objects.create(
            exercise=exercise, version=folder.version, statement_md="", statement_html="", starter=""
        )
        exercise.save(update_fields=["current_version"])
        return exercise

    return make


def record(exercise, name="cublas", seconds=0.000141, **kwargs):
    values = {
        "label": "cuBLAS (torch.matmul)",
        "device": "NVIDIA H200",
        "exercise_version": exercise.current_version.version,
        **kwargs,
    }
    return line_time_record(exercise=exercise, name=name, seconds=seconds, **values)


def test_a_measurement_is_stored_and_the_next_one_replaces_it(make_exercise):
    exercise = make_exercise("triton-matmul")
    record(exercise, seconds=0.0002)
    record(exercise, seconds=0.000141, device="NVIDIA H100 SXM")

    (line,) = LineTime.objects.filter(exercise=exercise)
    assert (line.name, line.seconds, line.device) == ("cublas", 0.000141, "NVIDIA H100 SXM")
    assert line.measured_by == LineTime.MeasuredBy.WORKER and line.measured_at is not None


@pytest.mark.parametrize("seconds", [0.0, -1.0, float("inf"), float("nan")])
def test_a_time_that_is_not_a_positive_number_is_refused(make_exercise, seconds):
    with pytest.raises(ValueError, match="positive number of seconds"):
        record(make_exercise("triton-matmul"), seconds=seconds)


@pytest.mark.parametrize("backend", ["process", "docker"])
def test_the_command_refuses_without_a_gpu_and_says_where_lines_are_timed(settings, make_exercise, backend):
    settings.GRADER_BACKEND, settings.SANDBOX_GPU = backend, False  # a CPU worker
    make_exercise("triton-matmul")

    with pytest.raises(CommandError, match=r"no GPU on this worker: lines are timed on a GPU worker \(SANDBOX_GPU=1\)"):
        call_command("exercises", "lines", "triton-matmul")

    assert not LineTime.objects.exists()


def test_the_command_publishes_the_device_checks_lines(make_exercise, capsys):
    matmul, attention = make_exercise("triton-matmul"), make_exercise("fused-attention-gpu")

    call_command("exercises", "lines", "--from-json", str(DEVICE_CHECK))

    lines = {(line.exercise.slug, line.name): line for line in LineTime.objects.all()}
    assert sorted(lines) == [
        ("fused-attention-gpu", "naive"),
        ("fused-attention-gpu", "sdpa"),
        ("triton-matmul", "cublas"),
    ]
    cublas = lines["triton-matmul", "cublas"]
    assert cublas.seconds == 0.0000141 and cublas.device == "NVIDIA H200" and cublas.label == "cuBLAS (torch.matmul)"
    assert cublas.measured_by == LineTime.MeasuredBy.DEVICE_CHECK and cublas.measured_at.year == 2025
    assert cublas.exercise_version == "0000000000000000"  # the version the check recorded, even if older
    # A JSON written before the check recorded versions is taken to time the folder as it is.
    assert lines["fused-attention-gpu", "sdpa"].exercise_version == attention.current_version.version
    assert "0.014 ms on NVIDIA H200: cuBLAS (torch.matmul)" in capsys.readouterr().out
    assert matmul.line_times.count() == 1


def test_a_device_check_that_failed_on_an_exercise_is_reported_and_exits_non_zero(make_exercise, tmp_path):
    make_exercise("triton-matmul")
    make_exercise("fused-attention-gpu")
    document = json.loads(DEVICE_CHECK.read_text())
    document["fused-attention-gpu"] = {"error": "Traceback ...\nRuntimeError: CUDA out of memory"}
    broken = tmp_path / "gpu.json"
    broken.write_text(json.dumps(document))

    with pytest.raises(CommandError, match="1 line"):
        call_command("exercises", "lines", "--from-json", str(broken))

    assert [line.name for line in LineTime.objects.all()] == ["cublas"]


def test_an_unreadable_json_is_named(make_exercise, tmp_path):
    path = tmp_path / "gpu.json"
    path.write_text("{not json")

    with pytest.raises(CommandError, match="cannot read the device check's JSON"):
        call_command("exercises", "lines", "--from-json", str(path))


def test_a_worker_times_each_line_and_records_it(settings, tmp_path, catalogue):
    """The worker's path end to end, on a CPU exercise the process backend can time (our own line)."""
    root = tmp_path / "exercises"
    shutil.copytree(FIXTURE_EXERCISES / "timing-probe", root / "timing-probe")
    (root / "timing-probe" / "lines").mkdir()
    (root / "timing-probe" / "lines" / "numpy_add.py").write_text(
        "# NumPy's add\nimport numpy as np\n\n\ndef fast(x):\n    return np.add(x, 1.0)\n"
    )
    settings.EXERCISES_DIR, settings.GRADER_BACKEND = root, "process"

    call_command("exercises", "lines")

    (line,) = LineTime.objects.filter(exercise=catalogue["timing-probe"])
    assert (line.name, line.label, line.device) == ("numpy_add", "NumPy's add", "CPU") and 0 < line.seconds < 1
    assert line.exercise_version == load_exercise(root / "timing-probe").version


def board(client, slug: str) -> str:
    return client.get(reverse("leaderboards:exercise", args=[slug])).content.decode()


def test_the_board_shows_a_measured_line_to_beat(client, make_exercise):
    exercise = make_exercise("triton-matmul")
    record(exercise)

    page = board(client, "triton-matmul")

    assert 'id="lines-to-beat"' in page
    assert "The line to beat" in page
    assert "<strong>cuBLAS (torch.matmul)</strong> 0.141 ms on NVIDIA H200, measured" in page
    assert "earlier version" not in page


def test_a_line_measured_on_an_earlier_version_says_so(client, make_exercise):
    record(make_exercise("triton-matmul"), exercise_version="0000000000000000")

    assert "on an earlier version of this exercise" in board(client, "triton-matmul")


def test_the_board_says_honestly_when_no_line_is_measured_yet(client, make_exercise):
    make_exercise("fused-attention-gpu")

    page = board(client, "fused-attention-gpu")

    assert "The line to beat is measured on a GPU worker; none yet." in page


def test_exercises_without_line_files_show_no_line(client, make_exercise):
    exercise = make_exercise("vectorise-pairwise")

    assert not board_lines(exercise=exercise).shown
    assert "lines-to-beat" not in board(client, "vectorise-pairwise")
