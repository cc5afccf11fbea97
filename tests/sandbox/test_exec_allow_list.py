"""On the GPU path, the kernel lets a runner start Triton's tools and nothing else (Landlock, docs/gpu.md).

A GPU runner cannot refuse every execve as a CPU runner does: Triton starts ptxas and a C compiler
after the learner's code has started. It locks exec with ``privileges.lock_exec(tools)`` instead,
the tools being what ``gpu_timing.triton_allowance()`` names on a GPU. There is no GPU here, so the
Triton image (which carries the GPU image's ptxas and gcc) stands in: a stand-in supervisor drops to
its uid as the real one does and starts a plain ``python3 -I -c`` as the runner's uid, with no
audit hook at all, which locks exec exactly as a GPU runner does and then tries every way to start a
program. Only the kernel stands in the way. Each refused attempt is first shown to work before the
lock, so what refuses it is the lock, not the image or a mount flag (a copied binary is tried both in /tmp, mounted
``noexec``, and in the GPU sandbox's Triton cache, which is not: Triton loads its launchers from it).

Under gVisor there is no Landlock: the lock must refuse to run at all (fail closed).
"""

from __future__ import annotations

import json

import pytest

from grader.backends.docker_backend import container_options
from grader.limits import Limits
from tests.conftest import require
from tests.support.probes import run_probe

pytestmark = [pytest.mark.docker, pytest.mark.security]

RUNNER_PROBE = r"""
import errno, json, os, shutil, subprocess, sys
sys.path.insert(0, "/opt/tensordojo/harness")
import _posixsubprocess, gpu_timing, privileges

found = {"guard_loaded": "guard" in sys.modules}  # the harness's audit hook (guard.install) is never set up
tools = list(gpu_timing.triton_allowance()[0])
found["tools"] = tools
ptxas = [t for t in tools if t.endswith("/ptxas")][0]
with open("/tmp/tiny.c", "w") as handle:
    handle.write("int add_one(int x) { return x + 1; }\n")
cache = os.environ["TRITON_CACHE_DIR"]  # mounted without noexec: Triton loads its launchers from there
shutil.copy("/usr/bin/true", cache + "/true")  # before the lock: afterwards /usr/bin is unreadable
os.chmod(cache + "/true", 0o755)
shutil.copy("/usr/bin/true", "/tmp/true")
os.chmod("/tmp/true", 0o755)

def outcome(action):
    try:
        code = action()
    except OSError as exc:
        return "EACCES" if exc.errno == errno.EACCES else f"errno {exc.errno}"
    return "ran" if code == 0 else f"exit {code}"

def run(argv):
    return lambda: subprocess.run(argv, capture_output=True, timeout=60).returncode

def fork_exec(path):
    def action():
        r, w = os.pipe()
        # the argument list of CPython 3.13's _posixsubprocess.fork_exec, as subprocess passes it:
        # args, executables, close_fds, fds to keep, cwd, env, 6 pipe ends, the error pipe, restore_signals,
        # setsid, process_group, gid, groups, uid, umask, preexec_fn, allow_vfork
        pid = _posixsubprocess.fork_exec(
            [path], [path.encode()], True, (w,), None, None, -1, -1, -1, -1, -1, -1, r, w,
            True, False, -1, None, None, None, -1, None, True)
        os.close(w)
        failure = os.read(r, 1024)  # the child reports a failed exec on the pipe, as subprocess reads it
        os.close(r)
        os.waitpid(pid, 0)
        if failure:
            name, _, rest = failure.partition(b":")
            raise OSError(int(rest.split(b":")[0], 16), failure.decode())
        return 0
    return action

def posix_spawn(path):
    def action():
        pid = os.posix_spawn(path, [path, "-c", "pass"], os.environ)
        return os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1])
    return action

ATTEMPTS = {
    "python3": run(["/usr/bin/python3", "-c", "pass"]),
    "sh": run(["/bin/sh", "-c", "true"]),
    "copied_in_triton_cache": run([cache + "/true"]),
    "fork_exec_python3": fork_exec("/usr/bin/python3"),
    "posix_spawn_python3": posix_spawn("/usr/bin/python3"),
    "loader_python3": run(["/lib64/ld-linux-x86-64.so.2", "/usr/bin/python3", "-c", "pass"]),
}
found["before"] = {name: outcome(action) for name, action in ATTEMPTS.items()}
found["memfd_before"] = outcome(lambda: os.close(os.memfd_create("probe")) or 0)
privileges.lock_exec(tools)
found["ptxas"] = subprocess.run([ptxas, "--version"], capture_output=True, text=True, timeout=60).stdout
launcher = cache + "/tiny.so"  # as Triton builds a kernel's launcher: gcc -shared into its cache, then loads it
compiled = subprocess.run(["gcc", "-shared", "-fPIC", "-O1", "/tmp/tiny.c", "-o", launcher],
                          capture_output=True, text=True, timeout=120)
found["gcc"] = [compiled.returncode, compiled.stderr[-1000:], os.path.exists(launcher)]
import ctypes
found["launcher"] = ctypes.CDLL(launcher).add_one(41)
ATTEMPTS["copied_in_tmp"] = run(["/tmp/true"])
found["after"] = {name: outcome(action) for name, action in ATTEMPTS.items()}
found["memfd_after"] = outcome(lambda: os.close(os.memfd_create("probe")) or 0)
pid = os.fork()
if pid == 0:
    try:
        os.execv("/usr/bin/python3", ["python3", "-c", "pass"])
    except OSError as exc:
        os._exit(3 if exc.errno == errno.EACCES else 4)
    os._exit(0)
found["forked_exec_status"] = os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1])
print(json.dumps(found))
"""

