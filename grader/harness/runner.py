"""The learner's process: a fresh interpreter that runs one call at a time. It decides nothing.

Started by the supervisor as ``python3 -I runner.py REQUEST_FD RESULT_FD [PRELOAD]``
(fork + exec: it inherits no memory from the supervisor, so it holds nothing
but what it is sent). It may be started before the job exists (a spare, see
supervisor.Spares): it then imports PRELOAD (e.g. ``numpy,torch``) while
nothing secret is anywhere near it. The conversation, one frame each way at a time:

    runner -> supervisor   sealed     undumpable now: no other process can open its memory or descriptors
    runner -> supervisor   preloaded  the PRELOAD modules are imported; nothing of the job is here yet
    supervisor -> runner   init     {modules, rules, cpus}; payload: the submission's source
    runner -> supervisor   booted   NumPy/PyTorch imported, audit hooks installed
                                    (the last frame sent before learner code runs)
    runner -> supervisor   ready | import_error {error}
    supervisor -> runner   call     {entry, args, kwargs, blobs}; payload: that call's arrays (.npy)
    runner -> supervisor   result   {status, value | error | message, blobs}; payload: returned arrays

Everything after ``booted`` is written by a process the learner controls, so
the supervisor treats it as untrusted data. Whether a value is right, and how
long a call took, are decided outside this process.
"""

from __future__ import annotations

import builtins
import os
import signal
import sys
import traceback
import warnings

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import codec  # noqa: E402
from contract import CallStatus, FrameType  # noqa: E402
from forbidden import ForbiddenRules  # noqa: E402
from frames import read_frame, write_frame  # noqa: E402

SUBMISSION_FILE = "submission.py"  # a relative name: never a path on disk
MAX_MESSAGE = 2_000
PR_SET_DUMPABLE = 4
BUILTIN_EXCEPTIONS = {
    name: kind for name, kind in vars(builtins).items() if isinstance(kind, type) and issubclass(kind, BaseException)
}


def describe_exception(exc: BaseException, forbidden_type) -> dict:
    """Type, message and only the submission's own line numbers."""
    lines = [f.lineno for f in traceback.extract_tb(exc.__traceback__) if f.filename == SUBMISSION_FILE]
    try:
        message = str(exc)
    except Exception:  # a learner-defined __str__ may itself fail
        message = "<message could not be read>"
    return {
        "type": type(exc).__name__[:100],
        "message": message[:MAX_MESSAGE],
        "forbidden": isinstance(exc, forbidden_type),
        "lines": [n for n in lines if isinstance(n, int)][-10:],
        # The built-in classes it derives from, most specific first: a ValueError subclass is a ValueError.
        "family": [c.__name__ for c in type(exc).__mro__ if BUILTIN_EXCEPTIONS.get(c.__name__) is c][:16],
    }


def _trap(dotted: str, modules: dict, error) -> None:
    """Replace ``a.b.c`` (and every function of that name in the same package) by a refusal.

    A second line behind the source check, for the plain spellings it cannot follow
    (``library = [np][0]; library.matmul(...)``); C types cannot be patched.
    """
    root, *path = dotted.split(".")
    owner = modules.get(root)
    if owner is None or not path:
        return
    for part in path[:-1]:
        owner = getattr(owner, part, None)
        if owner is None:
            return
    name = path[-1]
    original = getattr(owner, name, None)
    if original is None:
        return

    def refuse(*args, **kwargs):
        raise error(f"{dotted} is not allowed in this exercise")

    # Every binding of that name in the package: numpy.linalg.matmul wraps numpy.matmul in NumPy 2.
    targets = [owner] + [m for key, m in list(sys.modules.items()) if key.split(".")[0] == root and m is not None]
    for target in targets:
        try:
            found = getattr(target, name, None)
            if found is original or (callable(found) and not isinstance(found, type)):
                setattr(target, name, refuse)
        except (AttributeError, TypeError):
            pass


