"""Lines on a board (grader/lines.py): our own code, listed from lines/*.py and timed like a submission.

No GPU is needed: the GPU refusal is checked with the process backend (which has none) and a
backend that fails if anything runs; the timing path itself runs on a CPU performance exercise
through the process backend (line files are our own code, never an attack).
"""

from __future__ import annotations

import shutil
from datetime import UTC, datetime

import pytest

from grader.backends import get_backend
from grader.exercise import ExerciseFormatError, load_exercise
from grader.grading import grade
from grader.lines import (
    LineError,
    NoGpu,
    device_check_lines,
    exercise_lines,
    has_lines,
    line_files,
    time_line,
)
from grader.results import Verdict
from tests.conftest import FIXTURE_EXERCISES, ROOT

NUMPY_ADD = "# NumPy's add\nimport numpy as np\n\n\ndef fast(x):\n    return np.add(x, 1.0)\n"


@pytest.fixture
def timed_folder(tmp_path):
    """A CPU performance exercise that forbids numpy.add, with a line that calls it."""
    folder = tmp_path / "timing-probe"
    shutil.copytree(FIXTURE_EXERCISES / "timing-probe", folder)
    with (folder / "exercise.toml").open("a") as toml:
        toml.write('\n[forbidden]\ncalls = ["numpy.add"]\n')
    (folder / "lines").mkdir()
    (folder / "lines" / "numpy_add.py").write_text(NUMPY_ADD)
    return folder


def write_line(folder, name: str, source: str):
    (folder / "lines").mkdir(exist_ok=True)
    (folder / "lines" / name).write_text(source)


def test_the_gpu_exercises_lines_are_listed_with_their_first_comment_as_label():
    matmul = exercise_lines(load_exercise(ROOT / "exercises" / "triton-matmul"))
    attention = exercise_lines(load_exercise(ROOT / "exercises" / "fused-attention-gpu"))

    assert {name: line.label for name, line in matmul.items()} == {"cublas": "cuBLAS (torch.matmul)"}
    assert sorted(attention) == ["naive", "sdpa"]
    assert "scaled_dot_product_attention" in attention["sdpa"].label
    assert "def matmul" in matmul["cublas"].source


def test_a_line_without_a_label_comment_is_labelled_by_its_file_name(tmp_path):
    write_line(tmp_path, "plain_numpy.py", "def fast(x):\n    return x + 1.0\n")

    assert line_files(tmp_path)["plain_numpy"].label == "plain numpy"


def test_a_folder_without_lines_has_none(tmp_path):
    assert line_files(tmp_path) == {} and not has_lines(tmp_path)
    write_line(tmp_path, "one.py", "def fast(x):\n    return x\n")
    assert has_lines(tmp_path)


@pytest.mark.parametrize(
    ("name", "source", "words"),
    [
        ("Bad-Name.py", "def fast(x):\n    return x\n", "lines/<lower_case_name>.py"),
        ("broken.py", "def fast(x:\n", "syntax error"),
        ("wordy.py", "# " + "a very long label " * 6 + "\ndef fast(x):\n    return x\n", "at most 80 characters"),
        ("elsewhere.py", "def slow(x):\n    return x\n", "defines none of the exercise's entry points (fast)"),
    ],
)
def test_a_malformed_line_file_is_named_with_what_is_wrong(tmp_path, name, source, words):
    write_line(tmp_path, name, source)

    with pytest.raises(ExerciseFormatError) as caught:
        line_files(tmp_path, entry_points=["fast"])

    assert name in caught.value.path and words in str(caught.value)


def test_lines_that_are_a_file_instead_of_a_folder_are_refused(tmp_path):
    (tmp_path / "lines").write_text("cublas")

    with pytest.raises(ExerciseFormatError, match="must be a folder of line files"):
        line_files(tmp_path)


