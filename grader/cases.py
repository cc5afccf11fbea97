"""What an exercise's ``cases.py`` builds: the cases a submission is run on.

A case names an entry point, its arguments and how many points it is worth.
Its expected value is never written here: it comes from running the
reference solution in its own sandbox. A case may add a custom check and
case-specific diagnoses (see grader.diagnosis).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from grader.protocol import FixtureArg, TensorArg

__all__ = ["Case", "Timing", "TensorArg", "FixtureArg", "Check"]

# check(got, expected, case) -> None when right, else a message for the learner
# (or a grader.compare.Mismatch, so that diagnoses can look at its kind and data).
Check = Callable[[Any, Any, "Case"], Any]


@dataclass(frozen=True)
class Timing:
    """A performance case: every repetition gets its own, fresh arguments.

    The warm-up calls get their own arguments too (``warmup_sets``), never a
    timed repetition's: a submission cannot compute the timed answers early.
    Without ``warmup_sets`` there is no warm-up.
    """

    arg_sets: tuple[tuple, ...]
    warmup_sets: tuple[tuple, ...] = ()
    warmup: int = 0  # kept for old cases.py files; the warm-up calls are warmup_sets
    flops: float = 0.0  # work per call, for the plausibility floor
    bytes_moved: float = 0.0


@dataclass(frozen=True)
class Case:
    name: str
    entry: str
    args: tuple = ()
    kwargs: dict = field(default_factory=dict)
    visible: bool = True
    points: float = 1.0
    rtol: float | None = None
    atol: float | None = None
    check: Check | None = None  # replaces the default comparison when given
    diagnoses: tuple = ()  # tried before the exercise-wide ones
    strict_dtype: bool = False  # the exact dtype must match (torch exercises)
    allow_lists: bool = False  # a nested list may stand for an array
    sign_invariant_axis: int | None = None  # vectors along this axis may flip sign
    expect_error: str | None = None  # the reference raises this exception type
    error_message_check: Callable[[str, Case], str | None] | None = None
    timing: Timing | None = None
    explain: str = ""  # what this case is about, shown for visible cases

    @property
    def is_timed(self) -> bool:
        return self.timing is not None
