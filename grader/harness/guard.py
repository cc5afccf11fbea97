"""PEP 578 audit hooks for the learner's process (standard library only).

Installed by the runner after NumPy/PyTorch are imported and before the
submission is compiled. An audit hook cannot be removed, and it sees the
dynamic routes around a source-level rule:

- every source compiled at run time (``exec``, ``eval``, ``compile``, and any
  module imported later) gets the exercise's forbidden check
  (grader/harness/forbidden.py); a module file is accepted unchanged only from
  a directory that was on the path when the hook was installed (never /tmp,
  the working directory or a directory added later), and only if the source
  compiled is the file's own text;
- ``marshal.loads``, ``pickle.find_class``, ``code.__new__`` (also
  ``code.replace``) and ``ctypes`` are refused: they make code or call
  functions without source to check (later imports compile from source: the
  bytecode cache is switched off, so importing never needs ``marshal``);
- starting programs (``os.system``, ``subprocess``, ``os.exec*``,
  ``posix_spawn``) and opening sockets are refused;
- ``gc``'s object walks are refused, so the hook's own state (kept in closures,
  never in a module global) cannot be reached and rewritten.

What this cannot stop is listed in docs/security.md. Since the sandbox split its uids and
filters exec (privileges.py), refusals that concern PID 1 (signals, ``prlimit``, I/O-signal
owners) and starting programs are enforced by the kernel as well: here they are the honest
learner's clear message, not the boundary.
"""

from __future__ import annotations

import ast
import os
import sys
import tempfile

from forbidden import ForbiddenRules, find_problems

ALWAYS_REFUSED = {
    "marshal.loads": "loading marshalled code",
    "marshal.load": "loading marshalled code",
    "pickle.find_class": "unpickling functions or classes",
    "code.__new__": "building code objects by hand",
    "gc.get_objects": "walking the garbage collector's objects",
    "gc.get_referrers": "walking the garbage collector's objects",
    "gc.get_referents": "walking the garbage collector's objects",
}
PROCESS_EVENTS = {"os.system", "os.exec", "os.posix_spawn", "os.spawn", "subprocess.Popen", "pty.spawn"}
SOCKET_EVENTS = {"socket.__new__", "socket.connect", "socket.bind", "socket.getaddrinfo"}
# fcntl/ioctl commands that make the kernel signal a chosen process on I/O (F_SETOWN, F_SETSIG,
# F_SETOWN_EX; FIOSETOWN, SIOCSPGRP): a signal to PID 1 that never passes os.kill's audit event.
SIGNAL_OWNER_COMMANDS = frozenset({8, 10, 15, 0x8901, 0x8902})


class ForbiddenCallError(Exception):
    """Raised when the submission uses something the exercise (or the sandbox) forbids."""


class SandboxPolicyError(PermissionError):
    """Raised for what no submission may do: start programs, open sockets."""


def trusted_roots(extra: tuple[str, ...] = ()) -> tuple[str, ...]:
    """Directories whose files may be imported: the path as it is now, without writable places."""
    writable = {os.path.realpath(p) for p in (tempfile.gettempdir(), os.getcwd())}
    roots = []
    for entry in list(sys.path) + list(extra):
        if not entry:
            continue
        real = os.path.realpath(entry)
        if any(real == w or real.startswith(w + os.sep) for w in writable):
            continue
        roots.append(real.rstrip(os.sep) + os.sep)
    return tuple(dict.fromkeys(roots))


