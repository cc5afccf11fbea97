"""PID 1 is out of the learner's reach in the kernel, with none of our Python guards in the way.

The container starts exactly as the backend starts it (container_options: root with
CAP_SETUID, CAP_SETGID and CAP_KILL only, no-new-privileges); a stand-in for the
supervisor drops to uid 10000 as the real one does (privileges.drop_to_supervisor) and
starts a plain ``python3 -I -c`` as the runner's uid (privileges.runner_credentials): no
audit hook, no seccomp filter. Everything that process tries against PID 1 must fail in
the kernel (runc) or in gVisor's kernel (runsc): signals, prlimit, ptrace, /proc/1/mem, an
I/O signal (F_SETOWN/F_SETSIG), pidfd_send_signal; /tmp stays usable, and PID 1 can still
kill it. Then, once a runner has installed the exec filter, no program starts.

Measured differences (docs/security.md): gVisor lets another uid list /proc/1/fd and read
/proc/1/environ and maps (never open /proc/1/fd/N or read /proc/1/mem); the environment
holds nothing secret, so only what matters is asserted under both.
"""

from __future__ import annotations

import json

import pytest

from grader.backends.docker_backend import container_options
from grader.limits import Limits
from tests.support.probes import run_probe

pytestmark = [pytest.mark.docker, pytest.mark.security]

RUNNER_PROBE = r"""
import ctypes, fcntl, json, os, resource, signal, sys, time
sys.path.insert(0, "/opt/tensordojo/harness")
found = {}
def attempt(name, action):
    try:
        action()
        found[name] = "allowed"
    except OSError as exc:
        found[name] = "refused"
libc = ctypes.CDLL(None, use_errno=True)
def ptrace_attach():
    if libc.ptrace(16, 1, 0, 0) != 0:  # PTRACE_ATTACH
        raise OSError(ctypes.get_errno(), "ptrace")
def io_signal():
    r, w = os.pipe()
    for fd in (r, w):
        fcntl.fcntl(fd, fcntl.F_SETOWN, 1)
        fcntl.fcntl(fd, 10, signal.SIGKILL)  # F_SETSIG
        fcntl.fcntl(fd, fcntl.F_SETFL, fcntl.fcntl(fd, fcntl.F_GETFL) | os.O_ASYNC)
    os.write(w, b"x")
    os.read(r, 1)
def open_fds():
    for name in os.listdir("/proc/1/fd"):
        os.close(os.open("/proc/1/fd/" + name, os.O_RDWR))
attempt("kill", lambda: os.kill(1, signal.SIGKILL))
attempt("stop", lambda: os.kill(1, signal.SIGSTOP))
attempt("terminate", lambda: os.kill(1, signal.SIGTERM))
attempt("pidfd_send_signal", lambda: signal.pidfd_send_signal(os.pidfd_open(1), signal.SIGKILL))
attempt("prlimit", lambda: resource.prlimit(1, resource.RLIMIT_NOFILE, (3, 3)))
attempt("prlimit_as", lambda: resource.prlimit(1, resource.RLIMIT_AS, (1 << 20, 1 << 20)))
attempt("ptrace", ptrace_attach)
attempt("mem", lambda: open("/proc/1/mem", "rb").read(1))
attempt("open_fds", open_fds)
attempt("tmp", lambda: open("/tmp/mine", "w").write("scratch"))
neighbour = int(sys.argv[1])  # another runner (the next phase's spare): its own uid
attempt("neighbour_stop", lambda: os.kill(neighbour, signal.SIGSTOP))
attempt("neighbour_nice", lambda: os.setpriority(os.PRIO_PROCESS, neighbour, 7))
attempt("neighbour_affinity", lambda: os.sched_setaffinity(neighbour, {0}))
attempt("neighbour_prlimit", lambda: resource.prlimit(neighbour, resource.RLIMIT_NOFILE, (3, 3)))
attempt("mqueue_file", lambda: open("/dev/mqueue/carried", "w").close())
io_signal()
time.sleep(0.2)
found["io_signal_sent"] = "yes"
import privileges
privileges.seal_against_exec()
attempt("exec_after_seal", lambda: os.execv(sys.executable, [sys.executable, "-c", "pass"]))
def ipc(name, call):
    def action():
        if call() < 0:
            raise OSError(ctypes.get_errno(), name)
    attempt(name + "_after_seal", action)
ipc("shmget", lambda: libc.shmget(0, 4096, 0o1000 | 0o600))  # IPC_PRIVATE, IPC_CREAT
ipc("msgget", lambda: libc.msgget(0, 0o1000 | 0o600))
ipc("semget", lambda: libc.semget(0, 1, 0o1000 | 0o600))
ipc("mq_open", lambda: libc.mq_open(b"/carried", os.O_CREAT | os.O_RDWR, 0o600, None))
pid = os.fork()
if pid == 0:
    try:
        os.execv(sys.executable, [sys.executable, "-c", "pass"])
    except OSError:
        os._exit(3)
    os._exit(0)
found["forked_exec_status"] = os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1])
print(json.dumps(found))
"""

