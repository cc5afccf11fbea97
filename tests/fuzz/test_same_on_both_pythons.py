"""The untrusted-data parsers read the same bytes the same way on the sandbox's Python 3.13 and the worker's 3.11.

A value nested 1,200 deep was read by the supervisor (3.13, whose JSON scanner has no Python
recursion limit) and stored, and the grader (3.11) could not read its report back. Here the same
mutated result frames and .npy blobs go through the harness's parsers on this interpreter and
on the sandbox image's, and every outcome (refused, too large, or the very record accepted) must match.
"""

from __future__ import annotations

import os
import random
import sys

import pytest

from tests.conftest import ROOT

sys.path[:0] = [str(ROOT / "grader" / "harness"), str(ROOT / "tests" / "fuzz")]

import mutations  # noqa: E402

pytestmark = [pytest.mark.docker, pytest.mark.slow]


def inputs() -> list[tuple[bytes, bytes]]:
    rng = random.Random(19)
    items = [(mutations.FRAME, data) for data in mutations.hostile_frames(rng, 2_000)]
    items += [(mutations.NPY, data) for data in mutations.hostile_npys(rng, 1_000)]
    for depth in (30, 31, 32, 999, 1_200, 100_000):  # around the bound, and past 3.11's recursion limit
        items.append((mutations.FRAME, _frame_with_raw_value(b"[" * depth + b"]" * depth)))
    return items


def _frame_with_raw_value(value: bytes) -> bytes:
    header = b'{"type":"result","status":"returned","value":' + value + b"}"
    return len(header).to_bytes(4, "big") + (0).to_bytes(4, "big") + header


def test_every_hostile_input_reads_the_same_on_the_sandboxs_python_as_on_the_workers(docker_backend, tmp_path):
    items = inputs()
    (tmp_path / "inputs.bin").write_bytes(mutations.pack_inputs(items))
    os.chmod(tmp_path, 0o755)
    os.chmod(tmp_path / "inputs.bin", 0o644)
    image = docker_backend.images[mutations_kind()]
    output = docker_backend.client.containers.run(
        image,
        ["/fuzz/mutations.py", "/in/inputs.bin"],
        entrypoint="python3",
        environment={"PYTHONPATH": "/harness"},
        volumes={
            str(ROOT / "grader" / "harness"): {"bind": "/harness", "mode": "ro"},
            str(ROOT / "tests" / "fuzz"): {"bind": "/fuzz", "mode": "ro"},
            str(tmp_path): {"bind": "/in", "mode": "ro"},
        },
        network_disabled=True,
        remove=True,
    )
    theirs = output.decode().split("\n")
    ours = mutations.fingerprints(items)
    differ = [(i, ours[i], theirs[i]) for i in range(len(ours)) if i >= len(theirs) or ours[i] != theirs[i]]
    assert not differ, f"{len(differ)} of {len(ours)} inputs read differently, e.g. {differ[:5]}"
    assert not [line for line in ours if line.startswith("escaped")]
    assert {line.split()[0] for line in ours} == {mutations.ACCEPTED, mutations.REFUSED, mutations.TOO_LARGE}


def mutations_kind():
    from grader.harness.contract import SandboxKind

    return SandboxKind.STDLIB  # the same Python as every sandbox image, without NumPy to start
