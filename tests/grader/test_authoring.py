"""`exercises new` scaffolds a folder that `exercises check` explains step by step."""

from pathlib import Path

import pytest

from grader.authoring import check_cost, check_exercise, parse_expectation, scaffold
from grader.backends.process_backend import ProcessBackend
from grader.reference import ExpectedStore

# Marked slow: check_exercise grades the reference and every mistake through the process backend
# (fresh interpreters), seconds per test; make test runs those, make check the parsing and scaffolding.


def test_mistake_headers_name_a_diagnosis_or_a_verdict():
    assert parse_expectation("# expect: elementwise-product\n") == ("diagnosis", "elementwise-product")
    assert parse_expectation("# expect: verdict=forbidden_call\n") == ("verdict", "forbidden_call")
    assert parse_expectation("def f(): pass\n") is None


@pytest.mark.slow
def test_a_fresh_scaffold_runs_and_lists_what_is_left(tmp_path):
    folder = scaffold(tmp_path, "my-first-one")

    report = check_exercise(folder, ProcessBackend(allow=True), ExpectedStore(tmp_path / "cache"))

    failed = {step.what: step.detail for step in report.steps if not step.ok}
    assert not report.ok
    assert {"reference", "starter"} <= {s.what for s in report.steps if s.ok}
    assert "todo" in failed and "write at least 3 wrong solutions" in failed["mistakes"]


def test_a_scaffold_is_a_copy_of_the_template_files_with_the_slug_filled_in(tmp_path):
    from grader.authoring.scaffold import TEMPLATES

    folder = scaffold(tmp_path, "my-first-one")

    copied = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())
    templates = sorted(p.relative_to(TEMPLATES).as_posix() for p in TEMPLATES.rglob("*") if p.is_file())
    assert copied == templates and "mistakes/forgot_double.py" in copied
    assert 'slug = "my-first-one"' in (folder / "exercise.toml").read_text()
    assert (folder / "starter.py").read_text() == (TEMPLATES / "starter.py").read_text()


def test_scaffolding_refuses_bad_slugs_and_existing_folders(tmp_path):
    with pytest.raises(ValueError, match="not a valid slug"):
        scaffold(tmp_path, "Bad Slug")
    scaffold(tmp_path, "taken")
    with pytest.raises(FileExistsError):
        scaffold(tmp_path, "taken")


def _exercise(tmp_path, cases: str, mistakes: dict[str, str]):
    folder = scaffold(tmp_path, "doubling")
    (folder / "README.md").write_text("# Doubling\n\nReturn twice x.\n", encoding="utf-8")
    (folder / "exercise.toml").write_text(
        (folder / "exercise.toml").read_text(encoding="utf-8").replace("TODO: ", ""), encoding="utf-8"
    )
    (folder / "solution.py").write_text("import numpy as np\n\n\ndef solve(x):\n    return np.asarray(x) * 2\n")
    (folder / "starter.py").write_text("def solve(x):\n    raise NotImplementedError\n", encoding="utf-8")
    (folder / "cases.py").write_text(cases, encoding="utf-8")
    (folder / "hints.md").write_text("## Twice\nMultiply by two.\n", encoding="utf-8")
    (folder / "explanation.md").write_text("Return 2 * x.\n", encoding="utf-8")
    for old in (folder / "mistakes").glob("*.py"):
        old.unlink()
    for name, text in mistakes.items():
        (folder / "mistakes" / name).write_text(text, encoding="utf-8")
    return folder


CASES = """import numpy as np

from grader import diagnosis as dx
from grader.cases import Case


def build_cases(rng):
    return [
        Case("zeros", "solve", (np.zeros(3),)),
        Case("ones", "solve", (np.ones(3),)),
        Case("random", "solve", (rng.standard_normal(4),), visible=False),
    ]


DIAGNOSES = [
    dx.alternative("returned-x", "You returned x unchanged.", lambda x: x),
    dx.alternative("added-one", "You added one.", lambda x: x + 1),
    dx.alternative("tripled", "You tripled it.", lambda x: 3 * x),
]
"""


@pytest.mark.slow
def test_check_fails_a_mistake_named_by_another_diagnosis_on_its_first_failure(tmp_path):
    mistakes = {
        "same.py": "# expect: returned-x\ndef solve(x):\n    return x\n",
        "plus.py": "# expect: added-one\ndef solve(x):\n    return x + 1\n",
        "triple.py": "# expect: tripled\ndef solve(x):\n    return x * 3\n",
    }
    # A case-specific diagnosis on "twos" with the very same model as added-one explains every case
    # too, and a case's own diagnoses come first: the file is named wrong-claim, and the check must refuse.
    # (A mere coincidence on one case, x + 1 = 1.5 x at x = 2, no longer wins: the model must explain
    # every case, tests/grader/test_diagnosis.py.)
    cases = CASES.replace(
        'Case("zeros", "solve", (np.zeros(3),)),',
        'Case("twos", "solve", (np.full(3, 2.0),), diagnoses=(dx.alternative("wrong-claim", "No.", '
        "lambda x: x + 1),)),",
    )
    folder = _exercise(tmp_path, cases, mistakes)

    report = check_exercise(folder, ProcessBackend(allow=True), ExpectedStore(tmp_path / "cache"), seeds=2)

    failed = {step.what: step.detail for step in report.steps if not step.ok}
    assert "expected diagnosis added-one on its first failing case (twos), got wrong-claim" in failed["mistake plus.py"]


