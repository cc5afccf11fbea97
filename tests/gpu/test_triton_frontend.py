"""Triton's CPU interpreter runs kernels a GPU refuses; the sandbox also compiles them for a CUDA GPU.

grader/harness/triton_frontend.py lowers each launched kernel to TTIR and TTGIR for sm_90 (no GPU
needed) and raises the compiler's CompilationError in the learner's call.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess

import pytest

from grader.harness.triton_frontend import install, retyped_accumulator
from tests.conftest import ROOT, require

TRITON_IMAGE = os.environ.get("SANDBOX_TRITON_IMAGE", "tensordojo/sandbox-triton:latest")

COMPILER_SAYS = (
    "AssertionError('Loop-carried variable acc has initial type <[64, 64], fp16> but is re-assigned to "
    "<[64, 64], fp32> in loop! Please make sure that the type stays consistent.')"
)

# Run inside the Triton image with this checkout's harness, as the runner runs a submission: the source
# compiled from a string under a name that is no file, the exercise's audit hook installed. Launch the
# kernels in the interpreter (float16 on the CPU, as the CPU mode grades them); print what each call did.
PROBE = r"""
import json, sys, tomllib
sys.path.insert(0, "/repo/grader/harness")
slug, path = sys.argv[1:3]
source = open("/repo/" + path).read()
import triton_frontend
assert triton_frontend.install(source, "submission.py")
import torch
import guard
from forbidden import ForbiddenRules

forbidden = tomllib.load(open(f"/repo/exercises/{slug}/exercise.toml", "rb")).get("forbidden", {})
guard.install(ForbiddenRules.from_dict(forbidden), guard.trusted_roots(("/repo/grader/harness",)))
module = type(sys)("submission")
module.__dict__.update({"__name__": "submission", "__file__": "submission.py"})
sys.modules["submission"] = module
exec(compile(source, "submission.py", "exec", dont_inherit=True), module.__dict__)

def grid(*shape):
    return (torch.randint(-64, 65, shape) / 32).to(torch.float16)

torch.manual_seed(0)
report = []
if slug == "triton-matmul":
    A, B = grid(100, 70), grid(70, 130)
    calls = [(lambda: module.matmul(A, B), lambda: A.float() @ B.float())] * 2
else:
    q, k, v = grid(1, 2, 40, 32), grid(1, 2, 40, 32), grid(1, 2, 40, 32)
    sdpa = torch.nn.functional.scaled_dot_product_attention
    mine = lambda c: module.attention(q, k, v, causal=c)
    right = lambda c: sdpa(q.float(), k.float(), v.float(), is_causal=c)
    calls = [(lambda c=c: mine(c), lambda c=c: right(c)) for c in (True, False)]
for call, want in calls:
    try:
        report.append({"error": float((call().float() - want()).abs().max())})
    except Exception as exc:
        report.append({"raised": type(exc).__name__, "message": str(exc)})
print(json.dumps(report))
"""


def test_the_compilers_words_for_a_retyped_accumulator_are_recognised():
    assert retyped_accumulator(COMPILER_SAYS)
    assert retyped_accumulator(COMPILER_SAYS.replace("fp16", "bf16"))
    assert not retyped_accumulator(COMPILER_SAYS.replace("<[64, 64], fp32>", "<[64, 64], fp16>"))
    assert not retyped_accumulator("Loop-carried variable i has initial type <i32> but is re-assigned to <i64>")


def test_nothing_is_installed_outside_the_interpreter(monkeypatch):
    monkeypatch.setenv("TRITON_INTERPRET", "0")

    assert install() is False


def _image_present() -> bool:
    if shutil.which("docker") is None:
        return False
    return subprocess.run(["docker", "image", "inspect", TRITON_IMAGE], capture_output=True).returncode == 0


def _probe(slug: str, path: str) -> list[dict]:
    command = ["docker", "run", "--rm", "--network", "none", "-v", f"{ROOT}:/repo:ro", "--entrypoint", "python3"]
    command += [TRITON_IMAGE, "-W", "ignore", "-c", PROBE, slug, path]
    done = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.mark.docker
@pytest.mark.parametrize("slug", ["triton-matmul", "fused-attention-gpu"])
def test_a_kernel_the_gpu_compiler_refuses_raises_its_compilation_error_on_the_cpu(slug):
    require(_image_present(), f"the Triton sandbox image {TRITON_IMAGE} is needed")

    report = _probe(slug, f"exercises/{slug}/mistakes/accumulator_retyped_in_loop.py")

    for call in report:
        assert call.get("raised") == "CompilationError", call
        assert retyped_accumulator(call["message"]) and "refuses kernel" in call["message"], call["message"]


@pytest.mark.docker
@pytest.mark.parametrize("slug", ["triton-matmul", "fused-attention-gpu"])
def test_kernels_the_gpu_compiler_accepts_still_run_in_the_interpreter(slug):
    require(_image_present(), f"the Triton sandbox image {TRITON_IMAGE} is needed")

    # The second call of fused-attention-gpu compiles (causal=False) after the interpreter has patched
    # triton.language for the first: the compiler's view of it is put back each time.
    for path in (f"exercises/{slug}/solution.py", f"exercises/{slug}/mistakes/low_precision_accumulation.py"):
        report = _probe(slug, path)

        assert all("error" in call for call in report), report
        if path.endswith("solution.py"):
            assert max(call["error"] for call in report) < 0.05, report