def _reset_signals() -> None:
    """The supervisor ignores every signal; its child must not inherit that."""
    for number in range(1, signal.NSIG):
        if number in (signal.SIGKILL, signal.SIGSTOP, signal.SIGPIPE):
            continue
        try:
            signal.signal(number, signal.SIG_DFL)
        except (OSError, ValueError):
            pass
    signal.signal(signal.SIGINT, signal.default_int_handler)


def _seal() -> None:
    """Make this process undumpable before anything else runs in it.

    Every process in the sandbox has the same user, so without this another phase's
    learner code could open our /proc/PID/mem, fd/ or environ (the kernel asks for
    dumpability or CAP_SYS_PTRACE), rewrite us or talk on our channels before we hold
    a job. Refused, we must not run: the supervisor reads no ``sealed`` frame and gives up.
    """
    import ctypes  # the guard refuses ctypes to the learner; this call comes before it is installed

    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0:
        raise SystemExit(f"prctl(PR_SET_DUMPABLE) failed: errno {ctypes.get_errno()}")


def _sync(torch) -> None:
    if torch is not None and torch.cuda.is_available():
        torch.cuda.synchronize()


def _load(modules: list[str]) -> tuple:
    """Import what the job's code may use (idempotent): returns (fixtures, torch), either None."""
    fixtures = torch = None
    if "numpy" in modules or "torch" in modules:
        codec.load_numpy()
        import fixtures
    if "torch" in modules:
        import torch
    return fixtures, torch


def main() -> None:
    request_fd, result_fd = int(sys.argv[1]), int(sys.argv[2])
    _reset_signals()
    try:
        with open("/proc/self/oom_score_adj", "w") as handle:
            handle.write("1000")  # the kernel should kill the learner, not the supervisor
    except OSError:
        pass
    _seal()  # after oom_score_adj: an undumpable process's /proc files belong to root
    write_frame(result_fd, {"type": FrameType.SEALED})
    preload = [name for name in (sys.argv[3] if len(sys.argv) > 3 else "").split(",") if name]
    _load(preload)  # the slow part of a start (NumPy, PyTorch), done ahead of the job when we are a spare
    write_frame(result_fd, {"type": FrameType.PRELOADED})
    first = read_frame(request_fd)
    if first is None or first[0].get("type") != FrameType.INIT:
        raise SystemExit(3)
    config, source = first
    modules = list(config.get("modules", []))
    fixtures, torch = _load(modules)
    clock = None
    if torch is not None:
        torch.set_num_threads(max(1, int(config.get("cpus", 1))))
        if torch.cuda.is_available():  # the GPU sandbox: this process's share of the GPU's memory
            import gpu_timing

            gpu_timing.cap_memory(torch, float(os.environ.get("TENSORDOJO_GPU_MEMORY_FRACTION", "0.5")))
            clock = gpu_timing.DeviceClock(torch)  # captures Event/synchronize before the learner's code loads
    import guard

    rules = ForbiddenRules.from_dict(config.get("rules", {}))
    loaded = {name: sys.modules[name] for name in ("numpy", "torch") if name in sys.modules}
    traps = list(rules.calls) + [f"torch.Tensor.{m}" for m in rules.methods if "torch" in loaded]
    with warnings.catch_warnings():  # walking sys.modules touches deprecated aliases: not the learner's output
        warnings.simplefilter("ignore")
        for dotted in traps:
            _trap(dotted, loaded, guard.ForbiddenCallError)
    tools, compiled = gpu_timing.triton_allowance() if clock is not None else ((), ())
    # -- exercises helper (issue 22): in Triton's CPU interpreter, every kernel is also compiled for a CUDA GPU
    import triton_frontend  # and the compiler's refusal is the learner's error (a no-op without TRITON_INTERPRET=1)

    triton_frontend.install(source.decode("utf-8", errors="replace"), SUBMISSION_FILE)
    # -- end exercises helper
    import privileges

    # No program starts from here on (seccomp), or on a GPU only Triton's tools and what they run (Landlock,
    # docs/gpu.md). Refused by the kernel: we exit before any untrusted code, the supervisor's Boot.
    privileges.lock_exec(tools)
    guard.install(rules, guard.trusted_roots((HERE,)), tools=tools, compiled_dirs=compiled)
    forbidden_type = guard.ForbiddenCallError
    write_frame(result_fd, {"type": FrameType.BOOTED})

    # From here on the learner's code runs in this process.
    namespace = {"__name__": "submission", "__file__": SUBMISSION_FILE, "__builtins__": __builtins__}
    module = type(sys)("submission")
    module.__dict__.update(namespace)
    sys.modules["submission"] = module
    try:
        # dont_inherit: the learner's module must not inherit this file's `from __future__ import annotations`
        # (Triton reads `BLOCK: tl.constexpr` annotations as objects, not strings).
        code = compile(source.decode("utf-8", errors="replace"), SUBMISSION_FILE, "exec", dont_inherit=True)
        exec(code, module.__dict__)
    except BaseException as exc:  # noqa: BLE001 - anything the import raises is the learner's
        write_frame(result_fd, {"type": FrameType.IMPORT_ERROR, "error": describe_exception(exc, forbidden_type)})
        return
    write_frame(result_fd, {"type": FrameType.READY})
    while True:
        frame = read_frame(request_fd)
        if frame is None:
            return
        meta, payload = frame
        arrays = _split(meta, payload)
        record, blobs = _call(
            module, meta, arrays, torch, fixtures, forbidden_type, clock if meta.get("clock") else None
        )
        record["type"] = FrameType.RESULT
        record["blobs"] = [[name, codec.blob_size(parts)] for name, parts in blobs.items()]
        write_frame(result_fd, record, [part for parts in blobs.values() for part in parts])


