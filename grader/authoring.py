"""Proving an exercise (`manage.py exercises check`) and scaffolding a new one.

An exercise is proven when, through the real sandbox, the reference passes
every case, the starter does not, and each file in mistakes/ fails with the
diagnosis (or verdict) its header states — named on the first case where it
fails, not merely somewhere:

    # expect: elementwise-product
    # expect: verdict=forbidden_call

Then its diagnoses are proven sound on cases built from other random seeds
(``prove_soundness``): no diagnosis fires on the reference's output, and each
mistake is named by its own diagnosis on the first case where it fails. That
runs in this process — solution.py, cases.py and mistakes/ are trusted files —
when the exercise's modules are importable here, and through the sandbox on a
few seeds otherwise. The check records the NumPy/PyTorch versions of the
sandbox it proved the exercise on (``exercises/.proofs/<slug>.json``).
"""

from __future__ import annotations

import dataclasses
import importlib.util
import io
import json
import re
import shutil
import subprocess
import time
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType

import numpy as np

from grader.backends import Backend
from grader.cases import Case
from grader.compare import Mismatch, Tolerance, compare
from grader.diagnosis import diagnose
from grader.exercise import ExerciseFolder, ExerciseFormatError, load_exercise
from grader.grading import grade
from grader.harness import codec, fixtures
from grader.lines import exercise_lines
from grader.protocol import ArgumentPacker
from grader.reference import ExpectedStore
from grader.values import rebuild

EXPECT = re.compile(r"^#\s*expect:\s*(?:verdict=(?P<verdict>[a-z_]+)|(?P<diagnosis>[a-z0-9-]+))\s*$", re.M)
TODO = re.compile(r"\bTODO\b")
MIN_MISTAKES = 3
SEEDS_IN_PROCESS = 25  # random seeds proven per exercise when its modules are importable here
# Every grading in a check uses the pool's first seed: the check is deterministic (the same
# cases on every run, so CI cannot flake on a draw) and pays for one reference run per exercise;
# other seeds are covered by the soundness step.
CHECK_POOL = 0
SEEDS_IN_SANDBOX = 2  # otherwise, through the sandbox (each seed is two sandbox runs per file)
PROOFS_DIR = ".proofs"  # exercises/.proofs/<slug>.json: where and on which versions it was proven


@dataclass
class Step:
    what: str
    ok: bool
    detail: str = ""


@dataclass
class CheckReport:
    slug: str
    steps: list[Step] = field(default_factory=list)
    seconds: float = 0.0
    proof: dict | None = None  # what was recorded in exercises/.proofs/<slug>.json

    @property
    def ok(self) -> bool:
        return bool(self.steps) and all(s.ok for s in self.steps)

    def add(self, what: str, ok: bool, detail: str = "") -> bool:
        self.steps.append(Step(what, ok, detail))
        return ok

    def count(self, prefix: str) -> tuple[int, int]:
        chosen = [s for s in self.steps if s.what.startswith(prefix)]
        return sum(s.ok for s in chosen), len(chosen)


def parse_expectation(source: str) -> tuple[str, str] | None:
    """('diagnosis', id) or ('verdict', name) from a mistake file's header."""
    match = EXPECT.search(source)
    if not match:
        return None
    if match.group("verdict"):
        return "verdict", match.group("verdict")
    return "diagnosis", match.group("diagnosis")


def check_exercise(
    path: Path,
    backend: Backend,
    store: ExpectedStore | None = None,
    *,
    seeds: int | None = None,
    record: bool = False,
    siblings: bool = True,
) -> CheckReport:
    """Prove one exercise folder; ``record`` writes exercises/.proofs/<slug>.json when it is proven.

    ``siblings=False``: a folder checked on its own (in an exercise sandbox), whose links to
    the folders beside it were checked when it was pushed."""
    started = time.monotonic()
    report = CheckReport(slug=Path(path).name)
    try:
        exercise = load_exercise(path, siblings=siblings)
        exercise.build_cases()
    except ExerciseFormatError as exc:
        report.add("format", False, str(exc))
        return report
    try:  # lines to beat (GPU exercises): checked here, not first when a GPU worker times them
        lines = exercise_lines(exercise)
    except ExerciseFormatError as exc:
        report.add("format", False, str(exc))
        return report
    beat = f", {len(lines)} line(s) to beat" if lines else ""
    report.add("format", True, f"{len(exercise.build_cases())} cases{beat}")
    for name in ("exercise.toml", "README.md", "starter.py", "solution.py", "cases.py", "hints.md", "explanation.md"):
        file = exercise.path / name
        if file.is_file() and TODO.search(file.read_text(encoding="utf-8")):
            report.add("todo", False, f"{name} still contains TODO: replace it with the real content")
    store = store or ExpectedStore()
    if _check_reference(report, exercise, backend, store):  # the rest is measured against it
        _check_starter(report, exercise, backend, store)
        _check_mistakes(report, exercise, backend, store)
        _check_soundness(report, exercise, backend, store, seeds)
        if record and report.ok:
            _record_proof(report, exercise, backend, store)
    report.seconds = time.monotonic() - started
    return report


