"""On a GPU sandbox the audit hook lets Triton start its tools and import its launchers, and nothing more."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from tests.conftest import ROOT

PROBE = r"""
import json, os, subprocess, sys
sys.path.insert(0, sys.argv[1])
from forbidden import ForbiddenRules
import guard
true, cache = os.path.realpath(sys.argv[3]), sys.argv[2]
guard.install(ForbiddenRules(), guard.trusted_roots((sys.argv[1],)), tools=(true,), compiled_dirs=(cache,))
with open(os.path.join(cache, "planted.py"), "w") as handle:
    handle.write("x = 1\n")
sys.path.insert(0, cache)
attempts = {
    "the allowed tool by absolute path": lambda: subprocess.run([true], check=True),
    "the allowed tool by bare name": lambda: subprocess.run([os.path.basename(true)], check=True),
    "another program": lambda: subprocess.run(["/bin/sh", "-c", "true"], check=True),
    "os.system": lambda: os.system(true),
    "Python source from the compiled-launcher directory": lambda: __import__("planted"),
}
out = {}
for name, attempt in attempts.items():
    try:
        attempt()
        out[name] = "allowed"
    except Exception as exc:
        out[name] = type(exc).__name__
print(json.dumps(out))
"""


def test_only_the_named_tools_and_compiled_extensions_pass(tmp_path):
    true = next(p for p in ("/usr/bin/true", "/bin/true") if os.path.exists(p))
    harness = str(ROOT / "grader" / "harness")
    done = subprocess.run(
        [sys.executable, "-I", "-c", PROBE, harness, str(tmp_path), true],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout.strip().splitlines()[-1])
    assert out == {
        "the allowed tool by absolute path": "allowed",
        "the allowed tool by bare name": "SandboxPolicyError",
        "another program": "SandboxPolicyError",
        "os.system": "SandboxPolicyError",
        "Python source from the compiled-launcher directory": "ForbiddenCallError",
    }


def test_without_a_gpu_no_program_is_allowed(tmp_path):
    harness = str(ROOT / "grader" / "harness")
    probe = (
        "import sys, subprocess; sys.path.insert(0, sys.argv[1]); from forbidden import ForbiddenRules; import guard\n"
        "guard.install(ForbiddenRules(), guard.trusted_roots((sys.argv[1],)))\n"
        "try:\n    subprocess.run(['/bin/true'])\n    print('allowed')\n"
        "except Exception as exc:\n    print(type(exc).__name__)\n"
    )
    done = subprocess.run(
        [sys.executable, "-I", "-c", probe, harness], capture_output=True, text=True, timeout=60, cwd=tmp_path
    )
    assert done.stdout.strip() == "SandboxPolicyError", done.stderr
