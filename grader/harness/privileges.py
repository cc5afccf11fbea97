"""Who may do what inside the sandbox, enforced by the kernel (standard library only).

The container starts as root with only CAP_SETUID, CAP_SETGID and CAP_KILL in its
bounding set and ``no-new-privileges``. PID 1 (the supervisor) then becomes uid
SUPERVISOR_UID keeping just those three capabilities (``drop_to_supervisor``), and
starts every process that may run untrusted code as RUNNER_UID with none
(``RUNNER_CREDENTIALS``, exec of a file without capabilities clears them). A process
of another uid cannot signal, ``prlimit``, ``ptrace`` or open ``/proc/1/mem``,
``environ`` or ``fd`` of PID 1, nor make the kernel send it an I/O signal: those fail
in the kernel (runc) or in gVisor's kernel (runsc), whatever the runner does.

``seal_against_exec`` is the runner's second lock: a seccomp filter, installed once its
imports are done and before untrusted code runs, that refuses ``execve``/``execveat`` to
it and to everything it forks. No new program can start, so no interpreter without our
guards, and no tool the sandbox did not mean to run.
"""

from __future__ import annotations

import ctypes
import errno
import os
import platform
import struct

SUPERVISOR_UID = 10000
RUNNER_UID = 10001
# subprocess.Popen arguments that start a process as the runner's user, with no supplementary group.
RUNNER_CREDENTIALS = {"user": RUNNER_UID, "group": RUNNER_UID, "extra_groups": []}

CAP_KILL, CAP_SETGID, CAP_SETUID = 5, 6, 7
KEPT_CAPS = (1 << CAP_KILL) | (1 << CAP_SETGID) | (1 << CAP_SETUID)
_LINUX_CAPABILITY_VERSION_3 = 0x20080522
PR_SET_KEEPCAPS = 8
PR_SET_DUMPABLE = 4
PR_SET_SECCOMP = 22
PR_SET_NO_NEW_PRIVS = 38
SECCOMP_MODE_FILTER = 2

# seccomp BPF: struct seccomp_data {int nr; u32 arch; u64 ip; u64 args[6]}
_LD_W_ABS, _JEQ_K, _JGE_K, _RET_K = 0x20, 0x15, 0x35, 0x06
_RET_ALLOW, _RET_KILL_PROCESS = 0x7FFF0000, 0x80000000
_RET_EPERM = 0x00050000 | errno.EPERM
AUDIT_ARCH_X86_64, AUDIT_ARCH_AARCH64 = 0xC000003E, 0xC00000B7
X32_SYSCALL_BIT = 0x40000000
EXEC_SYSCALLS = {AUDIT_ARCH_X86_64: (59, 322), AUDIT_ARCH_AARCH64: (221, 281)}  # execve, execveat


class PrivilegeError(RuntimeError):
    """The kernel refused a step of our own set-up: the sandbox must not run."""


def _libc():
    return ctypes.CDLL(None, use_errno=True)


def _check(result: int, what: str) -> None:
    if result != 0:
        raise PrivilegeError(f"{what} failed: {os.strerror(ctypes.get_errno())}")


def capabilities() -> tuple[int, int, int]:
    """(effective, permitted, inheritable) capability sets of this process (low 32 bits are ours)."""
    header = (ctypes.c_uint32 * 2)(_LINUX_CAPABILITY_VERSION_3, 0)
    data = (ctypes.c_uint32 * 6)()
    _check(_libc().capget(header, data), "capget")
    return data[0] | data[3] << 32, data[1] | data[4] << 32, data[2] | data[5] << 32


def _set_capabilities(effective: int, permitted: int) -> None:
    header = (ctypes.c_uint32 * 2)(_LINUX_CAPABILITY_VERSION_3, 0)
    data = (ctypes.c_uint32 * 6)(effective & 0xFFFFFFFF, permitted & 0xFFFFFFFF, 0, effective >> 32, permitted >> 32, 0)
    _check(_libc().capset(header, data), "capset")


