"""The sandbox runs under the runtime the settings name, and that is provable from inside.

`make test` and `make up` export SANDBOX_RUNTIME=runsc where the engine accepts gVisor
(scripts/gvisor.sh). Under gVisor the learner's system calls reach gVisor's own kernel,
which reports its own release ("4.4.0"), not the host's: a learner's code that reads
``platform.release()`` tells us which kernel it really talks to.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from tests.conftest import FIXTURE_EXERCISES, require

pytestmark = [pytest.mark.docker]

ROOT = Path(__file__).resolve().parents[2]
GVISOR_RELEASE = "4.4.0"  # what gVisor's sentry reports as its kernel release
REPORT_KERNEL = 'def solve(x):\n    import platform\n    raise RuntimeError("kernel=" + platform.release())\n'


def _kernel_seen_by_learner(backend, tmp_path) -> str:
    from grader.exercise import load_exercise
    from grader.grading import grade
    from grader.reference import ExpectedStore

    exercise = load_exercise(FIXTURE_EXERCISES / "sandbox-probe")
    result = grade(exercise, REPORT_KERNEL, backend=backend, store=ExpectedStore(tmp_path), visible_only=True)
    messages = " ".join(case.message for case in result.cases)
    assert "kernel=" in messages, messages
    return messages.split("kernel=", 1)[1].split()[0].rstrip(".")


@pytest.fixture(scope="module")
def configured_backend():
    from config.grader import sandbox_backend

    backend = sandbox_backend("docker")
    status = backend.check()
    require(status["ok"], f"Docker sandbox unavailable: {status.get('error', status)}")
    return backend


def test_the_backend_built_from_settings_uses_the_runtime_the_settings_name(configured_backend, settings):
    assert (configured_backend.runtime or "") == settings.SANDBOX_RUNTIME


def test_the_learner_sees_the_kernel_of_the_configured_runtime(configured_backend, tmp_path):
    release = _kernel_seen_by_learner(configured_backend, tmp_path)
    if configured_backend.runtime == "runsc":
        assert release == GVISOR_RELEASE, f"expected gVisor's kernel, the learner saw {release}"
    else:
        assert release == os.uname().release, f"expected the host's kernel under runc, the learner saw {release}"


def test_make_test_runs_the_sandbox_under_gvisor_where_the_engine_accepts_it():
    """scripts/gvisor.sh is what make test asks; when it says runsc, the suite must be using it."""
    require(
        os.environ.get("CI", "").lower() != "true" or "SANDBOX_RUNTIME" in os.environ,
        "make test exports SANDBOX_RUNTIME",
    )
    if "SANDBOX_RUNTIME" not in os.environ:
        pytest.skip("not run by make test (SANDBOX_RUNTIME not exported)")
    if os.environ["SANDBOX_RUNTIME"] in ("", "runc"):
        pytest.skip("the operator chose runc (SANDBOX_RUNTIME=runc): gVisor was not asked for")
    env = {k: v for k, v in os.environ.items() if k != "SANDBOX_RUNTIME"}
    available = subprocess.run(
        [str(ROOT / "scripts" / "gvisor.sh")], env=env, capture_output=True, text=True, timeout=120
    ).stdout.strip()
    assert os.environ["SANDBOX_RUNTIME"] == available
