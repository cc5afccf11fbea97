"""The audit hooks of the learner's process refuse the dynamic routes around a forbidden rule."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.conftest import ROOT

PROBE = r"""
import json, operator, pickle, sys
sys.path.insert(0, sys.argv[1])
from forbidden import ForbiddenRules
import guard
guard.install(ForbiddenRules(calls=("operator.matmul",), operators=("@",)), guard.trusted_roots((sys.argv[1],)))
helper = sys.argv[2] + "/helper_mod.py"
with open(helper, "w") as handle:
    handle.write("def mm(a, b):\n    return a @ b\n")
sys.path.insert(0, sys.argv[2])
PICKLED = pickle.dumps(operator.matmul)
attempts = {
    "eval of @": lambda: eval("1 @ 2"),
    "eval through __builtins__": lambda: __builtins__.__dict__["eval"]("lambda a, b: a @ b"),
    "exec of harmless code": lambda: exec("x = 1 + 2"),
    "pickle global": lambda: pickle.loads(PICKLED),
    "marshal": lambda: __import__("marshal").loads(__import__("marshal").dumps(compile("1", "x", "eval"))),
    "code.replace": lambda: (lambda: 1).__code__.replace(co_consts=(2,)),
    "import from a writable directory": lambda: __import__("helper_mod"),
    "a standard library import": lambda: __import__("fractions").Fraction(1, 3),
    "namedtuple": lambda: __import__("collections").namedtuple("P", "x y")(1, 2),
    "ctypes": lambda: __import__("ctypes").CDLL(None),
    "os.system": lambda: __import__("os").system("true"),
    "subprocess": lambda: __import__("subprocess").run(["true"]),
    "socket": lambda: __import__("socket").socket(),
    "gc walk": lambda: __import__("gc").get_referrers(guard),
    "code under a library's name": lambda: compile("x = 1", __import__("json").__file__, "exec"),
    "prlimit on another process": lambda: __import__("resource").prlimit(
        __import__("os").getppid(), __import__("resource").RLIMIT_CORE, (0, 0)
    ),
    "prlimit on ourselves": lambda: __import__("resource").prlimit(0, __import__("resource").RLIMIT_CORE, (0, 0)),
    "F_SETOWN": lambda: __import__("fcntl").fcntl(0, __import__("fcntl").F_SETOWN, 1),
    "F_SETSIG": lambda: __import__("fcntl").fcntl(0, 10, 9),
    "FIOSETOWN ioctl": lambda: __import__("fcntl").ioctl(0, 0x8901, b"\0" * 4),
}
outcome = {}
for name, attempt in attempts.items():
    try:
        attempt()
        outcome[name] = "allowed"
    except BaseException as exc:
        outcome[name] = type(exc).__name__
print(json.dumps(outcome))
"""

REFUSED = [
    "eval of @",
    "eval through __builtins__",
    "pickle global",
    "marshal",
    "code.replace",
    "import from a writable directory",
    "ctypes",
    "gc walk",
    "code under a library's name",
]
ALLOWED = ["exec of harmless code", "a standard library import", "namedtuple", "prlimit on ourselves"]


@pytest.fixture(scope="module")
def outcome(tmp_path_factory) -> dict[str, str]:
    scratch = tmp_path_factory.mktemp("guard")
    out = subprocess.run(
        [sys.executable, "-I", "-c", PROBE, str(ROOT / "grader" / "harness"), str(scratch)],
        capture_output=True,
        text=True,
        cwd=scratch,
        timeout=60,
        check=True,
    )
    return json.loads(out.stdout)


@pytest.mark.parametrize("route", REFUSED)
def test_a_dynamic_route_is_refused(outcome, route):
    assert outcome[route] == "ForbiddenCallError"


POLICY = ["os.system", "subprocess", "socket", "prlimit on another process", "F_SETOWN", "F_SETSIG", "FIOSETOWN ioctl"]


@pytest.mark.parametrize("route", POLICY)
def test_programs_sockets_and_reaching_other_processes_are_refused_as_permission_errors(outcome, route):
    assert outcome[route] == "SandboxPolicyError"


@pytest.mark.parametrize("route", ALLOWED)
def test_honest_code_still_runs(outcome, route):
    assert outcome[route] == "allowed"
