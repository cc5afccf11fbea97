"""Golden tests: a canned sandbox report in, the whole results.json out, in milliseconds.

Each folder in tests/grader/golden/ holds what a sandbox run could give back —
``report.json`` (the supervisor's results.json; or ``report.raw``, bytes that are not
a report; or nothing) and ``outcome.json`` (how the run ended, and what the folder is
about) — and ``expected.json``, the whole results.json the grader must make of it
(``{"internal_error": ...}`` where the run is our failure). ``source.txt`` replaces the
submission where the source checks decide before any run. The backend is a fake that
answers with these files; the reference outputs come from ``golden/_reference.json``
(the golden-probe exercise's reference run, pool seed 0).

To re-record after an intended change: ``GOLDEN_UPDATE=1 pytest tests/grader/test_golden.py``,
then read the diff of every expected.json.
"""

from __future__ import annotations

import io
import json
import os
import tarfile
from pathlib import Path

import pytest

from grader.backends.base import RunOutcome
from grader.exercise import load_exercise
from grader.grading import InternalGradingError, grade
from grader.reference import ExpectedStore
from tests.conftest import FIXTURE_EXERCISES

GOLDEN = Path(__file__).parent / "golden"
FOLDERS = sorted(p for p in GOLDEN.iterdir() if p.is_dir())
UPDATE = os.environ.get("GOLDEN_UPDATE") == "1"


def _tar(files: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w") as archive:
        for name, data in files.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return out.getvalue()


class GoldenSandbox:
    def __init__(self, folder: Path):
        self.folder = folder
        self.reference = False
        self.marker = b""

    def feed(self, job: bytes) -> None:
        with tarfile.open(fileobj=io.BytesIO(job)) as archive:
            spec = json.loads(archive.extractfile("job.json").read())
        self.reference = [p["name"] for p in spec["phases"]] == ["reference"]
        # As the supervisor does: its report follows the run's marker line.
        self.marker = b"tensordojo-report:" + spec["report_marker"].encode() + b"\n"

    def collect(self) -> RunOutcome:
        if self.reference:
            report = _tar({"results.json": (GOLDEN / "_reference.json").read_bytes()})
            return RunOutcome(self.marker + report, b"", 0, 0.1)
        outcome = json.loads((self.folder / "outcome.json").read_text())
        report, raw = self.folder / "report.json", self.folder / "report.raw"
        stdout = _tar({"results.json": report.read_bytes()}) if report.is_file() else b""
        stdout = raw.read_bytes() if raw.is_file() else stdout
        stdout = self.marker + stdout if stdout else stdout
        return RunOutcome(
            stdout=stdout,
            stderr=b"",
            exit_code=outcome.get("exit_code"),
            wall_s=1.0,
            timed_out=outcome.get("timed_out", False),
            oom_killed=outcome.get("oom_killed", False),
            stdout_overflow=outcome.get("stdout_overflow", False),
            backend="golden",
        )

    def destroy(self) -> None:
        pass


class GoldenBackend:
    name = "golden"
    unsafe = False

    def __init__(self, folder: Path):
        self.folder = folder

    def image_id(self, kind: str = "numpy") -> str:
        return "golden"

    def check(self) -> dict:
        return {"ok": True}

    def create(self, limits, *, gpu: bool = False, kind: str = "numpy", preload=()) -> GoldenSandbox:
        return GoldenSandbox(self.folder)


@pytest.fixture(scope="module")
def golden_exercise():
    return load_exercise(FIXTURE_EXERCISES / "golden-probe")


def graded_document(folder: Path, exercise, store: ExpectedStore) -> dict:
    source_file = folder / "source.txt"
    source = source_file.read_text() if source_file.is_file() else exercise.solution
    try:
        result = grade(exercise, source, backend=GoldenBackend(folder), store=store, pool_index=0, attempts=1)
    except InternalGradingError as exc:
        return {"internal_error": str(exc)}
    document = result.to_results_json()
    document["execution_time"] = 0.0
    document["exercise_version"] = "<version>"
    return document


@pytest.mark.parametrize("folder", FOLDERS, ids=lambda p: p.name)
def test_the_report_grades_to_the_expected_results_json(folder, golden_exercise, tmp_path):
    document = graded_document(folder, golden_exercise, ExpectedStore(tmp_path))

    expected_file = folder / "expected.json"
    if UPDATE:
        expected_file.write_text(json.dumps(document, indent=1, ensure_ascii=False) + "\n")
    assert document == json.loads(expected_file.read_text())


def test_every_verdict_has_a_golden_folder():
    verdicts = set()
    for folder in FOLDERS:
        expected = json.loads((folder / "expected.json").read_text())
        verdicts.add(expected.get("verdict", "internal_error"))
    from grader.results import Verdict

    assert verdicts == {str(v) for v in Verdict}


def test_no_hidden_case_in_any_golden_result_carries_learner_text():
    for folder in FOLDERS:
        expected = json.loads((folder / "expected.json").read_text())
        for test in expected.get("tests", []):
            if test["visibility"] == "hidden":
                assert "LEARNER_TEXT" not in test["output"] and "secret" not in test["output"], folder.name