def install(
    rules: ForbiddenRules, roots: tuple[str, ...], tools: tuple[str, ...] = (), compiled_dirs: tuple[str, ...] = ()
) -> None:
    """Install the hook. What it uses is bound here, immutable, out of the learner's reach.

    ``tools`` and ``compiled_dirs`` are for GPU sandboxes only (gpu_timing.triton_allowance): Triton
    runs ``ptxas`` and a C compiler (given by absolute path) and imports the launchers it compiles
    from its cache directory. With a compiler allowed, the forbidden-call rules there are guards for
    an honest learner only (README, "GPU exercises and GPU timing").

    A traceback through the hook shows its frame, so nothing the hook keeps may
    be mutable: the rules are rebuilt from tuples on each check, and the hook
    recognises its own parsing by its code object on the stack, not by a flag.
    """
    get_frame = sys._getframe
    realpath, isabs, dirname, open_file = os.path.realpath, os.path.isabs, os.path.dirname, open
    parse, ast_type, str_type, str_encode = ast.parse, ast.AST, str, str.encode
    problems_in, make_rules = find_problems, ForbiddenRules
    parts = (tuple(rules.calls), tuple(rules.methods), tuple(rules.operators), tuple(rules.modules), bool(rules.loops))
    check_rules = rules.any
    refused = tuple(sorted(ALWAYS_REFUSED.items()))
    process_events, socket_events = frozenset(PROCESS_EVENTS), frozenset(SOCKET_EVENTS)
    signal_owner_commands, int_type = SIGNAL_OWNER_COMMANDS, int
    own_pid = os.getpid()
    forbidden_error, policy_error = ForbiddenCallError, SandboxPolicyError
    roots = tuple(roots)
    allowed_tools = frozenset(realpath(t) for t in tools)
    compiled_roots = tuple(realpath(d).rstrip(os.sep) + os.sep for d in compiled_dirs)
    list_types = (list, tuple)
    parent = os.getppid()
    protected = frozenset({1, -1, parent, -parent, os.getpgid(parent) if parent > 1 else 1})
    # Signals that bypass os.kill's audit event: removed before learner code runs.
    for module_name, attribute in (("os", "pidfd_open"), ("posix", "pidfd_open"), ("signal", "pidfd_send_signal")):
        module = sys.modules.get(module_name) or __import__(module_name)
        if hasattr(module, attribute):
            delattr(module, attribute)

    def program(args: tuple) -> str:
        """The absolute program path of subprocess.Popen (executable, args, ...) or os.posix_spawn (path, argv, ...)."""
        first = args[0] if args else None
        if first is None and len(args) > 1:
            argv = args[1]
            first = argv[0] if isinstance(argv, list_types) and argv else argv
        if isinstance(first, bytes):
            first = first.decode("utf-8", "replace")
        return realpath(first) if isinstance(first, str_type) and isabs(first) else ""

    def compiled(path: str) -> bool:
        real = realpath(path)
        return any(real.startswith(root) for root in compiled_roots)

    def trusted(path: str) -> bool:
        real = realpath(path)
        return any(real.startswith(root) for root in roots)

    def as_bytes(source) -> bytes:
        if isinstance(source, str_type):
            return str_encode(source, "utf-8", "surrogatepass")
        return bytes(memoryview(source))

    def check_compile(source, filename) -> None:
        name = filename if isinstance(filename, str_type) else ""
        if isinstance(source, ast_type):
            # Triton's interpreter rewrites every @jit function's tree (its own library's too) and compiles
            # it: a tree is held to the same rules as source, and may carry only a trusted library's name.
            if isabs(name) and not trusted(name):
                raise forbidden_error("compiling a hand-built syntax tree is not allowed in this exercise")
            found = problems_in(source, make_rules(*parts)) if check_rules else []
            if found:
                raise forbidden_error(f"code built at run time breaks a rule: {found[0].message}")
            return
        if isabs(name):
            if not trusted(name):
                raise forbidden_error(f"importing code from {dirname(name)} is not allowed")
            with open_file(name, "rb") as handle:
                on_disk = handle.read()
            if as_bytes(source) != on_disk:
                raise forbidden_error("compiling code under a library's file name is not allowed")
            return
        if not check_rules:
            return
        text = as_bytes(source).decode("utf-8", errors="replace")
        try:
            tree = parse(text)
        except (SyntaxError, ValueError):
            return  # the compile itself fails the same way
        found = problems_in(tree, make_rules(*parts))
        if found:
            raise forbidden_error(f"code built at run time breaks a rule: {found[0].message}")

    check_code = check_compile.__code__

    def inside_check() -> bool:
        frame = get_frame(2)
        for _ in range(64):
            if frame is None:
                return False
            if frame.f_code is check_code:
                return True
            frame = frame.f_back
        return False

    def hook(event: str, args: tuple) -> None:
        for name, what in refused:
            if event == name:
                raise forbidden_error(f"{what} is not allowed in the sandbox")
        if event.startswith("ctypes."):
            raise forbidden_error("ctypes is not allowed in the sandbox")
        if event in process_events:
            if event in ("subprocess.Popen", "os.posix_spawn") and program(args) in allowed_tools:
                return  # a GPU sandbox's compiler or ptxas, by absolute path
            raise policy_error("starting programs is not allowed in the sandbox")
        if event in socket_events:
            raise policy_error("the sandbox has no network")
        if event in ("os.kill", "os.killpg") and args and isinstance(args[0], int) and args[0] in protected:
            # PID 1 (our supervisor), its group, and "every process": PID 1 has another uid, so the kernel
            # (and gVisor's) refuses these too; this is the honest learner's clear message.
            raise policy_error("signalling the grader's processes is not allowed in the sandbox")
        if event == "resource.prlimit" and args and args[0] not in (0, own_pid):
            # Another process's limits: PID 1 has another uid (the kernel refuses); other runners share ours.
            raise policy_error("changing another process's limits is not allowed in the sandbox")
        if event in ("fcntl.fcntl", "fcntl.ioctl") and len(args) > 1 and type(args[1]) is int_type:
            if args[1] in signal_owner_commands:
                raise policy_error("asking for signals on I/O is not allowed in the sandbox")
        if event == "import" and len(args) > 1 and isinstance(args[1], str_type):
            if not trusted(args[1]) and not compiled(args[1]):  # a compiled extension from a writable place
                raise forbidden_error(f"importing code from {dirname(args[1])} is not allowed")
        elif event == "compile" and not inside_check():
            check_compile(args[0], args[1] if len(args) > 1 else None)

    # Later imports compile from source (so the hook sees them), never from cached bytecode.
    sys.dont_write_bytecode = True
    sys.implementation.cache_tag = None
    sys.addaudithook(hook)
