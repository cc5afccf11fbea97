"""The runner's seccomp program, run by a small BPF interpreter: exactly the refused calls get EPERM.

The sandbox tests (test_kernel_boundary.py, test_exec_allow_list.py) show the kernel applying it;
this one checks every syscall number of both architectures against what each filter means to refuse.
"""

from __future__ import annotations

import struct
import sys

import pytest

from tests.conftest import ROOT

sys.path.insert(0, str(ROOT / "grader" / "harness"))
import privileges  # noqa: E402

X86, ARM = privileges.AUDIT_ARCH_X86_64, privileges.AUDIT_ARCH_AARCH64


def verdict(program: bytes, arch: int, nr: int) -> int:
    """What the filter returns for one call: seccomp_data is {nr at 0, arch at 4}."""
    code = [struct.unpack("HBBI", program[i : i + 8]) for i in range(0, len(program), 8)]
    pc = accumulator = 0
    while True:
        op, jt, jf, k = code[pc]
        if op == 0x20:  # BPF_LD | BPF_W | BPF_ABS
            accumulator, pc = (arch if k == 4 else nr), pc + 1
        elif op == 0x15:  # BPF_JMP | BPF_JEQ | BPF_K
            pc += 1 + (jt if accumulator == k else jf)
        elif op == 0x35:  # BPF_JMP | BPF_JGE | BPF_K
            pc += 1 + (jt if accumulator >= k else jf)
        else:
            assert op == 0x06, op  # BPF_RET | BPF_K
            return k


@pytest.mark.parametrize(
    "groups",
    [
        pytest.param((privileges.EXEC_SYSCALLS, privileges.IPC_SYSCALLS), id="cpu-runner"),
        pytest.param((privileges.MEMFD_AND_EXECVEAT, privileges.IPC_SYSCALLS), id="gpu-runner"),
        pytest.param((privileges.EXEC_SYSCALLS,), id="exec-only"),
    ],
)
def test_the_filter_refuses_exactly_its_calls_and_kills_other_abis(groups):
    refused = privileges.refusing(*groups)
    program = privileges.exec_filter(refused)

    for arch in (X86, ARM):
        for nr in range(512):
            expected = privileges._RET_EPERM if nr in refused[arch] else privileges._RET_ALLOW
            assert verdict(program, arch, nr) == expected, (hex(arch), nr)
    assert verdict(program, X86, privileges.X32_SYSCALL_BIT | 59) == privileges._RET_EPERM  # the x32 ABI
    assert verdict(program, 0x40000003, 11) == privileges._RET_KILL_PROCESS  # i386


def test_both_runners_refuse_the_ipc_calls():
    """shmget, semget, msgget, mq_open: what could carry a phase's inputs to the next runner."""
    assert privileges.IPC_SYSCALLS[X86] == (29, 64, 68, 240)
    assert privileges.IPC_SYSCALLS[ARM] == (194, 190, 186, 180)