def _check_reference(report: CheckReport, exercise: ExerciseFolder, backend, store) -> bool:
    try:
        result = grade(exercise, exercise.solution, backend=backend, store=store, pool_index=CHECK_POOL)
    except Exception as exc:  # the point of check is to say what is wrong
        return report.add("reference", False, f"{type(exc).__name__}: {exc}")
    failing = [f"{c.name}: {c.message}" for c in result.cases if not c.passed]
    return report.add(
        "reference",
        result.verdict == "accepted",
        "passes every case" if not failing else "fails: " + "; ".join(failing[:3]) + f" ({result.message})",
    )


def _check_starter(report: CheckReport, exercise: ExerciseFolder, backend, store) -> None:
    try:
        result = grade(exercise, exercise.starter, backend=backend, store=store, pool_index=CHECK_POOL)
    except Exception as exc:  # say what is wrong and go on to the mistakes
        report.add("starter", False, f"could not be graded: {type(exc).__name__}: {exc}"[:300])
        return
    report.add(
        "starter",
        result.verdict != "accepted",
        f"fails as it should ({result.verdict})"
        if result.verdict != "accepted"
        else "the starter passes every case: it must leave work to do",
    )


def _check_mistakes(report: CheckReport, exercise: ExerciseFolder, backend, store) -> None:
    mistakes = exercise.mistakes()
    if len(mistakes) < MIN_MISTAKES:
        report.add(
            "mistakes",
            False,
            f"mistakes/ has {len(mistakes)} files; write at least {MIN_MISTAKES} "
            "wrong solutions, each with '# expect: <diagnosis-id>' on its first lines",
        )
    for path in mistakes:
        source = path.read_text(encoding="utf-8")
        expectation = parse_expectation(source)
        if expectation is None:
            report.add(f"mistake {path.name}", False, "no '# expect: <diagnosis-id>' (or verdict=...) header")
            continue
        try:
            result = grade(exercise, source, backend=backend, store=store, pool_index=CHECK_POOL)
        except Exception as exc:  # the point of check is to say what is wrong, then go on
            report.add(f"mistake {path.name}", False, f"could not be graded: {type(exc).__name__}: {exc}"[:300])
            continue
        kind, wanted = expectation
        if result.verdict == "accepted":
            report.add(f"mistake {path.name}", False, "passes every case: the cases do not catch this mistake")
        elif kind == "verdict":
            report.add(
                f"mistake {path.name}",
                result.verdict == wanted,
                f"verdict {result.verdict}" + ("" if result.verdict == wanted else f", expected {wanted}"),
            )
        else:
            first = next(c for c in result.cases if not c.passed)
            report.add(
                f"mistake {path.name}",
                first.diagnosis == wanted,
                f"diagnosed as {wanted} on its first failing case ({first.name})"
                if first.diagnosis == wanted
                else f"expected diagnosis {wanted} on its first failing case ({first.name}), got "
                f"{first.diagnosis or 'none'} ({first.message[:160]})",
            )


# soundness on other seeds -----------------------------------------------------------


@dataclass
class Outcome:
    """One case of one file, judged in this process as the grader would judge it."""

    case: Case
    passed: bool
    diagnosis: str | None = None
    message: str = ""


def importable(modules) -> bool:
    """Whether every module an exercise's code needs can be imported in this process."""
    return all(importlib.util.find_spec(name) is not None for name in modules)


