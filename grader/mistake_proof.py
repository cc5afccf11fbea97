"""Proof that an exercise's diagnoses never name a mistake the learner did not make.

``prove(exercise, seeds)`` runs learner variants in this process (solution.py, the
files in mistakes/ and the correct variants are trusted files) on the cases of each
seed, judges every run as a whole with ``grader.diagnosis.name_mistakes``, and
returns what is unsound:

- a correct variant (the reference, or a file under tests/exercises/variants/<slug>/)
  that fails a case, or has a mistake named;
- a file in mistakes/ named with another mistake than the one its header states
  (``# expect: <id>``, plus any ``# also: <id>`` lines for the other mistakes the file
  makes) on any case, or not named by its own on its first failing case;
- a blend of two learners (two mistakes, or a mistake and the reference): one that
  takes each case from one or the other (seeded per case: a function that applies
  mistake A on some inputs and B on others), and, with several entry points, one that
  takes each entry point from one or the other — named with a mistake neither makes
  (unless the blend behaves, case for case, exactly as a listed mistake does).

The draws come from a generator seeded with each seed, so a check is deterministic;
the tests draw the seeds with Hypothesis. Everything here runs trusted code only.
"""

from __future__ import annotations

import builtins
import importlib.util
import io
import itertools
import json
import re
import warnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np

from grader.cases import Case
from grader.compare import Mismatch, Tolerance, compare
from grader.diagnosis import Observation, name_mistakes
from grader.exercise import ExerciseFolder
from grader.harness import codec, fixtures
from grader.harness.contract import MismatchKind
from grader.protocol import ArgumentPacker
from grader.values import rebuild

REPO_ROOT = Path(__file__).resolve().parent.parent
VARIANTS = REPO_ROOT / "tests" / "exercises" / "variants"  # correct learner variants, one folder per slug
UNNAMED = REPO_ROOT / "tests" / "exercises" / "unnamed"  # wrong ones, each with '# named:' what may be named
EXPECT = re.compile(r"^#\s*expect:\s*(?P<id>[a-z0-9-]+)\s*$", re.M)
HINT = re.compile(r"^#\s*hint:\s*(?P<n>\d+)\s*$", re.M)  # the hint (1 = the first) that names this mistake
ALSO = re.compile(r"^#\s*also:\s*(?P<id>[a-z0-9-]+)\s*$", re.M)  # another mistake the file makes
BLENDS_PER_PAIR = 2  # case-by-case blends drawn for each pair of learners on each seed
BUILTIN = {
    name: value
    for name, value in vars(builtins).items()
    if isinstance(value, type) and issubclass(value, BaseException)
}


@dataclass(frozen=True)
class Called:
    """What one call of a trusted file did, as the sandbox would report it."""

    status: str  # "returned" | "raised" | "unsupported"
    value: Any = None
    error: tuple[str, tuple[str, ...], str] | None = None  # (type, built-in family, message)


@dataclass
class Outcome:
    """One case of one run, judged as the grader judges it."""

    case: Case
    passed: bool
    diagnosis: str | None = None
    message: str = ""
    kind: str = ""  # the kind of mismatch, and the exception's type where it raised


@dataclass(frozen=True)
class Learner:
    """A learner variant: what it did on each case, and the mistakes it makes (by diagnosis id)."""

    name: str
    calls: dict[str, Called]  # by case name
    makes: frozenset[str]
    correct: bool = False
    first: str | None = None  # the mistake named on its first failing case (its ``# expect:``)


def load_module(path: Path, name: str = "tensordojo_trusted") -> ModuleType:
    """Import a trusted file (solution.py, a mistake, a variant) as a fresh module."""
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def cases_for_seed(exercise: ExerciseFolder, seed: int) -> list[Case]:
    """The exercise's cases built from a seed (timed cases left out: they prove speed)."""
    cases = exercise.cases_module().build_cases(np.random.default_rng(seed))
    return [c for c in cases if not c.is_timed]


def call(module: ModuleType, case: Case) -> Called:
    """Run one case as the sandbox would: the arguments and the value make the same round trip."""
    torch = _torch_if_needed(case)
    packer = ArgumentPacker()
    args_tree, kwargs_tree = packer.pack(tuple(case.args)), packer.pack(dict(case.kwargs))
    arrays = _as_sent(packer.arrays)
    args = codec.decode(args_tree, arrays, fixtures, torch)
    kwargs = codec.decode(kwargs_tree, arrays, fixtures, torch)
    function = getattr(module, case.entry, None)
    if not callable(function):
        return Called("unsupported", f"no function {case.entry}()")
    try:
        value = function(*args, **kwargs)
    except Exception as exc:  # noqa: BLE001 - the trusted file's exception is the outcome
        family = tuple(c.__name__ for c in type(exc).__mro__ if BUILTIN.get(c.__name__) is c)
        return Called("raised", error=(type(exc).__name__, family, str(exc)))
    encoder = codec.Encoder(prefix="v", torch=torch)
    try:
        tree = encoder.encode(value)
    except codec.EncodeError as exc:
        return Called("unsupported", str(exc))
    arrays = {name: np.load(io.BytesIO(bytes(blob)), allow_pickle=False) for name, blob in encoder.blobs.items()}
    return Called("returned", rebuild(tree, arrays))


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
    text = json.dumps(ArgumentPacker().pack((tuple(case.args), dict(case.kwargs))))
    if '"$tensor"' not in text:
        return None
    import torch

    return torch


