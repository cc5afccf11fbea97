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
