"""What a hidden case may still show the learner, when its parts come from the learner's process."""

from __future__ import annotations

from grader.grading import hidden_view
from grader.results import CaseResult, CaseStatus


def raised_at(lines: list[int]) -> CaseResult:
    return CaseResult(
        name="hidden: edge",
        visible=False,
        status=CaseStatus.ERROR,
        score=0.0,
        max_score=1.0,
        message="Your code raised KeyError: 'secret input 0.4137'",
        lines=lines,
        exception="KeyError",
    )


def test_a_hidden_case_names_only_the_last_line_and_only_one_the_file_has():
    """Ten chosen line numbers up to 10**7 would spell out a hidden input, case after case."""
    assert hidden_view(raised_at([4137, 9_999_999, 12]), source_lines=40).lines == [12]
    assert hidden_view(raised_at([12, 4137]), source_lines=40).lines == []  # no line 4137 in a 40-line file
    shown = hidden_view(raised_at([7]), source_lines=40)
    assert shown.lines == [7] and "secret" not in shown.feedback()