def load_module(path: Path, name: str = "tensordojo_trusted") -> ModuleType:
    """Import a trusted file (solution.py, a mistake) as a fresh module."""
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def cases_for_seed(exercise: ExerciseFolder, seed: int) -> list[Case]:
    """The exercise's cases built from another seed (timed cases left out: they prove speed)."""
    cases = exercise.cases_module().build_cases(np.random.default_rng(seed))
    return [c for c in cases if not c.is_timed]


def call_in_process(module: ModuleType, case: Case):
    """Run one case as the sandbox would: arguments and the value make the same round trip.

    Returns ("returned", value) or ("raised", (type name, message)) or ("unsupported", message)."""
    torch = _torch_if_needed(case)
    packer = ArgumentPacker()
    args_tree, kwargs_tree = packer.pack(tuple(case.args)), packer.pack(dict(case.kwargs))
    arrays = _as_sent(packer.arrays)
    args = codec.decode(args_tree, arrays, fixtures, torch)
    kwargs = codec.decode(kwargs_tree, arrays, fixtures, torch)
    function = getattr(module, case.entry, None)
    if not callable(function):
        return "unsupported", f"no function {case.entry}()"
    try:
        value = function(*args, **kwargs)
    except Exception as exc:  # noqa: BLE001 - the trusted file's exception is the outcome
        return "raised", (type(exc).__name__, str(exc))
    encoder = codec.Encoder(prefix="v", torch=torch)
    try:
        tree = encoder.encode(value)
    except codec.EncodeError as exc:
        return "unsupported", str(exc)
    arrays = {name: np.load(io.BytesIO(bytes(blob)), allow_pickle=False) for name, blob in encoder.blobs.items()}
    return "returned", rebuild(tree, arrays)


def _as_sent(arrays: dict[str, np.ndarray]) -> dict:
    """The arrays as the harness receives them: .npy blobs where it loads NumPy on demand."""
    if not hasattr(codec, "load_numpy"):
        return arrays
    codec.load_numpy()
    blobs = {}
    for name, array in arrays.items():
        buffer = io.BytesIO()
        np.save(buffer, array, allow_pickle=False)
        blobs[name] = buffer.getvalue()
    return blobs


def _torch_if_needed(case: Case):
    packer = ArgumentPacker()
    text = json.dumps(packer.pack((tuple(case.args), dict(case.kwargs))))
    if '"$tensor"' not in text:
        return None
    import torch

    return torch


def judge_in_process(exercise: ExerciseFolder, case: Case, reference, learner) -> Outcome:
    """The verdict and diagnosis of one case from the two in-process outcomes (see grading._judge_case)."""
    diagnoses = exercise.diagnoses()
    ref_status, expected = reference
    status, value = learner
    rules = Tolerance(
        rtol=case.rtol if case.rtol is not None else exercise.rtol,
        atol=case.atol if case.atol is not None else exercise.atol,
        strict_dtype=case.strict_dtype,
        allow_lists=case.allow_lists,
        sign_invariant_axis=case.sign_invariant_axis,
    )
    if ref_status == "raised":
        if status == "raised" and value[0] == expected[0]:
            return Outcome(case, True)
        got, mismatch = (value, Mismatch("no-error", "returned a value")) if status == "returned" else (None, None)
        expected = None
    elif status == "raised":
        got, mismatch = None, Mismatch("exception", value[0], data={"type": value[0], "message": value[1]})
    elif status == "unsupported":
        return Outcome(case, False, None, value)
    else:
        got = value
        if case.check is not None:
            result = case.check(got, expected, case)
            mismatch = result if isinstance(result, Mismatch) or result is None else Mismatch("check", result)
        else:
            mismatch = compare(got, expected, rules)
        if mismatch is None:
            return Outcome(case, True)
    if mismatch is None:
        return Outcome(case, False, None, "raised an unexpected exception")
    found = diagnose(case, got, expected, mismatch, diagnoses, rules)
    return Outcome(case, False, found.id if found else None, mismatch.message)


def soundness_problems(exercise: ExerciseFolder, seed: int) -> list[str]:
    """What is unsound on the cases of one seed, in this process: [] when sound.

    No diagnosis may fire on the reference's own output, and each mistake file must be named by its
    own diagnosis on the first case where it fails."""
    with warnings.catch_warnings(), np.errstate(all="ignore"):  # mistakes overflow on purpose
        warnings.simplefilter("ignore")
        return _soundness_problems(exercise, seed)