class NothingMayRun:
    """A backend without a GPU that fails the test if the grader tries to run anything on it."""

    has_gpu = False
    name = "nothing-may-run"

    def image_id(self, kind: str = "numpy") -> str:
        raise AssertionError("a line was sent to a backend that cannot time it")

    def sandbox(self, *args, **kwargs):
        raise AssertionError("a line was sent to a backend that cannot time it")


@pytest.mark.parametrize("backend", [NothingMayRun(), get_backend("process")], ids=["fake", "process"])
def test_timing_a_gpu_exercise_without_a_gpu_is_refused(backend):
    exercise = load_exercise(ROOT / "exercises" / "triton-matmul")

    with pytest.raises(NoGpu, match="no GPU on this backend"):
        time_line(exercise, "cublas", backend=backend)


def test_a_line_is_timed_through_grading_with_the_forbidden_rules_off(timed_folder, expected_store):
    exercise = load_exercise(timed_folder)
    backend = get_backend("process")

    timed = time_line(exercise, "numpy_add", backend=backend, store=expected_store)

    assert timed.slug == "timing-probe" and timed.name == "numpy_add" and timed.device == "CPU"
    assert 0 < timed.seconds < 1 and timed.exercise_version == exercise.version
    # The very same source from a learner still meets the exercise's rules.
    learner = grade(exercise, NUMPY_ADD, backend=backend, store=expected_store)
    assert learner.verdict == Verdict.FORBIDDEN_CALL


def test_an_unknown_line_is_an_error_that_lists_the_lines(timed_folder):
    with pytest.raises(LineError, match=r"no line 'cublas' \(lines: numpy_add\)"):
        time_line(load_exercise(timed_folder), "cublas", backend=get_backend("process"))


DEVICE_CHECK = {  # the shape bench/gpu/device_check.py writes (trimmed)
    "device": "NVIDIA H200",
    "started": "2025-06-01T12:00:00Z",
    "timing_agreement_pct": 1.2,
    "triton-matmul": {
        "shapes": ["timed-square", "timed-ragged"],
        "version": "0123456789abcdef",
        "reference": {"median_s": [0.002, 0.001], "geometric_mean_s": 0.0014},
        "cublas": {"median_s": [0.0002, 0.0001], "geometric_mean_s": 0.000141},
    },
    "fused-attention-gpu": {"error": "Traceback ...\nRuntimeError: CUDA out of memory"},
}


def test_the_device_checks_line_times_are_read_without_the_reference():
    (cublas,) = device_check_lines(DEVICE_CHECK, "triton-matmul", exercise_version="current")

    assert (cublas.name, cublas.seconds, cublas.device) == ("cublas", 0.000141, "NVIDIA H200")
    assert cublas.exercise_version == "0123456789abcdef"
    assert cublas.measured_at == datetime(2025, 6, 1, 12, tzinfo=UTC)


def test_a_device_check_entry_without_a_version_takes_the_one_given():
    document = {
        **DEVICE_CHECK,
        "triton-matmul": {k: v for k, v in DEVICE_CHECK["triton-matmul"].items() if k != "version"},
    }

    (cublas,) = device_check_lines(document, "triton-matmul", exercise_version="current")

    assert cublas.exercise_version == "current"


@pytest.mark.parametrize(
    ("document", "slug", "words"),
    [
        ([], "triton-matmul", "must be an object"),
        ({**DEVICE_CHECK, "device": ""}, "triton-matmul", "no usable 'device'"),
        (DEVICE_CHECK, "fused-attention-gpu", "failed on this exercise: .*out of memory"),
        (DEVICE_CHECK, "vectorise-pairwise", "not in the device check's JSON"),
        ({**DEVICE_CHECK, "triton-matmul": {"cublas": {"geometric_mean_s": -1}}}, "triton-matmul", "positive"),
        ({**DEVICE_CHECK, "triton-matmul": {"cublas": {"geometric_mean_s": "fast"}}}, "triton-matmul", "positive"),
    ],
)
def test_a_device_check_json_that_cannot_be_trusted_is_an_error_that_says_why(document, slug, words):
    with pytest.raises(LineError, match=words):
        device_check_lines(document, slug, exercise_version="current")