SUPERVISOR_STAND_IN = r"""
import json, os, signal, subprocess, sys, time
sys.path.insert(0, "/opt/tensordojo/harness")
import privileges
dropped = privileges.drop_to_supervisor()
neighbour = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"],
                             **privileges.runner_credentials(privileges.RUNNER_UID + 1))
probe = subprocess.run([sys.executable, "-I", "-c", sys.argv[1], str(neighbour.pid)], capture_output=True,
                       **privileges.runner_credentials())
neighbour.kill()
neighbour.wait(timeout=10)
sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"], **privileges.runner_credentials())
os.kill(sleeper.pid, signal.SIGKILL)
report = {"dropped": dropped, "uid": os.getresuid(), "caps": hex(privileges.capabilities()[0]),
          "runner": probe.stdout.decode(), "runner_err": probe.stderr.decode()[-2000:],
          "killed_runner": sleeper.wait(timeout=10), "pid1_alive": True}
print("REPORT" + json.dumps(report))
"""


def _run_as_the_backend_would(backend, source_args: list[str]) -> dict:
    create, host_config = container_options(Limits(), backend.image, gpu=False, runtime=backend.runtime)
    host_config.pop("log_config")  # this probe's output is read back from the engine's log
    create.update(stdin_open=False, entrypoint=["python3", "-I", "-c", SUPERVISOR_STAND_IN], command=source_args)
    return run_probe(backend.client.api, create, host_config, timeout=120)


@pytest.fixture(scope="module")
def boundary(docker_backend):
    return _run_as_the_backend_would(docker_backend, [RUNNER_PROBE])


def test_the_supervisor_runs_as_its_own_uid_with_three_capabilities(boundary):
    assert boundary["dropped"] is True
    assert boundary["uid"] == [10000, 10000, 10000]
    assert boundary["caps"] == hex((1 << 5) | (1 << 6) | (1 << 7))  # CAP_KILL, CAP_SETGID, CAP_SETUID


def test_a_runner_without_any_python_guard_cannot_touch_pid1(boundary):
    assert boundary["runner"], boundary["runner_err"]
    found = json.loads(boundary["runner"])
    for attempt in ("kill", "stop", "terminate", "pidfd_send_signal", "prlimit", "prlimit_as", "ptrace", "mem"):
        assert found[attempt] == "refused", f"{attempt}: {found}"
    assert found["open_fds"] == "refused", found
    assert found["io_signal_sent"] == "yes" and boundary["pid1_alive"], "the I/O signal reached PID 1"


def test_scratch_stays_usable_and_the_supervisor_can_still_end_a_runner(boundary):
    found = json.loads(boundary["runner"])
    assert found["tmp"] == "allowed"
    assert boundary["killed_runner"] == -9


def test_a_runner_cannot_reach_another_runner(boundary, docker_backend):
    """Each runner has its own uid: a phase cannot stop, renice, pin or limit the spare that runs the next
    phase, so cannot hand it anything through its settings (attacks/carry/nudge_the_spare).

    Measured: gVisor lets any uid renice and pin any process; there the supervisor ends a spare whose
    settings changed, and a changed PID 1 is the learner's interference (child.scheduling)."""
    found = json.loads(boundary["runner"])
    refused = ["neighbour_stop", "neighbour_prlimit"]
    if "runsc" not in (docker_backend.runtime or ""):
        refused += ["neighbour_nice", "neighbour_affinity"]
    for attempt in refused:
        assert found[attempt] == "refused", f"{attempt}: {found}"


def test_no_state_outlives_a_runner_in_ipc_objects(boundary):
    """System V segments, queues and semaphores and POSIX queues outlive every process and no cleaner
    of /tmp sees them: a phase's runner could hand the next one its inputs (attacks/carry/)."""
    found = json.loads(boundary["runner"])
    assert found["mqueue_file"] == "refused", found
    for call in ("shmget", "msgget", "semget", "mq_open"):
        assert found[call + "_after_seal"] == "refused", f"{call}: {found}"


def test_after_the_exec_filter_no_program_starts_in_the_runner_or_its_forks(boundary):
    found = json.loads(boundary["runner"])
    assert found["exec_after_seal"] == "refused"
    assert found["forked_exec_status"] == 3
