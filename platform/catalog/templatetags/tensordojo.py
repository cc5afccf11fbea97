from django import template

register = template.Library()

VERDICT_LABELS = {
    "accepted": "Accepted",
    "wrong_answer": "Wrong answer",
    "syntax_error": "Syntax error",
    "import_error": "Import error",
    "missing_entry_point": "Missing function",
    "runtime_error": "Runtime error",
    "time_limit": "Time limit exceeded",
    "memory_limit": "Memory limit exceeded",
    "output_limit": "Too much output",
    "forbidden_call": "Forbidden construct",
    "too_large": "File too large",
    "internal_error": "Our error (not counted)",
    # submission and trial statuses
    "queued": "Waiting for a grader",
    "running": "Running",
    "graded": "Graded",
    "done": "Done",
    "error": "Could not grade",
}
CASE_LABELS = {
    "passed": "pass",
    "failed": "wrong answer",
    "error": "raised an error",
    "crashed": "crashed",
    "forbidden": "forbidden construct",
    "missing_entry": "function missing",
    "time_limit": "too slow",
    "memory_limit": "too much memory",
    "output_limit": "too much output",
    "not_run": "not run",
}


@register.filter
def get_item(mapping, key):
    """{{ dict|get_item:key }} — templates cannot index by a variable."""
    return mapping.get(key) if hasattr(mapping, "get") else None


@register.filter(expects_localtime=True)
def to_minute(value) -> str:
    """`|date:"Y-m-d H:i"` (in the current time zone) in a fraction of its time: a board shows a hundred."""
    if not value:
        return ""
    return f"{value.year:04d}-{value.month:02d}-{value.day:02d} {value.hour:02d}:{value.minute:02d}"


@register.filter
def number(value) -> str:
    """A tolerance as a statement writes it: 1e-8, 0.0001, 2 (never 0.00000001, nor 1e-08)."""
    try:
        text = f"{float(value):g}"
    except (TypeError, ValueError):
        return str(value)
    mantissa, marker, exponent = text.partition("e")
    return f"{mantissa}e{int(exponent)}" if marker else text


@register.filter
def ms(seconds):
    return "" if seconds is None else f"{seconds * 1000:.3f} ms"


def _words(value: str) -> str:
    return str(value).replace("_", " ").capitalize()


@register.filter
def verdict_label(value) -> str:
    """A verdict or status in words ("wrong_answer" -> "Wrong answer")."""
    return VERDICT_LABELS.get(value, _words(value)) if value else ""


@register.filter
def case_label(value) -> str:
    """A case's status in words."""
    return CASE_LABELS.get(value, _words(value).lower()) if value else ""


@register.filter
def message_parts(message: str) -> dict:
    """A summary like 'Forbidden in this exercise — line 2: x; line 2: x' split into a lead and unique items.

    Nested constructs are reported once per node by the source check; the learner needs each once.
    """
    text = str(message or "")
    lead, sep, rest = text.partition(" — ")
    if not sep or "; " not in rest and not rest.startswith("line "):
        return {"lead": text, "items": []}
    items = []
    for item in rest.split("; "):
        if item and item not in items:
            items.append(item)
    return {"lead": lead, "items": items}


MISTAKE_MARK = "Likely mistake: "


def _without_mistake(text: str, mistake: str) -> str:
    """A case's feedback without the line naming the mistake the page already says at the top."""
    lines = str(text or "").split("\n")
    return "\n".join(line for line in lines if not (mistake and line.strip() == f"{MISTAKE_MARK}{mistake}")).strip()


@register.simple_tag
def result_feedback(result) -> dict:
    """What a result page says, each thing once (issue 23 item 2).

    ``summary``: the grader's summary without the mistake it appends; ``mistake`` and
    ``diagnosis``: the mistake named most often, in words and as its id; ``cases``: each case
    with ``feedback``, its own words without that mistake (it is said once, at the top).
    """
    result = result if isinstance(result, dict) else {}
    tests = [t for t in result.get("tests") or [] if isinstance(t, dict)]
    summary, _, mistake = str(result.get("output") or "").partition(f" {MISTAKE_MARK}")
    counted: dict[str, int] = {}
    words: dict[str, str] = {}
    for test in tests:
        if test.get("diagnosis"):
            diagnosis = str(test["diagnosis"])
            counted[diagnosis] = counted.get(diagnosis, 0) + 1
            words.setdefault(diagnosis, str(test.get("diagnosis_message") or ""))
    diagnosis = ""
    if counted:
        by_words = [d for d in counted if words[d] and words[d] == mistake.strip()]
        diagnosis = by_words[0] if by_words else max(counted, key=counted.get)
        mistake = mistake.strip() or words[diagnosis]
    mistake = mistake.strip()
    cases = [{**test, "feedback": _without_mistake(test.get("output", ""), mistake)} for test in tests]
    return {
        "summary": summary.strip(),
        "mistake": mistake,
        "diagnosis": diagnosis,
        "cases": cases,
        "passed": sum(1 for t in tests if t.get("status") == "passed"),
        "total": len(tests),
    }


@register.simple_tag
def track_progress_of(user, exercise):
    """The learner's way on from this exercise (catalog.selectors.track_progress)."""
    from catalog.selectors import track_progress

    return track_progress(user=user, exercise=exercise)