def _soundness_problems(exercise: ExerciseFolder, seed: int) -> list[str]:
    problems = []
    cases = cases_for_seed(exercise, seed)
    solution = load_module(exercise.path / "solution.py")
    reference = {case.name: call_in_process(solution, case) for case in cases}
    for case in cases:
        status, value = reference[case.name]
        if status == "unsupported" or (status == "raised" and not case.expect_error):
            problems.append(f"seed {seed}: the reference fails {case.name!r}: {value}")
            continue
        if status != "returned":
            continue
        for probe in (None, Mismatch("values", "")):
            for diagnosis in list(case.diagnoses) + list(exercise.diagnoses()):
                if diagnosis.applies(case, value, value, probe):
                    problems.append(f"seed {seed}: {diagnosis.id} fires on the reference's output for {case.name!r}")
    own_ids = {}
    for path in exercise.mistakes():
        expectation = parse_expectation(path.read_text(encoding="utf-8"))
        if expectation and expectation[0] == "diagnosis":
            own_ids[path] = expectation[1]
    for path, wanted in own_ids.items():
        module = load_module(path, f"tensordojo_mistake_{path.stem}")
        outcomes = [judge_in_process(exercise, c, reference[c.name], call_in_process(module, c)) for c in cases]
        failing = [o for o in outcomes if not o.passed]
        if not failing:
            continue  # these cases happen not to catch it; the shipped cases must (checked through the sandbox)
        if failing[0].diagnosis != wanted:
            problems.append(
                f"seed {seed}: {path.name} is named {failing[0].diagnosis or 'nothing'} on its first failing case "
                f"{failing[0].case.name!r}, not {wanted}"
            )
    return problems


def refused_variants(exercise: ExerciseFolder, paths: list[Path], seed: int) -> list[str]:
    """Right solutions that must pass every case: what refuses them, [] when all pass."""
    cases = cases_for_seed(exercise, seed)
    solution = load_module(exercise.path / "solution.py")
    problems = []
    for path in paths:
        module = load_module(path, f"tensordojo_variant_{path.stem}")
        for case in cases:
            outcome = judge_in_process(exercise, case, call_in_process(solution, case), call_in_process(module, case))
            if not outcome.passed:
                problems.append(f"{path.name} refused on {case.name!r}: {outcome.message} ({outcome.diagnosis})")
                break
    return problems


def _check_soundness(report: CheckReport, exercise: ExerciseFolder, backend, store, seeds: int | None) -> None:
    if importable(exercise.modules):
        count = seeds or SEEDS_IN_PROCESS
        problems = []
        for seed in range(exercise.seed + 1, exercise.seed + 1 + count):
            problems += soundness_problems(exercise, seed)
        report.add(
            "soundness",
            not problems,
            f"sound on {count} more seeds (in process)" if not problems else "; ".join(problems[:4]),
        )
        return
    image = getattr(backend, "image", None)
    if image and not exercise.gpu and shutil.which("docker"):  # GPU exercises have images of their own
        count = seeds or SEEDS_IN_PROCESS
        ok, output = prove_in_image(exercise, image, count)
        report.add("soundness", ok, f"sound on {count} more seeds (in {image})" if ok else output[-600:])
        return
    count = seeds or SEEDS_IN_SANDBOX
    problems = []
    for seed in range(exercise.seed + 1, exercise.seed + 1 + count):
        variant = dataclasses.replace(exercise, seed=seed, version=f"{exercise.version}-seed{seed}")
        if grade(variant, variant.solution, backend=backend, store=store, pool_index=CHECK_POOL).verdict != "accepted":
            problems.append(f"seed {seed}: the reference is not accepted")
            continue
        for path in variant.mistakes():
            expectation = parse_expectation(path.read_text(encoding="utf-8"))
            if not expectation or expectation[0] != "diagnosis":
                continue
            source = path.read_text(encoding="utf-8")
            result = grade(variant, source, backend=backend, store=store, pool_index=CHECK_POOL)
            first = next((c for c in result.cases if not c.passed), None)
            if first is not None and first.diagnosis != expectation[1]:
                problems.append(f"seed {seed}: {path.name} is named {first.diagnosis or 'nothing'} on {first.name!r}")
    report.add(
        "soundness",
        not problems,
        f"sound on {count} more seeds (through the sandbox)" if not problems else "; ".join(problems[:4]),
    )


