"""Checks of a submission's source, done outside the sandbox before it runs.

Python's own parser finds syntax errors (with their line); the forbidden-construct
walk lives in grader/harness/forbidden.py so that the sandbox runs the very same
check on code compiled at run time (see grader/harness/guard.py).
"""

from __future__ import annotations

import ast

from grader.harness.forbidden import ForbiddenRules, SourceProblem, find_problems

__all__ = ["SourceProblem", "check_syntax", "find_forbidden", "rules_of"]


def rules_of(forbidden: ForbiddenRules) -> ForbiddenRules:
    """An exercise's forbidden table is already the plain rules the sandbox reads."""
    return forbidden


def check_syntax(source: str, filename: str = "submission.py") -> SourceProblem | None:
    try:
        ast.parse(source, filename=filename)
    except SyntaxError as exc:
        detail = exc.msg
        if exc.text:
            detail += f": {exc.text.strip()[:120]}"
        return SourceProblem("syntax", exc.lineno or 0, detail)
    except ValueError as exc:  # e.g. null bytes in the source
        return SourceProblem("syntax", 0, str(exc))
    return None


def find_forbidden(source: str, forbidden: ForbiddenRules) -> list[SourceProblem]:
    """Every forbidden construct in the source, in line order."""
    if not forbidden.any:
        return []
    return find_problems(ast.parse(source), rules_of(forbidden))
