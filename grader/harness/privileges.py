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
guards, and no tool the sandbox did not mean to run. The same filter refuses the calls that make or
find System V objects and POSIX queues (``IPC_SYSCALLS``): they outlive a runner, so the next phase's
runner could read what this one left there. On the GPU path, where Triton must still start
ptxas and gcc, ``restrict_exec`` locks exec with Landlock instead (only those tools may run) and fails
closed where the kernel has no Landlock; ``lock_exec`` picks one of the two.
"""

from __future__ import annotations

import ctypes
import errno
import itertools
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
# shmget, semget, msgget, mq_open: System V objects and POSIX queues outlive every process, and no file
# system the cleaner empties shows them, so a phase's runner could leave its inputs there for the next
# (attacks/carry/). Without the calls that make or find one, a runner can neither create nor reach any.
IPC_SYSCALLS = {AUDIT_ARCH_X86_64: (29, 64, 68, 240), AUDIT_ARCH_AARCH64: (194, 190, 186, 180)}


def refusing(*groups: dict[int, tuple[int, ...]]) -> dict[int, tuple[int, ...]]:
    """The syscalls of several groups, per architecture."""
    return {
        arch: tuple(nr for group in groups for nr in group[arch]) for arch in (AUDIT_ARCH_X86_64, AUDIT_ARCH_AARCH64)
    }


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


def runner_credentials(uid: int = RUNNER_UID) -> dict:
    """Popen's user/group arguments for a runner of ``uid`` (one of ``runner_uids``) where we may switch, else none."""
    return {**RUNNER_CREDENTIALS, "user": uid} if os.getuid() == SUPERVISOR_UID else {}


def runner_uids():
    """The uids runners get, one each: RUNNER_UID for the first, then the next ones.

    Each runner (a phase's, a restart's, a spare) has its own uid, so the kernel keeps one runner's
    processes out of every other's reach (signals, ``prlimit``, ``setpriority``, ``sched_setaffinity``,
    ptrace): a phase cannot change the spare that will run the next phase, and so cannot hand it
    anything (attacks/carry/nudge_the_spare). They share RUNNER_UID's group, which owns nothing.
    """
    return itertools.count(RUNNER_UID)


def become_runner_user(uid: int = RUNNER_UID) -> None:
    """In a forked child of the supervisor (the cleaner): ``uid``, no groups, no capabilities."""
    if os.getuid() != SUPERVISOR_UID:
        return
    os.setgroups([])
    os.setresgid(RUNNER_UID, RUNNER_UID, RUNNER_UID)
    os.setresuid(uid, uid, uid)  # from a non-root uid: capabilities stay; drop them
    _set_capabilities(0, 0)


def exec_filter(refused: dict[int, tuple[int, ...]] = EXEC_SYSCALLS) -> bytes:
    """The BPF program: the ``refused`` syscalls of each architecture (execve/execveat unless told) -> EPERM
    on x86_64 and aarch64 (and the whole x32 ABI); any other ABI is killed."""

    def block(numbers: tuple[int, ...], x32: bool) -> list[tuple[int, int, int, int]]:
        """A = nr; each refused number jumps past the rest and the allow to the EPERM at the end."""
        count = len(numbers)
        code = [(_LD_W_ABS, 0, 0, 0)]
        if x32:
            code.append((_JGE_K, count + 1, 0, X32_SYSCALL_BIT))
        code += [(_JEQ_K, count - index, 0, number) for index, number in enumerate(numbers)]
        return code + [(_RET_K, 0, 0, _RET_ALLOW), (_RET_K, 0, 0, _RET_EPERM)]

    x86 = block(refused[AUDIT_ARCH_X86_64], x32=True)
    arm = block(refused[AUDIT_ARCH_AARCH64], x32=False)
    # A = arch; jump to the x86_64 block or the aarch64 block; anything else (i386, x32 via int 0x80...) dies
    program = [
        (_LD_W_ABS, 0, 0, 4),
        (_JEQ_K, 2, 0, AUDIT_ARCH_X86_64),
        (_JEQ_K, 1 + len(x86), 0, AUDIT_ARCH_AARCH64),
        (_RET_K, 0, 0, _RET_KILL_PROCESS),
        *x86,
        *arm,
    ]
    return b"".join(struct.pack("HBBI", *instruction) for instruction in program)


def seal_against_exec() -> None:
    """Install the exec filter on this process (and all it forks later); PrivilegeError if refused."""
    machine = platform.machine()
    if machine not in ("x86_64", "aarch64", "arm64"):
        raise PrivilegeError(f"no exec filter for the {machine} architecture: refusing to run untrusted code")
    _install_filter(exec_filter(refusing(EXEC_SYSCALLS, IPC_SYSCALLS)))


def _install_filter(program: bytes) -> None:
    count = len(program) // 8
    buffer = ctypes.create_string_buffer(program, len(program))

    class SockFprog(ctypes.Structure):
        _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]

    fprog = SockFprog(count, ctypes.cast(buffer, ctypes.c_void_p))
    libc = _libc()
    _check(libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0), "prctl(PR_SET_NO_NEW_PRIVS)")
    _check(libc.prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, ctypes.byref(fprog), 0, 0), "prctl(PR_SET_SECCOMP)")


