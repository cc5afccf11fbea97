"""The verdict of a grading run, and its results.json form.

results.json follows the widely used autograder shape (top-level score,
max_score, execution_time, output; tests[] with name, score, max_score,
status, output, visibility; leaderboard[] with name, value, order) and adds
our own fields (verdict, per-case diagnosis) that other tools ignore.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Verdict(StrEnum):
    """The verdict of a whole grading (stored by the platform: the values never change)."""

    ACCEPTED = "accepted"
    WRONG_ANSWER = "wrong_answer"
    SYNTAX_ERROR = "syntax_error"
    IMPORT_ERROR = "import_error"
    MISSING_ENTRY_POINT = "missing_entry_point"
    RUNTIME_ERROR = "runtime_error"
    TIME_LIMIT = "time_limit"
    MEMORY_LIMIT = "memory_limit"
    OUTPUT_LIMIT = "output_limit"
    FORBIDDEN_CALL = "forbidden_call"
    TOO_LARGE = "too_large"
    INTERNAL_ERROR = "internal_error"


class CaseStatus(StrEnum):
    """What happened to one case, as judged outside the sandbox."""

    PASSED = "passed"
    FAILED = "failed"
    ERROR = "error"
    FORBIDDEN = "forbidden"
    MISSING_ENTRY = "missing_entry"
    TIME_LIMIT = "time_limit"
    MEMORY_LIMIT = "memory_limit"
    OUTPUT_LIMIT = "output_limit"
    CRASHED = "crashed"
    NOT_RUN = "not_run"


VERDICTS = {
    Verdict.ACCEPTED: "All cases pass.",
    Verdict.WRONG_ANSWER: "Some cases give wrong answers.",
    Verdict.SYNTAX_ERROR: "Python could not read your file.",
    Verdict.IMPORT_ERROR: "Your file failed while being imported.",
    Verdict.MISSING_ENTRY_POINT: "A required function is missing.",
    Verdict.RUNTIME_ERROR: "Your code raised an exception.",
    Verdict.TIME_LIMIT: "Your code ran out of time.",
    Verdict.MEMORY_LIMIT: "Your code used more memory than allowed.",
    Verdict.OUTPUT_LIMIT: "Your code produced too much output.",
    Verdict.FORBIDDEN_CALL: "Your code uses something this exercise forbids.",
    Verdict.TOO_LARGE: "Your file is larger than allowed.",
    Verdict.INTERNAL_ERROR: "Grading failed on our side; this is not your fault and it does not count.",
}


@dataclass
class CaseResult:
    name: str
    visible: bool
    status: CaseStatus
    score: float
    max_score: float
    message: str = ""  # what happened, safe to show for hidden cases
    detail: str = ""  # numbers and inputs: shown for visible cases only
    diagnosis: str | None = None  # a diagnosis id
    diagnosis_message: str = ""
    lines: list[int] = field(default_factory=list)  # line numbers of the submission, nothing else
    reason: str = ""  # the kind of failure (a Mismatch kind or ours): picks a hidden case's words
    exception: str = ""  # the exception's class name, as the learner's process reported it
    exception_family: tuple[str, ...] = ()  # its built-in ancestors, most specific first (same source)
    times: list[float] = field(default_factory=list)
    explain: str = ""

    @property
    def passed(self) -> bool:
        return self.status == "passed"

    def feedback(self) -> str:
        parts = [self.message]
        if self.visible and self.detail:
            parts.append(self.detail)
        if self.diagnosis_message:
            parts.append(f"Likely mistake: {self.diagnosis_message}")
        if self.lines:
            parts.append("Raised at line " + ", ".join(str(n) for n in self.lines) + " of your file.")
        return "\n".join(p for p in parts if p)


@dataclass
class GradingResult:
    exercise: str
    exercise_version: str
    verdict: Verdict
    message: str
    score: float
    max_score: float
    cases: list[CaseResult] = field(default_factory=list)
    output: str = ""  # the learner's printed output from visible cases
    execution_time: float = 0.0
    leaderboard: list[dict] = field(default_factory=list)
    backend: str = ""
    unsafe: bool = False
    limits: dict = field(default_factory=dict)
    limit_hit: str | None = None
    extra: dict = field(default_factory=dict)

    def to_results_json(self) -> dict:
        """The results.json document (see DESIGN.md, 'Grading pipeline')."""
        summary = self.message
        if self.unsafe:
            summary = "UNSAFE (local process backend, not sandboxed). " + summary
        return {
            "score": round(self.score, 4),
            "max_score": self.max_score,
            "execution_time": round(self.execution_time, 3),
            "output": summary,
            "verdict": str(self.verdict),
            "exercise": self.exercise,
            "exercise_version": self.exercise_version,
            "tests": [
                {
                    "name": case.name,
                    "score": round(case.score, 4),
                    "max_score": round(case.max_score, 4),
                    "status": "passed" if case.passed else "failed",
                    "case_status": str(case.status),
                    "output": case.feedback(),
                    "visibility": "visible" if case.visible else "hidden",
                    "diagnosis": case.diagnosis,
                    # ours, from the exercise's diagnoses: the platform reads it here, never out of "output",
                    # which may quote the learner's own exception text
                    **({"diagnosis_message": case.diagnosis_message} if case.diagnosis else {}),
                    **({"times": case.times} if case.times else {}),
                }
                for case in self.cases
            ],
            "leaderboard": self.leaderboard,
            "stdout": self.output,
            "backend": self.backend,
            "unsafe": self.unsafe,
            "limits": self.limits,
            "limit_hit": self.limit_hit,
            "extra": self.extra,
        }