def rules_for(exercise: ExerciseFolder, case: Case) -> Tolerance:
    return Tolerance(
        rtol=case.rtol if case.rtol is not None else exercise.rtol,
        atol=case.atol if case.atol is not None else exercise.atol,
        strict_dtype=case.strict_dtype,
        allow_lists=case.allow_lists,
        sign_invariant_axis=case.sign_invariant_axis,
    )


def observe(exercise: ExerciseFolder, case: Case, reference: Called, learner: Called) -> Observation | str:
    """The judge's view of one case: an Observation, or a message where nothing can be compared."""
    if learner.status == "unsupported":
        return f"Your function {learner.value}."
    if reference.status == "raised":
        if learner.status == "raised":
            kind, family, message = learner.error
            data = {"type": kind, "family": list(family), "message": message}
            if case.expect_error not in family:
                text = f"Expected {case.expect_error}, but your code raised {kind}."
                return Observation(case, None, None, Mismatch(MismatchKind.WRONG_EXCEPTION, text, data=data))
            problem = case.error_message_check(message, case) if case.error_message_check else None
            if problem:
                return Observation(case, None, None, Mismatch(MismatchKind.ERROR_MESSAGE, problem, data=data))
            return Observation(case, None, None, None)
        text = f"Expected {case.expect_error} to be raised, but a value was returned."
        return Observation(case, learner.value, None, Mismatch(MismatchKind.NO_ERROR, text))
    if learner.status == "raised":
        kind, family, message = learner.error
        data = {"type": kind, "family": list(family), "message": message}
        text = f"Your code raised {kind}: {message}"
        return Observation(case, None, reference.value, Mismatch(MismatchKind.EXCEPTION, text, data=data))
    got, expected = learner.value, reference.value
    if case.check is not None:
        checked = case.check(got, expected, case)
        mismatch = checked if isinstance(checked, Mismatch) or checked is None else Mismatch("check", checked)
    else:
        mismatch = compare(got, expected, rules_for(exercise, case))
    return Observation(case, got, expected, mismatch)


def judge_run(
    exercise: ExerciseFolder, cases: Sequence[Case], reference: dict[str, Called], learner: dict[str, Called]
) -> list[Outcome]:
    """Every case of one run judged, and the mistakes named over the whole run (name_mistakes)."""
    observations, outcomes = [], {}
    for case in cases:
        try:
            seen = observe(exercise, case, reference[case.name], learner[case.name])
        except Exception as exc:  # noqa: BLE001 - a value our comparison cannot hold: the learner's
            seen = f"Your function returned a value that could not be compared ({type(exc).__name__})."
        if isinstance(seen, str):
            outcomes[case.name] = Outcome(case, False, None, seen)
            continue
        observations.append(seen)
        message = "Correct." if seen.passed else seen.mismatch.message
        kind = "" if seen.passed else f"{seen.mismatch.kind} {seen.mismatch.data.get('type') or _digest(seen.got)}"
        outcomes[case.name] = Outcome(case, seen.passed, None, message, kind)
    for name, diagnosis in name_mistakes(observations, exercise.diagnoses()).items():
        outcomes[name].diagnosis = diagnosis.id
    return [outcomes[c.name] for c in cases]


def expected_id(path: Path) -> str | None:
    """The diagnosis a mistake file's header names (None for ``# expect: verdict=...``)."""
    match = EXPECT.search(path.read_text(encoding="utf-8"))
    return match.group("id") if match else None


def also_ids(path: Path) -> set[str]:
    """The other mistakes a mistake file makes (``# also: <id>`` lines): they may be named too."""
    return {m.group("id") for m in ALSO.finditer(path.read_text(encoding="utf-8"))}


def mistake_hints(exercise: ExerciseFolder) -> dict[str, int]:
    """{diagnosis id: index into ``exercise.hints``, 0 = the first} for each mistake file whose header
    names the hint that speaks of its mistake (``# hint: 2`` for the second hint of hints.md)."""
    found = {}
    for path in exercise.mistakes():
        text = path.read_text(encoding="utf-8")
        wanted, hint = EXPECT.search(text), HINT.search(text)
        if wanted and hint:
            found[wanted.group("id")] = int(hint.group("n")) - 1
    return found