# -- The GPU path's exec allow-list (docs/gpu.md) --------------------------------------------------
# Triton must start ptxas and a C compiler after the learner's code has started, so a GPU runner
# cannot refuse every execve. It gets a Landlock domain instead: executing a file is refused in the
# kernel (EACCES) unless the file is one of the allow-listed programs or the ELF interpreter they
# need. Because that interpreter can be run as a program that maps any readable file
# (`ld-linux.so /usr/bin/python3`), reading files is handled too: nothing in a program directory
# (/usr/bin, /usr/sbin, ...) may be opened for reading except the allow-list, so no other program
# can be loaded that way; /tmp and /dev/shm are mounted noexec, so nothing written there maps as
# code. A memfd is no file of the hierarchy (Landlock lets it through), so a second seccomp filter
# refuses memfd_create and execveat.
SYS_LANDLOCK_CREATE_RULESET, SYS_LANDLOCK_ADD_RULE, SYS_LANDLOCK_RESTRICT_SELF = 444, 445, 446  # same on aarch64
LANDLOCK_CREATE_RULESET_VERSION = 1
LANDLOCK_RULE_PATH_BENEATH = 1
LANDLOCK_ACCESS_FS_EXECUTE = 1 << 0
LANDLOCK_ACCESS_FS_READ_FILE = 1 << 2
# The directories whose files are programs: not readable, so the dynamic loader cannot run them.
PROGRAM_DIRS = (
    "/usr/bin",
    "/usr/sbin",
    "/usr/local/bin",
    "/usr/local/sbin",
    "/usr/games",
    "/usr/local/games",
    "/usr/libexec",
    "/bin",
    "/sbin",
)
MEMFD_AND_EXECVEAT = {AUDIT_ARCH_X86_64: (319, 322), AUDIT_ARCH_AARCH64: (279, 281)}


class _PathBeneath(ctypes.Structure):
    _pack_ = 1  # struct landlock_path_beneath_attr is packed: u64 allowed_access, s32 parent_fd
    _fields_ = [("allowed_access", ctypes.c_uint64), ("parent_fd", ctypes.c_int32)]


def landlock_abi() -> int:
    """The kernel's Landlock ABI version; 0 where it has none (gVisor, an old kernel, a seccomp profile)."""
    libc = _libc()
    libc.syscall.restype = ctypes.c_long
    version = libc.syscall(
        ctypes.c_long(SYS_LANDLOCK_CREATE_RULESET),
        None,
        ctypes.c_size_t(0),
        ctypes.c_uint32(LANDLOCK_CREATE_RULESET_VERSION),
    )
    return max(int(version), 0)


def elf_interpreter(path: str) -> str | None:
    """The PT_INTERP of a 64-bit little-endian ELF program (None for a static one); PrivilegeError otherwise.

    A script is refused: its interpreter (a shell, Python) would have to be allowed to run.
    """
    with open(path, "rb") as handle:
        head = handle.read(64)
        if len(head) < 64 or head[:4] != b"\x7fELF" or head[4] != 2 or head[5] != 1:
            raise PrivilegeError(f"{path} is not a 64-bit little-endian ELF program: it may not be allow-listed")
        (phoff,) = struct.unpack_from("<Q", head, 0x20)
        phentsize, phnum = struct.unpack_from("<HH", head, 0x36)
        handle.seek(phoff)
        table = handle.read(phentsize * phnum)
        for index in range(phnum):
            p_type, _, p_offset, _, _, p_filesz = struct.unpack_from("<IIQQQQ", table, index * phentsize)
            if p_type == 3:  # PT_INTERP
                handle.seek(p_offset)
                return handle.read(p_filesz).rstrip(b"\0").decode()
    return None


COMPILER_NAMES = ("gcc", "cc", "c99", "x86_64-linux-gnu-gcc", "aarch64-linux-gnu-gcc")
COMPILER_PROGRAMS = ("cc1", "collect2", "as", "ld")  # what `gcc -shared x.c -o x.so` starts, Triton's launcher build


def compiler_programs(compiler: str) -> list[str]:
    """The programs a gcc driver starts to compile and link C, by absolute path (asked of gcc itself)."""
    import shutil
    import subprocess

    found = []
    for name in COMPILER_PROGRAMS:
        answer = subprocess.run(
            [compiler, f"-print-prog-name={name}"], capture_output=True, text=True, timeout=30, check=False
        ).stdout.strip()
        # gcc names its own programs by path and the binutils it finds on PATH by name only
        path = answer if os.path.isabs(answer) else shutil.which(answer or name)
        if path and os.path.isfile(path):
            found.append(path)
    return found


