"""The verdict of a grading run, and its results.json form.

results.json follows the widely used autograder shape (top-level score,
max_score, execution_time, output; tests[] with name, score, max_score,
status, output, visibility; leaderboard[] with name, value, order) and adds
our own fields (verdict, per-case diagnosis) that other tools ignore.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

VERDICTS = {
    "accepted": "All cases pass.",
    "wrong_answer": "Some cases give wrong answers.",
    "syntax_error": "Python could not read your file.",
    "import_error": "Your file failed while being imported.",
    "missing_entry_point": "A required function is missing.",
    "runtime_error": "Your code raised an exception.",
    "time_limit": "Your code ran out of time.",
    "memory_limit": "Your code used more memory than allowed.",
    "output_limit": "Your code produced too much output.",
    "forbidden_call": "Your code uses something this exercise forbids.",
    "too_large": "Your file is larger than allowed.",
    "internal_error": "Grading failed on our side; this is not your fault and it does not count.",
}

CASE_STATUSES = (
    "passed",
    "failed",
    "error",
    "forbidden",
    "missing_entry",
    "time_limit",
    "memory_limit",
    "output_limit",
    "crashed",
    "not_run",
)


@dataclass
class CaseResult:
    name: str
    visible: bool
    status: str
    score: float
    max_score: float
    message: str = ""  # what happened, safe to show for hidden cases
    detail: str = ""  # numbers and inputs: shown for visible cases only
    diagnosis: str | None = None  # a diagnosis id
    diagnosis_message: str = ""
    traceback: list = field(default_factory=list)
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
        for frame in self.traceback:
            parts.append(f"  line {frame.get('line')}, in {frame.get('function')}: {frame.get('code', '')}")
        return "\n".join(p for p in parts if p)


@dataclass
class GradingResult:
    exercise: str
    exercise_version: str
    verdict: str
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

    @property
    def is_internal_error(self) -> bool:
        return self.verdict == "internal_error"

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
            "verdict": self.verdict,
            "exercise": self.exercise,
            "exercise_version": self.exercise_version,
            "tests": [
                {
                    "name": case.name,
                    "score": round(case.score, 4),
                    "max_score": round(case.max_score, 4),
                    "status": "passed" if case.passed else "failed",
                    "case_status": case.status,
                    "output": case.feedback(),
                    "visibility": "visible" if case.visible else "hidden",
                    "diagnosis": case.diagnosis,
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

    def as_dict(self) -> dict:
        return asdict(self)