def _split(meta: dict, payload: bytes) -> dict:
    """The call's arrays as writable views of one buffer: codec.load_array wraps them without a copy."""
    buffer = memoryview(bytearray(payload))
    arrays, offset = {}, 0
    for name, length in meta.get("blobs", []):
        arrays[name] = buffer[offset : offset + length]
        offset += length
    return arrays


def _call(module, meta: dict, arrays: dict, torch, fixtures, forbidden_type, clock=None) -> tuple[dict, dict]:
    function = getattr(module, meta["entry"], None)
    if not callable(function):
        return {"status": CallStatus.MISSING_ENTRY}, {}
    args = codec.decode(meta["args"], arrays, fixtures, torch)
    kwargs = codec.decode(meta.get("kwargs") or {"$dict": {}}, arrays, fixtures, torch)
    device = None
    try:
        if clock is not None:  # a timed repetition on a GPU: CUDA events too (checked outside, gpu_timing.py)
            value, device = clock.time_call(function, *args, **kwargs)
        else:
            value = function(*args, **kwargs)
        _sync(torch)
    except BaseException as exc:  # noqa: BLE001 - the learner's exception is the record
        return {"status": CallStatus.RAISED, "error": describe_exception(exc, forbidden_type)}, {}
    encoder = codec.Encoder(prefix="b", torch=torch)
    try:
        tree = encoder.encode(value)
    except codec.EncodeError as exc:
        return {"status": CallStatus.UNSUPPORTED, "message": str(exc)[:300]}, {}
    except BaseException as exc:  # noqa: BLE001 - a hostile value's own methods may raise
        return {"status": CallStatus.RAISED, "error": describe_exception(exc, forbidden_type)}, {}
    record = {"status": CallStatus.RETURNED, "value": tree}
    if device is not None:
        record.update(device_s=float(device), tampered=clock.tampered())
    return record, encoder.blobs


if __name__ == "__main__":
    main()