def drop_to_supervisor() -> bool:
    """As root: become SUPERVISOR_UID keeping only CAP_KILL, CAP_SETUID, CAP_SETGID. False if not root.

    PR_SET_KEEPCAPS keeps the permitted set across setresuid (the effective set is
    cleared, and raised again by capset); every other capability is dropped from both.
    The change of uid also makes this process undumpable.
    """
    if os.getuid() != 0:
        return False
    libc = _libc()
    _check(libc.prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0), "prctl(PR_SET_KEEPCAPS)")
    os.setgroups([])
    os.setresgid(SUPERVISOR_UID, SUPERVISOR_UID, SUPERVISOR_UID)
    os.setresuid(SUPERVISOR_UID, SUPERVISOR_UID, SUPERVISOR_UID)
    _set_capabilities(KEPT_CAPS, KEPT_CAPS)
    _check(libc.prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0), "prctl(PR_SET_KEEPCAPS, 0)")
    _check(libc.prctl(PR_SET_DUMPABLE, 0, 0, 0, 0), "prctl(PR_SET_DUMPABLE)")
    effective, permitted, _ = capabilities()
    if os.getresuid() != (SUPERVISOR_UID,) * 3 or effective != KEPT_CAPS or permitted != KEPT_CAPS:
        raise PrivilegeError(f"privileges not dropped: uid {os.getresuid()}, caps {effective:#x}/{permitted:#x}")
    return True


def runner_credentials() -> dict:
    """Popen's user/group arguments for a runner: RUNNER_UID where we may switch to it, else none."""
    return dict(RUNNER_CREDENTIALS) if os.getuid() == SUPERVISOR_UID else {}


def become_runner_user() -> None:
    """In a forked child of the supervisor (the cleaner): RUNNER_UID, no groups, no capabilities."""
    if os.getuid() != SUPERVISOR_UID:
        return
    os.setgroups([])
    os.setresgid(RUNNER_UID, RUNNER_UID, RUNNER_UID)
    os.setresuid(RUNNER_UID, RUNNER_UID, RUNNER_UID)  # from a non-root uid: capabilities stay; drop them
    _set_capabilities(0, 0)


def exec_filter() -> bytes:
    """The BPF program: execve/execveat -> EPERM on x86_64 and aarch64; any other ABI is killed."""
    program: list[tuple[int, int, int, int]] = [(_LD_W_ABS, 0, 0, 4)]  # A = arch
    # jump to the x86_64 block (4) or the aarch64 block (9); anything else (i386, x32 via int 0x80...) dies
    program += [
        (_JEQ_K, 2, 0, AUDIT_ARCH_X86_64),
        (_JEQ_K, 6, 0, AUDIT_ARCH_AARCH64),
        (_RET_K, 0, 0, _RET_KILL_PROCESS),
        # x86_64: A = nr; the x32 ABI (bit 30) is refused whole; then execve, execveat
        (_LD_W_ABS, 0, 0, 0),
        (_JGE_K, 2, 0, X32_SYSCALL_BIT),
        (_JEQ_K, 1, 0, EXEC_SYSCALLS[AUDIT_ARCH_X86_64][0]),
        (_JEQ_K, 0, 5, EXEC_SYSCALLS[AUDIT_ARCH_X86_64][1]),
        (_RET_K, 0, 0, _RET_EPERM),
        # aarch64
        (_LD_W_ABS, 0, 0, 0),
        (_JEQ_K, 1, 0, EXEC_SYSCALLS[AUDIT_ARCH_AARCH64][0]),
        (_JEQ_K, 0, 1, EXEC_SYSCALLS[AUDIT_ARCH_AARCH64][1]),
        (_RET_K, 0, 0, _RET_EPERM),
        (_RET_K, 0, 0, _RET_ALLOW),
    ]
    return b"".join(struct.pack("HBBI", *instruction) for instruction in program)


def seal_against_exec() -> None:
    """Install the exec filter on this process (and all it forks later); PrivilegeError if refused."""
    machine = platform.machine()
    if machine not in ("x86_64", "aarch64", "arm64"):
        raise PrivilegeError(f"no exec filter for the {machine} architecture: refusing to run untrusted code")
    program = exec_filter()
    count = len(program) // 8
    buffer = ctypes.create_string_buffer(program, len(program))

    class SockFprog(ctypes.Structure):
        _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]

    fprog = SockFprog(count, ctypes.cast(buffer, ctypes.c_void_p))
    libc = _libc()
    _check(libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0), "prctl(PR_SET_NO_NEW_PRIVS)")
    _check(libc.prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, ctypes.byref(fprog), 0, 0), "prctl(PR_SET_SECCOMP)")
