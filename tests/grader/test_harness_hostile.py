"""The harness survives what a learner's process can send, and blames the learner for it.

Each submission here attacks the protocol between the supervisor and the learner's
process (grader/harness/). They run through the local process backend, which runs the
very same supervisor and runner, so the protocol is tested in well under a second each;
tests/security/ runs such attacks against the real Docker sandbox.
"""

from __future__ import annotations

import time

import pytest

from grader.backends import get_backend
from grader.grading import grade

RESULT_FD = "import sys, os, struct, json\nFD = int(sys.argv[2])\n"


def frame(meta: str, payload: bytes = b"") -> str:
    """Source that writes one raw frame (header JSON given as text) on the result pipe."""
    return f"os.write(FD, struct.pack('>II', len({meta!r}), {len(payload)}) + {meta!r}.encode() + {payload!r})\n"


def graded(exercise, store, source: str):
    started = time.monotonic()
    result = grade(exercise, source, backend=get_backend("process"), store=store, pool_index=0)
    return result, time.monotonic() - started


@pytest.mark.parametrize(
    "name, body",
    [
        ("nan in a frame", frame('{"type": "result", "status": "returned", "value": NaN}')),
        ("a forged harness_error frame", frame('{"type": "harness_error", "message": "ours?"}')),
        ("a forged done frame", frame('{"type": "done"}')),
        ("extra keys", frame('{"type": "result", "status": "returned", "value": 1, "case": "c9"}')),
        ("a wrong status", frame('{"type": "result", "status": "passed"}')),
        ("not json", frame("{{{{")),
        ("a header over the limit", "os.write(FD, struct.pack('>II', 1 << 30, 0))\n"),
        (
            "an npy header declaring 256 GiB",
            frame(
                '{"type": "result", "status": "returned", "value": {"$array": "b0"}, "blobs": [["b0", 128]]}',
                b"\x93NUMPY\x01\x00v\x00"
                + b"{'descr': '<f8', 'fortran_order': False, 'shape': (34359738368,), }".ljust(117)
                + b"\n",
            ),
        ),
    ],
)
def test_a_forged_frame_is_the_learners_fault(name, body, probe_exercise, expected_store):
    source = RESULT_FD + "def solve(x):\n    " + body.replace("\n", "\n    ") + "return x * 2\n"

    result, seconds = graded(probe_exercise, expected_store, source)

    assert result.verdict == "runtime_error", (name, result.to_results_json())
    assert "interfered" in result.message or "crashed" in result.message
    assert seconds < probe_exercise.limits.wall_s + probe_exercise.limits.startup_grace_s


def test_a_forged_frame_followed_by_a_long_sleep_ends_at_the_time_limit(probe_exercise, expected_store):
    source = RESULT_FD + "import time\ndef solve(x):\n    " + frame('{"type": "done"}') + "    time.sleep(60)\n"

    result, seconds = graded(probe_exercise, expected_store, source)

    assert result.verdict in ("runtime_error", "time_limit")
    assert seconds < probe_exercise.limits.wall_s + 5


def test_signalling_the_supervisor_is_refused_and_the_learners_own_doing(probe_exercise, expected_store):
    """gVisor does not shield PID 1 from its namespace as Linux does, so the audit hook refuses the signal."""
    source = "import os, signal\ndef solve(x):\n    os.kill(os.getppid(), signal.SIGINT)\n    return x * 2\n"

    result, _ = graded(probe_exercise, expected_store, source)

    assert result.verdict == "runtime_error", result.to_results_json()
    assert "signalling the grader's processes is not allowed" in result.message


def test_a_learner_who_shrugs_off_the_refusal_is_graded_as_usual(probe_exercise, expected_store):
    source = (
        "import os, signal\ndef solve(x):\n    try:\n        os.kill(os.getppid(), signal.SIGINT)\n"
        "    except PermissionError:\n        pass\n    return x * 2\n"
    )

    result, _ = graded(probe_exercise, expected_store, source)

    assert result.verdict == "accepted", result.to_results_json()


def test_dying_by_a_real_time_signal_is_named_and_blamed_on_the_learner(probe_exercise, expected_store):
    source = "import os, signal\ndef solve(x):\n    os.kill(os.getpid(), signal.SIGRTMIN + 6)\n"

    result, _ = graded(probe_exercise, expected_store, source)

    assert result.verdict == "runtime_error"
    assert "SIGRTMIN+6" in result.message


def test_a_learner_defined_exception_class_name_never_reaches_hidden_feedback(probe_exercise, expected_store):
    source = "Leak = type('LEARNER_TEXT', (Exception,), {})\ndef solve(x):\n    raise Leak('LEARNER_TEXT')\n"

    result, _ = graded(probe_exercise, expected_store, source)
    hidden = [case for case in result.cases if not case.visible]

    assert hidden and all("LEARNER_TEXT" not in case.feedback() for case in hidden)
    assert all(case.message == "Your code raised another exception." for case in hidden)  # a family, never a name


def test_the_learners_process_cannot_see_the_job(probe_exercise, expected_store):
    source = (
        "import os, sys\n"
        "def solve(x):\n"
        "    seen = [p for p in ('/tmp/job', 'job.json') if os.path.exists(p)]\n"
        "    own = ('0', '1', '2', sys.argv[1], sys.argv[2])\n"
        "    for n in os.listdir('/proc/self/fd'):\n"
        "        try:\n"
        "            target = os.readlink(f'/proc/self/fd/{n}')\n"
        "        except OSError:\n"
        "            continue  # the listing's own descriptor, closed by now\n"
        "        if n not in own and not target.startswith('/proc/'):\n"
        "            seen.append(target)\n"
        "    print('SEEN', seen)\n"
        "    return x * 2\n"
    )

    result, _ = graded(probe_exercise, expected_store, source)

    assert result.verdict == "accepted"
    assert "SEEN []" in result.output, result.output
