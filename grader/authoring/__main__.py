"""``python -m grader.authoring FOLDER... [--seeds N] [--first S] [--accept DIR]``: prove soundness here.

Trusted files only. Used where the exercise's modules live, e.g. inside the sandbox image for
PyTorch exercises when the host has no PyTorch.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from grader.authoring.soundness import (
    SEEDS_IN_PROCESS,
    mistake_proof_problems,
    refused_variants,
    soundness_problems,
)
from grader.exercise import load_exercise


def main(argv: list[str] | None = None) -> int:
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
        problems += mistake_proof_problems(exercise, options.seeds)
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
