"""The GPU runner's exec lock (privileges.restrict_exec, Landlock) on this machine's own kernel, no Docker.

tests/sandbox/test_exec_allow_list.py proves it in the sandbox as a runner meets it; these run wherever
the kernel has Landlock (skipped locally, failed under CI=true, where it has none), each in a fresh
process because the lock cannot be undone.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import pytest

from grader.harness import privileges
from tests.conftest import ROOT, require

HARNESS = ROOT / "grader" / "harness"

LOCKED = r"""
import errno, json, os, subprocess, sys
sys.path.insert(0, sys.argv[1])
import privileges
source = os.path.join(sys.argv[2], "tiny.c")
with open(source, "w") as handle:
    handle.write("int add_one(int x) { return x + 1; }\n")
allowed = privileges.restrict_exec([sys.argv[3]])
found = {"allowed": allowed}
def attempt(argv):
    try:
        return subprocess.run(argv, capture_output=True, timeout=60).returncode
    except OSError as exc:
        return errno.errorcode[exc.errno]
found["gcc"] = attempt([sys.argv[3], "-shared", "-fPIC", source, "-o", os.path.join(sys.argv[2], "tiny.so")])
found["python"] = attempt([sys.executable, "-c", "pass"])
found["sh"] = attempt(["/bin/sh", "-c", "true"])
found["loader"] = attempt(["/lib64/ld-linux-x86-64.so.2", "/bin/sh", "-c", "true"])
try:
    os.memfd_create("probe")
    found["memfd"] = "allowed"
except OSError as exc:
    found["memfd"] = errno.errorcode[exc.errno]
print(json.dumps(found))
"""


@pytest.fixture(scope="module")
def locked(tmp_path_factory):
    require(privileges.landlock_abi() >= 1, "this kernel has no Landlock")
    gcc = shutil.which("gcc")
    require(gcc is not None, "no gcc on this machine")
    folder = tmp_path_factory.mktemp("locked")
    argv = [sys.executable, "-I", "-c", LOCKED, str(HARNESS), str(folder), gcc]
    done = subprocess.run(argv, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout)


def test_the_compiler_and_what_it_runs_are_allowed(locked):
    names = {path.rsplit("/", 1)[-1] for path in locked["allowed"]}
    assert {"cc1", "collect2"} <= names
    assert any(name.endswith("-as") or name == "as" for name in names)
    assert any(name.startswith("ld-linux") for name in names)  # the ELF interpreter every tool names
    assert locked["gcc"] == 0


def test_every_other_program_is_refused_by_the_kernel(locked):
    assert locked["python"] == "EACCES" and locked["sh"] == "EACCES"


def test_the_dynamic_loader_cannot_load_a_program_that_is_not_allowed(locked):
    assert locked["loader"] == 127  # ld.so runs, but reading /bin/sh is refused: "cannot open shared object"


def test_no_memfd_to_load_a_program_from_outside_the_file_system(locked):
    assert locked["memfd"] == "EPERM"


def test_without_landlock_the_lock_fails_closed(monkeypatch):
    monkeypatch.setattr(privileges, "landlock_abi", lambda: 0)
    with pytest.raises(privileges.PrivilegeError, match="no Landlock"):
        privileges.restrict_exec(["/bin/true"])


def test_a_script_cannot_be_allow_listed(tmp_path):
    script = tmp_path / "tool"
    script.write_text("#!/bin/sh\nexit 0\n")
    with pytest.raises(privileges.PrivilegeError, match="not a 64-bit little-endian ELF"):
        privileges.exec_allow_list([str(script)])


def test_program_directories_stay_unreadable_and_the_rest_readable():
    roots = privileges.readable_roots()
    assert "/usr/bin" not in roots and "/usr/sbin" not in roots
    assert "/usr/lib" in roots and "/etc" in roots and "/tmp" in roots


def test_a_cpu_runner_still_gets_the_exec_filter_and_a_gpu_runner_the_allow_list(monkeypatch):
    calls = []
    monkeypatch.setattr(privileges, "seal_against_exec", lambda: calls.append("seal"))
    monkeypatch.setattr(privileges, "restrict_exec", lambda tools: calls.append(("landlock", tuple(tools))))
    privileges.lock_exec(())
    privileges.lock_exec(("/usr/bin/gcc",))
    assert calls == ["seal", ("landlock", ("/usr/bin/gcc",))]


def test_a_gpu_backend_under_gvisor_is_refused():
    from grader.backends.docker_backend import DockerBackend

    with pytest.raises(ValueError, match="Landlock"):
        DockerBackend(gpu=True, runtime="runsc")
    assert DockerBackend(gpu=True).has_gpu
