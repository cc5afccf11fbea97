"""`exercises new` scaffolds a folder that `exercises check` explains step by step."""

import pytest

from grader.authoring import check_exercise, parse_expectation, scaffold
from grader.backends.process_backend import ProcessBackend
from grader.reference import ExpectedStore


def test_mistake_headers_name_a_diagnosis_or_a_verdict():
    assert parse_expectation("# expect: elementwise-product\n") == ("diagnosis", "elementwise-product")
    assert parse_expectation("# expect: verdict=forbidden_call\n") == ("verdict", "forbidden_call")
    assert parse_expectation("def f(): pass\n") is None


def test_a_fresh_scaffold_runs_and_lists_what_is_left(tmp_path):
    folder = scaffold(tmp_path, "my-first-one")

    report = check_exercise(folder, ProcessBackend(allow=True), ExpectedStore(tmp_path / "cache"))

    failed = {step.what: step.detail for step in report.steps if not step.ok}
    assert not report.ok
    assert {"reference", "starter"} <= {s.what for s in report.steps if s.ok}
    assert "todo" in failed and "write at least 3 wrong solutions" in failed["mistakes"]


def test_scaffolding_refuses_bad_slugs_and_existing_folders(tmp_path):
    with pytest.raises(ValueError, match="not a valid slug"):
        scaffold(tmp_path, "Bad Slug")
    scaffold(tmp_path, "taken")
    with pytest.raises(FileExistsError):
        scaffold(tmp_path, "taken")
