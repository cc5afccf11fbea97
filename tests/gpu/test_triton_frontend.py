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

# Run inside the Triton image with this checkout's harness: launch kernels in the interpreter (float16 on
# the CPU, as the CPU mode grades them) and report what each did, as JSON.
PROBE = r"""
import importlib.util, json, sys
sys.path.insert(0, "/repo/grader/harness")
import triton_frontend
assert triton_frontend.install()
import torch

def load(path):
    spec = importlib.util.spec_from_file_location(path.replace("/", "_").replace(".", "_"), "/repo/" + path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module

torch.manual_seed(0)
A = (torch.randint(-64, 65, (100, 70)) / 32).to(torch.float16)
B = (torch.randint(-64, 65, (70, 130)) / 32).to(torch.float16)
q, k, v = ((torch.randint(-64, 65, (1, 2, 40, 32)) / 32).to(torch.float16) for _ in range(3))
report = {}
for name, path in zip(sys.argv[1::2], sys.argv[2::2]):
    try:
        module = load(path)
        if hasattr(module, "matmul"):
            got = module.matmul(A, B).float()
            want = A.float() @ B.float()
        else:
            got = module.attention(q, k, v, causal=True).float()
            want = torch.nn.functional.scaled_dot_product_attention(q.float(), k.float(), v.float(), is_causal=True)
        report[name] = {"error": float((got - want).abs().max())}
    except Exception as exc:
        report[name] = {"raised": type(exc).__name__, "message": str(exc)}
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


def _probe(*pairs: tuple[str, str]) -> dict:
    command = ["docker", "run", "--rm", "--network", "none", "-v", f"{ROOT}:/repo:ro", "--entrypoint", "python3"]
    command += [TRITON_IMAGE, "-W", "ignore", "-c", PROBE]
    for name, path in pairs:
        command += [name, path]
    done = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.mark.docker
def test_a_kernel_the_gpu_compiler_refuses_raises_its_compilation_error_on_the_cpu():
    require(_image_present(), f"the Triton sandbox image {TRITON_IMAGE} is needed")

    report = _probe(
        ("right, first", "exercises/triton-matmul/solution.py"),
        ("retyped", "exercises/triton-matmul/mistakes/accumulator_retyped_in_loop.py"),
        ("attention retyped", "exercises/fused-attention-gpu/mistakes/accumulator_retyped_in_loop.py"),
        ("right, after a refusal", "exercises/triton-matmul/solution.py"),
        ("attention, right", "exercises/fused-attention-gpu/solution.py"),
        ("16-bit sums, but one type", "exercises/triton-matmul/mistakes/low_precision_accumulation.py"),
    )

    for name in ("retyped", "attention retyped"):
        assert report[name]["raised"] == "CompilationError", report[name]
        assert retyped_accumulator(report[name]["message"]), report[name]["message"]
        assert "refuses kernel" in report[name]["message"]
    # The interpreter still computes (its patched triton.language is put back after each compilation).
    for name in ("right, first", "right, after a refusal", "attention, right"):
        assert report[name].get("error", 1.0) < 0.05, report[name]
    assert "error" in report["16-bit sums, but one type"]  # compiles: its drift is judged by the values