def hint_problems(exercise: ExerciseFolder) -> list[str]:
    """A ``# hint: N`` header must name a hint that exists."""
    count = len(exercise.hints)
    return [
        f"the mistake {mistake} names hint {index + 1}; hints.md has {count}"
        for mistake, index in mistake_hints(exercise).items()
        if not 0 <= index < count
    ]


def variant_paths(exercise: ExerciseFolder) -> list[Path]:
    return sorted((VARIANTS / exercise.slug).glob("*.py"))


def prove(exercise: ExerciseFolder, seeds: Iterable[int] | int, *, variants: Sequence[Path] | None = None) -> list[str]:
    """What is unsound in the exercise's diagnoses over the cases of these seeds: [] when sound.

    ``seeds``: the seeds, or how many after the exercise's own (as `exercises check` passes them).
    ``variants``: correct solutions that must pass (default: tests/exercises/variants/<slug>/)."""
    if isinstance(seeds, int):
        seeds = range(exercise.seed + 1, exercise.seed + 1 + seeds)
    variants = variant_paths(exercise) if variants is None else list(variants)
    problems: list[str] = hint_problems(exercise)
    with warnings.catch_warnings(), np.errstate(all="ignore"):  # mistakes overflow on purpose
        warnings.simplefilter("ignore")
        for seed in seeds:
            problems += _prove_seed(exercise, seed, variants)
    return problems


def _learners(exercise: ExerciseFolder, cases: Sequence[Case], variants: Sequence[Path]) -> list[Learner]:
    def run(path: Path, name: str) -> dict[str, Called]:
        module = load_module(path, name)
        return {case.name: call(module, case) for case in cases}

    found = [Learner("solution.py", run(exercise.path / "solution.py", "tensordojo_solution"), frozenset(), True)]
    for path in variants:
        found.append(Learner(f"variant {path.name}", run(path, f"tensordojo_variant_{path.stem}"), frozenset(), True))
    for path in exercise.mistakes():
        wanted = expected_id(path)
        if wanted is not None:  # a verdict (forbidden call) is not a diagnosis: nothing to prove here
            makes = frozenset({wanted, *also_ids(path)})
            found.append(Learner(path.name, run(path, f"tensordojo_mistake_{path.stem}"), makes, first=wanted))
    return found


def _known_behaviours(exercise: ExerciseFolder, cases, reference) -> dict[tuple, frozenset[str]]:
    """What the files of tests/exercises/unnamed/<slug>/ do, with the mistakes their header allows."""
    found: dict[tuple, frozenset[str]] = {}
    for path in sorted((UNNAMED / exercise.slug).glob("*.py")):
        header = NAMED.search(path.read_text(encoding="utf-8"))
        allowed = (
            frozenset({i.strip() for i in header.group("ids").split(",")} - {"nothing"}) if header else frozenset()
        )
        module = load_module(path, f"tensordojo_unnamed_{path.stem}")
        signature = _signature(judge_run(exercise, cases, reference, {c.name: call(module, c) for c in cases}))
        found[signature] = found.get(signature, frozenset()) | allowed
    return found


def _prove_seed(exercise: ExerciseFolder, seed: int, variants: Sequence[Path]) -> list[str]:
    cases = cases_for_seed(exercise, seed)
    learners = _learners(exercise, cases, variants)
    reference = learners[0].calls
    problems = []
    for case in cases:
        if reference[case.name].status != ("raised" if case.expect_error else "returned"):
            problems.append(f"seed {seed}: the reference does not do what {case.name!r} expects")
    if problems:
        return problems
    for learner in learners:
        outcomes = judge_run(exercise, cases, reference, learner.calls)
        problems += _unsound(seed, learner, outcomes)
        failing = [o for o in outcomes if not o.passed]
        if learner.correct and failing:
            problems.append(f"seed {seed}: {learner.name} is refused on {failing[0].case.name!r}: {failing[0].message}")
        elif failing and not learner.correct and failing[0].diagnosis != learner.first:
            problems.append(
                f"seed {seed}: {learner.name} is named {failing[0].diagnosis or 'nothing'} on its first failing "
                f"case {failing[0].case.name!r}, not {learner.first}"
            )
    # A blend that behaves, case for case, exactly as a listed mistake does makes that mistake too.
    behaviours = _known_behaviours(exercise, cases, reference)
    for learner in learners:
        if not learner.correct:
            signature = _signature(judge_run(exercise, cases, reference, learner.calls))
            behaviours[signature] = behaviours.get(signature, frozenset()) | learner.makes
    rng = np.random.default_rng(seed)
    entries = sorted({case.entry for case in cases})
    wrong = [learner for learner in learners if not learner.correct]
    for a, b in itertools.combinations([learners[0], *wrong], 2):
        blends = []
        for _ in range(BLENDS_PER_PAIR):
            picks = rng.random(len(cases)) < 0.5
            blends.append({c.name: (a if pick else b).calls[c.name] for c, pick in zip(cases, picks, strict=True)})
        if len(entries) > 1:
            for chosen in range(1, 2 ** len(entries) - 1):
                from_a = {e for i, e in enumerate(entries) if chosen >> i & 1}
                blends.append({c.name: (a if c.entry in from_a else b).calls[c.name] for c in cases})
        for calls in blends:
            outcomes = judge_run(exercise, cases, reference, calls)
            makes = a.makes | b.makes | behaviours.get(_signature(outcomes), frozenset())
            problems += _unsound(seed, Learner(f"a blend of {a.name} and {b.name}", {}, makes), outcomes)
    return sorted(set(problems), key=problems.index)


