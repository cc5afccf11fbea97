"""Proof that an exercise's diagnoses never name a mistake the learner did not make.

``prove(exercise, seeds)`` runs learner variants in this process (solution.py, the
files in mistakes/ and the correct variants are trusted files) on the cases of each
seed, judges every run as a whole with the one judge (``grader.judge`` through
``grader.authoring.trusted``, which names mistakes with ``diagnosis.name_mistakes``), and
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

import itertools
import re
import warnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from grader.authoring.trusted import Outcome, call_in_process, cases_for_seed, judge_in_process, load_module
from grader.cases import Case
from grader.exercise import ExerciseFolder
from grader.protocol import CaseRecord, RecordStatus

REPO_ROOT = Path(__file__).resolve().parent.parent
VARIANTS = REPO_ROOT / "tests" / "exercises" / "variants"  # correct learner variants, one folder per slug
UNNAMED = REPO_ROOT / "tests" / "exercises" / "unnamed"  # wrong ones, each with '# named:' what may be named
EXPECT = re.compile(r"^#\s*expect:\s*(?P<id>[a-z0-9-]+)\s*$", re.M)
HINT = re.compile(r"^#\s*hint:\s*(?P<n>\d+)\s*$", re.M)  # the hint (1 = the first) that names this mistake
ALSO = re.compile(r"^#\s*also:\s*(?P<id>[a-z0-9-]+)\s*$", re.M)  # another mistake the file makes
BLENDS_PER_PAIR = 2  # case-by-case blends drawn for each pair of learners on each seed


@dataclass(frozen=True)
class Learner:
    """A learner variant: what it did on each case, and the mistakes it makes (by diagnosis id)."""

    name: str
    calls: dict[str, CaseRecord]  # by case name
    makes: frozenset[str]
    correct: bool = False
    first: str | None = None  # the mistake named on its first failing case (its ``# expect:``)


def judge_run(
    exercise: ExerciseFolder, cases: Sequence[Case], reference: dict[str, CaseRecord], learner: dict[str, CaseRecord]
) -> list[Outcome]:
    """Every case of one run judged by the one judge (grader.judge, through authoring.trusted)."""
    return judge_in_process(exercise, list(cases), reference, learner)


def run_of(module, cases: Sequence[Case]) -> dict[str, CaseRecord]:
    """What a trusted file does on each case, as the sandbox would record it."""
    return {case.name: call_in_process(module, case) for case in cases}


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
    def run(path: Path, name: str) -> dict[str, CaseRecord]:
        return run_of(load_module(path, name), cases)

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
        calls = run_of(module, cases)
        signature = _signature(judge_run(exercise, cases, reference, calls), calls)
        found[signature] = found.get(signature, frozenset()) | allowed
    return found


def _prove_seed(exercise: ExerciseFolder, seed: int, variants: Sequence[Path]) -> list[str]:
    cases = cases_for_seed(exercise, seed)
    learners = _learners(exercise, cases, variants)
    reference = learners[0].calls
    problems = []
    for case in cases:
        first = reference[case.name].first
        wanted = RecordStatus.RAISED if case.expect_error else RecordStatus.RETURNED
        if first is None or first.status != wanted:
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
            signature = _signature(judge_run(exercise, cases, reference, learner.calls), learner.calls)
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
            makes = a.makes | b.makes | behaviours.get(_signature(outcomes, calls), frozenset())
            problems += _unsound(seed, Learner(f"a blend of {a.name} and {b.name}", {}, makes), outcomes)
    return sorted(set(problems), key=problems.index)


def _digest(record: CaseRecord) -> str:
    """A short fingerprint of what one call did: its numbers to 6 significant digits, or what it raised."""
    first = record.first
    if first is None or first.status != RecordStatus.RETURNED:
        error = first.error if first is not None else None
        return f"{record.status} {error.type if error else ''}"
    value = first.value
    try:
        leaves = value.array if hasattr(value, "array") else value
        return np.array2string(np.asarray(leaves, float), precision=6)[:2000]
    except (TypeError, ValueError):
        return repr(value)[:2000]


def _signature(outcomes: list[Outcome], calls: dict[str, CaseRecord]) -> tuple:
    """What a run did, case by case: passed, or what came back where it failed (its numbers, or the
    class of what it raised; not the exception's words, which name the very tensors of the case)."""
    return tuple((o.case.name, o.passed, "" if o.passed else _digest(calls[o.case.name])) for o in outcomes)


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
    reference = run_of(load_module(exercise.path / "solution.py", "tensordojo_solution"), cases)
    problems = []
    for path in paths:
        header = NAMED.search(path.read_text(encoding="utf-8"))
        allowed = {i.strip() for i in header.group("ids").split(",")} - {"nothing"} if header else set()
        module = load_module(path, f"tensordojo_unnamed_{path.stem}")
        outcomes = judge_run(exercise, cases, reference, run_of(module, cases))
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
