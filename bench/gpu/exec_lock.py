"""The GPU path's exec lock on a real GPU (part of bench/gpu/device_check.sh; docs/gpu.md).

Run in a fresh process (the lock cannot be undone): lock exec as a GPU runner does
(``privileges.lock_exec`` with ``gpu_timing.triton_allowance()``'s tools), then compile and launch a
Triton kernel with a cold cache, which makes Triton start ptxas and the C compiler under the lock,
and check its result; then start python3 by every route a learner has (subprocess,
``_posixsubprocess.fork_exec`` through subprocess, ``os.posix_spawn``, the dynamic loader), each of
which must be refused. Prints one JSON line; exit status 0 when all of it held.
"""

from __future__ import annotations

import errno
import json
import os
import subprocess
import sys
import tempfile

HARNESS = os.path.join(
    os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))), "grader", "harness"
)


def _refused(action) -> str:
    try:
        action()
    except OSError as exc:
        return "EACCES" if exc.errno == errno.EACCES else f"errno {exc.errno}"
    return "ran"


def main() -> int:
    os.environ["TRITON_CACHE_DIR"] = tempfile.mkdtemp(prefix="triton-cold-")  # every step of the build runs
    sys.path.insert(0, HARNESS)
    import gpu_timing
    import privileges
    import torch
    import triton
    import triton.language as tl

    tools = list(gpu_timing.triton_allowance()[0])
    report: dict = {"tools": tools, "landlock_abi": privileges.landlock_abi()}
    report["allowed"] = privileges.exec_allow_list(tools)
    privileges.lock_exec(tools)

    @triton.jit
    def add_one(x_ptr, out_ptr, n, BLOCK: tl.constexpr):
        offsets = tl.program_id(0) * BLOCK + tl.arange(0, BLOCK)
        mask = offsets < n
        tl.store(out_ptr + offsets, tl.load(x_ptr + offsets, mask=mask) + 1, mask=mask)

    try:
        x = torch.arange(1000, device="cuda", dtype=torch.float32)
        out = torch.empty_like(x)
        add_one[(4,)](x, out, x.numel(), BLOCK=256)
        torch.cuda.synchronize()
        report["kernel_ok"] = bool(torch.equal(out, x + 1))
    except Exception as exc:  # noqa: BLE001 - the lock may have refused what Triton needs: that is the finding
        report["kernel_ok"] = False
        report["kernel_error"] = f"{type(exc).__name__}: {exc}"[:3000]
    python = "/usr/bin/python3" if os.path.exists("/usr/bin/python3") else sys.executable
    report["python3"] = _refused(lambda: subprocess.run([python, "-c", "pass"], check=False))
    report["posix_spawn"] = _refused(lambda: os.waitpid(os.posix_spawn(python, [python, "-c", "pass"], {}), 0))
    report["own_interpreter"] = _refused(lambda: subprocess.run([sys.executable, "-c", "pass"], check=False))
    loader = subprocess.run(["/lib64/ld-linux-x86-64.so.2", python, "-c", "pass"], capture_output=True, check=False)
    report["loader"] = "refused" if loader.returncode == 127 else f"exit {loader.returncode}"
    report["ok"] = report["kernel_ok"] and all(
        report[key] == "EACCES" for key in ("python3", "posix_spawn", "own_interpreter")
    )
    report["ok"] = report["ok"] and report["loader"] == "refused"
    print(json.dumps(report))
    return 0 if report["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