REPO_ROOT = Path(__file__).resolve().parent.parent


def prove_in_image(exercise: ExerciseFolder, image: str, seeds: int) -> tuple[bool, str]:
    """Run the in-process proof inside the sandbox image, where the exercise's modules live.

    Only trusted code runs there (grader/, the exercise folder); no network, read-only mounts."""
    command = ["docker", "run", "--rm", "--network", "none", "--entrypoint", "python3"]
    command += [
        "-v",
        f"{REPO_ROOT / 'grader'}:/proof/grader:ro",
        "-v",
        f"{Path(exercise.path).resolve().parent}:/proof/exercises:ro",
    ]
    command += ["-w", "/proof", "-e", "PYTHONPATH=/proof", "-e", "PYTHONDONTWRITEBYTECODE=1", image]
    command += ["-W", "ignore", "-m", "grader.authoring", f"/proof/exercises/{exercise.slug}", "--seeds", str(seeds)]
    try:
        run = subprocess.run(command, capture_output=True, text=True, timeout=900)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return False, f"could not run the proof in {image}: {exc}"
    return run.returncode == 0, (run.stdout + run.stderr).strip()


VERSIONS_PROBE = """import sys
print("tensordojo-versions", "python", sys.version.split()[0], flush=True)
{torch}
import numpy
print("tensordojo-versions", "numpy", numpy.__version__, flush=True)
"""


def sandbox_versions(exercise: ExerciseFolder, backend: Backend, store: ExpectedStore) -> dict[str, str]:
    """The Python, NumPy (and PyTorch) versions inside the sandbox that grades this exercise."""
    torch = (
        'import torch\nprint("tensordojo-versions", "torch", torch.__version__.split("+")[0], flush=True)'
        if "torch" in exercise.modules
        else ""
    )
    source = VERSIONS_PROBE.format(torch=torch)
    result = grade(exercise, source, backend=backend, store=store, pool_index=CHECK_POOL)
    versions = {}
    for line in (result.output or "").splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[0] == "tensordojo-versions":
            versions[parts[1]] = parts[2]
    return versions


def proof_path(exercises_root: Path, slug: str) -> Path:
    return Path(exercises_root) / PROOFS_DIR / f"{slug}.json"


