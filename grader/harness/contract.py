"""The words both sides of the sandbox boundary use, written once.

Imported inside the sandbox (supervisor.py, runner.py: standard library only, so
this module is too) and outside it (grader.protocol, the judge, the backends). A
wire word written as a free string anywhere else is a bug: two sides that spell
it differently would disagree silently.
"""

from __future__ import annotations

from enum import StrEnum

REPORT_FORMAT = 2  # bump whenever the report's shape changes (both sides check it)


class FrameType(StrEnum):
    """The ``type`` of a frame between the supervisor and a runner (see runner.py for the order)."""

    SEALED = "sealed"  # runner -> supervisor: undumpable now
    PRELOADED = "preloaded"  # runner -> supervisor: the preload modules are imported
    INIT = "init"  # supervisor -> runner: the configuration and the source
    BOOTED = "booted"  # runner -> supervisor: the last frame before untrusted code runs
    READY = "ready"  # runner -> supervisor: the source imported
    IMPORT_ERROR = "import_error"  # runner -> supervisor: importing the source raised
    CALL = "call"  # supervisor -> runner: one call's arguments
    RESULT = "result"  # runner -> supervisor: what that call returned or raised


class CallStatus(StrEnum):
    """What one call did, as the runner reports it (untrusted until read back outside)."""

    RETURNED = "returned"
    RAISED = "raised"
    MISSING_ENTRY = "missing_entry"
    UNSUPPORTED = "unsupported"  # returned a value that cannot travel (a generator, an object)


class RecordStatus(StrEnum):
    """What the sandbox saw a case (or one call of it) do: a call status, or why there is none."""

    RETURNED = CallStatus.RETURNED.value
    RAISED = CallStatus.RAISED.value
    MISSING_ENTRY = CallStatus.MISSING_ENTRY.value
    UNSUPPORTED = CallStatus.UNSUPPORTED.value
    ABORTED = "aborted"  # the process running it stopped (a limit, a crash); see AbortCause
    NOT_RUN = "not_run"  # never started (time used up, too many crashes, the run stopped)
    INVALID = "invalid"  # outside only: the runner sent something that does not read back


class AbortCause(StrEnum):
    """Why a case was aborted or not run. A crash adds a detail: ``signal_SIGSEGV``, ``exited_3``."""

    TIME_LIMIT = "time_limit"
    MEMORY_LIMIT = "memory_limit"
    OUTPUT_LIMIT = "output_limit"  # printed too much
    RESULT_LIMIT = "result_limit"  # returned too much
    FILE_SIZE_LIMIT = "file_size_limit"
    KILLED = "killed"  # SIGKILL from outside the runner (often the memory limit)
    PROTOCOL = "protocol"  # the runner broke the frame protocol: interference
    CRASHED_AT_START = "crashed_at_start"  # a runner could not start after untrusted code had run
    TOO_MANY_CRASHES = "too_many_crashes"
    IMPORT_ERROR = "import_error"
    HARNESS = "harness"  # ours
    SIGNALLED = "signal"  # prefix: signal_<NAME>
    EXITED = "exited"  # prefix: exited_<status>


def crash_cause(kind: AbortCause, detail: str | int) -> str:
    """The cause of a runner that died by a signal or exited: ``signal_SIGSEGV``, ``exited_3``."""
    return f"{kind.value}_{detail}"


def split_cause(cause: str) -> tuple[AbortCause | None, str]:
    """(AbortCause, detail) of a cause string; (None, cause) for a word we never write."""
    try:
        return AbortCause(cause), ""
    except ValueError:
        pass
    head, _, detail = cause.partition("_")
    if head in (AbortCause.SIGNALLED, AbortCause.EXITED) and detail:
        return AbortCause(head), detail
    return None, cause


class MismatchKind(StrEnum):
    """Why a returned value (or raised exception) is not the expected one."""

    TYPE = "type"
    LENGTH = "length"
    SHAPE = "shape"
    DTYPE = "dtype"
    DEVICE = "device"
    NONFINITE = "nonfinite"
    VALUES = "values"
    CHECK = "check"  # an exercise's own check said no
    EXCEPTION = "exception"  # raised where a value was expected
    NO_ERROR = "no-error"  # returned where an exception was expected
    WRONG_EXCEPTION = "wrong-exception"
    ERROR_MESSAGE = "error-message"
    UNSUPPORTED = "unsupported"  # a value that cannot be compared
    TIMING_REJECTED = "timing-rejected"  # faster than the hardware can be
    TIMING_INCOMPLETE = "timing-incomplete"


class SandboxKind(StrEnum):
    """Which sandbox image runs a job."""

    NUMPY = "numpy"  # NumPy and PyTorch
    STDLIB = "stdlib"  # the standard library only: exercises that forbid NumPy
    TRITON = "triton"  # GPU exercises: the GPU image on GPU workers, Triton's interpreter elsewhere


class Phase(StrEnum):
    """A learner's job runs in phases, each in a fresh runner; the reference runs in one."""

    VISIBLE = "visible"  # printed output shown
    HIDDEN = "hidden"
    TIMED = "timed"
    REFERENCE = "reference"