def _digest(value) -> str:
    """A short fingerprint of a returned value (its numbers to 6 significant digits)."""
    try:
        leaves = value.array if hasattr(value, "array") else value
        return np.array2string(np.asarray(leaves, float), precision=6)[:2000]
    except (TypeError, ValueError):
        return repr(value)[:2000]


def _signature(outcomes: list[Outcome]) -> tuple:
    """What a run did, case by case, as far as the judge tells failures apart (pass, kind, exception type)."""
    return tuple((o.case.name, o.passed, o.kind or o.message) for o in outcomes)


def _unsound(seed: int, learner: Learner, outcomes: list[Outcome]) -> list[str]:
    return [
        f"seed {seed}: {learner.name} is named {o.diagnosis} on {o.case.name!r}, a mistake it does not make"
        for o in outcomes
        if o.diagnosis is not None and o.diagnosis not in learner.makes
    ]


NAMED = re.compile(r"^#\s*named:\s*(?P<ids>[a-z0-9, -]+?)\s*$", re.M)


def named_problems(exercise: ExerciseFolder, paths: Sequence[Path], seed: int) -> list[str]:
    """Wrong solutions whose header says what may be named (``# named: nothing`` or ``# named: <id>, ...``):
    each must fail, with nothing else named over the whole run."""
    cases = cases_for_seed(exercise, seed)
    solution = load_module(exercise.path / "solution.py", "tensordojo_solution")
    reference = {case.name: call(solution, case) for case in cases}
    problems = []
    for path in paths:
        header = NAMED.search(path.read_text(encoding="utf-8"))
        allowed = {i.strip() for i in header.group("ids").split(",")} - {"nothing"} if header else set()
        module = load_module(path, f"tensordojo_unnamed_{path.stem}")
        outcomes = judge_run(exercise, cases, reference, {case.name: call(module, case) for case in cases})
        if all(o.passed for o in outcomes):
            problems.append(f"seed {seed}: {path.name} passes every case")
        problems += [
            f"seed {seed}: {path.name} is named {o.diagnosis} on {o.case.name!r}"
            for o in outcomes
            if o.diagnosis is not None and o.diagnosis not in allowed
        ]
    return problems


def main(argv: list[str] | None = None) -> int:
    """``python -m grader.mistake_proof FOLDER... [--seeds N] [--first S] [--unnamed DIR]``.

    Trusted files only; used where the exercise's modules live (the sandbox image for PyTorch)."""
    import argparse

    from grader.exercise import load_exercise

    parser = argparse.ArgumentParser(prog="python -m grader.mistake_proof")
    parser.add_argument("folders", nargs="+", type=Path)
    parser.add_argument("--seeds", type=int, default=4)
    parser.add_argument("--first", type=int, default=0, help="first seed (after the exercise's own)")
    parser.add_argument("--unnamed", type=Path, default=None, help="a folder of <slug>/*.py with '# named:'")
    options = parser.parse_args(argv)
    failed = 0
    for folder in options.folders:
        exercise = load_exercise(folder)
        seeds = range(exercise.seed + options.first, exercise.seed + options.first + options.seeds)
        problems = prove(exercise, seeds)
        if options.unnamed is not None:
            paths = sorted((options.unnamed / exercise.slug).glob("*.py"))
            with warnings.catch_warnings(), np.errstate(all="ignore"):
                warnings.simplefilter("ignore")
                for seed in seeds:
                    problems += named_problems(exercise, paths, seed)
        failed += bool(problems)
        print(f"{exercise.slug}: " + ("sound" if not problems else f"{len(problems)} problems"), flush=True)
        for problem in problems[:10]:
            print(f"  - {problem}", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