def read_proof(exercises_root: Path, slug: str) -> dict | None:
    """What `exercises check` recorded for an exercise: {version, python, numpy, torch, backend, checked_at}."""
    try:
        return json.loads(proof_path(exercises_root, slug).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _record_proof(report: CheckReport, exercise: ExerciseFolder, backend, store) -> None:
    versions: dict[str, str] = {}
    for _ in range(2):  # the probe imports PyTorch: a loaded machine can run out of time once
        try:
            versions = sandbox_versions(exercise, backend, store)
        except Exception as exc:  # nothing is recorded rather than a guess
            versions = {"error": f"{type(exc).__name__}: {exc}"[:300]}
        if versions.get("numpy") and ("torch" not in exercise.modules or versions.get("torch")):
            break
    else:
        report.add("versions", False, f"could not read the sandbox's versions {versions or ''}".strip())
        return
    proof = {
        "slug": exercise.slug,
        "version": exercise.version,
        "backend": backend.name,
        "python": versions.get("python"),
        "numpy": versions.get("numpy"),
        "torch": versions.get("torch"),
        "checked_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }
    target = proof_path(exercise.path.parent, exercise.slug)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(proof, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    report.proof = proof
    report.add("versions", bool(versions.get("numpy")), ", ".join(f"{k} {v}" for k, v in versions.items()))


SCAFFOLD = {
    "exercise.toml": """slug = "{slug}"
title = "TODO: a short title"
track = "matmul-and-linear-maps"
order = 99
difficulty = "easy"          # easy | medium | hard
kind = "implement"           # implement | fix | performance
summary = "TODO: one sentence for the exercise list."
entry_points = ["solve"]     # the functions learners write
points = 10
modules = ["numpy"]          # add "torch" if inputs are tensors

[limits]
time_s = 10                  # all cases together
memory_mb = 1024

[tolerance]                  # state these in README.md too
rtol = 1e-6
atol = 1e-8

[forbidden]                  # detected from the source, reported as a verdict
calls = []                   # e.g. ["numpy.matmul"]
operators = []               # e.g. ["@"]
modules = []                 # e.g. ["torch"]
loops = false                # true: no Python loops allowed
""",
    "README.md": """# TODO: title

TODO: explain the idea in a few sentences, with maths like $y = xW + b$.

## Worked example

TODO: a small example with its numbers.

## Your task

| | |
|---|---|
| **Signature** | `solve(x)` |
| **Inputs** | TODO: shapes and dtypes |
| **Returns** | TODO: shape and dtype |
| **Tolerance** | `rtol = 1e-6`, `atol = 1e-8` |
| **Forbidden** | TODO: or "nothing" |
""",
    "starter.py": '''def solve(x):
    """TODO: describe the contract."""
    raise NotImplementedError
''',
    "solution.py": """import numpy as np


def solve(x):
    # TODO: the reference solution (never shown to learners)
    return np.asarray(x, dtype=float) * 2
""",
    "cases.py": '''"""Cases for {slug}. Expected values come from solution.py, run in a sandbox."""

import numpy as np

from grader import diagnosis as dx
from grader.cases import Case


def build_cases(rng):
    # TODO: visible cases teach; hidden cases catch the careless. Cover the edges.
    return [
        Case("small example", "solve", (np.array([1.0, 2.0]),), explain="TODO"),
        Case("hidden: random", "solve", (rng.standard_normal(5),), visible=False),
    ]


DIAGNOSES = [
    # TODO: one line per known mistake, e.g.
    dx.alternative("forgot-double", "You returned x unchanged: multiply by two.", lambda x: x),
]
''',
    "hints.md": """# Hints

## TODO: a first nudge
TODO: where to look first — never the answer.

## TODO: nearly there
TODO: the last step, still without the full code.
""",
    "explanation.md": """# TODO: title

TODO: the idea, the usual mistakes (one per file in mistakes/), and a worked solution.
""",
    "mistakes/forgot_double.py": """# expect: forgot-double
def solve(x):
    return x
""",
}


def scaffold(root: Path, slug: str) -> Path:
    """Create exercises/<slug>/ with commented templates that `check` explains."""
    from grader.exercise import SLUG

    if not SLUG.match(slug):
        raise ValueError(f"{slug!r} is not a valid slug: use lower-case words joined by '-'")
    folder = Path(root) / slug
    if folder.exists():
        raise FileExistsError(f"{folder} already exists")
    for name, text in SCAFFOLD.items():
        target = folder / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text.format(slug=slug) if "{slug}" in text else text, encoding="utf-8")
    return folder


def main(argv: list[str] | None = None) -> int:
    """``python -m grader.authoring FOLDER... [--seeds N] [--first S]``: prove soundness in this process.

    Trusted files only. Used where the exercise's modules live, e.g. inside the sandbox image for
    PyTorch exercises when the host has no PyTorch."""
    import argparse

    parser = argparse.ArgumentParser(prog="python -m grader.authoring")
    parser.add_argument("folders", nargs="+", type=Path)
    parser.add_argument("--seeds", type=int, default=SEEDS_IN_PROCESS)
    parser.add_argument("--first", type=int, default=1, help="first seed (after the exercise's own)")
    parser.add_argument("--accept", type=Path, default=None, help="a folder of <slug>/*.py that must pass")
    options = parser.parse_args(argv)
    failed = 0
    for folder in options.folders:
        exercise = load_exercise(folder)
        problems = []
        seeds = range(exercise.seed + options.first, exercise.seed + options.first + options.seeds)
        for seed in seeds:
            problems += soundness_problems(exercise, seed)
        variants = sorted((options.accept / exercise.slug).glob("*.py")) if options.accept else []
        for seed in [exercise.seed, *seeds]:
            problems += [f"seed {seed}: {p}" for p in refused_variants(exercise, variants, seed)]
        failed += bool(problems)
        print(f"{exercise.slug}: " + ("sound" if not problems else f"{len(problems)} problems"))
        for problem in problems[:10]:
            print(f"  - {problem}")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