@pytest.mark.slow
def test_check_proves_soundness_on_other_seeds_and_finds_an_unsound_predicate(tmp_path):
    mistakes = {
        "same.py": "# expect: returned-x\ndef solve(x):\n    return x\n",
        "plus.py": "# expect: added-one\ndef solve(x):\n    return x + 1\n",
        "triple.py": "# expect: tripled\ndef solve(x):\n    return x * 3\n",
    }
    unsound = CASES.replace(
        "DIAGNOSES = [",
        'DIAGNOSES = [\n    dx.when("always", "Always.", lambda c, g, e, m: True),',
    )
    folder = _exercise(tmp_path, unsound, mistakes)

    report = check_exercise(folder, ProcessBackend(allow=True), ExpectedStore(tmp_path / "cache"), seeds=2)

    failed = {step.what: step.detail for step in report.steps if not step.ok}
    assert "always fires on the reference's output" in failed["soundness"]


@pytest.mark.slow
def test_record_writes_the_versions_the_exercise_was_proven_on(tmp_path):
    import numpy

    from grader.authoring import read_proof

    mistakes = {
        "same.py": "# expect: returned-x\ndef solve(x):\n    return x\n",
        "plus.py": "# expect: added-one\ndef solve(x):\n    return x + 1\n",
        "triple.py": "# expect: tripled\ndef solve(x):\n    return x * 3\n",
    }
    folder = _exercise(tmp_path, CASES, mistakes)

    report = check_exercise(folder, ProcessBackend(allow=True), ExpectedStore(tmp_path / "cache"), seeds=2, record=True)

    assert report.ok, [(s.what, s.detail) for s in report.steps if not s.ok]
    proof = read_proof(tmp_path, "doubling")
    assert proof["numpy"] == numpy.__version__ and proof["torch"] is None and proof["backend"] == "process"


@pytest.mark.slow
def test_an_exercise_that_forbids_numpy_is_proven_with_the_versions_its_rules_let_the_probe_read(tmp_path):
    from grader.authoring import read_proof
    from grader.exercise import load_exercise

    mistakes = {
        "same.py": "# expect: returned-x\ndef solve(x):\n    return x\n",
        "plus.py": "# expect: added-one\ndef solve(x):\n    return x + 1\n",
        "triple.py": "# expect: tripled\ndef solve(x):\n    return x * 3\n",
    }
    folder = _exercise(tmp_path, CASES, mistakes)
    (folder / "solution.py").write_text("def solve(x):\n    return x * 2\n", encoding="utf-8")
    toml = folder / "exercise.toml"
    toml.write_text(
        toml.read_text(encoding="utf-8").replace("modules = []  ", 'modules = ["numpy"]  '), encoding="utf-8"
    )
    assert "numpy" in load_exercise(folder).forbidden.modules  # as matmul-by-hand and the GPU exercises

    report = check_exercise(folder, ProcessBackend(allow=True), ExpectedStore(tmp_path / "cache"), seeds=2, record=True)

    assert report.ok, [(s.what, s.detail) for s in report.steps if not s.ok]
    proof = read_proof(tmp_path, "doubling")
    assert proof["python"] and proof["numpy"] is None


def test_a_malformed_line_to_beat_fails_the_format_step_before_anything_runs(tmp_path):
    folder = scaffold(tmp_path, "with-a-line")
    (folder / "lines").mkdir()
    (folder / "lines" / "fast.py").write_text("# A fast line\ndef not_the_entry_point(x):\n    return x\n")

    report = check_exercise(folder, ProcessBackend(allow=True), ExpectedStore(tmp_path / "cache"))

    assert [(s.what, s.ok) for s in report.steps] == [("format", False)]
    assert "fast.py" in report.steps[0].detail


def test_the_check_starts_the_costliest_exercises_first(tmp_path):
    """GPU exercises (minutes under Triton's interpreter) before PyTorch ones before the rest, so
    `exercises check --jobs 2` never ends with one long check running alone; unreadable last."""
    root = Path(__file__).resolve().parents[2] / "exercises"
    (tmp_path / "broken").mkdir()
    (tmp_path / "broken" / "exercise.toml").write_text("modules = [", encoding="utf-8")
    ranked = sorted(["matmul-by-hand", "device-mismatch", "triton-matmul"], key=lambda s: -check_cost(root / s))
    assert ranked == ["triton-matmul", "device-mismatch", "matmul-by-hand"]
    assert check_cost(tmp_path / "broken") == 0 and check_cost(tmp_path / "missing") == 0