SUPERVISOR_STAND_IN = r"""
import json, subprocess, sys
sys.path.insert(0, "/opt/tensordojo/harness")
import privileges
privileges.drop_to_supervisor()
probe = subprocess.run([sys.executable, "-I", "-c", sys.argv[1]], capture_output=True,
                       **privileges.runner_credentials())
print("REPORT" + json.dumps({"runner": probe.stdout.decode(), "runner_err": probe.stderr.decode()[-3000:]}))
"""


def _run_as_the_backend_would(backend, runtime: str | None) -> dict:
    image = backend.images["triton"]
    # A GPU sandbox's options (its Triton cache included), less the GPU itself, which this machine lacks.
    create, host_config = container_options(Limits(), image, gpu=True, runtime=runtime)
    host_config.pop("device_requests")
    host_config.pop("log_config")  # this probe's output is read back from the engine's log
    create.update(stdin_open=False, entrypoint=["python3", "-I", "-c", SUPERVISOR_STAND_IN], command=[RUNNER_PROBE])
    return run_probe(backend.client.api, create, host_config, timeout=300)


@pytest.fixture(scope="module")
def found(docker_backend):
    # runc whatever runtime the suite chose: GPU workers run under runc (gVisor is refused, the test below)
    locked = _run_as_the_backend_would(docker_backend, None)
    assert locked["runner"], locked["runner_err"]
    return json.loads(locked["runner"])


def test_without_landlock_the_gpu_lock_refuses_to_run_untrusted_code(docker_backend):
    require("runsc" in docker_backend.client.info().get("Runtimes", {}), "the engine has no runsc runtime")
    locked = _run_as_the_backend_would(docker_backend, "runsc")
    assert "PrivilegeError" in locked["runner_err"] and "no Landlock" in locked["runner_err"], locked["runner_err"]
    assert not locked["runner"]  # nothing of the probe ran after the refusal


def test_no_audit_hook_is_there_to_help(found):
    assert found["guard_loaded"] is False


def test_every_refused_program_ran_before_the_lock(found):
    assert found["before"] == dict.fromkeys(found["before"], "ran"), found["before"]
    assert found["memfd_before"] == "ran"


def test_the_allow_listed_tools_run_after_the_lock(found):
    assert "ptxas" in found["tools"][-1] or any(t.endswith("/ptxas") for t in found["tools"])
    assert "Cuda compilation tools" in found["ptxas"], found["ptxas"]
    returncode, stderr, built = found["gcc"]
    assert returncode == 0 and built, stderr  # gcc ran cc1, as, collect2 and ld
    assert found["launcher"] == 42  # and what it built loads from the Triton cache, as Triton's launchers do


@pytest.mark.parametrize(
    "attempt",
    ["python3", "sh", "copied_in_triton_cache", "copied_in_tmp", "fork_exec_python3", "posix_spawn_python3"],
)
def test_any_other_program_is_refused_by_the_kernel(found, attempt):
    assert found["after"][attempt] == "EACCES", found["after"]


def test_the_dynamic_loader_cannot_run_a_program_it_is_not_allowed_to_exec(found):
    # ld.so must stay executable (every allow-listed tool names it), but it cannot read python3 any more
    assert found["after"]["loader_python3"] == "exit 127", found["after"]


def test_no_memfd_to_run_a_program_from_outside_the_file_system(found):
    assert found["memfd_after"] == "errno 1"  # EPERM from the seccomp filter that comes with the lock


def test_a_forked_child_inherits_the_lock(found):
    assert found["forked_exec_status"] == 3