def exec_allow_list(tools) -> list[str]:
    """Every file a runner may execute: the tools, what a C compiler among them starts, their ELF
    interpreters; real paths (Landlock rules hold on files, not on the links that name them)."""
    programs = []
    for tool in tools:
        programs.append(tool)
        base = os.path.basename(os.path.realpath(tool))
        if os.path.basename(tool) in COMPILER_NAMES or base.startswith(("gcc", "x86_64-linux-gnu-gcc")):
            programs += compiler_programs(tool)
    allowed: list[str] = []
    for program in programs:
        for path in (program, elf_interpreter(program)):
            real = os.path.realpath(path) if path else None
            if real and real not in allowed:
                allowed.append(real)
    return allowed


def readable_roots() -> list[str]:
    """Everything under / that a runner may read: each entry of /, /usr and /usr/local but the program
    directories (their one readable files are the allow-list)."""
    programs = {os.path.realpath(path) for path in PROGRAM_DIRS}
    roots = []
    for parent in ("/", "/usr", "/usr/local"):
        try:
            names = sorted(os.listdir(parent))
        except OSError:
            continue
        for name in names:
            path = os.path.join(parent, name)
            real = os.path.realpath(path)
            if path in ("/usr", "/usr/local") or real in programs or path in programs or real in roots:
                continue
            if real in ("/usr", "/usr/local", "/"):
                continue  # a link to a directory we descend into: its programs stay closed
            roots.append(real)
    return roots


def tool_directories(allowed: list[str]) -> list[str]:
    """The private directories of allow-listed programs (gcc's libexec: cc1 beside the LTO plugin ld loads),
    readable; a shared program directory (/usr/bin) stays closed."""
    programs = {os.path.realpath(path) for path in PROGRAM_DIRS}
    folders = []
    for path in allowed:
        folder = os.path.dirname(path)
        if folder not in programs and folder not in folders:
            folders.append(folder)
    return folders


def _add_rule(libc, ruleset: int, path: str, access: int) -> None:
    try:
        fd = os.open(path, os.O_PATH | os.O_CLOEXEC)
    except OSError:
        return  # gone, or a dangling link: nothing to allow
    try:
        rule = _PathBeneath(access, fd)
        result = libc.syscall(
            ctypes.c_long(SYS_LANDLOCK_ADD_RULE),
            ctypes.c_int(ruleset),
            ctypes.c_int(LANDLOCK_RULE_PATH_BENEATH),
            ctypes.byref(rule),
            ctypes.c_uint32(0),
        )
        if result != 0:
            raise PrivilegeError(f"landlock_add_rule({path}) failed: {os.strerror(ctypes.get_errno())}")
    finally:
        os.close(fd)


def restrict_exec(tools) -> list[str]:
    """Allow this process (and all it starts) to execute only ``tools`` and what they need; returns that list.

    PrivilegeError where the kernel cannot enforce it (no Landlock: gVisor, an old kernel): the caller
    must then not run untrusted code (fail closed), never fall back to the audit hook alone.
    """
    machine = platform.machine()
    if machine not in ("x86_64", "aarch64", "arm64"):
        raise PrivilegeError(f"no exec filter for the {machine} architecture: refusing to run untrusted code")
    abi = landlock_abi()
    if abi < 1:
        raise PrivilegeError(
            "the kernel has no Landlock (gVisor, Linux < 5.13, or a seccomp profile refusing it): a GPU runner"
            " cannot limit which programs start, so it does not run untrusted code"
        )
    allowed = exec_allow_list(tools)
    libc = _libc()
    libc.syscall.restype = ctypes.c_long
    handled = ctypes.c_uint64(LANDLOCK_ACCESS_FS_EXECUTE | LANDLOCK_ACCESS_FS_READ_FILE)
    ruleset = libc.syscall(
        ctypes.c_long(SYS_LANDLOCK_CREATE_RULESET), ctypes.byref(handled), ctypes.c_size_t(8), ctypes.c_uint32(0)
    )
    if ruleset < 0:
        raise PrivilegeError(f"landlock_create_ruleset failed: {os.strerror(ctypes.get_errno())}")
    try:
        for path in readable_roots() + tool_directories(allowed):
            _add_rule(libc, ruleset, path, LANDLOCK_ACCESS_FS_READ_FILE)
        for path in allowed:
            _add_rule(libc, ruleset, path, LANDLOCK_ACCESS_FS_READ_FILE | LANDLOCK_ACCESS_FS_EXECUTE)
        # sets no_new_privs, which Landlock requires too
        _install_filter(exec_filter(refusing(MEMFD_AND_EXECVEAT, IPC_SYSCALLS)))
        if libc.syscall(ctypes.c_long(SYS_LANDLOCK_RESTRICT_SELF), ctypes.c_int(ruleset), ctypes.c_uint32(0)) != 0:
            raise PrivilegeError(f"landlock_restrict_self failed: {os.strerror(ctypes.get_errno())}")
    finally:
        os.close(ruleset)
    return allowed


def lock_exec(tools) -> None:
    """Once a runner has booted: no program starts (seccomp), or on the GPU path only ``tools`` (Landlock)."""
    if tools:
        restrict_exec(tools)
    else:
        seal_against_exec()
